"""The access records as they are read: a person's access history in the back office (read only), the
organisations' page of the office's looks at their people, the unusual-access report (page, CSV, API) and
the API of the records."""

import csv
import io
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone, translation

from foreign_affairs.accounts.roles import Role
from foreign_affairs.privacy.models import Door, PersonalDataAccess, Seen
from tests.factories import PersonFactory, UserFactory, enterprise_user, office_user

CHANGELIST = "admin:privacy_personaldataaccess_changelist"
UNUSUAL = "admin:privacy_personaldataaccess_unusual"
UNUSUAL_CSV = "admin:privacy_personaldataaccess_unusual_csv"
ACCESS_API = "/api/v1/privacy/access/"
UNUSUAL_API = "/api/v1/privacy/unusual-access/"


def at(day: str, clock: str = "10:00") -> datetime:
    """A moment in the office's time zone."""
    return timezone.make_aware(datetime.fromisoformat(f"{day} {clock}"), timezone.get_default_timezone())


def look(user, person, *, when=None, seen=Seen.PASSPORT_NUMBER, door=Door.PAGE, case="TA-2026-0001"):
    return PersonalDataAccess.objects.create(
        user=user,
        person=person,
        organization_id=person.organization_id,
        seen=seen,
        door=door,
        case=case,
        path="/applications/1/",
        at=when or timezone.now(),
    )


@pytest.fixture
def traveller(organization):
    return PersonFactory(organization=organization, full_name="张三", pinyin_name="ZHANG SAN")


@pytest.fixture
def other_traveller(other_organization):
    return PersonFactory(organization=other_organization, full_name="李四", pinyin_name="LI SI")


def listed(response) -> list[int]:
    return [record.pk for record in response.context_data["cl"].result_list]


# The back office -------------------------------------------------------------------------------------------


def test_every_office_role_may_read_the_access_records(officer, leader, manager):
    for user in (officer, leader, manager):
        assert user.has_perm("privacy.view_personaldataaccess"), user.roles
    assert not enterprise_user().has_perm("privacy.view_personaldataaccess")


