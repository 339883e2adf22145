"""The full demo (`seed_demo`, as `make run` loads it) tells a believable year (issue "The demo tells the
story"): applications in every month, real times to a decision, trips filed before they happen, stays
in each state that follow each other, an intact audit chain, and something true in every figure and
chart of the managers' dashboard.

Slow: it seeds the whole year once (about 30 s), so it is one test whose checks each report on their own;
the rest of the suite uses the story only (`seed_demo --size small`, conftest.py `demo`).
"""

import hashlib
import io
import itertools
import logging
import time
from collections import Counter, defaultdict
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Min
from django.utils import timezone, translation

from apec_cards import reporting as apec_reporting
from apec_cards.models import Card, CardApplication
from apec_cards.workflow import CardState
from apec_cards.workflow import State as CardApplicationState
from approvals import reporting
from approvals.models import PassportHandover, Permit, StatePeriod, TravelApplication
from approvals.workflow import WAITING_STATES, State
from foreign_affairs.accounts.models import FTZArea, Organization, User
from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.audit.selectors import verify_chain
from foreign_affairs.notifications.models import Channel, Notification, Status
from foreign_affairs.reports.filters import Filters, preset_period

pytestmark = pytest.mark.django_db

TRIP_STATES = (State.APPROVED, State.PERMIT_ISSUED, State.REPORT_SUBMITTED, State.CLOSED)


def _months(first, last) -> list:
    """(year, month) of every calendar month from `first` to `last`."""
    found, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        found.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def _local_month(moment) -> tuple:
    day = timezone.localtime(moment).date() if hasattr(moment, "hour") else moment
    return day.year, day.month


def _months_that_count(today) -> list:
    """The months of the last twelve, and this one once it has had two days to fill."""
    months = _months(today - timedelta(days=364), today)
    return months if today.day >= 3 else months[:-1]


# The checks ----------------------------------------------------------------------------------------------


def check_every_month_has_applications_decisions_and_departures(today):
    applications = TravelApplication.objects.filter(submitted_at__isnull=False)
    received = Counter(_local_month(moment) for moment in applications.values_list("submitted_at", flat=True))
    decided = Counter(
        _local_month(moment)
        for moment in applications.exclude(decided_at=None).values_list("decided_at", flat=True)
    )
    departed = Counter(
        _local_month(day)
        for day in TravelApplication.objects.filter(
            state__in=TRIP_STATES, departure_date__lte=today
        ).values_list("departure_date", flat=True)
    )
    for month in _months_that_count(today):
        assert received[month] > 0, f"no application received in {month}"
        assert decided[month] > 0, f"no decision in {month}"
        assert departed[month] > 0, f"no trip departed in {month}"
    assert 150 <= TravelApplication.objects.count() <= 320
    assert Organization.objects.count() >= 12
    assert set(Organization.objects.values_list("ftz_area", flat=True)) == set(FTZArea.values)


def check_times_to_a_decision_are_real(today):
    section = reporting.applications_section(Filters(*preset_period("last_12_months")))
    figures = {figure.label: figure.value for figure in section.figures}
    median, p90 = figures["Median time to a decision"], figures["90th percentile time to a decision"]
    assert 2 <= median <= 20, median
    assert median < p90 <= 45, p90
    waiting = next(chart for chart in section.charts if chart.title == "Days in each waiting state")
    columns = zip(*[values for _name, values in waiting.series], strict=True)
    for label, (median_days, p90_days) in zip(waiting.labels, columns, strict=True):
        assert 0 < median_days <= p90_days, (label, median_days, p90_days)


