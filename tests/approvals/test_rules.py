"""Every rule at its boundary, its configuration, and both languages of its messages."""

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from approvals import hooks, rules
from approvals.models import RuleSetting
from approvals.rules import Leg, Member, TripDraft
from foreign_affairs.security.models import CountryAdvisory
from tests.approvals.factories import ApplicationFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)


def draft(organization, *, days=(5,), countries=("DE",), members=3, start=None, **kwargs) -> TripDraft:
    """A trip of one stop per country, each `days[i]` long and back to back, starting 60 days ahead."""
    start = start or TODAY + timedelta(days=60)
    legs, day = [], start
    for country, length in zip(countries, days * len(countries) if len(days) == 1 else days, strict=False):
        legs.append(Leg(country, "City", day, day + timedelta(days=length - 1)))
        day += timedelta(days=length)
    people = kwargs.pop("people", None) or [
        PersonFactory(organization=organization, passport_expiry=start + timedelta(days=1000))
        for _ in range(members)
    ]
    return TripDraft(
        organization_id=organization.pk,
        legs=legs,
        members=[Member(person, "团员", is_leader=index == 0) for index, person in enumerate(people)],
        attachment_kinds=kwargs.pop("attachment_kinds", {"invitation"}),
        reference_date=TODAY,
        **kwargs,
    )


def codes(findings, code):
    return [(f.severity, f.forces_signoff) for f in findings if f.code == code]


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)


def test_a_good_trip_of_trained_travellers_meets_every_rule(organization):
    # tests/conftest.py counts every traveller as trained outside the training area's tests
    assert rules.check(draft(organization)) == []


@pytest.mark.parametrize(
    ("countries", "findings"), [(("DE", "FR", "IT"), []), (("DE", "FR", "IT", "ES"), [("error", False)])]
)
def test_countries_per_trip(organization, countries, findings):
    assert (
        codes(rules.check(draft(organization, days=(2,), countries=countries)), "countries_per_trip")
        == findings
    )


@pytest.mark.parametrize(("countries", "limit"), [(("DE",), 5), (("DE", "FR"), 8), (("DE", "FR", "IT"), 10)])
def test_days_abroad_by_number_of_countries(organization, countries, limit):
    def trip(total, **kwargs):
        lengths = [total - (len(countries) - 1)] + [1] * (len(countries) - 1)
        return draft(organization, days=tuple(lengths), countries=countries, **kwargs)

    assert codes(rules.check(trip(limit)), "days_abroad") == []
    assert codes(rules.check(trip(limit + 1)), "days_abroad") == [("error", False)]
    justified = rules.check(trip(limit + 1, justification="需同时出席两场行业峰会"))
    assert codes(justified, "days_abroad") == [("warning", True)]


def test_delegation_size_and_leaders_travelling_together(organization):
    assert codes(rules.check(draft(organization, members=6)), "delegation_size") == []
    assert codes(rules.check(draft(organization, members=7)), "delegation_size") == [("error", False)]
    boss = PersonFactory(
        organization=organization, position="董事长", passport_expiry=TODAY + timedelta(days=999)
    )
    manager = PersonFactory(
        organization=organization, position="副总经理", passport_expiry=TODAY + timedelta(999)
    )
    clerk = PersonFactory(
        organization=organization, position="翻译", passport_expiry=TODAY + timedelta(days=999)
    )
    assert codes(rules.check(draft(organization, people=[boss, clerk])), "leadership_pair") == []
    assert codes(rules.check(draft(organization, people=[boss, manager])), "leadership_pair") == [
        ("warning", False)
    ]


@pytest.mark.parametrize(("belt_and_road", "needed"), [(False, 45), (True, 20)])
def test_lead_time_with_the_belt_and_road_fast_track(organization, belt_and_road, needed):
    on_time = draft(organization, start=TODAY + timedelta(days=needed), belt_and_road=belt_and_road)
    late = draft(organization, start=TODAY + timedelta(days=needed - 1), belt_and_road=belt_and_road)
    assert codes(rules.check(on_time), "lead_time") == []
    assert codes(rules.check(late), "lead_time") == [("error", False)]


def test_passports_must_be_valid_six_months_after_return(organization):
    start = TODAY + timedelta(days=60)
    back = start + timedelta(days=4)  # one country, five days
    exact = PersonFactory(organization=organization, passport_expiry=rules.add_months(back, 6))
    short = PersonFactory(
        organization=organization, passport_expiry=rules.add_months(back, 6) - timedelta(days=1)
    )
    missing = PersonFactory(organization=organization, passport_number="", passport_expiry=None)
    findings = rules.check(draft(organization, people=[exact, short, missing], start=start))
    messages = [str(f.message) for f in findings if f.code == "passport_validity"]
    assert len(messages) == 2
    assert short.full_name in messages[0] or short.full_name in messages[1]
    assert rules.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)


def test_invitation_letter(organization):
    assert codes(rules.check(draft(organization, attachment_kinds=set())), "invitation_letter") == [
        ("error", False)
    ]


