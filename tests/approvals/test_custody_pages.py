"""Passport custody in the browser: the liaison hands official passports out for an approved trip and
receives them back on the trip's page; others are refused; /applications/passports/ lists what is out."""

from datetime import date, timedelta

import pytest
import time_machine
from django.conf import settings as django_settings

from approvals import services
from approvals.models import PassportHandover
from foreign_affairs.accounts.models import PassportType
from foreign_affairs.audit.models import AuditEvent
from tests.approvals.factories import ApplicationFactory
from tests.factories import PersonFactory, enterprise_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def trip(organization):
    return ApplicationFactory(organization=organization, approved=True)


def hand_out_url(application) -> str:
    return f"/applications/{application.pk}/passports/hand-out/"


def return_url(handover) -> str:
    return f"/applications/{handover.application_id}/passports/{handover.pk}/return/"


def test_the_liaison_hands_a_passport_out_and_receives_it_back(english, liaison, trip):
    person = trip.members.get(is_leader=True).person
    english.force_login(liaison)
    page = english.get(f"/applications/{trip.pk}/").content.decode()
    assert 'data-testid="hand-out-form"' in page and f'value="{person.pk}"' in page

    response = english.post(
        hand_out_url(trip),
        {"person": person.pk, "handed_to": "李娜（代领）", "notes": "含签证页"},
        follow=True,
    )
    assert response.redirect_chain == [(f"/applications/{trip.pk}/#custody", 302)]
    body = response.content.decode()
    handover = PassportHandover.objects.get()
    assert (handover.person, handover.handed_to, handover.notes, handover.handed_out_by) == (
        person,
        "李娜（代领）",
        "含签证页",
        liaison,
    )
    assert "passport was handed out to 李娜（代领）" in body
    assert f'data-handover="{handover.pk}"' in body and person.passport_number in body
    assert 'data-testid="passport-return"' in body
    # Handed out once: the member is no longer offered.
    form = body[body.index('data-testid="hand-out-form"') :] if 'data-testid="hand-out-form"' in body else ""
    assert f'value="{person.pk}"' not in form

    response = english.post(return_url(handover), follow=True)
    handover.refresh_from_db()
    assert handover.returned_at is not None and handover.received_by == liaison
    assert "passport is back in custody" in response.content.decode()
    assert set(
        AuditEvent.objects.filter(action__startswith="travel_application.passport").values_list(
            "action", flat=True
        )
    ) == {"travel_application.passport_out", "travel_application.passport_back"}


def test_an_applicant_is_refused_and_sees_no_forms(english, applicant, liaison, trip):
    person = trip.members.first().person
    english.force_login(applicant)
    page = english.get(f"/applications/{trip.pk}/").content.decode()
    assert 'data-testid="custody"' in page and 'data-testid="hand-out-form"' not in page
    refused = english.post(hand_out_url(trip), {"person": person.pk})
    assert refused.status_code == 403
    assert "handed out and taken back by the office or the liaison" in refused.content.decode()
    assert not PassportHandover.objects.exists()

    handover = services.passport_hand_out(application=trip, person=person, actor=liaison)
    page = english.get(f"/applications/{trip.pk}/").content.decode()
    assert 'data-testid="passport-return"' not in page and "Not yet" in page
    assert english.post(return_url(handover)).status_code == 403
    handover.refresh_from_db()
    assert handover.returned_at is None


def test_only_official_passports_are_offered_and_service_refusals_are_messages(english, liaison, trip):
    ordinary = PersonFactory(organization=trip.organization, passport_type=PassportType.ORDINARY)
    trip.members.create(person=ordinary, position_on_trip="翻译")
    english.force_login(liaison)
    page = english.get(f"/applications/{trip.pk}/").content.decode()
    assert f'<option value="{ordinary.pk}"' not in page
    response = english.post(hand_out_url(trip), {"person": ordinary.pk}, follow=True)
    assert "The passport was not handed out" in response.content.decode()
    assert not PassportHandover.objects.exists()

    handover = services.passport_hand_out(application=trip, person=trip.members.first().person, actor=liaison)
    services.passport_return(handover=handover, actor=liaison)
    again = english.post(return_url(handover), follow=True)
    assert "already been returned" in again.content.decode()


