"""The database helpers of the figures: periods cut into months, ranges in the portal's time zone, counts per
month and percentiles (PostgreSQL's percentile_cont or SQLite's fallback: the same answers)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from approvals.models import TravelApplication
from approvals.workflow import State
from foreign_affairs.reports.filters import Filters
from foreign_affairs.reports.stats import (
    DaysBetween,
    by_month,
    local_date,
    per_month,
    percentiles,
    percentiles_by,
)
from tests.approvals.factories import ApplicationFactory

TZ = ZoneInfo("Asia/Shanghai")


def test_a_period_is_cut_into_calendar_months():
    assert Filters(date(2025, 12, 15), date(2026, 2, 10)).months() == [
        (date(2025, 12, 15), date(2025, 12, 31)),
        (date(2026, 1, 1), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2026, 2, 10)),
    ]
    assert Filters(date(2026, 3, 5), date(2026, 3, 5)).months() == [(date(2026, 3, 5), date(2026, 3, 5))]


@pytest.mark.django_db
def test_months_and_periods_follow_the_portals_time_zone():
    """Half past eleven at night on 31 January in Zhengzhou is 15:30 UTC: it belongs to January."""
    late = ApplicationFactory(state=State.IN_REVIEW, submitted_at=datetime(2026, 1, 31, 23, 30, tzinfo=TZ))
    ApplicationFactory(state=State.IN_REVIEW, submitted_at=datetime(2026, 2, 1, 0, 30, tzinfo=TZ))
    ApplicationFactory(state=State.IN_REVIEW, submitted_at=datetime(2026, 3, 31, 23, 59, tzinfo=TZ))
    period = Filters(date(2026, 1, 1), date(2026, 3, 31))
    counted = by_month(
        TravelApplication.objects.aggregate(**per_month(TravelApplication, "submitted_at", period)),
        "submitted_at",
        period,
    )
    assert [n for _first, _last, n in counted] == [1, 1, 1]
    january = TravelApplication.objects.filter(
        Filters(date(2026, 1, 31), date(2026, 1, 31)).between("submitted_at")
    )
    assert list(january) == [late]
    local = TravelApplication.objects.annotate(day=local_date("submitted_at")).order_by("submitted_at")
    assert list(local.values_list("day", flat=True)) == [
        date(2026, 1, 31),
        date(2026, 2, 1),
        date(2026, 3, 31),
    ]


@pytest.mark.django_db
def test_percentiles_interpolate_like_percentile_cont():
    for days in (2, 4, 10, 21):
        ApplicationFactory(
            state=State.APPROVED,
            submitted_at=datetime(2026, 1, 1, 9, tzinfo=TZ),
            decided_at=datetime(2026, 1, 1 + days, 9, tzinfo=TZ),
        )
    found = percentiles(
        TravelApplication.objects.all(), DaysBetween("submitted_at", "decided_at"), (0.5, 0.9, 0.0, 1.0)
    )
    assert {fraction: round(value, 2) for fraction, value in found.items()} == {
        0.5: 7.0,
        0.9: 17.7,
        0.0: 2.0,
        1.0: 21.0,
    }
    assert percentiles(
        TravelApplication.objects.none(), DaysBetween("submitted_at", "decided_at"), (0.5,)
    ) == {0.5: None}


@pytest.mark.django_db
def test_percentiles_by_group_match_the_ungrouped_ones():
    for state, days in [(State.APPROVED, 2), (State.APPROVED, 4), (State.APPROVED, 10), (State.REJECTED, 6)]:
        ApplicationFactory(
            state=state,
            submitted_at=datetime(2026, 1, 1, 9, tzinfo=TZ),
            decided_at=datetime(2026, 1, 1 + days, 9, tzinfo=TZ),
        )
    expression = DaysBetween("submitted_at", "decided_at")
    grouped = percentiles_by(
        TravelApplication.objects.all(),
        "state",
        [State.APPROVED, State.REJECTED, State.CLOSED],
        expression,
        (0.5, 0.9),
    )
    assert grouped[State.APPROVED] == pytest.approx({0.5: 4.0, 0.9: 8.8})
    assert grouped[State.REJECTED] == pytest.approx({0.5: 6.0, 0.9: 6.0})
    assert grouped[State.CLOSED] == {0.5: None, 0.9: None}
    alone = percentiles(TravelApplication.objects.filter(state=State.APPROVED), expression, (0.5, 0.9))
    assert alone == pytest.approx(grouped[State.APPROVED])