def test_no_traveller_on_two_trips_at_once(organization):
    person = PersonFactory(organization=organization, passport_expiry=TODAY + timedelta(days=2000))
    other = ApplicationFactory(organization=organization, in_review=True, trip=False)
    other.departure_date, other.return_date = TODAY + timedelta(days=58), TODAY + timedelta(days=60)
    other.save()
    other.members.create(person=person, is_leader=True)
    overlapping = draft(organization, people=[person], start=TODAY + timedelta(days=60))
    adjacent = draft(organization, people=[person], start=TODAY + timedelta(days=61))
    assert codes(rules.check(overlapping), "overlapping_trips") == [("error", False)]
    assert codes(rules.check(adjacent), "overlapping_trips") == []
    from approvals.models import TravelApplication

    TravelApplication.objects.filter(pk=other.pk).update(state="withdrawn")
    assert codes(rules.check(overlapping), "overlapping_trips") == []


def test_trips_per_person_per_year(organization):
    person = PersonFactory(organization=organization, passport_expiry=TODAY + timedelta(days=2000))
    start = TODAY + timedelta(days=60)

    def earlier_trip(offset):
        trip = ApplicationFactory(organization=organization, closed=True, trip=False)
        trip.departure_date = trip.return_date = start - timedelta(days=offset)  # earlier the same year
        trip.save()
        trip.members.create(person=person, is_leader=True)

    earlier_trip(10)
    assert codes(rules.check(draft(organization, people=[person])), "trips_per_year") == []
    earlier_trip(20)
    assert codes(rules.check(draft(organization, people=[person])), "trips_per_year") == [("warning", False)]


def test_overdue_post_trip_reports_block_the_organisation(organization):
    report_due = ApplicationFactory(organization=organization, permit_issued=True, trip=False)
    report_due.departure_date, report_due.return_date = TODAY - timedelta(days=20), TODAY - timedelta(days=15)
    report_due.save()
    assert codes(rules.check(draft(organization)), "overdue_reports") == []
    report_due.return_date = TODAY - timedelta(days=16)
    report_due.save()
    assert codes(rules.check(draft(organization)), "overdue_reports") == [("error", False)]


def test_high_risk_destinations_force_leader_sign_off(organization):
    CountryAdvisory.objects.create(country="FR", level="medium")
    assert (
        codes(rules.check(draft(organization, countries=("DE", "FR"), days=(2,))), "destination_advisory")
        == []
    )
    CountryAdvisory.objects.filter(country="FR").update(level="high")
    assert codes(
        rules.check(draft(organization, countries=("DE", "FR"), days=(2,))), "destination_advisory"
    ) == [("warning", True)]


def test_training_hook_decides_once_the_training_area_fills_it(organization, monkeypatch):
    trip = draft(organization, members=2)
    monkeypatch.setattr(hooks, "training_status_provider", None)  # no training area: cannot be checked
    assert codes(rules.check(trip), "predeparture_training") == [("warning", False)] * 2
    statuses = iter(["valid", "missing"])
    monkeypatch.setattr(
        hooks, "training_status_provider", lambda people, on: {person.pk: next(statuses) for person in people}
    )
    assert codes(rules.check(trip), "predeparture_training") == [("error", False)]  # the default since area 5
    RuleSetting.objects.filter(code="predeparture_training").update(severity="warning")
    statuses = iter(["valid", "missing"])
    assert codes(rules.check(trip), "predeparture_training") == [("warning", False)]


def test_itinerary_and_delegation_completeness(organization):
    person = PersonFactory(organization=organization)
    empty = TripDraft(organization_id=organization.pk)
    assert {f.code for f in rules.check(empty) if f.severity == "error"} >= {
        "itinerary",
        "delegation",
        "invitation_letter",
    }
    clash = draft(organization)
    clash.legs.append(Leg("FR", "Paris", clash.legs[0].arrive_on + timedelta(days=1), clash.legs[0].leave_on))
    assert codes(rules.check(clash), "itinerary") == [("error", False)]
    leaderless = draft(organization, people=[person])
    leaderless.members = [Member(person, "团员", is_leader=False)]
    assert codes(rules.check(leaderless), "delegation") == [("error", False)]


def test_the_office_configures_rules_in_the_back_office(organization):
    big = draft(organization, members=3)
    RuleSetting.objects.filter(code="delegation_size").update(parameters={"max_members": 2})
    assert codes(rules.check(big), "delegation_size") == [("error", False)]
    RuleSetting.objects.filter(code="delegation_size").update(severity="warning")
    assert codes(rules.check(big), "delegation_size") == [("warning", False)]
    RuleSetting.objects.filter(code="delegation_size").update(enabled=False)
    assert codes(rules.check(big), "delegation_size") == []


def test_messages_exist_in_chinese_and_english(organization):
    finding = next(
        f for f in rules.check(draft(organization, attachment_kinds=set())) if f.code == "invitation_letter"
    )
    stored = finding.stored()
    with translation.override("en"):
        assert rules.stored_message(stored, "en") == "Attach the invitation letter of the host."
    assert rules.stored_message(stored, "zh-hans") == "请上传邀请方的邀请函。"