def check_trips_are_filed_before_they_happen(today):
    for application in TravelApplication.objects.exclude(submitted_at=None):
        submitted = timezone.localtime(application.submitted_at).date()
        lead = (application.departure_date - submitted).days
        assert lead >= (20 if application.belt_and_road else 45), (application.reference, lead)
        assert application.created_at <= application.submitted_at
        if application.decided_at:
            assert application.submitted_at < application.decided_at
            assert timezone.localtime(application.decided_at).date() < application.departure_date
        if application.report_submitted_at:
            assert timezone.localtime(application.report_submitted_at).date() >= application.return_date
    for handover in PassportHandover.objects.select_related("application"):
        assert timezone.localtime(handover.handed_out_at).date() < handover.application.departure_date
        if handover.returned_at:
            assert timezone.localtime(handover.returned_at).date() > handover.application.return_date
    now = timezone.now()
    assert not TravelApplication.objects.filter(created_at__gt=now).exists()
    assert not AuditEvent.objects.filter(created_at__gt=now).exists()


def check_state_periods_follow_each_other(today):
    periods = defaultdict(list)
    for period in StatePeriod.objects.order_by("entered_at", "pk"):
        periods[period.application_id].append(period)
    for application in TravelApplication.objects.all():
        stays = periods[application.pk]
        if not stays:
            assert application.state == State.DRAFT, application.reference
            continue
        assert stays[0].entered_at == application.submitted_at or stays[0].state in (
            State.SUBMITTED,
            State.WITHDRAWN,
        ), application.reference
        for before, after in itertools.pairwise(stays):
            assert before.left_at == after.entered_at, application.reference
        assert stays[-1].left_at is None and stays[-1].state == application.state, application.reference
        for stay in stays:
            assert (stay.due_on is not None) == (stay.state in WAITING_STATES), application.reference
    # The current stays of the waiting applications: one of them overdue, as in any real queue.
    assert TravelApplication.objects.filter(state__in=WAITING_STATES, due_on__lt=today).exists()


def check_the_audit_chain_is_intact_and_in_order(today):
    report = verify_chain()
    assert report.ok, report
    assert report.checked == AuditEvent.objects.count() > 2000
    # Each record's history reads in order of time.
    previous = {}
    events = AuditEvent.objects.order_by("id").values_list("content_type", "object_id", "created_at")
    for content_type, object_id, moment in events.iterator():
        key = (content_type, object_id)
        assert moment >= previous.get(key, moment), key
        previous[key] = moment
    first = AuditEvent.objects.filter(action="travel_application.create").aggregate(first=Min("created_at"))
    assert first["first"] < timezone.now() - timedelta(days=365)


def check_every_figure_and_chart_has_something_to_say(today):
    months = set(_months_that_count(today))
    for preset in ("this_year", "last_12_months"):
        filters = Filters(*preset_period(preset))
        sections = [*reporting.travel_panels(filters), *apec_reporting.apec_panels(filters)]
        for section in sections:
            for figure in section.figures:
                assert figure.value, (preset, section.title, figure.label, figure.value)
            assert section.charts or section.key == "abroad", (preset, section.title)
            for chart in section.charts:
                assert chart.labels, (preset, chart.title)
                for name, values in chart.series:
                    assert sum(values) > 0, (preset, chart.title, name)
                if chart.title.endswith(("by month", "month of departure")):  # no empty month
                    for name, values in chart.series:
                        counted = [
                            n
                            for (first, _last), n in zip(filters.months(), values, strict=True)
                            if (first.year, first.month) in months
                        ]
                        assert all(counted), (preset, chart.title, name, values)
        trips = next(section for section in sections if section.key == "trips")
        share = next(figure.value for figure in trips.figures if figure.label == "Belt and Road share")
        assert 20 <= share <= 60, share


