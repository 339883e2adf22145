"""The back office uses the same services: saves are validated and audited; powers stay with superusers."""

import pytest

from foreign_affairs.accounts.models import Membership, Organization, Person
from foreign_affairs.accounts.roles import Role
from foreign_affairs.audit.models import AuditEvent
from tests.factories import UserFactory, make_uscc

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


def test_person_changes_in_the_back_office_are_audited(client, officer, organization):
    person = Person.objects.create(organization=organization, full_name="张三", passport_type="ordinary")
    client.force_login(officer)
    response = client.post(
        f"/admin/accounts/person/{person.pk}/change/",
        {
            "organization": organization.pk,
            "full_name": "张三丰",
            "pinyin_name": "ZHANG SANFENG",
            "gender": "male",
            "birth_date": "",
            "position": "",
            "passport_number": "",
            "passport_type": "ordinary",
            "passport_expiry": "",
            "phone": "",
            "email": "",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="person.update")
    assert event.actor == officer and event.data["changed"]["full_name"] == ["张三", "张三丰"]


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


def test_a_superuser_giving_an_office_role_grants_staff_status_and_audits_it(client, admin_user):
    target = UserFactory()
    client.force_login(admin_user)
    from django.contrib.auth.models import Group

    officer_group = Group.objects.get(name=Role.OFFICER)
    response = client.post(
        f"/admin/accounts/user/{target.pk}/change/",
        {
            "username": target.username,
            "first_name": "",
            "last_name": "",
            "email": "",
            "is_active": "on",
            "groups": [officer_group.pk],
            "phone": "",
            "preferred_language": "zh-hans",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.is_staff
    assert AuditEvent.objects.get(action="user.roles_change").data == {"added": ["Officer"], "removed": []}
