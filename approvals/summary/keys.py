"""What one application contributes to the summary, computed from its raw rows in Python.

Mirrors the set-based queries of `rebuild` (approvals/summary/rebuild.py): a test checks that both give
the same rows after a random series of transitions.
"""

from collections import Counter
from datetime import datetime

from django.utils import timezone

from ..models import ItineraryLeg, Metric, StatePeriod, TravelApplication
from ..workflow import WAITING_STATES, State

# Applications whose trip was approved (and not cancelled): the trips (the same as reporting.TRIP_STATES).
TRIP_STATES = (State.APPROVED, State.PERMIT_ISSUED, State.REPORT_SUBMITTED, State.CLOSED)

# (metric, day, ftz_area, state, value, hours): a row of the day grain; the month's row is derived.
Key = tuple


def local_day(moment: datetime):
    return timezone.localtime(moment).date()


def whole_hours(start: datetime, end: datetime) -> int:
    """The duration in whole hours, rounded down, as PostgreSQL's FLOOR(EXTRACT(EPOCH …) / 3600)."""
    delta = end - start
    return ((delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds) // 3_600_000_000


def contributions(application_id: int) -> Counter:
    """{key: count} of one application as its rows stand now (an empty Counter for a missing one)."""
    found: Counter = Counter()
    row = (
        TravelApplication.objects.filter(pk=application_id)
        .values(
            "state",
            "submitted_at",
            "decided_at",
            "departure_date",
            "belt_and_road",
            "mission_type",
            "organization_id",
            "organization__ftz_area",
        )
        .first()
    )
    if row is None:
        return found
    area, state = row["organization__ftz_area"] or "", row["state"]
    submitted, decided = row["submitted_at"], row["decided_at"]
    if submitted is not None:
        found[(Metric.RECEIVED.value, local_day(submitted), area, "", "", 0)] += 1
        if decided is not None:
            day = local_day(decided)
            found[(Metric.DECIDED.value, day, area, state, "", 0)] += 1
            found[(Metric.DECISION_HOURS.value, day, area, "", "", whole_hours(submitted, decided))] += 1
    periods = StatePeriod.objects.filter(application_id=application_id).values_list(
        "state", "entered_at", "left_at", "due_on"
    )
    for period_state, entered, left, due in periods:
        if period_state == State.RETURNED:
            found[(Metric.RETURNED.value, local_day(entered), area, "", "", 0)] += 1
        if period_state in WAITING_STATES and left is not None:
            day = local_day(left)
            found[(Metric.WAITED_HOURS.value, day, area, period_state, "", whole_hours(entered, left))] += 1
            if due is not None:
                found[(Metric.SERVICE_TOTAL.value, day, area, period_state, "", 0)] += 1
                if day <= due:
                    found[(Metric.SERVICE_IN_TIME.value, day, area, period_state, "", 0)] += 1
    departure = row["departure_date"]
    if state in TRIP_STATES and departure is not None:
        found[(Metric.TRIPS.value, departure, area, "", row["mission_type"], 0)] += 1
        if row["belt_and_road"]:
            found[(Metric.TRIPS_BELT_AND_ROAD.value, departure, area, "", "", 0)] += 1
        found[(Metric.TRIPS_ORGANIZATION.value, departure, area, "", str(row["organization_id"]), 0)] += 1
        countries = set(
            ItineraryLeg.objects.filter(application_id=application_id).values_list("country", flat=True)
        )
        for country in countries:
            found[(Metric.TRIPS_COUNTRY.value, departure, area, "", str(country), 0)] += 1
    return found
