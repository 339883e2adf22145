"""Passport custody in the browser: the liaison hands official passports out for an approved trip and
records their return, with the day they came back, on a confirmation page; others are refused;
/applications/passports/ lists what is out."""

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.utils import formats, timezone, translation

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

    # "Record return…" is a link to a page that asks for the day, not a one-click state change.
    assert f'href="{return_url(handover)}"' in body and "Record return…" in body
    confirmation = english.get(return_url(handover))
    assert confirmation.status_code == 200
    assert not PassportHandover.objects.filter(returned_at__isnull=False).exists()
    today = timezone.localdate()
    response = english.post(return_url(handover), {"returned_on": today.isoformat()}, follow=True)
    assert response.redirect_chain == [(f"/applications/{trip.pk}/#custody", 302)]
    handover.refresh_from_db()
    assert handover.returned_at is not None and handover.received_by == liaison
    assert timezone.localtime(handover.returned_at).date() == today
    assert "passport is back in custody: returned on" in response.content.decode()
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
    assert english.get(return_url(handover)).status_code == 403
    assert english.post(return_url(handover)).status_code == 403
    refused = english.post(return_url(handover), {"returned_on": timezone.localdate().isoformat()})
    assert refused.status_code == 403
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
    assert english.get(return_url(handover)).status_code == 404
    today = timezone.localdate().isoformat()
    assert english.post(return_url(handover), {"returned_on": today}).status_code == 404
    # Nor through a trip of the liaison's own organisation.
    own = ApplicationFactory(organization=organization, approved=True)
    assert english.get(f"/applications/{own.pk}/passports/{handover.pk}/return/").status_code == 404
    handover.refresh_from_db()
    assert handover.returned_at is None


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


# Recording a return: the day it came back, confirmed ------------------------------------------------------


@pytest.fixture
def handed_out_days_ago(liaison, trip):
    """The leader's passport, handed out five days ago for the trip."""
    person = trip.members.get(is_leader=True).person
    with time_machine.travel(timezone.now() - timedelta(days=5)):
        return services.passport_hand_out(application=trip, person=person, actor=liaison)


def test_the_confirmation_page_shows_what_comes_back_with_today_as_the_day(
    english, liaison, trip, handed_out_days_ago
):
    handover = handed_out_days_ago
    english.force_login(liaison)
    response = english.get(return_url(handover))
    body = response.content.decode()
    assert response.status_code == 200
    facts = body.split('data-testid="return-facts"')[1].split("</dl>")[0]
    person = handover.person
    assert person.full_name in facts and person.masked_passport_number in facts
    assert person.passport_number not in body  # masked, as in the list of passports handed out
    assert trip.reference in facts and 'data-testid="return-due"' in facts
    today = timezone.localdate()
    handed_out_on = timezone.localdate(handover.handed_out_at)
    field = re.search(r'<input[^>]*name="returned_on"[^>]*>', body).group()
    assert 'type="date"' in field and f'value="{today.isoformat()}"' in field
    assert f'max="{today.isoformat()}"' in field and f'min="{handed_out_on.isoformat()}"' in field
    assert 'data-testid="passport-return-confirm"' in body and "Confirm the return" in body
    assert "<script" not in body.split('data-testid="passport-return-form"')[1].split("</form>")[0]
    handover.refresh_from_db()
    assert handover.returned_at is None  # looking is not recording


def test_a_return_is_recorded_on_the_day_given(english, liaison, trip, handed_out_days_ago):
    handover = handed_out_days_ago
    PassportHandover.objects.filter(pk=handover.pk).update(due_on=timezone.localdate() - timedelta(days=3))
    came_back = timezone.localdate() - timedelta(days=2)
    english.force_login(liaison)

    response = english.post(return_url(handover), {"returned_on": came_back.isoformat()}, follow=True)

    assert response.redirect_chain == [(f"/applications/{trip.pk}/#custody", 302)]
    handover.refresh_from_db()
    assert timezone.localtime(handover.returned_at).date() == came_back
    assert handover.received_by == liaison
    event = AuditEvent.objects.get(action="travel_application.passport_back")
    assert event.data["returned_on"] == came_back.isoformat() and event.data["late"] is True
    # The ledger shows the day given, not the day it was recorded.
    row = response.content.decode().split(f'data-handover="{handover.pk}"')[1].split("</tr>")[0]
    with translation.override("en"):
        shown = formats.date_format(came_back, "DATE_FORMAT")
    assert shown in row and 'data-testid="passport-return"' not in row
    listing = english.get("/applications/passports/").content.decode()
    returned = listing.split('data-testid="returned"')[1]
    assert f'data-handover="{handover.pk}"' in returned and shown in returned and ">late<" in returned


