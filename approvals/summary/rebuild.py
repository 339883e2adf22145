"""Recomputing the summary from the raw rows: one INSERT … SELECT … GROUP BY per metric, in the database.

The SELECTs are built with the ORM (so the local day and the whole hours are the same expressions on
PostgreSQL and SQLite) and wrapped in an INSERT; no application passes through Python.
"""

from datetime import date, datetime, time

from django.db import connection, transaction
from django.db.models import CharField, Count, F, Func, IntegerField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from foreign_affairs.reports.stats import local_date

from ..models import ALL_AREAS, Grain, ItineraryLeg, Metric, StatePeriod, TravelApplication, TravelSummary
from ..workflow import WAITING_STATES, State
from .keys import TRIP_STATES
from .store import periods_of


class WholeHours(Func):
    """Hours from the first to the second datetime, rounded down (keys.whole_hours in Python)."""

    output_field = IntegerField()
    arg_joiner = " - "
    template = "CAST(FLOOR(EXTRACT(EPOCH FROM (%(expressions)s)) / 3600) AS integer)"

    def __init__(self, start, end, **extra):
        super().__init__(end, start, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        # julianday() is a double: rounded to the millisecond before the integer division.
        return super().as_sql(
            compiler,
            connection,
            template="(CAST(ROUND((julianday(%(expressions)s)) * 86400000) AS INTEGER) / 3600000)",
            arg_joiner=") - julianday(",
            **extra,
        )


def _since(field: str, since: date | None) -> Q:
    """`field` (a datetime) on or after the local day `since`; everything when `since` is None."""
    if since is None:
        return Q()
    return Q(**{f"{field}__gte": datetime.combine(since, time.min, tzinfo=timezone.get_current_timezone())})


def _selects(since: date | None) -> list[tuple[str, QuerySet]]:
    """(metric, queryset) with the columns k_day, k_area and, where the metric has them, k_state,
    k_value, k_hours, and the count k_n."""
    applications = TravelApplication.objects.order_by().annotate(k_area=F("organization__ftz_area"))
    received = (
        applications.filter(Q(submitted_at__isnull=False), _since("submitted_at", since))
        .annotate(k_day=local_date("submitted_at"))
        .values("k_day", "k_area")
    )
    decided = applications.filter(
        Q(submitted_at__isnull=False, decided_at__isnull=False), _since("decided_at", since)
    ).annotate(
        k_day=local_date("decided_at"), k_state=F("state"), k_hours=WholeHours("submitted_at", "decided_at")
    )
    periods = StatePeriod.objects.order_by().annotate(k_area=F("application__organization__ftz_area"))
    returned = (
        periods.filter(state=State.RETURNED)
        .filter(_since("entered_at", since))
        .annotate(k_day=local_date("entered_at"))
        .values("k_day", "k_area")
    )
    left = (
        periods.filter(state__in=WAITING_STATES, left_at__isnull=False)
        .filter(_since("left_at", since))
        .annotate(
            k_day=local_date("left_at"), k_state=F("state"), k_hours=WholeHours("entered_at", "left_at")
        )
    )
    trips = applications.filter(state__in=TRIP_STATES, departure_date__isnull=False).annotate(
        k_day=F("departure_date")
    )
    legs = (
        ItineraryLeg.objects.order_by()
        .filter(application__state__in=TRIP_STATES, application__departure_date__isnull=False)
        .annotate(
            k_day=F("application__departure_date"),
            k_area=F("application__organization__ftz_area"),
            k_value=F("country"),
        )
    )
    if since is not None:
        trips = trips.filter(departure_date__gte=since)
        legs = legs.filter(application__departure_date__gte=since)
    count = Count("pk")
    return [
        (Metric.RECEIVED, received.annotate(k_n=count)),
        (Metric.DECIDED, decided.values("k_day", "k_area", "k_state").annotate(k_n=count)),
        (Metric.DECISION_HOURS, decided.values("k_day", "k_area", "k_hours").annotate(k_n=count)),
        (Metric.RETURNED, returned.annotate(k_n=count)),
        (Metric.WAITED_HOURS, left.values("k_day", "k_area", "k_state", "k_hours").annotate(k_n=count)),
        (
            Metric.SERVICE_TOTAL,
            left.filter(due_on__isnull=False).values("k_day", "k_area", "k_state").annotate(k_n=count),
        ),
        (
            Metric.SERVICE_IN_TIME,
            left.filter(due_on__isnull=False, k_day__lte=F("due_on"))
            .values("k_day", "k_area", "k_state")
            .annotate(k_n=count),
        ),
        (
            Metric.TRIPS,
            trips.annotate(k_value=F("mission_type"))
            .values("k_day", "k_area", "k_value")
            .annotate(k_n=count),
        ),
        (
            Metric.TRIPS_BELT_AND_ROAD,
            trips.filter(belt_and_road=True).values("k_day", "k_area").annotate(k_n=count),
        ),
        (
            Metric.TRIPS_ORGANIZATION,
            trips.annotate(k_value=Cast("organization_id", CharField()))
            .values("k_day", "k_area", "k_value")
            .annotate(k_n=count),
        ),
        (
            Metric.TRIPS_COUNTRY,
            legs.values("k_day", "k_area", "k_value").annotate(k_n=Count("application", distinct=True)),
        ),
    ]


def _start(grain: str, column: str) -> str:
    """SQL for the first day of the week (Monday) or month of a date column."""
    unit = {Grain.WEEK: "week", Grain.MONTH: "month"}[grain]
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('{unit}', {column}) AS date)"
    if grain == Grain.WEEK:
        return f"date({column}, 'weekday 0', '-6 days')"
    return f"date({column}, 'start of month')"


