"""Every door of the travel approvals and of the organisations' people that shows a whole passport number
writes one access record per person shown (privacy.access): who looked, whose number, the organisation,
the case (the trip's reference) and the door. Lists show masked numbers and write nothing; other
organisations get 404 and write nothing. The walk goes through the pages, the back office, the API and
the forms, as the users who use them."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from approvals.forms import HandOutForm
from approvals.models import PassportHandover
from foreign_affairs.privacy.models import Door, PersonalDataAccess, Seen
from tests.approvals.factories import ApplicationFactory
from tests.factories import PersonFactory, enterprise_user

pytestmark = pytest.mark.django_db

ACCESS_TABLE = PersonalDataAccess._meta.db_table


@pytest.fixture
def signed_in(client):
    """`client` signed in as `user`, in English."""

    def login(user):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return login


@pytest.fixture
def trip(organization, officer):
    """An approved trip of `organization` (three members) with its leader's official passport out."""
    application = ApplicationFactory(organization=organization, approved=True)
    leader = application.members.get(is_leader=True).person
    PassportHandover.objects.create(
        person=leader,
        application=application,
        passport_number=leader.passport_number,
        handed_out_by=officer,
        handed_to=leader.full_name,
        due_on=timezone.localdate() + timedelta(days=30),
    )
    return application


def members(application) -> list:
    return [member.person for member in application.members.select_related("person").order_by("pk")]


def looks() -> list[tuple]:
    """The access records written, as (person, organisation, seen, door, case, user)."""
    return sorted(
        PersonalDataAccess.objects.values_list(
            "person_id", "organization_id", "seen", "door", "case", "user_id"
        )
    )


def expected(people, *, door, case, user) -> list[tuple]:
    return sorted(
        (person.pk, person.organization_id, Seen.PASSPORT_NUMBER, door, case, user.pk) for person in people
    )


def clear():
    PersonalDataAccess.objects.all().delete()


def shows_whole(content: str, people) -> bool:
    return all(person.passport_number in content for person in people)


def shows_masked_only(content: str, people) -> bool:
    return all(
        person.passport_number not in content and person.masked_passport_number in content
        for person in people
    )


# The organisation's people ----------------------------------------------------------------------------------


@pytest.mark.parametrize("viewer", ["liaison", "officer"])
def test_a_persons_page_and_its_form_record_one_look(signed_in, request, organization, viewer):
    person = PersonFactory(organization=organization)
    user = request.getfixturevalue(viewer)
    client = signed_in(user)

    page = client.get(reverse("accounts:person_detail", args=[person.pk]))
    assert page.status_code == 200 and person.passport_number in page.content.decode()
    assert looks() == expected([person], door=Door.PAGE, case="", user=user)

    clear()
    form = client.get(reverse("accounts:person_update", args=[person.pk]))
    assert f'value="{person.passport_number}"' in form.content.decode()  # the input holds it whole
    assert looks() == expected([person], door=Door.PAGE, case="", user=user)


def test_the_people_list_masks_and_another_organisation_gets_404(signed_in, organization, other_applicant):
    people = [PersonFactory(organization=organization) for _ in range(2)]
    client = signed_in(enterprise_user(organization))
    assert shows_masked_only(client.get(reverse("accounts:person_list")).content.decode(), people)

    client = signed_in(other_applicant)
    assert client.get(reverse("accounts:person_detail", args=[people[0].pk])).status_code == 404
    assert client.get(reverse("accounts:person_update", args=[people[0].pk])).status_code == 404
    assert looks() == []


def test_the_people_api_records_one_person_and_masks_the_list(
    api_as, applicant, other_applicant, organization
):
    person = PersonFactory(organization=organization)
    api = api_as(applicant)

    [row] = api.get("/api/v1/people/").json()["results"]
    assert row["passport_number"] == person.masked_passport_number
    assert looks() == []

    assert api.get(f"/api/v1/people/{person.pk}/").json()["passport_number"] == person.passport_number
    assert looks() == expected([person], door=Door.API, case="", user=applicant)

    clear()
    assert api_as(other_applicant).get(f"/api/v1/people/{person.pk}/").status_code == 404
    assert looks() == []


