"""Write the events the bulk demo skips and roll them up (called by ``seed_demo``; nothing
outside insights imports it)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from rabta.insights.demo import seed_insights


class Command(BaseCommand):
    help = "Demo only: write the demo's missing domain events and fill the rollups."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{seed_insights()} demo events rolled up for the dashboards.")
