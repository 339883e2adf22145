"""The dashboard's figures read back from the summary: sums over the months the period covers whole
(rows of grain "m") and its other days (grain "d"), so that a year is a few hundred rows."""

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Q, Sum

from foreign_affairs.reports.filters import Filters

from ..models import ALL_AREAS, Grain, TravelSummary


def _next_month(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1)


def _split(first: date, end: date, weeks: list, days: list) -> None:
    """Days from `first` up to `end` (excluded) as whole weeks (their Mondays) and other days."""
    monday = first + timedelta(days=(7 - first.weekday()) % 7)  # the first Monday on or after `first`
    day = first
    while day < end:
        if day >= monday and day + timedelta(days=7) <= end:
            weeks.append(day)
            day += timedelta(days=7)
        else:
            days.append(day)
            day += timedelta(days=1)


def period(filters: Filters) -> Q:
    """The rows of the period and area, month by month (so that no row straddles two months of the
    charts): the month's row when the period holds the whole month, else the rows of its whole weeks
    (Monday to Sunday) and of its other days — at most 8 weeks and 24 days besides the months.

    Weeks and months have rows for all areas together; days are summed over the areas. Three terms of
    lists: cheap to build, one index scan each."""
    months, weeks, days = [], [], []
    for first, last in filters.months():
        if first.day == 1 and last + timedelta(days=1) == _next_month(first):
            months.append(first)
        else:
            _split(first, last + timedelta(days=1), weeks, days)
    areas = Q(ftz_area=filters.ftz_area or ALL_AREAS)
    found = Q(grain=Grain.DAY, day__in=days)
    if filters.ftz_area:
        found &= Q(ftz_area=filters.ftz_area)
    if weeks:
        found |= Q(grain=Grain.WEEK, day__in=weeks) & areas
    if months:
        found |= Q(grain=Grain.MONTH, day__in=months) & areas
    return found


def rows(filters: Filters, metrics, *fields: str):
    """The summary's rows of `metrics` in the period and area, summed by `fields` (as dicts with n)."""
    return (
        TravelSummary.objects.filter(period(filters), metric__in=[str(metric) for metric in metrics])
        .values(*fields)
        .order_by()
        .annotate(n=Sum("n"))
    )


def by_month(found, filters: Filters, keep=lambda row: True) -> list[tuple[date, date, int]]:
    """(first day, last day, count) for each month of the period (as stats.by_month), from rows summed by
    "day" (and anything else) that `keep` accepts."""
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for row in found:
        if keep(row):
            counts[(row["day"].year, row["day"].month)] += row["n"]
    return [(first, last, counts[(first.year, first.month)]) for first, last in filters.months()]


def percentile(histogram: dict[int, int], fraction: float) -> float | None:
    """The `fraction` percentile, in days, of durations given as {whole hours: count}, interpolated
    between the two closest ranks exactly as PostgreSQL's percentile_cont; None when there are none."""
    total = sum(histogram.values())
    if total <= 0:
        return None
    position = fraction * (total - 1)
    low, high = int(position), int(position) + (position > int(position))
    values, seen = {}, 0
    for hours in sorted(histogram):
        count = histogram[hours]
        if count <= 0:
            continue
        for rank in (low, high):
            if rank not in values and seen <= rank < seen + count:
                values[rank] = hours
        seen += count
        if high in values:
            break
    # In days before interpolating, as the database's percentile_cont over days does: the same float
    # operations, so that the same tenths come out when rounded.
    below, above = values[low] / 24, values[high] / 24
    return below + (above - below) * (position - low)
