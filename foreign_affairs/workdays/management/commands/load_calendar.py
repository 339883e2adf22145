from django.core.management.base import BaseCommand, CommandError

from foreign_affairs.workdays.calendar_data import load_year


class Command(BaseCommand):
    help = (
        "Load China's public holidays and adjusted working days for the given years (kept if already there)."
    )

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="+", type=int)

    def handle(self, *args, years, **options):
        for year in years:
            try:
                created = load_year(year)
            except NotImplementedError as error:
                raise CommandError(
                    f"No official schedule for {year} is known yet; enter its holidays in the back office. ({error})"
                ) from error
            self.stdout.write(f"{year}: {created} calendar exceptions added.")