KEY_NAME = "travel_summary_key"


def _unique_key(cursor) -> str:
    """The definition of the summary's unique key, as PostgreSQL would write it again."""
    cursor.execute("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = %s", [KEY_NAME])
    return cursor.fetchone()[0]


def rebuild(since: date | None = None, *, offline: bool = False) -> int:
    """Recompute the summary from the raw rows: all of it, or from the day `since` on (with the weeks and
    months from the week and month of `since` on). Returns the number of rows written.

    The rows are computed in a temporary table without indexes, then copied in the order of the unique
    key (an index filled in order is filled fast). Locks the summary table against the services' upserts
    for its transaction, so that a transition committed meanwhile is either seen by these queries or
    added after them, never lost nor counted twice. Readers are not blocked: they see the old rows until
    the rebuild commits.

    `offline` (seed_bulk, nobody reading; PostgreSQL): a whole rebuild empties the table with TRUNCATE and
    writes the day rows straight into it with its unique key dropped, then builds the key once (in the
    same transaction, so a failure leaves the table as it was). Readers wait for the rebuild to commit.
    """
    table = connection.ops.quote_name(TravelSummary._meta.db_table)
    new = "travel_summary_rebuilt"
    starts = dict.fromkeys((Grain.DAY.value, Grain.WEEK.value, Grain.MONTH.value), date.min)
    if since is not None:
        starts = dict(periods_of(since))
    columns = "metric, grain, day, ftz_area, state, value, hours, n"
    keys = "state, value, hours"
    # Names and expressions below are the model's and this module's, never input: only values are params.
    offline = offline and since is None and connection.vendor == "postgresql"
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
            cursor.execute("SET LOCAL work_mem = '256MB'")  # the GROUP BYs in memory, not on disk
        if offline:
            key = _unique_key(cursor)
            cursor.execute(f"TRUNCATE {table}")
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {KEY_NAME}")
            target = table
        else:
            target = new
            cursor.execute(f"DROP TABLE IF EXISTS {new}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {new} (metric varchar(16), grain varchar(1), day date, "
                f"ftz_area varchar(16), state varchar(20), value varchar(32), hours integer, n bigint)"
            )
        written = 0
        for metric, queryset in _selects(since):
            fields = set(queryset.query.values_select) | set(queryset.query.annotation_select)
            state = "s.k_state" if "k_state" in fields else "''"
            value = "s.k_value" if "k_value" in fields else "''"
            hours = "s.k_hours" if "k_hours" in fields else "0"
            select, params = queryset.query.sql_with_params()
            found = f"s.k_day, COALESCE(s.k_area, ''), {state}, {value}, {hours}, s.k_n"
            cursor.execute(
                f"INSERT INTO {target} ({columns}) SELECT %s, %s, {found} FROM ({select}) s",  # noqa: S608
                [str(metric), Grain.DAY.value, *params],
            )
            written += cursor.rowcount
        order = f"ORDER BY metric, grain, day, ftz_area, {keys}"
        if not offline:
            for grain, start in starts.items():
                cursor.execute(f"DELETE FROM {table} WHERE grain = %s AND day >= %s", [grain, start])  # noqa: S608
            cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {new} {order}")  # noqa: S608
            written = cursor.rowcount
            cursor.execute(f"DROP TABLE {new}")
        for grain in (Grain.WEEK, Grain.MONTH):
            # From the day rows of the table, complete again: before `since` too, in since's week and month.
            first, start = _start(grain, "day"), starts[grain.value]
            rollups = (
                f"SELECT metric, %s AS grain, {first} AS day, ftz_area, {keys}, SUM(n) AS n FROM {table} "  # noqa: S608
                f"WHERE grain = %s AND day >= %s GROUP BY metric, {first}, ftz_area, {keys} "
                f"UNION ALL SELECT metric, %s, {first}, %s, {keys}, SUM(n) FROM {table} "
                f"WHERE grain = %s AND day >= %s GROUP BY metric, {first}, {keys}"
            )
            params = [grain.value, Grain.DAY.value, start, grain.value, ALL_AREAS, Grain.DAY.value, start]
            cursor.execute(f"INSERT INTO {table} ({columns}) SELECT * FROM ({rollups}) r {order}", params)  # noqa: S608
            written += cursor.rowcount
        if offline:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {KEY_NAME} {key}")
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {table}")  # fresh statistics for the dashboard's plans
    return written