def check_the_apec_cards_live_through_the_year(today):
    assert set(Card.objects.values_list("state", flat=True)) >= {
        CardState.ACTIVE,
        CardState.EXPIRED,
        CardState.REPORTED_LOST,
    }
    assert set(CardApplication.objects.values_list("state", flat=True)) >= {
        CardApplicationState.DRAFT,
        CardApplicationState.SUBMITTED,
        CardApplicationState.ENDORSED,
        CardApplicationState.IN_REVIEW,
        CardApplicationState.PRE_CLEARANCE,
        CardApplicationState.ISSUED,
        CardApplicationState.REJECTED,
        CardApplicationState.WITHDRAWN,
    }
    issued = Card.objects.filter(issued_on__gte=today - timedelta(days=364))
    assert len({(day.year, day.month) for day in issued.values_list("issued_on", flat=True)}) >= 6
    # Early cards: economies that answered after the issue were added, and the letter rendered again.
    assert Card.objects.filter(letter_version__gt=1).count() >= 4
    for card in Card.objects.select_related("application"):
        assert card.letter_rendered_version == card.letter_version, card.number
        decided = timezone.localtime(card.application.decided_at).date()
        assert decided == card.issued_on, card.number
    expiring = Card.objects.get(holder__full_name="李娜")
    assert today < expiring.expires_on <= today + timedelta(days=183)


def check_files_and_mail(today):
    for permit in Permit.objects.select_related("application"):
        with permit.file.open("rb") as handle:
            data = handle.read()
        assert data.startswith(b"%PDF-") and b"placeholder" not in data[:64], permit.number
        assert hashlib.sha256(data).hexdigest() == permit.sha256, permit.number
        assert timezone.localtime(permit.issued_at).date() < permit.application.departure_date, permit.number
    assert Permit.objects.count() >= 100
    # E-mails of the past were delivered then; none waits, and none was sent today.
    assert not Notification.objects.filter(channel=Channel.EMAIL, status=Status.PENDING).exists()
    assert Notification.objects.filter(channel=Channel.EMAIL, status=Status.SENT).count() > 500


def check_every_start_page_and_the_dashboard_answer(today, client):
    names = ["applicant", "liaison", "applicant2", "officer", "leader", "manager", "admin"]
    for username in names:
        client.force_login(User.objects.get(username=username))
        assert client.get("/dashboard/").status_code == 200, username
    client.force_login(User.objects.get(username="manager"))
    page = client.get("/reports/", {"preset": "last_12_months"})
    assert page.status_code == 200


CHECKS = [
    check_every_month_has_applications_decisions_and_departures,
    check_times_to_a_decision_are_real,
    check_trips_are_filed_before_they_happen,
    check_state_periods_follow_each_other,
    check_the_audit_chain_is_intact_and_in_order,
    check_every_figure_and_chart_has_something_to_say,
    check_the_apec_cards_live_through_the_year,
]


def test_the_demo_tells_a_believable_year(
    settings, django_capture_on_commit_callbacks, mailoutbox, caplog, client, tmp_path
):
    settings.DEBUG = True
    started = time.perf_counter()
    with (
        caplog.at_level(logging.WARNING, logger="foreign_affairs.demo_clock"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("seed_demo", "--size", "year", stdout=io.StringIO())
    seconds = time.perf_counter() - started
    refused = [record.getMessage() for record in caplog.records if "refused" in record.getMessage()]
    assert refused == [], "\n".join(refused)
    assert mailoutbox == []  # the history's e-mails count as delivered then; none is sent now

    today = timezone.localdate()
    failures = []
    with translation.override("en"):
        for check in [*CHECKS, check_files_and_mail]:
            try:
                check(today)
            except AssertionError as error:
                failures.append(f"{getattr(check, '__name__', 'check_files_and_mail')}: {error}")
        try:
            check_every_start_page_and_the_dashboard_answer(today, client)
        except AssertionError as error:
            failures.append(f"check_every_start_page_and_the_dashboard_answer: {error}")
    assert failures == [], "\n".join(failures)

    # Seeding again adds nothing.
    counts = {
        model: model._base_manager.count() for model in (TravelApplication, CardApplication, AuditEvent)
    }
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    assert {model: model._base_manager.count() for model in counts} == counts
    print(f"seed_demo --size year: {seconds:.1f} s")  # shown with -s
