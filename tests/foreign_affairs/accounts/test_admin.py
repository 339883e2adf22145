"""The back office uses the same services: saves are validated and audited; powers stay with superusers."""

import pytest
from django.contrib.auth.models import Group

from foreign_affairs.accounts.models import Membership, Organization, Person
from foreign_affairs.accounts.roles import Role
from foreign_affairs.audit.models import AuditEvent
from tests.factories import OrganizationFactory, PersonFactory, UserFactory, enterprise_user, make_uscc

pytestmark = pytest.mark.django_db


def _org_form(**overrides):
    data = {
        "name_zh": "郑州后台新增有限公司",
        "name_en": "",
        "uscc": make_uscc(4242),
        "ftz_area": "zhengzhou",
        "industry": "trade",
        "is_active": "on",
        "address": "",
        "contact_name": "",
        "contact_phone": "",
        "contact_email": "",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "people-TOTAL_FORMS": "0",
        "people-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/accounts/organization/",
        "/admin/accounts/person/",
        "/admin/accounts/membership/",
        "/admin/accounts/user/",
        "/admin/audit/auditevent/",
        "/admin/documents/document/",
        "/admin/notifications/notification/",
        "/admin/accounts/organization/add/",
    ],
)
def test_officer_back_office_pages_open(client, officer, organization, path):
    client.force_login(officer)
    assert client.get(path).status_code == 200


def test_office_branding_is_shown(client, officer):
    client.force_login(officer)
    assert "河南省人民政府外事侨务办公室" in client.get("/admin/").content.decode() or "外事侨务办公室" in (
        client.get("/admin/").content.decode()
    )


def test_an_officer_registers_an_organisation_with_a_member(client, officer):
    member = UserFactory()
    client.force_login(officer)
    response = client.post(
        "/admin/accounts/organization/add/",
        _org_form(
            **{
                "memberships-TOTAL_FORMS": "1",
                "memberships-0-user": str(member.pk),
                "memberships-0-is_liaison": "on",
                "memberships-0-job_title": "联络员",
            }
        ),
    )
    assert response.status_code == 302, response.context["errors"] if response.context else response
    organization = Organization.objects.get(name_zh="郑州后台新增有限公司")
    assert Membership.objects.get(user=member).organization == organization
    assert set(member.groups.values_list("name", flat=True)) == {Role.APPLICANT, Role.LIAISON}
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == [
        "organization.create",
        "membership.create",
    ]


def test_a_wrong_credit_code_is_refused_in_the_back_office(client, officer):
    client.force_login(officer)
    response = client.post("/admin/accounts/organization/add/", _org_form(uscc="914403001922038217"))
    assert response.status_code == 200
    assert not Organization.objects.filter(name_zh="郑州后台新增有限公司").exists()


def _person_form(organization, **overrides):
    data = {
        "organization": organization.pk,
        "full_name": "",
        "pinyin_name": "",
        "gender": "male",
        "birth_date": "",
        "position": "",
        "passport_number": "",
        "passport_type": "ordinary",
        "passport_expiry": "",
        "phone": "",
        "email": "",
    }
    data.update(overrides)
    return data


def test_person_changes_in_the_back_office_are_audited(client, officer, organization):
    person = Person.objects.create(organization=organization, full_name="张三", passport_type="ordinary")
    client.force_login(officer)
    response = client.post(
        f"/admin/accounts/person/{person.pk}/change/",
        _person_form(organization, full_name="张三丰", pinyin_name="ZHANG SANFENG"),
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="person.update")
    # Which fields changed, never their values (the log is append-only; an erasure could not remove them).
    assert event.actor == officer and "full_name" in event.data["changed"]
    assert "张三" not in str(event.data)


