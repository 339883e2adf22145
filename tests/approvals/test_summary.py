"""The dashboard's daily summary (approvals.summary): kept by the services in the transaction of each
change, it equals the summary rebuilt from the raw rows, and the figures read from it equal the figures
computed from the raw rows (tests/approvals/raw_reporting.py, the dashboard's queries before the summary).

The random series runs the real services on a clock stopped at whole hours (time-machine), so that every
duration is a whole number of hours and the percentiles of the histograms equal percentile_cont over the
raw durations exactly.
"""

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from approvals import reporting, services, summary
from approvals.models import TravelApplication, TravelSummary
from approvals.workflow import State
from foreign_affairs.accounts.roles import Role
from foreign_affairs.errors import RulesFailed, StateConflict
from foreign_affairs.reports.filters import Filters
from tests.factories import OrganizationFactory, enterprise_user, office_user

from . import raw_reporting
from .factories import ApplicationFactory

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 3, 2, 9, tzinfo=TZ)  # a Monday
COUNTRIES = ["DE", "FR", "IT", "JP", "KZ", "SG", "TH", "AE"]
# Fewer of the steps that end an application early, so that most go far.
WEIGHTS = {"withdraw": 0.03, "cancel": 0.08, "reject": 0.8, "reopen": 0.3, "edit": 0.3}
KEY = ("metric", "grain", "day", "ftz_area", "state", "value", "hours")


def kept() -> dict:
    """The summary's rows that count something, by key."""
    rows = TravelSummary.objects.exclude(n=0).values_list(*KEY, "n")
    return {tuple(row[:-1]): row[-1] for row in rows}


def shown(section) -> tuple:
    """What the dashboard shows of a section: figures and charts, with their links."""
    return (
        [(str(figure.label), figure.value, figure.url, str(figure.hint or "")) for figure in section.figures],
        [(chart.kind, str(chart.title), chart.labels, chart.series, chart.urls) for chart in section.charts],
    )


def _legs(rng: random.Random, departure: date) -> list[dict]:
    legs, day = [], departure
    for country in rng.sample(COUNTRIES, rng.randint(1, 3)):
        legs.append(
            {
                "country": country,
                "city": "City",
                "arrive_on": day,
                "leave_on": day + timedelta(days=1),
                "host_organization": "Host",
            }
        )
        day += timedelta(days=2)
    return legs


class Office:
    """Two organisations in two areas with their applicants and liaisons, an officer and a leader."""

    def __init__(self):
        self.organizations = [
            OrganizationFactory(ftz_area="zhengzhou", name_zh="郑州甲公司"),
            OrganizationFactory(ftz_area="luoyang", name_zh="洛阳乙公司"),
        ]
        self.applicants = {org.pk: enterprise_user(org) for org in self.organizations}
        self.liaisons = {org.pk: enterprise_user(org, liaison=True) for org in self.organizations}
        self.officer, self.leader = office_user(Role.OFFICER), office_user(Role.LEADER)

    def people(self, application: TravelApplication) -> list:
        org = application.organization_id
        return [self.applicants[org], self.liaisons[org], self.officer, self.leader]


def play(rng: random.Random, office: Office, applications: list[int], steps: int) -> list[str]:
    """Random steps through the services, one at a time on a clock moving by whole hours."""
    done, now = [], START
    for _step in range(steps):
        now += timedelta(hours=rng.randint(1, 30))
        with time_machine.travel(now, tick=False):
            application = TravelApplication.objects.get(pk=rng.choice(applications))
            choices = [
                (actor, name)
                for actor in office.people(application)
                for name in services.available_transitions(application, actor)
                if name != "submit_report"  # the trips are months ahead
            ]
            if application.state == State.APPROVED:
                choices.append((None, "issue_permit"))
            if application.state in (State.DRAFT, State.RETURNED):
                choices.append((office.applicants[application.organization_id], "edit"))
            if not choices:
                continue
            weights = [WEIGHTS.get(name, 1.0) for _actor, name in choices]
            actor, name = rng.choices(choices, weights)[0]
            try:
                if name == "issue_permit":
                    services.application_issue_permit(application=application)
                elif name == "edit":
                    services.application_update(
                        application=application,
                        actor=actor,
                        data={
                            "belt_and_road": rng.random() < 0.4,
                            "mission_type": rng.choice(["exhibition", "training", "conference"]),
                        },
                        legs=_legs(rng, application.departure_date),
                    )
                else:
                    services.application_transition(
                        application=application, actor=actor, name=name, comment="See the notes."
                    )
            except (RulesFailed, StateConflict, ValidationError):
                continue  # refused: nothing changed, the summary neither
            done.append(name)
    return done


