"""Every door of the APEC cards and the foreign offices' change requests that shows a passport number whole
(page, back office, API; the edit form of a draft) writes one access record naming the person and the case;
a masked number, a list and a 404 write none."""

from datetime import date

import pytest
from django.urls import reverse

from apec_cards.models import Card
from foreign_affairs.accounts.models import Person
from foreign_affairs.privacy.models import Door, PersonalDataAccess, Seen
from foreign_offices.services import changes
from tests.apec_cards.helpers import card_person, draft, issued_card
from tests.foreign_offices.factories import member_of, opened_case

pytestmark = pytest.mark.django_db

NUMBER = "E12345678"
MASKED = "*****5678"


def records():
    return list(PersonalDataAccess.objects.order_by("pk"))


def assert_one_record(*, user, person, case, door, organization=None):
    [record] = records()
    assert (record.user, record.person, record.case, record.door, record.seen) == (
        user,
        person,
        case,
        door,
        Seen.PASSPORT_NUMBER,
    )
    assert record.organization_id == (organization.pk if organization else person.organization_id)


@pytest.fixture
def application(applicant, organization):
    person = card_person(organization, passport_number=NUMBER)
    return draft(applicant, person)


@pytest.fixture
def card(applicant, liaison, officer, organization):
    return issued_card(
        applicant=applicant,
        liaison=liaison,
        officer=officer,
        person=card_person(organization, passport_number=NUMBER),
    )


# APEC card applications ------------------------------------------------------------------------------------


@pytest.mark.parametrize("reader", ["applicant", "officer"])
def test_the_application_page_shows_the_number_whole_once_recorded(client, application, reader, request):
    user = request.getfixturevalue(reader)
    client.force_login(user)
    page = client.get(reverse("apec_cards:application_detail", args=[application.pk]))
    assert page.status_code == 200 and page.context["passport_number"] == NUMBER
    assert NUMBER in page.content.decode()
    assert_one_record(user=user, person=application.person, case=application.reference, door=Door.PAGE)


def test_another_organisation_gets_404_and_no_record(client, application, other_applicant):
    client.force_login(other_applicant)
    assert client.get(reverse("apec_cards:application_detail", args=[application.pk])).status_code == 404
    assert client.get(reverse("api:apec-application-detail", args=[application.pk])).status_code == 404
    assert records() == []


def test_the_lists_mask_the_numbers_and_record_nothing(client, api_as, card, applicant, organization):
    application = draft(applicant, card_person(organization, passport_number="K87654321"))
    client.force_login(applicant)
    for url in (reverse("apec_cards:application_list"), reverse("apec_cards:card_list")):
        page = client.get(url)
        assert page.status_code == 200 and NUMBER not in page.content.decode()
    for url in (reverse("api:apec-application-list"), reverse("api:apec-card-list")):
        answer = api_as(applicant).get(url)
        assert answer.status_code == 200 and NUMBER not in answer.content.decode()
        assert "K87654321" not in answer.content.decode()
    assert application.reference in client.get(reverse("apec_cards:application_list")).content.decode()
    assert records() == []


def test_the_edit_form_of_a_draft_holding_its_own_number_is_recorded(client, applicant, organization):
    person = card_person(organization, passport_number="G11112222")
    application = draft(applicant, person, passport_number=NUMBER, passport_expiry=date(2034, 1, 31))
    client.force_login(applicant)
    page = client.get(reverse("apec_cards:application_edit", args=[application.pk]))
    assert page.status_code == 200 and f'value="{NUMBER}"' in page.content.decode()
    assert_one_record(user=applicant, person=person, case=application.reference, door=Door.PAGE)


def test_the_edit_form_of_a_draft_with_the_travellers_passport_shows_no_number(
    client, application, applicant
):
    client.force_login(applicant)
    page = client.get(reverse("apec_cards:application_edit", args=[application.pk]))
    assert page.status_code == 200 and NUMBER not in page.content.decode()
    assert records() == []


def test_the_back_office_page_of_an_application_is_recorded(client, application, officer):
    client.force_login(officer)
    page = client.get(reverse("admin:apec_cards_cardapplication_change", args=[application.pk]))
    assert page.status_code == 200 and NUMBER in page.content.decode()
    assert_one_record(user=officer, person=application.person, case=application.reference, door=Door.ADMIN)


@pytest.mark.parametrize("reader", ["applicant", "officer"])
def test_the_api_detail_of_an_application_is_recorded(api_as, application, reader, request):
    user = request.getfixturevalue(reader)
    answer = api_as(user).get(reverse("api:apec-application-detail", args=[application.pk]))
    assert answer.status_code == 200 and answer.json()["passport_number"] == NUMBER
    assert_one_record(user=user, person=application.person, case=application.reference, door=Door.API)


