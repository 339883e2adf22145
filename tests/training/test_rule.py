"""The pre-departure rule of travel approval, answered by training: valid, expired, revoked and missing
certificates, the departure date on the boundary; and the last place taken twice at once."""

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from approvals import rules
from approvals.models import RuleSetting
from approvals.rules import Leg, Member, TripDraft
from tests.conftest import on_postgresql
from tests.factories import PersonFactory, office_user
from training import services
from training.models import Certificate, Enrolment

from .factories import course, session

pytestmark = pytest.mark.django_db


def trip(organization, people, departure):
    return TripDraft(
        organization_id=organization.pk,
        legs=[Leg("DE", "Berlin", departure, departure + timedelta(days=4))],
        members=[Member(person, "团员", is_leader=index == 0) for index, person in enumerate(people)],
        attachment_kinds={"invitation"},
    )


def certified(officer, liaison, person, *, predeparture=True):
    """Give `person` a certificate issued today (valid 12 months, until a year from today less a day)."""
    held = session(officer=officer, course_obj=course(topic="predeparture" if predeparture else "protocol"))
    enrolment = services.enrol(session=held, actor=liaison, person=person)
    services.mark(enrolment=enrolment, actor=officer, attended=True)
    return Certificate.objects.get(enrolment=enrolment)


def findings(draft):
    return [(f.severity, f.params["name"]) for f in rules.check(draft) if f.code == "predeparture_training"]


def test_the_rule_is_an_error_by_default_after_migrate():
    assert RuleSetting.objects.get(code="predeparture_training").severity == "error"


def test_valid_expired_revoked_missing_and_the_boundary(organization, officer, liaison):
    valid, expired, revoked, other_course, missing = (
        PersonFactory(organization=organization, full_name=name)
        for name in ("有效", "过期", "撤销", "礼宾", "没有")
    )
    certificate = certified(officer, liaison, valid)
    last_day = certificate.valid_until
    Certificate.objects.filter(pk=certified(officer, liaison, expired).pk).update(
        issued_on=last_day - timedelta(days=400), valid_until=last_day - timedelta(days=30)
    )
    services.certificate_revoke(
        certificate=certified(officer, liaison, revoked), actor=officer, reason="签到记录有误"
    )
    certified(officer, liaison, other_course, predeparture=False)
    people = [valid, expired, revoked, other_course, missing]

    on_last_day = findings(trip(organization, people, last_day))
    assert on_last_day == [("error", name) for name in ("过期", "撤销", "礼宾", "没有")]
    day_after = findings(trip(organization, people, last_day + timedelta(days=1)))
    assert ("error", "有效") in day_after
    before_issue = findings(trip(organization, [valid], certificate.issued_on - timedelta(days=1)))
    assert before_issue == [("error", "有效")]


def test_the_office_may_make_it_a_warning_or_turn_it_off(organization):
    person = PersonFactory(organization=organization)
    draft = trip(organization, [person], timezone.localdate() + timedelta(days=30))
    assert findings(draft) == [("error", person.full_name)]
    RuleSetting.objects.filter(code="predeparture_training").update(severity="warning")
    assert findings(draft) == [("warning", person.full_name)]
    RuleSetting.objects.filter(code="predeparture_training").update(enabled=False)
    assert findings(draft) == []


def test_one_query_for_a_delegation(organization, officer, liaison, django_assert_num_queries):
    people = [PersonFactory(organization=organization) for _ in range(8)]
    certified(officer, liaison, people[0])
    from training.rule import training_status

    with django_assert_num_queries(1):
        statuses = training_status(people, timezone.localdate() + timedelta(days=10))
    assert list(statuses.values()).count("valid") == 1


@pytest.mark.django_db(transaction=True)
def test_two_enrolments_for_the_last_place_one_wins_one_waits():
    if not on_postgresql():
        pytest.skip("parallel row locks need PostgreSQL; SQLite serialises writers")
    from tests.factories import OrganizationFactory, enterprise_user

    organization = OrganizationFactory()
    officer = office_user("Officer")
    held = session(officer=officer, capacity=3)
    first, second, third = (PersonFactory(organization=organization) for _ in range(3))
    liaison = enterprise_user(organization, liaison=True)
    services.enrol(session=held, actor=liaison, person=third)
    services.enrol(session=held, actor=officer, person=PersonFactory(organization=organization))
    barrier = threading.Barrier(2)
    outcomes = []

    def take(person):
        try:
            barrier.wait()
            outcomes.append(services.enrol(session=held, actor=liaison, person=person).state)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(person,)) for person in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["enrolled", "waiting"]
    assert Enrolment.objects.filter(session=held, state="enrolled").count() == 3