@pytest.fixture
def series(settings):
    """Ten applications of two areas through a seeded random series of transitions."""
    settings.DISCLOSURE_WORKING_DAYS = 0  # approvals queue the permit; the series issues it
    rng = random.Random(18)
    with time_machine.travel(START - timedelta(hours=1), tick=False):
        office = Office()
        applications = []
        for index in range(10):
            organization = office.organizations[index % 2]
            application = ApplicationFactory(
                organization=organization,
                created_by=office.applicants[organization.pk],
                trip__departure=START.date() + timedelta(days=100 + 3 * index),
            )
            applications.append(application.pk)
    assert kept() == {}  # drafts count for nothing
    return play(rng, office, applications, steps=160)


def test_the_kept_summary_equals_the_rebuilt_one_after_a_random_series(series):
    for name in ("endorse", "return_for_changes", "resubmit", "approve", "reject", "issue_permit", "cancel"):
        assert name in series, f"the series never ran {name}: choose another seed ({series})"
    assert "edit" in series
    maintained = kept()
    assert maintained
    summary.rebuild()
    assert kept() == maintained


def test_the_dashboard_from_the_summary_equals_the_raw_rows(series):
    first = START.date()
    periods = [
        Filters(date(2026, 3, 1), date(2026, 6, 30)),  # whole months
        Filters(first + timedelta(days=3), first + timedelta(days=40)),  # days, weeks and a whole month
        Filters(first + timedelta(days=9), first + timedelta(days=12)),  # a few days
        Filters(date(2026, 3, 1), date(2026, 9, 30)),  # the trips depart in June
    ]
    with translation.override("en"):
        for period in periods:
            for area in ("", "zhengzhou", "luoyang", "kaifeng"):
                filters = Filters(period.date_from, period.date_to, area)
                assert shown(reporting.applications_section(filters)) == shown(
                    raw_reporting.applications_section(filters)
                ), filters
                assert shown(reporting.trips_section(filters)) == shown(
                    raw_reporting.trips_section(filters)
                ), filters
    whole = Filters(date(2026, 3, 1), date(2026, 9, 30))
    with translation.override("en"):
        figures = {
            str(figure.label): figure.value for figure in reporting.applications_section(whole).figures
        }
    assert figures["Applications received"] > 0 and figures["Approved"] > 0


def test_rebuild_is_idempotent_and_a_partial_rebuild_gives_the_same_rows(series):
    summary.rebuild()
    once = kept()
    summary.rebuild()
    assert kept() == once
    summary.rebuild(since=START.date() + timedelta(days=17))  # a Thursday, mid-month
    assert kept() == once


def test_additions_go_to_the_day_week_and_month_of_the_area_and_of_all_areas(series):
    before = kept()
    summary.apply({("received", date(2026, 3, 5), "zhengzhou", "", "", 0): 2})
    summary.apply({("received", date(2026, 3, 5), "zhengzhou", "", "", 0): -1})
    after = kept()
    added = {
        ("received", "d", date(2026, 3, 5), "zhengzhou", "", "", 0),
        ("received", "w", date(2026, 3, 2), "zhengzhou", "", "", 0),
        ("received", "w", date(2026, 3, 2), "*", "", "", 0),
        ("received", "m", date(2026, 3, 1), "zhengzhou", "", "", 0),
        ("received", "m", date(2026, 3, 1), "*", "", "", 0),
    }
    assert {key for key in after.keys() | before.keys() if after.get(key) != before.get(key)} == added
    assert all(after[key] == before.get(key, 0) + 1 for key in added)
    summary.rebuild()  # the raw rows did not change: the rebuild puts the summary back
    assert kept() == before