def test_an_api_answer_after_a_change_is_recorded_too(api_as, application, applicant):
    answer = api_as(applicant).patch(
        reverse("api:apec-application-detail", args=[application.pk]), {"travel_history": "2026-01 悉尼"}
    )
    assert answer.status_code == 200 and answer.json()["passport_number"] == NUMBER
    assert_one_record(user=applicant, person=application.person, case=application.reference, door=Door.API)


# APEC cards ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("reader", ["applicant", "officer"])
def test_the_card_page_is_recorded(client, card, reader, request):
    user = request.getfixturevalue(reader)
    client.force_login(user)
    page = client.get(reverse("apec_cards:card_detail", args=[card.pk]))
    assert page.status_code == 200 and page.context["passport_number"] == NUMBER
    assert_one_record(user=user, person=card.holder, case=card.number, door=Door.PAGE)


def test_the_back_office_page_of_a_card_is_recorded(client, card, officer):
    client.force_login(officer)
    page = client.get(reverse("admin:apec_cards_card_change", args=[card.pk]))
    assert page.status_code == 200 and NUMBER in page.content.decode()
    assert_one_record(user=officer, person=card.holder, case=card.number, door=Door.ADMIN)


def test_the_api_detail_of_a_card_is_recorded(api_as, card, applicant):
    answer = api_as(applicant).get(reverse("api:apec-card-detail", args=[card.pk]))
    assert answer.status_code == 200 and answer.json()["passport_number"] == NUMBER
    assert_one_record(user=applicant, person=card.holder, case=card.number, door=Door.API)


def test_a_card_of_another_organisation_is_404_and_unrecorded(client, api_as, card, other_applicant):
    client.force_login(other_applicant)
    assert client.get(reverse("apec_cards:card_detail", args=[card.pk])).status_code == 404
    assert api_as(other_applicant).get(reverse("api:apec-card-detail", args=[card.pk])).status_code == 404
    assert records() == [] and Card.objects.filter(pk=card.pk).exists()


# Foreign offices: a new chief representative's passport ---------------------------------------------------


@pytest.fixture
def chief_change(officer):
    case = opened_case(officer)
    return changes.change_submit(
        organisation=case.organisation,
        actor=member_of(case.organisation),
        kind="chief_representative",
        proposed={
            "full_name": "Lukas Becker",
            "passport_number": NUMBER,
            "passport_expiry": date(date.today().year + 5, 5, 14).isoformat(),
            "position": "Chief Representative",
        },
    )


def assert_one_change_record(change, *, user, door, person=None):
    organisation = change.organisation
    assert_one_record(
        user=user,
        person=person,
        case=organisation.registration_number,
        door=door,
        organization=organisation.account,
    )


def test_the_organisations_page_of_its_request_is_recorded(client, chief_change):
    member = member_of(chief_change.organisation)
    client.force_login(member)
    page = client.get(reverse("foreign_offices:change_detail", args=[chief_change.pk]))
    assert page.status_code == 200 and NUMBER in page.content.decode()
    assert_one_change_record(chief_change, user=member, door=Door.PAGE)


def test_the_back_office_page_of_a_request_is_recorded(client, chief_change, officer):
    client.force_login(officer)
    page = client.get(reverse("admin:foreign_offices_changerequest_change", args=[chief_change.pk]))
    assert page.status_code == 200 and NUMBER in page.content.decode()
    assert_one_change_record(chief_change, user=officer, door=Door.ADMIN)


def test_the_api_detail_is_recorded_and_the_api_list_masked(api_as, chief_change, officer):
    client = api_as(officer)
    listed = client.get(reverse("api:foreign-offices-change-request-list"))
    assert listed.status_code == 200 and NUMBER not in listed.content.decode()
    assert listed.json()["results"][0]["proposed"]["passport_number"] == MASKED
    assert records() == []
    answer = client.get(reverse("api:foreign-offices-change-request-detail", args=[chief_change.pk]))
    assert answer.status_code == 200 and answer.json()["proposed"]["passport_number"] == NUMBER
    assert_one_change_record(chief_change, user=officer, door=Door.API)


def test_once_approved_the_record_names_the_chief_representative(client, chief_change, officer):
    changes.change_transition(request=chief_change, actor=officer, name="approve", comment="")
    person = Person.objects.get(passport_number=NUMBER)
    client.force_login(officer)
    page = client.get(reverse("admin:foreign_offices_changerequest_change", args=[chief_change.pk]))
    assert page.status_code == 200
    assert_one_change_record(chief_change, user=officer, door=Door.ADMIN, person=person)


def test_another_organisations_request_is_404_and_unrecorded(client, api_as, chief_change, officer):
    other = opened_case(
        officer,
        organisation_name="Other GmbH",
        organisation_name_zh="其他有限公司",
        contact_email="other@example.de",
    )
    stranger = member_of(other.organisation)
    client.force_login(stranger)
    assert client.get(reverse("foreign_offices:change_detail", args=[chief_change.pk])).status_code == 404
    detail = reverse("api:foreign-offices-change-request-detail", args=[chief_change.pk])
    assert api_as(stranger).get(detail).status_code == 404
    assert records() == []
