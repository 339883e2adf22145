"""Medians and percentiles computed by the database.

PostgreSQL: `percentile_cont(f) WITHIN GROUP (ORDER BY x)`, grouped or not. SQLite has no such
aggregate: the fallback takes two queries (the count, then the few rows at the ranks percentile_cont
interpolates between, numbered by a window function) — still in the database, never a loop over rows.
"""

import math
from datetime import date, datetime

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DateField,
    DateTimeField,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
    Window,
)
from django.db.models.functions import RowNumber, TruncDate
from django.utils import timezone

from .filters import Filters


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
    return _ranked_percentiles(queryset, None, [None], expression, fractions)[None]


def percentiles_by(
    queryset: QuerySet, field: str, groups, expression, fractions: tuple[float, ...]
) -> dict[object, dict[float, float | None]]:
    """percentiles() for each value of `field` in `groups`, in one grouped query (two on SQLite)."""
    queryset = queryset.filter(**{f"{field}__in": list(groups)})
    if connection.vendor != "postgresql":
        return _ranked_percentiles(queryset, field, groups, expression, fractions)
    found = {group: dict.fromkeys(fractions) for group in groups}
    rows = (
        queryset.values(field)
        .order_by()
        .annotate(**{f"p{index}": PercentileCont(expression, f) for index, f in enumerate(fractions)})
    )
    for row in rows:
        found[row[field]] = {f: row[f"p{index}"] for index, f in enumerate(fractions)}
    return found


def _ranked_percentiles(queryset, field, groups, expression, fractions):
    """SQLite: the size of each group, then the values at the ranks that percentile_cont interpolates
    between, numbered by a window function (ROW_NUMBER() OVER (PARTITION BY field ORDER BY value)) in one
    sorted pass; interpolated here from those few rows."""
    values = queryset.annotate(_value=expression).filter(_value__isnull=False)
    if field is None:
        sizes = {None: values.count()}
    else:
        sizes = dict(values.order_by().values_list(field).annotate(n=Count("pk")))
    ranks = {group: {f: (f * (sizes[group] - 1)) for f in fractions} for group in groups if sizes.get(group)}
    wanted = {rank for found in ranks.values() for position in found.values() for rank in _around(position)}
    at: dict[tuple, float] = {}
    if wanted:
        number = Window(RowNumber(), partition_by=[F(field)] if field else None, order_by=F("_value").asc())
        rows = values.annotate(_rank=number).filter(_rank__in=[rank + 1 for rank in wanted])
        for group, rank, value in rows.values_list(field or "pk", "_rank", "_value"):
            at[(group if field else None, rank - 1)] = float(value)
    found = {}
    for group in groups:
        found[group] = {}
        for fraction in fractions:
            if group not in ranks:
                found[group][fraction] = None
                continue
            position = ranks[group][fraction]
            low, high = _around(position)
            found[group][fraction] = at[(group, low)] + (at[(group, high)] - at[(group, low)]) * (
                position - low
            )
    return found


def _around(position: float) -> tuple[int, int]:
    return math.floor(position), math.ceil(position)


def per_month(model, field: str, filters, condition: Q | None = None) -> dict[str, Count]:
    """A count per month of the period, as aggregates to add to any `aggregate()` over `model`: each a range
    on `field` (a date or a datetime, in the portal's time zone) that the database compares natively, where
    grouping by a truncated month would convert every row (slowly, on SQLite). Read back with by_month()."""
    datetimes = isinstance(model._meta.get_field(field), DateTimeField)

    def within(first: date, last: date) -> Q:
        if datetimes:
            return Filters(first, last).between(field)  # the days in the portal's time zone
        return Q(**{f"{field}__gte": first, f"{field}__lte": last})

    return {
        f"{field}_m{index}": Count("pk", filter=Q(condition or Q(), within(first, last)))
        for index, (first, last) in enumerate(filters.months())
    }


def by_month(result: dict, field: str, filters) -> list[tuple[date, date, int]]:
    """The counts of per_month() from an aggregate's result: (first day, last day, rows) per month."""
    return [
        (first, last, result[f"{field}_m{index}"]) for index, (first, last) in enumerate(filters.months())
    ]


class _ShiftedDate(Func):
    """SQLite: the date of a stored UTC datetime shifted by a fixed number of seconds."""

    output_field = DateField()
    template = "date(%(expressions)s, '%(shift)+d seconds')"


def local_date(field: str):
    """The date of the datetime `field` in the portal's time zone, as an expression. Django's `__date`
    converts each row in Python on SQLite; when the zone keeps one offset all year (Asia/Shanghai) SQLite's
    own date() with that offset gives the same dates natively. PostgreSQL converts natively anyway."""
    zone = timezone.get_current_timezone()
    winter, summer = (zone.utcoffset(datetime(2026, month, 1)) for month in (1, 7))
    if connection.vendor == "sqlite" and winter == summer:
        return _ShiftedDate(F(field), shift=int(winter.total_seconds()))
    return TruncDate(field)


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