def test_the_back_office_lists_people_masked_and_records_the_change_page(signed_in, officer, organization):
    person = PersonFactory(organization=organization)
    other = PersonFactory(organization=organization)
    client = signed_in(officer)
    changelist = reverse("admin:accounts_person_changelist")

    content = client.get(changelist).content.decode()
    assert shows_masked_only(content, [person, other])
    found = client.get(changelist, {"q": person.passport_number.lower()})  # the blind index finds it whole
    assert [row.pk for row in found.context["cl"].result_list] == [person.pk]
    organization_page = client.get(reverse("admin:accounts_organization_change", args=[organization.pk]))
    assert shows_masked_only(organization_page.content.decode(), [person, other])
    assert looks() == []

    page = client.get(reverse("admin:accounts_person_change", args=[person.pk]))
    assert f'value="{person.passport_number}"' in page.content.decode()
    assert looks() == expected([person], door=Door.ADMIN, case="", user=officer)


# Travel applications: pages --------------------------------------------------------------------------------


@pytest.mark.parametrize("viewer", ["liaison", "applicant", "officer"])
def test_the_application_page_records_each_member_once(signed_in, request, trip, viewer):
    """The members, the custody ledger and (for the liaison) the hand-out form all show whole numbers:
    one record per member, in one statement."""
    user = request.getfixturevalue(viewer)
    client = signed_in(user)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("approvals:detail", args=[trip.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert shows_whole(content, members(trip))
    if viewer == "liaison":
        assert 'data-testid="hand-out-form"' in content
    assert looks() == expected(members(trip), door=Door.PAGE, case=trip.reference, user=user)
    assert sum(f'INSERT INTO "{ACCESS_TABLE}"' in query["sql"] for query in queries.captured_queries) == 1


@pytest.mark.parametrize(
    "url", ["approvals:detail", "admin:approvals_travelapplication_change", "/api/v1/travel-applications/%d/"]
)
def test_the_application_doors_keep_their_queries_flat(signed_in, officer, organization, url):
    """The access write is one statement whatever the size of the delegation."""
    small, large = (
        ApplicationFactory(organization=organization, approved=True, trip__members=size) for size in (2, 6)
    )
    client = signed_in(officer)
    counts = []
    for application in (small, large, small, large):  # the first round fills the caches
        clear()
        address = url % application.pk if "%" in url else reverse(url, args=[application.pk])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200
        counts.append(len(queries))
        assert len(looks()) == application.members.count()
    assert counts[2] == counts[3]


def test_other_organisations_get_404_and_the_custody_lists_mask(signed_in, trip, liaison, other_organization):
    handover = trip.passport_handovers.get()
    client = signed_in(enterprise_user(other_organization, liaison=True))
    assert client.get(reverse("approvals:detail", args=[trip.pk])).status_code == 404
    assert client.get(reverse("approvals:passport_return", args=[trip.pk, handover.pk])).status_code == 404

    client = signed_in(liaison)
    assert shows_masked_only(client.get(reverse("approvals:passports")).content.decode(), [handover.person])
    confirmation = client.get(reverse("approvals:passport_return", args=[trip.pk, handover.pk]))
    assert shows_masked_only(confirmation.content.decode(), [handover.person])
    assert looks() == []


def test_the_application_form_shows_no_whole_number(signed_in, organization, applicant):
    """Saved members are chosen by name and masked number; the number input is for new travellers."""
    draft = ApplicationFactory(organization=organization, created_by=applicant)
    content = signed_in(applicant).get(reverse("approvals:update", args=[draft.pk])).content.decode()
    assert 'name="members-0-person"' in content
    assert shows_masked_only(content, members(draft))
    assert looks() == []


def test_the_hand_out_form_records_what_its_choices_show(trip, liaison, other_applicant):
    """Shown on its own, the form records each choice named whole, once however often it is rendered."""
    candidates = [person for person in members(trip) if not person.passport_handovers.exists()]
    request = RequestFactory().get(reverse("approvals:detail", args=[trip.pk]))
    request.user = liaison
    form = HandOutForm(application=trip, request=request)
    rendered = Template("{{ form.person }}{{ form.person }}").render(Context({"form": form}))
    assert shows_whole(rendered, candidates)
    assert looks() == expected(candidates, door=Door.PAGE, case=trip.reference, user=liaison)


# Travel applications: the back office -----------------------------------------------------------------------


def test_the_back_office_application_page_records_each_member_once(signed_in, officer, trip):
    """Members, custody ledger and the hand-out choices: one record per member, one statement."""
    client = signed_in(officer)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("admin:approvals_travelapplication_change", args=[trip.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert shows_whole(content, members(trip)) and 'data-testid="custody"' in content
    assert looks() == expected(members(trip), door=Door.ADMIN, case=trip.reference, user=officer)
    assert sum(f'INSERT INTO "{ACCESS_TABLE}"' in query["sql"] for query in queries.captured_queries) == 1


def test_the_back_office_return_page_records_the_passport(signed_in, officer, trip):
    handover = trip.passport_handovers.get()
    client = signed_in(officer)
    url = reverse("admin:approvals_travelapplication_passport_return", args=[trip.pk, handover.pk])
    assert handover.passport_number in client.get(url).content.decode()
    assert looks() == expected([handover.person], door=Door.ADMIN, case=trip.reference, user=officer)


def test_the_custody_ledger_masks_its_list_and_records_a_handovers_page(signed_in, officer, trip):
    handover = trip.passport_handovers.get()
    client = signed_in(officer)
    ledger = reverse("admin:approvals_passporthandover_changelist")

    assert shows_masked_only(client.get(ledger).content.decode(), [handover.person])
    found = client.get(ledger, {"q": handover.passport_number.lower()})
    assert [row.pk for row in found.context["cl"].result_list] == [handover.pk]
    confirmation = client.post(
        ledger, {"action": "mark_received", "index": 0, "_selected_action": [handover.pk]}
    )
    assert 'data-testid="bulk-return-form"' in confirmation.content.decode()
    assert shows_masked_only(confirmation.content.decode(), [handover.person])
    assert looks() == []

    page = client.get(reverse("admin:approvals_passporthandover_change", args=[handover.pk]))
    assert page.status_code == 200 and handover.passport_number in page.content.decode()
    assert looks() == expected([handover.person], door=Door.ADMIN, case=trip.reference, user=officer)


# Travel applications: the API ------------------------------------------------------------------------------


@pytest.mark.parametrize("viewer", ["applicant", "officer"])
def test_the_application_api_records_each_member_once(api_as, request, trip, viewer):
    user = request.getfixturevalue(viewer)
    api = api_as(user)
    assert api.get("/api/v1/travel-applications/").status_code == 200  # no members in the list
    assert looks() == []

    with CaptureQueriesContext(connection) as queries:
        answer = api.get(f"/api/v1/travel-applications/{trip.pk}/").json()
    assert sorted(member["passport_number"] for member in answer["members"]) == sorted(
        person.passport_number for person in members(trip)
    )
    assert looks() == expected(members(trip), door=Door.API, case=trip.reference, user=user)
    assert sum(f'INSERT INTO "{ACCESS_TABLE}"' in query["sql"] for query in queries.captured_queries) == 1


def test_the_custody_api_masks_its_list_and_records_one_handover(api_as, liaison, officer, trip):
    handover = trip.passport_handovers.get()
    for user in (liaison, officer):
        api = api_as(user)
        [row] = api.get("/api/v1/passport-handovers/").json()["results"]
        assert row["passport_number"] == handover.person.masked_passport_number
        assert looks() == []
        answer = api.get(f"/api/v1/passport-handovers/{handover.pk}/").json()
        assert answer["passport_number"] == handover.passport_number
        assert looks() == expected([handover.person], door=Door.API, case=trip.reference, user=user)
        clear()


def test_other_organisations_see_no_trip_and_no_handover_in_the_api(api_as, other_applicant, trip):
    api = api_as(other_applicant)
    handover = trip.passport_handovers.get()
    assert api.get(f"/api/v1/travel-applications/{trip.pk}/").status_code == 404
    assert api.get(f"/api/v1/passport-handovers/{handover.pk}/").status_code == 404
    assert api.get("/api/v1/passport-handovers/").json()["count"] == 0
    assert looks() == []