def test_officers_cannot_hand_out_powers_or_touch_office_accounts(client, officer, leader):
    client.force_login(officer)
    enterprise_user = UserFactory()
    page = client.get(f"/admin/accounts/user/{enterprise_user.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page and 'name="groups"' not in page
    assert (
        client.post(f"/admin/accounts/user/{leader.pk}/change/", {"username": "leader2"}).status_code == 403
    )


def test_enterprise_users_have_no_back_office(client, applicant):
    client.force_login(applicant)
    assert client.get("/admin/").status_code == 302


def _user_form(user, **overrides):
    data = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "groups": [],
        "phone": "",
        "preferred_language": "zh-hans",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    data.update(overrides)
    return data


def test_a_superuser_giving_an_office_role_grants_staff_status_and_audits_it(client, admin_user):
    target = UserFactory()
    client.force_login(admin_user)
    officer_group = Group.objects.get(name=Role.OFFICER)
    response = client.post(
        f"/admin/accounts/user/{target.pk}/change/", _user_form(target, groups=[officer_group.pk])
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.is_staff
    assert AuditEvent.objects.get(action="user.roles_change").data == {"added": ["Officer"], "removed": []}


def test_a_superuser_taking_a_role_away_in_the_back_office_is_audited(client, admin_user, officer):
    client.force_login(admin_user)
    response = client.post(f"/admin/accounts/user/{officer.pk}/change/", _user_form(officer, is_staff="on"))
    assert response.status_code == 302
    assert not officer.groups.exists()
    event = AuditEvent.objects.get(action="user.roles_change")
    assert (event.actor, event.object_id, event.data) == (
        admin_user,
        str(officer.pk),
        {"added": [], "removed": ["Officer"]},
    )


def test_saving_a_user_without_touching_roles_records_no_role_change(client, admin_user, officer):
    client.force_login(admin_user)
    groups = [Group.objects.get(name=Role.OFFICER).pk]
    response = client.post(
        f"/admin/accounts/user/{officer.pk}/change/",
        _user_form(officer, is_staff="on", groups=groups, first_name="新名"),
    )
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="user.roles_change").exists()


def test_an_officer_editing_an_enterprise_account_leaves_its_roles_alone(client, officer, applicant):
    client.force_login(officer)
    response = client.post(
        f"/admin/accounts/user/{applicant.pk}/change/",
        {
            "username": applicant.username,
            "first_name": "新名",
            "last_name": "",
            "email": "",
            "is_active": "on",
            "phone": "",
            "preferred_language": "zh-hans",
        },
    )
    assert response.status_code == 302
    assert set(applicant.groups.values_list("name", flat=True)) == {Role.APPLICANT}
    assert not AuditEvent.objects.filter(action="user.roles_change").exists()


def test_a_superuser_deleting_an_organisation_in_the_back_office_is_audited(client, admin_user):
    organization = OrganizationFactory()
    member = enterprise_user(organization)
    client.force_login(admin_user)
    response = client.post(f"/admin/accounts/organization/{organization.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Organization.objects.filter(pk=organization.pk).exists()
    assert not member.groups.exists()  # no organisation, no enterprise roles
    event = AuditEvent.objects.get(action="organization.delete")
    assert (event.actor, event.object_id) == (admin_user, str(organization.pk))


def test_bulk_deleting_organisations_and_travellers_audits_each(client, admin_user):
    organizations = OrganizationFactory.create_batch(2)
    people = PersonFactory.create_batch(2, organization=OrganizationFactory())
    client.force_login(admin_user)
    for url, objects in (
        ("/admin/accounts/person/", people),
        ("/admin/accounts/organization/", organizations),
    ):
        response = client.post(
            url,
            {"action": "delete_selected", "_selected_action": [obj.pk for obj in objects], "post": "yes"},
        )
        assert response.status_code == 302
    assert not Person.objects.filter(pk__in=[p.pk for p in people]).exists()
    assert not Organization.objects.filter(pk__in=[o.pk for o in organizations]).exists()
    deleted = AuditEvent.objects.filter(action__in=["person.delete", "organization.delete"])
    assert sorted(deleted.values_list("action", "object_id")) == sorted(
        [("person.delete", str(p.pk)) for p in people]
        + [("organization.delete", str(o.pk)) for o in organizations]
    )


def test_a_superuser_deleting_a_traveller_in_the_back_office_is_audited(client, admin_user, organization):
    person = Person.objects.create(organization=organization, full_name="张三", passport_type="ordinary")
    client.force_login(admin_user)
    response = client.post(f"/admin/accounts/person/{person.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="person.delete")
    assert (event.actor, event.object_id, event.data) == (
        admin_user,
        str(person.pk),
        {"organization": organization.pk},
    )


def test_officers_cannot_delete_organisations_or_travellers(client, officer, organization):
    person = Person.objects.create(organization=organization, full_name="张三", passport_type="ordinary")
    client.force_login(officer)
    assert client.post(f"/admin/accounts/person/{person.pk}/delete/", {"post": "yes"}).status_code == 403
    assert (
        client.post(f"/admin/accounts/organization/{organization.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert Person.objects.filter(pk=person.pk).exists() and not AuditEvent.objects.exists()


def test_an_officer_adds_a_traveller_in_the_back_office_through_the_service(client, officer, organization):
    client.force_login(officer)
    response = client.post(
        "/admin/accounts/person/add/",
        _person_form(
            organization,
            full_name="孙强",
            pinyin_name="sun qiang",
            passport_number="se 123 4567",
            passport_type="official_ordinary",
            passport_expiry="2035-01-01",
        ),
    )
    assert response.status_code == 302
    person = Person.objects.get(full_name="孙强")
    assert (person.organization, person.passport_number) == (organization, "SE1234567")
    event = AuditEvent.objects.get(action="person.create")
    assert (event.actor, event.object_id) == (officer, str(person.pk))
