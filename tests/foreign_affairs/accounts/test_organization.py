"""The organisation profile: the liaison keeps the contacts, the office the identity."""

import pytest

from foreign_affairs.accounts.models import Organization
from foreign_affairs.audit.models import AuditEvent
from tests.factories import make_uscc

pytestmark = pytest.mark.django_db

CONTACTS = {
    "industry": "logistics",
    "address": "郑州市航空港区 1 号",
    "contact_name": "李娜",
    "contact_phone": "0371-1234567",
    "contact_email": "li.na@example.com",
}


def test_the_liaison_changes_contacts_and_it_is_audited(client, liaison, organization):
    client.force_login(liaison)
    assert client.get("/organisation/").status_code == 200
    response = client.post("/organisation/edit/", CONTACTS)
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.address == "郑州市航空港区 1 号" and organization.industry == "logistics"
    event = AuditEvent.objects.get(action="organization.update")
    assert event.data["changed"]["contact_email"] == ["", "li.na@example.com"]


def test_an_applicant_may_look_but_not_change(client, applicant):
    client.force_login(applicant)
    page = client.get("/organisation/").content.decode()
    assert "/organisation/edit/" not in page
    assert client.post("/organisation/edit/", CONTACTS).status_code == 403


def test_liaison_sees_the_organisations_accounts(client, liaison, applicant):
    client.force_login(liaison)
    assert applicant.get_full_name() in client.get("/organisation/").content.decode()


def test_api_liaison_may_patch_contacts_but_not_identity(api_as, liaison, organization):
    api = api_as(liaison)
    response = api.patch(
        f"/api/v1/organizations/{organization.pk}/",
        {"contact_phone": "0371-7654321", "name_zh": "改名公司"},
        format="json",
    )
    assert response.status_code == 200
    organization.refresh_from_db()
    assert organization.contact_phone == "0371-7654321" and organization.name_zh != "改名公司"


def test_api_applicant_cannot_patch_and_other_organisations_are_404(
    api_as, applicant, organization, other_organization
):
    api = api_as(applicant)
    assert (
        api.patch(f"/api/v1/organizations/{organization.pk}/", {"address": "x"}, format="json").status_code
        == 403
    )
    assert api.get(f"/api/v1/organizations/{other_organization.pk}/").status_code == 404
    assert [o["id"] for o in api.get("/api/v1/organizations/").json()["results"]] == [organization.pk]


def test_api_officer_registers_an_organisation_with_a_checked_credit_code(api_as, officer):
    api = api_as(officer)
    body = {"name_zh": "开封新企业有限公司", "uscc": make_uscc(999), "ftz_area": "kaifeng", "industry": "it"}
    assert api.post("/api/v1/organizations/", body, format="json").status_code == 201
    wrong = {**body, "name_zh": "另一家", "uscc": "914403001922038217"}  # one character mistyped
    response = api.post("/api/v1/organizations/", wrong, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "uscc",
            "code": "uscc_check",
            "message": "该统一社会信用代码的校验位有误，请检查是否输入错误。",
        }
    ]
    assert Organization.objects.filter(name_zh="另一家").count() == 0


def test_api_manager_reads_but_cannot_register(api_as, manager):
    api = api_as(manager)
    assert api.get("/api/v1/organizations/").status_code == 200
    body = {"name_zh": "x", "uscc": make_uscc(5), "ftz_area": "kaifeng"}
    assert api.post("/api/v1/organizations/", body, format="json").status_code == 403
