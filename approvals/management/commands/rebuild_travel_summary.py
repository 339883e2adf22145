"""Recompute the travel summary behind the managers' dashboard from the raw rows (approvals.summary).

Run it after loading data without the services (seed data, an import), after moving an organisation to
another FTZ area, or to check the kept summary: `manage.py rebuild_travel_summary [--since 2026-01-01]`.
"""

import time
from datetime import date

from django.core.management.base import BaseCommand

from approvals.summary import rebuild


class Command(BaseCommand):
    help = "Recompute the travel summary of the reports dashboard from the applications."

    def add_arguments(self, parser):
        parser.add_argument(
            "--since",
            type=date.fromisoformat,
            help="Only the days from this date (YYYY-MM-DD) on, and the months from its month on.",
        )

    def handle(self, *args, since=None, **options):
        started = time.monotonic()
        rows = rebuild(since=since)
        self.stdout.write(f"{rows} summary rows written in {time.monotonic() - started:.1f} s")
