"""The health of a friendship-city relationship at its boundaries: the rules (health.assess) and the same
rules in the database (health.annotate), which the back office filters and the reports count with."""

from datetime import date, timedelta

import pytest
from django.utils import translation

from exchanges import health, selectors
from exchanges.health import Health, assess, years_before
from exchanges.models import Activity, FriendshipAgreement
from exchanges.workflow import State
from tests.projects.factories import project

from .factories import activity, city

TODAY = date(2026, 12, 2)


@pytest.fixture(autouse=True)
def _english():
    """The reasons are read in English here (they follow the reader's language)."""
    with translation.override("en"):
        yield


def _assess(**figures):
    base = {
        "established_on": date(2010, 5, 1),
        "last_exchange": TODAY - timedelta(days=30),
        "exchanges_3y": 1,
        "active_projects": 0,
        "next_renewal": None,
        "today": TODAY,
    }
    return assess(**{**base, **figures})


@pytest.mark.parametrize(
    ("last_exchange", "level"),
    [
        (years_before(TODAY, 2) + timedelta(days=1), Health.ACTIVE),  # a day short of two years
        (years_before(TODAY, 2), Health.ATTENTION),  # two years to the day
        (years_before(TODAY, 3) + timedelta(days=1), Health.ATTENTION),
        (years_before(TODAY, 3), Health.DORMANT),  # three years to the day
        (date(2012, 1, 1), Health.DORMANT),
    ],
)
def test_the_time_since_the_last_exchange(last_exchange, level):
    assert _assess(last_exchange=last_exchange).level == level


def test_active_projects_keep_a_quiet_pair_from_dormancy():
    assessment = _assess(last_exchange=date(2020, 1, 1), active_projects=2)
    assert assessment.level == Health.ATTENTION
    assert "2 active cooperation projects" in assessment.reasons


def test_a_pair_without_any_exchange_counts_from_its_establishment():
    assert _assess(last_exchange=None, established_on=TODAY - timedelta(days=100)).level == Health.ACTIVE
    dormant = _assess(last_exchange=None, established_on=years_before(TODAY, 3), exchanges_3y=0)
    assert dormant.level == Health.DORMANT
    assert dormant.reasons[0] == "No exchange recorded since the relationship was established"


@pytest.mark.parametrize(
    ("renewal", "level"),
    [
        (TODAY + timedelta(days=181), Health.ACTIVE),
        (TODAY + timedelta(days=180), Health.ATTENTION),  # the warning's last day
        (TODAY, Health.ATTENTION),
        (TODAY - timedelta(days=1), Health.ATTENTION),  # overdue
    ],
)
def test_an_agreement_due_for_renewal(renewal, level):
    assert _assess(next_renewal=renewal).level == level


def test_renewal_never_improves_a_dormant_pair():
    assert _assess(last_exchange=date(2015, 1, 1), next_renewal=TODAY).level == Health.DORMANT


def test_the_reasons_say_why():
    assessment = _assess(last_exchange=years_before(TODAY, 2), exchanges_3y=1, next_renewal=TODAY)
    assert assessment.label == "Needs attention" and assessment.tone == "attention"
    assert "No exchange for 2 years" in assessment.reasons
    assert "1 exchange in the last three years" in assessment.reasons
    assert any(r.startswith("An agreement is to be renewed by") for r in assessment.reasons)


def _held(officer, pair, ends_on: date, state=State.HELD):
    item = activity(officer, kind="friendship_city", friendship_city=pair.pk)
    Activity.objects.filter(pk=item.pk).update(state=state, starts_on=ends_on, ends_on=ends_on)
    return item


@pytest.mark.django_db
def test_the_database_agrees_with_the_rules_for_every_case(officer):
    today = date.today()
    pairs = {
        "active": city(officer, foreign_name_en="Lyon"),
        "two_years": city(officer, foreign_name_en="Nantes"),
        "three_years": city(officer, foreign_name_en="Lille"),
        "projects": city(officer, foreign_name_en="Toulouse"),
        "renewal": city(officer, foreign_name_en="Nice"),
        "never": city(officer, foreign_name_en="Metz", established_on=today - timedelta(days=60)),
    }
    _held(officer, pairs["active"], today - timedelta(days=10))
    _held(officer, pairs["active"], today - timedelta(days=400), state=State.CLOSED)
    _held(officer, pairs["two_years"], years_before(today, 2))
    _held(officer, pairs["three_years"], years_before(today, 3))
    _held(officer, pairs["projects"], years_before(today, 4))
    pairs["projects"].projects.add(project(officer))
    _held(officer, pairs["renewal"], today - timedelta(days=100))
    FriendshipAgreement.objects.create(
        city=pairs["renewal"],
        title="Renewal",
        signed_on=date(2021, 1, 1),
        renew_by=today + timedelta(days=90),
    )
    # Planned and cancelled activities are not exchanges held.
    planned = activity(officer, kind="friendship_city", friendship_city=pairs["three_years"].pk)
    Activity.objects.filter(pk=planned.pk).update(state=State.CANCELLED)
    expected = {
        "active": Health.ACTIVE,
        "two_years": Health.ATTENTION,
        "three_years": Health.DORMANT,
        "projects": Health.ATTENTION,
        "renewal": Health.ATTENTION,
        "never": Health.ACTIVE,
    }
    annotated = {c.pk: c for c in selectors.cities_with_health(officer, today=today)}
    for name, pair in pairs.items():
        row = annotated[pair.pk]
        assert row.health == expected[name], name
        assert health.assess_annotated(row, today).level == expected[name], name
    active = annotated[pairs["active"].pk]
    assert active.exchanges_3y == 2 and active.last_exchange == today - timedelta(days=10)
    assert annotated[pairs["projects"].pk].active_projects == 1
    assert selectors.city_assessment(pairs["three_years"], today=today).level == Health.DORMANT
