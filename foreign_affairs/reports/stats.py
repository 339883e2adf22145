"""Medians and percentiles computed by the database.

PostgreSQL: `percentile_cont(f) WITHIN GROUP (ORDER BY x)`, grouped or not. SQLite has no such
aggregate: `percentile` falls back to two queries (count, then the row at the right offset of the
ordered values, interpolated like percentile_cont) — still in the database, never a loop over rows.
"""

import math
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import Aggregate, Count, DateTimeField, FloatField, Func, Q, QuerySet
from django.utils import timezone


class PercentileCont(Aggregate):
    function = "PERCENTILE_CONT"
    name = "percentile_cont"
    output_field = FloatField()
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, fraction: float, **extra):
        if not 0 <= fraction <= 1:
            raise ValueError("fraction must be between 0 and 1")
        super().__init__(expression, fraction=fraction, **extra)


def percentiles(queryset: QuerySet, expression, fractions: tuple[float, ...]) -> dict[float, float | None]:
    """{fraction: value} of a numeric `expression` over `queryset` (None when the queryset is empty)."""
    if connection.vendor == "postgresql":
        result = queryset.aggregate(
            **{f"p{index}": PercentileCont(expression, f) for index, f in enumerate(fractions)}
        )
        return {f: result[f"p{index}"] for index, f in enumerate(fractions)}
    values = queryset.annotate(_value=expression).filter(_value__isnull=False)
    count = values.count()
    found = {}
    for fraction in fractions:
        if not count:
            found[fraction] = None
            continue
        position = fraction * (count - 1)
        low, high = math.floor(position), math.ceil(position)
        pair = list(values.order_by("_value").values_list("_value", flat=True)[low : high + 1])
        found[fraction] = float(pair[0]) + (float(pair[-1]) - float(pair[0])) * (position - low)
    return found


def monthly_counts(queryset: QuerySet, field: str, filters) -> list[tuple[date, date, int]]:
    """(first day, last day, rows) for each month of the period, months without rows included: one query of
    a count per month, each a range on `field` (a date or a datetime, in the portal's time zone) that the
    database answers without converting every row, as grouping by a truncated month would on SQLite."""
    months = filters.months()
    datetimes = isinstance(queryset.model._meta.get_field(field), DateTimeField)
    zone = timezone.get_current_timezone()

    def start(day: date):
        return datetime.combine(day, time.min, tzinfo=zone) if datetimes else day

    counts = queryset.aggregate(
        **{
            f"m{index}": Count(
                "pk",
                filter=Q(**{f"{field}__gte": start(first), f"{field}__lt": start(last + timedelta(days=1))}),
            )
            for index, (first, last) in enumerate(months)
        }
    )
    return [(first, last, counts[f"m{index}"]) for index, (first, last) in enumerate(months)]


class DaysBetween(Func):
    """Days (with fractions) from the first to the second datetime expression, on PostgreSQL and SQLite."""

    output_field = FloatField()
    arg_joiner = " - "
    template = "(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400.0)"

    def __init__(self, start, end, **extra):
        super().__init__(end, start, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="(julianday(%(expressions)s))",
            arg_joiner=") - julianday(",
            **extra,
        )