def test_officer_sees_a_persons_access_history(client, officer, leader, traveller, other_traveller):
    first = look(officer, traveller, when=timezone.now() - timedelta(days=2))
    second = look(leader, traveller, seen=Seen.PASSPORT_SCAN, door=Door.ADMIN)
    look(officer, other_traveller)
    client.force_login(officer)
    url = f"{reverse(CHANGELIST)}?person__id__exact={traveller.pk}"
    with translation.override("en"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert listed(response) == [second.pk, first.pk]
    title = response.context_data["title"]
    assert "张三" in title and traveller.organization.name_zh in title
    assert reverse(UNUSUAL) in response.content.decode()


def test_access_records_filter_by_what_where_who_organisation_and_case(
    client, officer, leader, applicant, traveller, other_traveller
):
    scan = look(leader, traveller, seen=Seen.PASSPORT_SCAN, case="AP-2026-0007")
    api = look(officer, other_traveller, door=Door.API, case="TA-2026-0002")
    own = look(applicant, traveller)
    client.force_login(officer)
    url = reverse(CHANGELIST)
    assert listed(client.get(url, {"seen": Seen.PASSPORT_SCAN})) == [scan.pk]
    assert listed(client.get(url, {"door": Door.API})) == [api.pk]
    assert listed(client.get(url, {"user__id__exact": leader.pk})) == [scan.pk]
    assert listed(client.get(url, {"user__id__exact": "organizations"})) == [own.pk]
    assert listed(client.get(url, {"organization__id__exact": other_traveller.organization_id})) == [api.pk]
    assert listed(client.get(url, {"q": "AP-2026"})) == [scan.pk]


def test_access_records_are_read_only_for_everyone(client, officer, django_user_model, traveller):
    record = look(officer, traveller)
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "x")
    client.force_login(admin)
    assert client.get(reverse("admin:privacy_personaldataaccess_add")).status_code == 403
    change = reverse("admin:privacy_personaldataaccess_change", args=[record.pk])
    page = client.get(change)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(change, {"case": "X"}).status_code == 403
    delete = reverse("admin:privacy_personaldataaccess_delete", args=[record.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    record.refresh_from_db()
    assert record.case == "TA-2026-0001"
    assert client.get(reverse(CHANGELIST)).context_data["action_form"] is None


def test_staff_without_the_permission_cannot_read_the_records(client, traveller, officer):
    look(officer, traveller)
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(reverse(CHANGELIST)).status_code == 403
    assert client.get(reverse(UNUSUAL)).status_code == 403
    assert client.get(reverse(UNUSUAL_CSV)).status_code == 403


def test_the_history_list_takes_a_fixed_number_of_queries(
    client, officer, traveller, django_assert_max_num_queries
):
    client.force_login(officer)
    url = f"{reverse(CHANGELIST)}?person__id__exact={traveller.pk}"
    look(officer, traveller)
    client.get(url)  # warm caches (content types, permissions)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for _ in range(15):
        look(officer, PersonFactory(organization=traveller.organization))
        look(office_user(Role.LEADER), traveller)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(listed(response)) == 16


# The organisations' page -----------------------------------------------------------------------------------


def test_organisation_sees_who_at_the_office_looked_at_its_people(
    client, liaison, applicant, officer, traveller, other_traveller
):
    office_look = look(officer, traveller, case="TA-2026-0005")
    look(applicant, traveller)  # the organisation's own staff: not listed
    look(officer, other_traveller)  # another organisation's person: never listed
    for reader in (liaison, applicant):
        client.force_login(reader)
        response = client.get(reverse("privacy:access"))
        assert response.status_code == 200
        assert [record.pk for record in response.context["page"].object_list] == [office_look.pk]
        page = response.content.decode()
        assert f'data-record="{office_look.pk}"' in page
        assert "TA-2026-0005" in page
        assert str(officer) in page
        assert "李四" not in page


def test_organisation_page_filters_by_person_and_month(client, liaison, officer, traveller, organization):
    colleague = PersonFactory(organization=organization, full_name="王五")
    november = look(officer, traveller, when=at("2026-11-30", "23:30"))
    december = look(officer, traveller, when=at("2026-12-01", "00:30"))
    other = look(officer, colleague, when=at("2026-12-02"))
    client.force_login(liaison)
    url = reverse("privacy:access")

    def shown(**query):
        return [record.pk for record in client.get(url, query).context["page"].object_list]

    assert shown(person=traveller.pk) == [december.pk, november.pk]
    assert shown(month="2026-12") == [other.pk, december.pk]
    assert shown(month="2026-11", person=traveller.pk) == [november.pk]
    assert client.get(url, {"month": "2026-11", "person": colleague.pk}).context["filtered"]


def test_organisation_page_cannot_reach_another_organisations_people(
    client, other_applicant, officer, traveller, other_traveller
):
    mine = look(officer, other_traveller)
    look(officer, traveller)
    client.force_login(other_applicant)
    response = client.get(reverse("privacy:access"), {"person": traveller.pk})
    assert [record.pk for record in response.context["page"].object_list] == [mine.pk]
    assert "张三" not in response.content.decode()


def test_organisation_page_empty_state(client, liaison):
    client.force_login(liaison)
    with translation.override("en"):
        response = client.get(reverse("privacy:access"), HTTP_ACCEPT_LANGUAGE="en")
    assert 'data-testid="empty-state"' in response.content.decode()


def test_organisation_page_is_for_organisations(client, officer, django_user_model):
    client.force_login(officer)
    assert client.get(reverse("privacy:access")).url == reverse(CHANGELIST)
    client.force_login(UserFactory())
    assert client.get(reverse("privacy:access")).status_code == 404
    client.logout()
    assert client.get(reverse("privacy:access")).status_code == 302


# Unusual access --------------------------------------------------------------------------------------------


@pytest.fixture
def busy_day(settings, officer, leader, organization):
    """On 2026-12-03 the officer looked at 3 different people (4 records), the leader at 2; the officer
    looked at one more person just before midnight the day before."""
    settings.PRIVACY_UNUSUAL_PEOPLE_PER_DAY = 3
    people = [PersonFactory(organization=organization) for _ in range(3)]
    for person in people:
        look(officer, person, when=at("2026-12-03", "09:00"))
    look(officer, people[0], when=at("2026-12-03", "17:00"))
    look(officer, people[1], when=at("2026-12-02", "23:59"))
    for person in people[:2]:
        look(leader, person, when=at("2026-12-03", "11:00"))
    return people


def test_unusual_access_lists_an_account_over_the_threshold_and_not_one_under(
    client, officer, leader, busy_day
):
    client.force_login(leader)
    response = client.get(reverse(UNUSUAL), {"date_from": "2026-12-01", "date_to": "2026-12-05"})
    assert response.status_code == 200
    rows = list(response.context_data["page"].object_list)
    assert [(row["user"], str(row["day"]), row["people"], row["looks"]) for row in rows] == [
        (officer.pk, "2026-12-03", 3, 4)
    ]
    page = response.content.decode()
    assert f'data-user="{officer.pk}"' in page
    assert f'data-user="{leader.pk}"' not in page
    # The records of that day, one link away.
    records = client.get(rows[0]["records_url"])
    assert len(listed(records)) == 4


def test_unusual_access_outside_the_period_is_not_listed(client, leader, busy_day):
    client.force_login(leader)
    response = client.get(reverse(UNUSUAL), {"date_from": "2026-12-04", "date_to": "2026-12-05"})
    assert list(response.context_data["page"].object_list) == []
    assert 'data-testid="unusual-empty"' in response.content.decode()


def test_unusual_access_csv(client, manager, officer, leader, busy_day):
    client.force_login(manager)
    response = client.get(reverse(UNUSUAL_CSV), {"date_from": "2026-12-01", "date_to": "2026-12-05"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "unusual-access-2026-12-01-2026-12-05.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2
    assert rows[1][:5] == ["2026-12-03", officer.username, str(officer), "3", "4"]
    assert leader.username not in response.content.decode("utf-8-sig")


def test_unusual_access_refuses_a_backward_period(client, leader, busy_day):
    client.force_login(leader)
    response = client.get(reverse(UNUSUAL), {"date_from": "2026-12-05", "date_to": "2026-12-01"})
    assert response.status_code == 200
    assert response.context_data["form"].errors["date_to"]


def test_unusual_access_api(api_as, officer, leader, applicant, busy_day):
    answer = api_as(leader).get(UNUSUAL_API, {"date_from": "2026-12-01", "date_to": "2026-12-05"})
    assert answer.status_code == 200
    assert answer.json()["count"] == 1
    row = answer.json()["results"][0]
    assert (row["user"], row["username"], row["day"], row["people"], row["looks"]) == (
        officer.pk,
        officer.username,
        "2026-12-03",
        3,
        4,
    )
    assert api_as(leader).get(UNUSUAL_API, {"date_from": "x"}).status_code == 400
    assert (
        api_as(leader).get(UNUSUAL_API, {"date_from": "2024-01-01", "date_to": "2026-01-01"}).status_code
        == 400
    )
    assert api_as(applicant).get(UNUSUAL_API).status_code == 403


# The API of the records ------------------------------------------------------------------------------------


def test_api_officer_reads_every_record_and_filters(
    api_as, officer, leader, applicant, traveller, other_traveller
):
    scan = look(leader, traveller, seen=Seen.PASSPORT_SCAN, when=at("2026-12-01"))
    api = look(officer, other_traveller, door=Door.API, when=at("2026-12-02"))
    own = look(applicant, traveller, when=at("2026-11-20"))
    client = api_as(officer)

    def ids(**query):
        answer = client.get(ACCESS_API, query)
        assert answer.status_code == 200, answer.json()
        return [row["id"] for row in answer.json()["results"]]

    assert ids() == [api.pk, scan.pk, own.pk]
    assert ids(person=traveller.pk) == [scan.pk, own.pk]
    assert ids(user=leader.pk) == [scan.pk]
    assert ids(organization=other_traveller.organization_id) == [api.pk]
    assert ids(seen=Seen.PASSPORT_SCAN) == [scan.pk]
    assert ids(door=Door.API) == [api.pk]
    assert ids(date_from="2026-12-01", date_to="2026-12-01") == [scan.pk]
    assert ids(month="2026-11") == [own.pk]
    row = client.get(f"{ACCESS_API}{scan.pk}/").json()
    assert (row["person"], row["person_name"], row["user"], row["seen"], row["path"]) == (
        traveller.pk,
        "张三",
        leader.pk,
        Seen.PASSPORT_SCAN,
        "/applications/1/",
    )
    assert client.get(ACCESS_API, {"seen": "nonsense"}).status_code == 400
    assert client.get(ACCESS_API, {"month": "2026-13"}).status_code == 400


def test_api_organisation_reads_only_the_office_looks_at_its_people(
    api_as, officer, applicant, other_applicant, traveller, other_traveller
):
    office_look = look(officer, traveller)
    own_look = look(applicant, traveller)
    foreign = look(officer, other_traveller)
    client = api_as(applicant)
    answer = client.get(ACCESS_API)
    assert answer.status_code == 200
    assert [row["id"] for row in answer.json()["results"]] == [office_look.pk]
    assert answer.json()["results"][0]["path"] is None
    assert client.get(f"{ACCESS_API}{office_look.pk}/").status_code == 200
    assert client.get(f"{ACCESS_API}{own_look.pk}/").status_code == 404
    assert client.get(f"{ACCESS_API}{foreign.pk}/").status_code == 404
    assert client.get(ACCESS_API, {"organization": other_traveller.organization_id}).json()["count"] == 0
    assert [row["id"] for row in api_as(other_applicant).get(ACCESS_API).json()["results"]] == [foreign.pk]


def test_api_refuses_those_who_read_no_records(api_as, api_client, traveller, officer):
    look(officer, traveller)
    assert api_client.get(ACCESS_API).status_code == 401
    assert api_as(UserFactory()).get(ACCESS_API).status_code == 403
    Group.objects.get(name=Role.OFFICER).permissions.remove(
        Permission.objects.get(codename="view_personaldataaccess")
    )
    assert api_as(office_user(Role.OFFICER)).get(ACCESS_API).status_code == 403


def test_the_recorded_path_keeps_no_search_term(client, officer):
    from foreign_affairs.privacy.models import PersonalDataAccess
    from tests.factories import PersonFactory

    person = PersonFactory(passport_number="E12345678")
    client.force_login(officer)
    response = client.get(f"/admin/accounts/person/{person.pk}/change/?_changelist_filters=q%3DE12345678")
    assert response.status_code == 200
    paths = list(PersonalDataAccess.objects.values_list("path", flat=True))
    assert paths and not any("E12345678" in path for path in paths)
