"""Recompute every participant's latest results with today's engine and demand:
``python manage.py reprofile``."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from rabta.profiling.services import results_recompute


class Command(BaseCommand):
    help = "Re-profile every participant's latest completed assessment."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        done = results_recompute(batch=max(1, options["batch"]))
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Re-profiled {done} participants in {elapsed:.1f} s.")