def test_passports_are_not_handed_out_before_approval_and_stay_in_other_organisations(
    english, liaison, organization, other_applicant
):
    in_review = ApplicationFactory(organization=organization, in_review=True)
    english.force_login(liaison)
    page = english.get(f"/applications/{in_review.pk}/").content.decode()
    assert 'data-testid="custody"' not in page
    response = english.post(
        hand_out_url(in_review), {"person": in_review.members.first().person.pk}, follow=True
    )
    assert "The passport was not handed out" in response.content.decode()

    foreign = ApplicationFactory(approved=True)
    foreign_liaison = enterprise_user(foreign.organization, liaison=True)
    handover = services.passport_hand_out(
        application=foreign, person=foreign.members.first().person, actor=foreign_liaison
    )
    assert (
        english.post(hand_out_url(foreign), {"person": foreign.members.first().person.pk}).status_code == 404
    )
    assert english.post(return_url(handover)).status_code == 404


def test_the_office_and_the_own_organisation_see_whole_passport_numbers(client, liaison, officer, trip):
    """One rule (foreign_affairs.accounts.passports): whole on a case page for the office and the traveller's
    own organisation; other organisations never reach the page (404)."""
    person = trip.members.first().person
    services.passport_hand_out(application=trip, person=person, actor=liaison)
    client.force_login(liaison)
    custody = client.get(f"/applications/{trip.pk}/").content.decode().split('data-testid="custody"')[1]
    assert person.passport_number in custody
    client.force_login(officer)
    custody = client.get(f"/applications/{trip.pk}/").content.decode().split('data-testid="custody"')[1]
    assert person.passport_number in custody
    assert 'data-testid="passport-return"' not in custody  # the office works in the back office


def test_the_overview_lists_overdue_passports_first_then_recent_returns(
    english, liaison, organization, officer
):
    early = ApplicationFactory(
        organization=organization, approved=True, trip__departure=date.today() + timedelta(days=5)
    )
    late = ApplicationFactory(
        organization=organization, approved=True, trip__departure=date.today() + timedelta(days=30)
    )
    foreign = ApplicationFactory(approved=True)
    with time_machine.travel(date.today() - timedelta(days=1)):
        soon = services.passport_hand_out(application=late, person=late.members.first().person, actor=liaison)
        returned = services.passport_hand_out(
            application=late, person=late.members.last().person, actor=liaison
        )
        services.passport_return(handover=returned, actor=liaison)
    overdue = services.passport_hand_out(
        application=early, person=early.members.first().person, actor=liaison
    )
    PassportHandover.objects.filter(pk=overdue.pk).update(due_on=date.today() - timedelta(days=3))
    outsider = services.passport_hand_out(
        application=foreign,
        person=foreign.members.first().person,
        actor=enterprise_user(foreign.organization, liaison=True),
    )

    english.force_login(liaison)
    body = english.get("/applications/passports/").content.decode()
    outstanding = body.split('data-testid="outstanding"')[1].split('data-testid="returned"')[0]
    assert outstanding.index(f'data-handover="{overdue.pk}"') < outstanding.index(
        f'data-handover="{soon.pk}"'
    )
    assert "Overdue by 3 days" in outstanding and 'data-testid="overdue-count"' in body
    assert f'data-handover="{returned.pk}"' in body.split('data-testid="returned"')[1]
    assert f'data-handover="{outsider.pk}"' not in body and foreign.reference not in body
    assert overdue.passport_number not in body and early.members.first().person.masked_passport_number in body
    assert f'href="/applications/{early.pk}/#custody"' in body

    listing = english.get("/applications/").content.decode()
    assert 'data-testid="overdue-passports"' in listing and "1 passport is overdue" in listing

    english.force_login(officer)
    assert english.get("/applications/passports/").status_code == 403


def test_the_overview_says_when_everything_is_in_custody(english, applicant):
    english.force_login(applicant)
    body = english.get("/applications/passports/").content.decode()
    assert 'data-testid="empty-state"' in body and "No passport has come back yet." in body
