"""Time the dashboard's travel sections (applications_section + trips_section) read from the daily
summary against the same figures computed from the raw rows (tests/approvals/raw_reporting.py).

    DEBUG=true DATABASE_URL=... .venv/bin/python bench/bench_summary.py [--rounds 5] [--months 12]

Prints the median of the rounds for both, for all areas and for one, and whether the figures agree.
Run `manage.py rebuild_travel_summary` first on data seeded without the services (seed_bulk).
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foreign_affairs.settings")


def _median_ms(function, filters, rounds: int) -> float:
    timings = []
    for _round in range(rounds):
        started = time.perf_counter()
        function(filters)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def _concurrent_ms(function, filters, rounds: int, users: int) -> float:
    """The median time of one call while `users` threads (each with its own connection) call at once."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    def user(_index):
        try:
            timings = []
            for _round in range(rounds):
                started = time.perf_counter()
                function(filters)
                timings.append((time.perf_counter() - started) * 1000)
            return timings
        finally:
            connection.close()

    with ThreadPoolExecutor(users) as pool:
        return statistics.median(t for timings in pool.map(user, range(users)) for t in timings)


def _figures(sections) -> list:
    return [
        [(str(figure.label), figure.value) for figure in section.figures]
        + [(str(chart.title), chart.labels, chart.series) for chart in section.charts]
        for section in sections
    ]


def bench_dashboard(rounds: int = 5, months: int = 12) -> dict:
    """{name: median ms} for the summary's sections and the raw rows' sections over the last `months`."""
    import django

    django.setup()
    from django.utils import timezone, translation

    from approvals import reporting
    from foreign_affairs.reports.filters import Filters
    from tests.approvals import raw_reporting

    today = timezone.localdate()
    found = {}
    with translation.override("en"):
        for area in ("", "zhengzhou"):
            filters = Filters(today - timedelta(days=30 * months), today, area)

            def summary(filters):
                return [reporting.applications_section(filters), reporting.trips_section(filters)]

            def raw(filters):
                return [raw_reporting.applications_section(filters), raw_reporting.trips_section(filters)]

            found[f"summary {area or 'all areas'}"] = _median_ms(summary, filters, rounds)
            found[f"summary 4 at once {area or 'all areas'}"] = _concurrent_ms(summary, filters, rounds, 4)
            found[f"raw rows {area or 'all areas'}"] = _median_ms(raw, filters, rounds)
            found[f"agree {area or 'all areas'}"] = _figures(summary(filters)) == _figures(raw(filters))
    return found


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--months", type=int, default=12)
    arguments = parser.parse_args()
    for name, value in bench_dashboard(arguments.rounds, arguments.months).items():
        print(f"{name:>32}: {value:.1f} ms" if not isinstance(value, bool) else f"{name:>32}: {value}")
