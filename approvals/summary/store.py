"""Keeping the summary current: the services take an application's contributions before a change and
after it, in the same transaction, and the difference is added with upserts."""

from collections import Counter
from datetime import date, timedelta

from django.db import connection

from ..models import ALL_AREAS, Grain, TravelSummary
from .keys import contributions

COLUMNS = ("metric", "grain", "day", "ftz_area", "state", "value", "hours")


def summary_before(application_id: int) -> Counter:
    """The application's contributions before a change; call it once the row is locked."""
    return contributions(application_id)


def summary_after(application_id: int, before: Counter) -> None:
    """Add the difference between the application's contributions now and `before` to the summary."""
    after = contributions(application_id)
    delta = Counter(after)
    delta.subtract(before)
    apply(delta)


def periods_of(day: date) -> list[tuple[str, date]]:
    """(grain, first day) of the day, its week (from Monday) and its month."""
    return [
        (Grain.DAY.value, day),
        (Grain.WEEK.value, day - timedelta(days=day.weekday())),
        (Grain.MONTH.value, day.replace(day=1)),
    ]


def apply(delta: Counter) -> None:
    """Add `delta` ({(metric, day, area, state, value, hours): count}, day grain) to the rows of the day,
    its week and its month, of the area and (weeks and months) of all areas.

    One INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n: safe when two transactions add to the
    same row at once (the second waits for the first's row lock, then adds to the committed count), on
    PostgreSQL and SQLite alike. Rows are written in the order of the unique key, so two transactions
    lock shared rows in the same order and cannot deadlock on them.
    """
    rows: Counter = Counter()
    for (metric, day, area, state, value, hours), n in delta.items():
        if n:
            for grain, start in periods_of(day):
                rows[(metric, grain, start, area, state, value, hours)] += n
                if grain != Grain.DAY.value:  # days are few in a period (read.period): summed over areas
                    rows[(metric, grain, start, ALL_AREAS, state, value, hours)] += n
    ordered = sorted((key, n) for key, n in rows.items() if n)
    if not ordered:
        return
    table = connection.ops.quote_name(TravelSummary._meta.db_table)
    columns = ", ".join((*COLUMNS, "n"))
    placeholders = ", ".join(["(" + ", ".join(["%s"] * (len(COLUMNS) + 1)) + ")"] * len(ordered))
    conflict = f"ON CONFLICT ({', '.join(COLUMNS)}) DO UPDATE SET n = {table}.n + excluded.n"
    # The names are the model's; every value is a parameter.
    sql = f"INSERT INTO {table} ({columns}) VALUES {placeholders} {conflict}"  # noqa: S608
    params = [item for key, n in ordered for item in (*key, n)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
