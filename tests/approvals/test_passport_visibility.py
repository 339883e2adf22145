"""The passport visibility rule (accounts.passports) on the trip's pages and in the API: a passport handed
out for a trip is shown whole to the traveller's own organisation and to the office, masked in lists, and
other organisations do not see the trip at all. Every whole showing is recorded (privacy.access; all the
doors: tests/foreign_affairs/privacy/test_doors_travel.py)."""

import pytest

from approvals import services
from foreign_affairs.privacy.models import Door, PersonalDataAccess
from tests.approvals.factories import ApplicationFactory
from tests.factories import enterprise_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def handed_out(organization, liaison):
    """An approved trip of `organization` with its leader's official passport handed out."""
    trip = ApplicationFactory(organization=organization, approved=True)
    person = trip.members.get(is_leader=True).person
    return services.passport_hand_out(application=trip, person=person, actor=liaison)


def _custody(client, handover) -> str:
    page = client.get(f"/applications/{handover.application_id}/")
    assert page.status_code == 200
    return page.content.decode().split('data-testid="custody"')[1].split("</section>")[0]


@pytest.mark.parametrize("viewer", ["liaison", "applicant", "officer"])
def test_the_own_organisation_and_the_office_see_a_handed_out_passport_whole(
    client, request, handed_out, viewer
):
    user = request.getfixturevalue(viewer)
    client.force_login(user)
    custody = _custody(client, handed_out)
    assert f'data-handover="{handed_out.pk}"' in custody
    assert handed_out.passport_number in custody
    assert handed_out.person.masked_passport_number not in custody
    [look] = PersonalDataAccess.objects.filter(person=handed_out.person)
    assert (look.user, look.door, look.case) == (user, Door.PAGE, handed_out.application.reference)


def test_another_organisation_gets_404_for_the_trip_and_its_passports(client, handed_out, other_organization):
    client.force_login(enterprise_user(other_organization, liaison=True))
    url = f"/applications/{handed_out.application_id}/"
    assert client.get(url).status_code == 404
    assert client.post(f"{url}passports/{handed_out.pk}/return/").status_code == 404
    body = client.get("/applications/passports/").content.decode()
    assert handed_out.passport_number not in body
    assert f'data-handover="{handed_out.pk}"' not in body
    assert not PersonalDataAccess.objects.exists()


def test_the_custody_overview_is_a_list_and_masks_even_for_the_own_liaison(client, liaison, handed_out):
    client.force_login(liaison)
    body = client.get("/applications/passports/").content.decode()
    assert f'data-handover="{handed_out.pk}"' in body
    assert handed_out.person.masked_passport_number in body and handed_out.passport_number not in body
    assert not PersonalDataAccess.objects.exists()  # nothing shown whole, nothing recorded


def test_the_api_masks_the_ledger_list_and_shows_one_handover_whole(api_as, liaison, officer, handed_out):
    url = "/api/v1/passport-handovers/"
    for viewer in (liaison, officer):
        api = api_as(viewer)
        [row] = api.get(url).json()["results"]
        assert row["passport_number"] == handed_out.person.masked_passport_number
        assert not PersonalDataAccess.objects.filter(user=viewer).exists()
        assert api.get(f"{url}{handed_out.pk}/").json()["passport_number"] == handed_out.passport_number
        [look] = PersonalDataAccess.objects.filter(user=viewer)
        assert (look.person, look.door) == (handed_out.person, Door.API)


def test_the_api_answers_404_for_another_organisations_handover(api_as, other_applicant, handed_out):
    api = api_as(other_applicant)
    assert api.get(f"/api/v1/passport-handovers/{handed_out.pk}/").status_code == 404
    assert api.get("/api/v1/passport-handovers/").json()["count"] == 0