def test_a_return_on_time_is_not_late(liaison, trip, handed_out_days_ago):
    handover = handed_out_days_ago
    services.passport_return(
        handover=handover, actor=liaison, returned_on=timezone.localdate(handover.handed_out_at)
    )
    handover.refresh_from_db()
    assert timezone.localtime(handover.returned_at) >= timezone.localtime(handover.handed_out_at)
    assert AuditEvent.objects.get(action="travel_application.passport_back").data["late"] is False


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (-1, "cannot be in the future"),  # tomorrow
        (6, "it cannot have come back before that day"),  # the day before the hand-out
    ],
)
def test_a_day_in_the_future_or_before_the_hand_out_is_refused_beside_the_field(
    english, liaison, trip, handed_out_days_ago, days, message
):
    handover = handed_out_days_ago
    day = (timezone.localdate() - timedelta(days=days)).isoformat()
    english.force_login(liaison)

    response = english.post(return_url(handover), {"returned_on": day})

    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and 'id="error-summary"' in body
    assert 'id="id_return_returned_on_error"' in body and f'value="{day}"' in body  # nothing lost
    handover.refresh_from_db()
    assert handover.returned_at is None
    assert not AuditEvent.objects.filter(action="travel_application.passport_back").exists()


@pytest.mark.parametrize("value", ["", "26/11/2026", "2026-02-30"])
def test_a_missing_or_malformed_day_shows_the_form_again(english, liaison, handed_out_days_ago, value):
    handover = handed_out_days_ago
    english.force_login(liaison)
    response = english.post(return_url(handover), {"returned_on": value})
    assert response.status_code == 400
    assert 'data-testid="passport-return-form"' in response.content.decode()
    handover.refresh_from_db()
    assert handover.returned_at is None


def test_the_service_refuses_bad_days_itself(liaison, handed_out_days_ago):
    handover = handed_out_days_ago
    for day in (timezone.localdate() + timedelta(days=1), timezone.localdate() - timedelta(days=6)):
        with pytest.raises(ValidationError) as refused:
            services.passport_return(handover=handover, actor=liaison, returned_on=day)
        assert "returned_on" in refused.value.message_dict
    handover.refresh_from_db()
    assert handover.returned_at is None


def test_a_returned_passport_is_not_recorded_twice(english, liaison, trip, handed_out_days_ago):
    handover = handed_out_days_ago
    services.passport_return(handover=handover, actor=liaison)
    english.force_login(liaison)
    response = english.get(return_url(handover), follow=True)
    assert response.redirect_chain == [(f"/applications/{trip.pk}/#custody", 302)]
    assert "already been returned" in response.content.decode()


def test_the_list_of_passports_offers_the_return_to_the_liaison_only(
    english, liaison, applicant, trip, handed_out_days_ago
):
    handover = handed_out_days_ago
    english.force_login(liaison)
    body = english.get("/applications/passports/").content.decode()
    row = (
        body.split('data-testid="outstanding"')[1]
        .split(f'data-handover="{handover.pk}"')[1]
        .split("</tr>")[0]
    )
    link = f"{return_url(handover)}?from=passports"
    assert f'href="{link}"' in row and "Record return…" in row

    page = english.get(link).content.decode()
    assert 'href="/applications/passports/"' in page  # the way back leads to the list
    response = english.post(link, {"returned_on": timezone.localdate().isoformat()}, follow=True)
    assert response.redirect_chain == [("/applications/passports/", 302)]
    assert f'data-handover="{handover.pk}"' in response.content.decode().split('data-testid="returned"')[1]

    other = services.passport_hand_out(application=trip, person=trip.members.last().person, actor=liaison)
    english.force_login(applicant)  # a member of the organisation without the liaison's role
    body = english.get("/applications/passports/").content.decode()
    assert f'data-handover="{other.pk}"' in body
    assert 'data-testid="passport-return"' not in body and "Record return…" not in body
    assert english.get(f"{return_url(other)}?from=passports").status_code == 403
    assert (
        english.post(return_url(other), {"returned_on": timezone.localdate().isoformat()}).status_code == 403
    )
    other.refresh_from_db()
    assert other.returned_at is None
