"""Enrolling a travel application's delegation from its page (/training/delegation/<id>/), and the link to it
from the rule check of the application form."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from approvals.models import DelegationMember
from tests.approvals.factories import ApplicationFactory
from tests.factories import PersonFactory
from training import services
from training.models import Enrolment, Session

from .factories import session

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def application(organization):
    """A draft leaving in 60 days with three members (the first leads)."""
    return ApplicationFactory(organization=organization)


def url(application) -> str:
    return f"/training/delegation/{application.pk}/"


def members(application) -> list:
    return [member.person for member in application.members.select_related("person")]


def trained(person, officer):
    """Give `person` a pre-departure certificate issued today (valid 12 months): enrolled in a session by
    the office, marked attended; the session is then moved into the past, out of the offered ones."""
    held = session(officer=officer, capacity=1)
    services.mark(
        enrolment=services.enrol(session=held, actor=officer, person=person), actor=officer, attended=True
    )
    past = timezone.now() - timedelta(days=2)
    Session.objects.filter(pk=held.pk).update(
        enrolment_deadline=past - timedelta(days=1), starts_at=past, ends_at=past + timedelta(hours=2)
    )


def checked(body: str, person) -> bool:
    return f'value="{person.pk}" id="member-{person.pk}" checked' in body


def test_members_with_their_training_and_those_lacking_it_ticked(english, liaison, officer, application):
    valid, pending, missing = members(application)
    trained(valid, officer)
    later = session(officer=officer, starts_in=timedelta(days=20))
    services.enrol(session=later, actor=liaison, person=pending)
    soon = session(officer=officer, starts_in=timedelta(days=10), capacity=5)
    english.force_login(liaison)

    response = english.get(url(application))
    body = response.content.decode()
    assert response.status_code == 200
    assert f'data-member="{valid.pk}" data-status="valid"' in body
    assert f'data-member="{pending.pk}" data-status="pending"' in body
    assert f'data-member="{missing.pk}" data-status="missing"' in body
    assert "valid until" in body and "session of" in body
    assert checked(body, missing) and not checked(body, valid) and not checked(body, pending)
    assert "1 member still needs a place in a session before the departure." in body
    # The soonest session with places, preselected; both offered.
    assert f'value="{soon.pk}" id="session-{soon.pk}" checked' in body
    assert f'id="session-{later.pk}"' in body
    assert f'href="{application.get_absolute_url()}"' in body


def test_only_the_chosen_members_are_enrolled_from_the_application(english, liaison, officer, application):
    first, second, third = members(application)
    held = session(officer=officer, capacity=5)
    english.force_login(liaison)

    response = english.post(
        url(application), {"people": [first.pk, third.pk], "session": held.pk}, follow=True
    )
    body = response.content.decode()
    assert response.redirect_chain == [(url(application), 302)]
    enrolled = Enrolment.objects.filter(session=held)
    assert {e.person_id for e in enrolled} == {first.pk, third.pk}
    assert {e.application_id for e in enrolled} == {application.pk}
    assert {e.state for e in enrolled} == {"enrolled"}
    assert "Enrolled in the session of" in body and first.full_name in body and third.full_name in body
    # Now shown as enrolled, and no longer ticked.
    assert f'data-member="{first.pk}" data-status="pending"' in body and not checked(body, first)
    assert checked(body, second)

    again = english.post(url(application), {"people": [first.pk], "session": held.pk}, follow=True)
    assert "Already enrolled in this session" in again.content.decode()
    assert Enrolment.objects.filter(session=held).count() == 2


def test_a_full_session_puts_the_rest_on_its_waiting_list(english, liaison, officer, application):
    people = members(application)
    held = session(officer=officer, capacity=2)
    english.force_login(liaison)
    body = english.post(
        url(application), {"people": [p.pk for p in people], "session": held.pk}, follow=True
    ).content.decode()
    states = dict(Enrolment.objects.filter(session=held).values_list("person_id", "state"))
    assert states == {people[0].pk: "enrolled", people[1].pk: "enrolled", people[2].pk: "waiting"}
    assert "The session is full. On its waiting list:" in body and people[2].full_name in body
    # Full now: no longer offered; the one waiting is ticked, to be enrolled in another session.
    assert f'id="session-{held.pk}"' not in body
    assert f'data-member="{people[2].pk}" data-status="waiting"' in body and checked(body, people[2])
    assert not checked(body, people[0]) and "1 member still needs a place" in body


def test_an_applicant_enrols_the_members_of_their_own_application(english, applicant, officer, application):
    held = session(officer=officer)
    english.force_login(applicant)
    response = english.post(
        url(application), {"people": [p.pk for p in members(application)], "session": held.pk}
    )
    assert response.status_code == 302
    assert Enrolment.objects.filter(session=held, enrolled_by=applicant).count() == 3


def test_choosing_nobody_or_a_closed_session_is_an_error_on_the_page(english, liaison, officer, application):
    held = session(officer=officer)
    closed = session(officer=officer, starts_in=timedelta(days=3))
    Session.objects.filter(pk=closed.pk).update(enrolment_deadline=timezone.now() - timedelta(hours=1))
    english.force_login(liaison)

    nobody = english.post(url(application), {"session": held.pk})
    assert nobody.status_code == 400 and "Choose at least one member to enrol." in nobody.content.decode()
    late = english.post(url(application), {"people": [members(application)[0].pk], "session": closed.pk})
    assert late.status_code == 400 and "no longer open for enrolment" in late.content.decode()
    stranger = PersonFactory(organization=application.organization)  # not in this delegation
    outside = english.post(url(application), {"people": [stranger.pk], "session": held.pk})
    assert outside.status_code == 400 and "Choose members of this delegation." in outside.content.decode()
    rubbish = english.post(url(application), {"people": ["x"], "session": "y"})
    assert rubbish.status_code == 400
    assert not Enrolment.objects.exists()


def test_no_session_open_says_where_to_look(english, liaison, application):
    english.force_login(liaison)
    body = english.get(url(application)).content.decode()
    assert 'data-testid="no-sessions"' in body and 'data-testid="enrol"' not in body


def test_other_organisations_and_strangers_get_404_the_office_reads_and_officers_enrol(
    client, english, application, other_applicant, officer, leader
):
    assert client.get(url(application)).status_code == 302  # sign in first
    client.force_login(other_applicant)
    assert client.get(url(application)).status_code == 404
    assert client.get("/training/delegation/999999/").status_code == 404
    held = session(officer=officer)
    first = members(application)[0]
    assert client.post(url(application), {"people": [first.pk], "session": held.pk}).status_code == 404

    english.force_login(leader)
    body = english.get(url(application)).content.decode()
    assert 'data-testid="read-only"' in body and 'name="people"' not in body
    assert english.post(url(application), {"people": [first.pk], "session": held.pk}).status_code == 403

    english.force_login(officer)
    assert english.post(url(application), {"people": [first.pk], "session": held.pk}).status_code == 302
    assert Enrolment.objects.get(session=held).person == first


def test_the_page_asks_the_same_queries_whatever_the_size_of_the_delegation(
    client, liaison, officer, application, django_assert_max_num_queries
):
    for number in range(3):
        session(officer=officer, starts_in=timedelta(days=10 + number))
    client.force_login(liaison)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(application)).status_code == 200
        return len(queries)

    small = count()
    people = members(application)
    trained(people[0], officer)
    services.enrol(session=Session.objects.filter(state="scheduled").last(), actor=liaison, person=people[1])
    for _index in range(12):
        DelegationMember.objects.create(
            application=application, person=PersonFactory(organization=application.organization)
        )
    with django_assert_max_num_queries(small):
        assert client.get(url(application)).status_code == 200


# The link from the application form's rule check ----------------------------------------------------------


@pytest.mark.training_rule
def test_the_rule_check_links_to_the_delegation_page_while_a_member_lacks_training(
    english, applicant, officer, application
):
    english.force_login(applicant)
    edit = f"/applications/{application.pk}/edit/"
    body = english.get(edit).content.decode()
    assert 'data-code="predeparture_training"' in body
    assert f'href="{url(application)}" data-testid="training-enrol"' in body
    assert "Enrol those without training in the next session" in body

    for person in members(application):
        trained(person, officer)
    body = english.get(edit).content.decode()
    assert 'data-code="predeparture_training"' not in body
    assert 'data-testid="training-enrol"' not in body


@pytest.mark.training_rule
def test_the_live_rule_check_links_only_for_a_saved_application(english, applicant, organization):
    from tests.approvals.test_views import HTMX, existing, form_data, leg

    person = PersonFactory(organization=organization)
    start = timezone.localdate() + timedelta(days=60)
    data = form_data(
        legs=[leg("DE", "汉堡", start, start + timedelta(days=2))], members=[existing(person, leader=True)]
    )
    english.force_login(applicant)
    body = english.post("/applications/precheck/", data, **HTMX).content.decode()
    assert 'data-code="predeparture_training"' in body and 'data-testid="training-enrol"' not in body

    application = ApplicationFactory(organization=organization)
    body = english.post(f"/applications/{application.pk}/precheck/", data, **HTMX).content.decode()
    assert f'href="{url(application)}" data-testid="training-enrol"' in body
