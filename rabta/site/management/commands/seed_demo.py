"""Deterministic demo data for every role: ``python manage.py seed_demo``.

Runs once: a second call sees the demo accounts and does nothing (``--force`` is not offered on
purpose; drop the database to start over).  10,000 engineers seed in well under a minute
because rows are bulk-inserted and every demo password shares one precomputed hash.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from rabta.accounts.demo import (
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    DEMO_STAFF_TOTP_KEY_B32,
    NAMED_ACCOUNTS,
    demo_loaded,
)
from rabta.site.demo import demo_seed


class Command(BaseCommand):
    help = "Load deterministic demo data for every role (once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--engineers", type=int, default=10_000)
        parser.add_argument("--contributors", type=int, default=400)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--i-know-this-is-not-production", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["i_know_this_is_not_production"]:
            raise CommandError(
                "seed_demo creates accounts with a published password; it runs only with DEBUG "
                "on (or --i-know-this-is-not-production)."
            )
        if demo_loaded():
            self.stdout.write("Demo data is already loaded; nothing to do.")
            self._print_logins()
            return
        started = time.perf_counter()
        seeded = demo_seed(
            engineers=options["engineers"],
            contributors=options["contributors"],
            seed=options["seed"],
        )
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {seeded.engineers} engineers, {seeded.contributors} contributors and "
                f"{seeded.institutions} institutions, {seeded.applications} applications, "
                f"{seeded.assessments} assessments, {seeded.portfolios} portfolios, "
                f"{seeded.postings} job postings and {seeded.asks} Brain Gain asks, "
                f"{seeded.chapters} chapters and {seeded.honours} Hall of Fame members in "
                f"{elapsed:.1f} s."
            )
        )
        self._print_logins()

    def _print_logins(self) -> None:
        self.stdout.write("\nDemo logins (password for all: " + DEMO_PASSWORD + "):")
        for local, _name, _roles, role in NAMED_ACCOUNTS:
            self.stdout.write(f"  {role:28} {local}@{DEMO_DOMAIN}")
        self.stdout.write(
            "Staff, analyst and admin also need a code from an authenticator app: add the key "
            f"{DEMO_STAFF_TOTP_KEY_B32} to your app,\nor run `make totp` to print the current code."
        )
