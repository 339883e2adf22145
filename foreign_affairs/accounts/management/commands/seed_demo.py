from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from foreign_affairs.accounts import demo as accounts_demo
from foreign_affairs.areas import all_areas


class Command(BaseCommand):
    help = (
        "Load the demo data: organisations, an account for every role (password DEMO_PASSWORD) and sample "
        "records. Idempotent. Refuses to run with DEBUG off unless given --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never in production)."
        )
        parser.add_argument(
            "--size",
            choices=accounts_demo.SIZES,
            default=accounts_demo.YEAR,
            help=(
                "year (default): a year of applications of a dozen organisations behind the story, for the "
                "dashboards; small: the story only (the test suite's demo). A demo keeps the size it was "
                "made with."
            ),
        )

    def handle(self, *args, force=False, size=accounts_demo.YEAR, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a published password and is meant for development; "
                "DEBUG is off, so it refuses. Pass --force if this really is a demo or test server."
            )
        with accounts_demo.sized(size), transaction.atomic():
            created = accounts_demo.seed()
            # Then each area's records, in the order the areas ask for (foreign_affairs.areas).
            for demo in sorted((area.demo for area in all_areas() if area.demo), key=lambda demo: demo.order):
                created[demo.label] = demo.seed()
            size = accounts_demo.size()
        summary = ", ".join(f"{count} {name}" for name, count in created.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({size}; created: {summary})."))
        self.stdout.write(
            "Accounts (password from DEMO_PASSWORD): "
            "applicant, liaison, applicant2, officer, officer2, leader, manager, admin, foreignrep"
        )
