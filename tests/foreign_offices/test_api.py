"""`/api/v1/foreign-offices/`: the public enquiry (rate-limited, with a honeypot, bad input refused with
nothing stored), the office's cases carried to `opened`, the registry as the public, a member and the
office see it, annual reports and change requests with their 409s, scoping between two foreign
organisations, and lists whose queries do not grow with their length."""

import io
from datetime import date

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image
from rest_framework.test import APIClient

from foreign_affairs.accounts.roles import Role
from foreign_offices.models import AnnualReport, CaseMessage, ChangeRequest, FieldChange, SetupCase
from foreign_offices.services import registry
from foreign_offices.workflow import CaseState, ChangeState, EnquirySource, OrganisationState
from tests.factories import office_user
from tests.foreign_affairs.test_api_schema import assert_answer_matches

from .factories import ENQUIRY, enquiry, member_of, opened_case, registration, registration_number

pytestmark = pytest.mark.django_db

API = "/api/v1/foreign-offices/"
ENQUIRIES = f"{API}enquiries/"
CASES = f"{API}cases/"
ORGANISATIONS = f"{API}organisations/"
REPORTS = f"{API}annual-reports/"
CHANGES = f"{API}change-requests/"

PUBLIC_KEYS = {
    "view",
    "id",
    "name",
    "name_zh",
    "kind",
    "country",
    "country_name",
    "ftz_area",
    "address",
    "registered_on",
    "opened_on",
    "website",
    "description",
    "description_zh",
    "state",
    "available_transitions",
}
REPORT = {
    "year": 2025,
    "activities": "Two trade fairs in Zhengzhou and a seminar on machinery standards.",
    "staff_foreign": 2,
    "staff_local": 5,
    "address_confirmed": True,
    "representative_confirmed": True,
}


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


def anonymous(address: str = "203.0.113.7") -> APIClient:
    """A client without an account, which a CSRF check would stop (none applies to it)."""
    return APIClient(enforce_csrf_checks=True, REMOTE_ADDR=address)


def png(name="lease.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def organisation(officer, *, list_publicly=True, **changes_):
    """An organisation entered by the office (it set up before the portal)."""
    data = {
        "name": "Lyon Textile Institute",
        "name_zh": "里昂纺织研究所",
        "kind": "international_office",
        "country": "FR",
        "address": "郑州市金水区花园路8号",
        "ftz_area": "zhengzhou",
        "authority": "public_security",
        "registration_number": registration_number(107000 + registry.ForeignOrganisation.objects.count()),
        "registered_on": date(2024, 5, 6),
        "list_publicly": list_publicly,
        "description": "Textile research cooperation.",
        **changes_,
    }
    return registry.organisation_create(actor=officer, data=data)


# The public enquiry --------------------------------------------------------------------------------------


def test_a_public_enquiry_opens_a_case_in_state_enquiry(officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answer = anonymous().post(ENQUIRIES, {**ENQUIRY, "language": "en"}, format="json")
    assert answer.status_code == 201, answer.json()
    body = assert_answer_matches(answer, ENQUIRIES, "post")
    case = SetupCase.objects.get()
    assert body["reference"] == case.reference and body["state"] == "enquiry"
    assert case.reference in body["message"] and "Thank you" in body["message"]
    assert case.state == CaseState.ENQUIRY and case.source == EnquirySource.API
    assert case.assigned_officer == officer and case.language == "en"
    assert [m.to for m in mail.outbox if m.to == [ENQUIRY["contact_email"]]]
    assert anonymous().get(ENQUIRIES).status_code == 405


def test_the_enquiry_speaks_the_enquirers_language(officer):
    answer = anonymous().post(ENQUIRIES, ENQUIRY, format="json", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert answer.status_code == 201
    case = SetupCase.objects.get()
    assert case.language == "zh-hans" and case.reference in answer.json()["message"]
    answer = anonymous().post(ENQUIRIES, {**ENQUIRY, "contact_email": "b@example.de"}, format="json")
    assert SetupCase.objects.get(reference=answer.json()["reference"]).language == "en"


@pytest.mark.parametrize(
    "changes_, field",
    [
        ({"contact_email": "", "contact_name": ""}, "contact_email"),
        ({"contact_email": "not-an-address"}, "contact_email"),
        ({"country": "ZZ"}, "country"),
        ({"country": "CN"}, "country"),
        ({"kind": "embassy"}, "kind"),
        ({"message": "x" * 5001}, "message"),
        ({"language": ["en"]}, "language"),
        ({"contact_name": {"first": "Anna"}}, "contact_name"),
    ],
)
def test_bad_enquiries_answer_400_and_store_nothing(officer, changes_, field):
    answer = anonymous().post(ENQUIRIES, {**ENQUIRY, **changes_}, format="json")
    assert answer.status_code == 400, answer.json()
    body = assert_answer_matches(answer, ENQUIRIES, "post")
    assert field in {error.get("field") for error in body["errors"]}
    assert not SetupCase.objects.exists() and not CaseMessage.objects.exists()


def test_a_huge_message_answers_400_not_500(officer):
    answer = anonymous().post(ENQUIRIES, {**ENQUIRY, "message": "x" * (5 * 1024 * 1024)}, format="json")
    assert answer.status_code == 400
    assert answer.json()["code"] in ("invalid", "parse_error")
    assert not SetupCase.objects.exists()


def test_a_script_is_stored_as_text_and_answered_as_json(officer):
    script = "<script>alert(1)</script>"
    answer = anonymous().post(ENQUIRIES, {**ENQUIRY, "organisation_name": script}, format="json")
    assert answer.status_code == 201 and answer["Content-Type"] == "application/json"
    assert SetupCase.objects.get().organisation_name == script


def test_the_honeypot_answers_like_an_enquiry_and_stores_nothing(officer):
    answer = anonymous().post(ENQUIRIES, {**ENQUIRY, "website": "http://spam.example"}, format="json")
    assert answer.status_code == 201
    body = assert_answer_matches(answer, ENQUIRIES, "post")
    assert body["reference"].startswith("HNFO-") and body["state"] == "enquiry"
    assert not SetupCase.objects.exists() and not CaseMessage.objects.exists() and not mail.outbox


def test_enquiries_are_throttled_per_client(officer, settings):
    settings.FOREIGN_OFFICES_ENQUIRIES_PER_HOUR = 3
    client = anonymous()
    statuses = [
        client.post(ENQUIRIES, {**ENQUIRY, "contact_email": f"a{n}@example.de"}, format="json").status_code
        for n in range(3)
    ]
    assert statuses == [201, 201, 201]
    throttled = client.post(ENQUIRIES, ENQUIRY, format="json")
    assert throttled.status_code == 429 and int(throttled["Retry-After"]) > 0
    assert assert_answer_matches(throttled, ENQUIRIES, "post")["code"] == "throttled"
    # Spam into the honeypot counts too, and a forged X-Forwarded-For changes nothing.
    forged = client.post(ENQUIRIES, ENQUIRY, format="json", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert forged.status_code == 429
    assert SetupCase.objects.count() == 3
    assert anonymous("203.0.113.8").post(ENQUIRIES, ENQUIRY, format="json").status_code == 201


# Cases ---------------------------------------------------------------------------------------------------


def test_cases_are_the_offices(api_as, officer, applicant):
    case = enquiry()
    assert api_as(applicant).get(CASES).status_code == 403
    assert api_as(applicant).get(f"{CASES}{case.pk}/").status_code == 404
    assert api_as(applicant).post(f"{CASES}{case.pk}/consult/").status_code == 404
    assert APIClient().get(CASES).status_code == 401
    assert api_as(applicant).post(CASES, ENQUIRY, format="json").status_code == 403
    member = member_of(opened_case(officer, contact_email="lena@example.de").organisation)
    assert api_as(member).get(CASES).status_code == 403
    assert api_as(member).get(f"{CASES}{case.pk}/").status_code == 404


def test_the_officer_lists_searches_and_reads_cases(api_as, officer):
    first = enquiry()
    enquiry(organisation_name="Osaka Robotics KK", country="JP", contact_email="k@example.jp")
    api = api_as(officer)
    listed = assert_answer_matches(api.get(CASES), CASES)
    assert listed["count"] == 2
    found = assert_answer_matches(api.get(CASES, {"search": first.reference}), CASES)
    assert [row["reference"] for row in found["results"]] == [first.reference]
    assert api.get(CASES, {"search": "osaka"}).json()["count"] == 1
    assert api.get(CASES, {"country": "jp"}).json()["count"] == 1
    assert api.get(CASES, {"state": "enquiry", "kind": "company_office"}).json()["count"] == 2
    assert api.get(CASES, {"overdue": "true"}).json()["count"] == 0
    assert api.get(CASES, {"assigned_officer": officer.pk}).json()["count"] == 2
    assert api.get(CASES, {"state": "nonsense"}).status_code == 400
    detail = assert_answer_matches(api.get(f"{CASES}{first.pk}/"), f"{CASES}{{id}}/")
    assert detail["reference"] == first.reference and detail["state"] == "enquiry"
    assert set(detail["available_transitions"]) == {"consult", "decline", "withdraw"}
    assert detail["due_on"] and detail["is_overdue"] is False
    assert [note["action"] for note in detail["notes"]] == ["setup_case.enquire"]


def test_the_officer_carries_a_case_to_opened(api_as, officer, leader):
    case = enquiry()
    api = api_as(officer)
    url = f"{CASES}{case.pk}/"
    assert api_as(leader).post(f"{url}consult/").status_code == 403
    wrong = api.post(f"{url}open/", {"opened_on": "2026-03-10"}, format="json")
    assert wrong.status_code == 409
    body = assert_answer_matches(wrong, f"{CASES}{{id}}/open/", "post")
    assert body["state"] == "enquiry" and set(body["available_transitions"]) == {
        "consult",
        "decline",
        "withdraw",
    }
    for name in ("consult", "prepare", "submit_to_authority"):
        answer = api.post(f"{url}{name}/", {"comment": "Next step."}, format="json")
        assert answer.status_code == 200, answer.json()
    assert answer.json()["state"] == "submitted_to_authority"
    missing = api.post(f"{url}register/", {}, format="json")
    assert missing.status_code == 400
    body = assert_answer_matches(missing, f"{CASES}{{id}}/register/", "post")
    assert body["code"] == "rules_failed" and body["errors"][0]["code"] == "registration_missing"
    assert SetupCase.objects.get(pk=case.pk).state == CaseState.SUBMITTED_TO_AUTHORITY
    data = {key: str(value) for key, value in registration().items()}
    registered = api.post(f"{url}register/", data, format="json")
    assert registered.status_code == 200, registered.json()
    assert registered.json()["state"] == "registered" and registered.json()["organisation"]
    assert api.post(f"{url}open/", {}, format="json").status_code == 400
    opened = api.post(f"{url}open/", {"opened_on": "2026-03-10"}, format="json")
    assert opened.status_code == 200, opened.json()
    body = assert_answer_matches(opened, f"{CASES}{{id}}/open/", "post")
    assert body["state"] == "opened" and body["available_transitions"] == []
    assert body["opened_on"] == "2026-03-10"
    again = api.post(f"{url}consult/", format="json")
    assert again.status_code == 409 and again.json()["available_transitions"] == []
    history = api.get(f"{url}history/").json()
    assert [event["to_state"] for event in history][-1] == "opened"


def test_withdraw_and_decline_need_a_reason(api_as, officer):
    case = enquiry()
    api = api_as(officer)
    answer = api.post(f"{CASES}{case.pk}/decline/", {}, format="json")
    assert answer.status_code == 400 and answer.json()["errors"][0]["field"] == "comment"
    answer = api.post(f"{CASES}{case.pk}/decline/", {"comment": "Outside our remit."}, format="json")
    assert answer.status_code == 200 and answer.json()["state"] == "declined"


def test_the_officer_opens_completes_assigns_notes_and_attaches(api_as, officer):
    other = office_user(Role.OFFICER)
    api = api_as(officer)
    created = api.post(CASES, {**ENQUIRY, "contact_email": "call@example.de"}, format="json")
    assert created.status_code == 201, created.json()
    body = assert_answer_matches(created, CASES, "post")
    assert body["source"] == "office" and body["state"] == "enquiry"
    url = f"{CASES}{body['id']}/"
    patched = api.patch(url, {"address": "郑州市郑东新区1号", "contact_phone": "+49 1"}, format="json")
    assert patched.status_code == 200 and patched.json()["address"] == "郑州市郑东新区1号"
    assert api.patch(url, {"registration_number": "123"}, format="json").status_code == 400
    assigned = api.post(f"{url}assign/", {"officer": other.pk}, format="json")
    assert assigned.status_code == 200 and assigned.json()["assigned_officer"] == other.pk
    note = api.post(f"{url}notes/", {"text": "Called back; they want Luoyang."}, format="json")
    assert note.status_code == 201 and note.json()["author"]
    assert api.post(f"{url}notes/", {"text": "  "}, format="json").status_code == 400
    document = api.post(f"{url}documents/", {"kind": "lease", "file": png()}, format="multipart")
    assert document.status_code == 201, document.json()
    assert assert_answer_matches(document, f"{CASES}{{id}}/documents/", "post")["kind"] == "lease"
    bad = api.post(
        f"{url}documents/", {"kind": "lease", "file": SimpleUploadedFile("a.exe", b"MZ")}, format="multipart"
    )
    assert bad.status_code == 400
    detail = api.get(url).json()
    assert len(detail["documents"]) == 1 and [n["text"] for n in detail["notes"]][-1].startswith("Called")


def test_the_case_list_keeps_its_queries_flat(api_as, officer, django_assert_max_num_queries):
    enquiry()
    api = api_as(officer)
    api.get(CASES)
    for n in range(4):
        enquiry(contact_email=f"c{n}@example.de")
    with django_assert_max_num_queries(6):
        assert api.get(CASES).json()["count"] == 5


# The registry --------------------------------------------------------------------------------------------


def test_anonymous_readers_see_listed_open_entries_with_public_fields(officer):
    listed = organisation(officer)
    organisation(officer, list_publicly=False, name="Hidden GmbH")
    closed = organisation(officer, name="Closed SA")
    registry.organisation_transition(organisation=closed, actor=officer, name="close", comment="Left.")
    answer = anonymous().get(ORGANISATIONS)
    assert answer.status_code == 200
    body = assert_answer_matches(answer, ORGANISATIONS)
    assert [row["id"] for row in body["results"]] == [listed.pk]
    assert set(body["results"][0]) == PUBLIC_KEYS and body["results"][0]["view"] == "public"
    assert body["results"][0]["country_name"] and body["results"][0]["available_transitions"] == []
    detail = assert_answer_matches(anonymous().get(f"{ORGANISATIONS}{listed.pk}/"), f"{ORGANISATIONS}{{id}}/")
    assert set(detail) == PUBLIC_KEYS
    assert anonymous().get(f"{ORGANISATIONS}{closed.pk}/").status_code == 404
    assert anonymous().get(f"{ORGANISATIONS}{listed.pk}/history/").status_code == 401
    assert anonymous().get(ORGANISATIONS, {"search": "lyon", "country": "fr"}).json()["count"] == 1
    assert anonymous().get(ORGANISATIONS, {"country": "de"}).json()["count"] == 0


def test_a_member_sees_its_own_entry_in_full_and_not_anothers_unlisted_one(api_as, officer):
    own = opened_case(officer, contact_email="anna@example.de").organisation
    other = opened_case(
        officer,
        contact_email="jean@example.fr",
        organisation_name="Paris Conseil",
        organisation_name_zh="巴黎咨询",
    ).organisation
    listed = organisation(officer)
    member = member_of(own)
    api = api_as(member)
    body = assert_answer_matches(api.get(ORGANISATIONS), ORGANISATIONS)
    rows = {row["id"]: row for row in body["results"]}
    assert set(rows) == {own.pk, listed.pk}
    assert set(rows[listed.pk]) == PUBLIC_KEYS
    assert rows[own.pk]["registration_number"] == own.registration_number and "report_overdue" in rows[own.pk]
    assert api.get(f"{ORGANISATIONS}{other.pk}/").status_code == 404
    assert api.get(f"{ORGANISATIONS}{other.pk}/history/").status_code == 404
    assert api.get(f"{ORGANISATIONS}{listed.pk}/history/").status_code == 404
    history = api.get(f"{ORGANISATIONS}{own.pk}/history/")
    assert history.status_code == 200 and "opened_on" in {row["field"] for row in history.json()}
    assert api.patch(f"{ORGANISATIONS}{own.pk}/", {"staff_local": 9}, format="json").status_code == 403
    assert api.post(f"{ORGANISATIONS}{own.pk}/suspend/", {"comment": "x"}, format="json").status_code == 403
    assert api.patch(f"{ORGANISATIONS}{other.pk}/", {"staff_local": 9}, format="json").status_code == 404


def test_the_office_reads_all_enters_corrects_and_suspends(api_as, officer, applicant):
    hidden = organisation(officer, list_publicly=False, registration_valid_until=date(2027, 1, 31))
    api = api_as(officer)
    body = assert_answer_matches(api.get(ORGANISATIONS), ORGANISATIONS)
    assert body["results"][0]["registration_expiring"] is True
    assert api.get(ORGANISATIONS, {"expiring": "true"}).json()["count"] == 1
    assert api.get(ORGANISATIONS, {"report_overdue": "true"}).json()["count"] == 1  # 2025's, due in March
    assert api.get(ORGANISATIONS, {"state": "suspended"}).json()["count"] == 0
    data = {
        "name": "Seoul Trade Centre",
        "name_zh": "首尔贸易中心",
        "kind": "government_office",
        "country": "kr",
        "address": "郑州市金水区1号",
        "ftz_area": "outside",
        "authority": "foreign_affairs",
        "registration_number": registration_number(108100),
        "registered_on": "2025-01-10",
    }
    assert api_as(applicant).post(ORGANISATIONS, data, format="json").status_code == 403
    created = api.post(ORGANISATIONS, data, format="json")
    assert created.status_code == 201, created.json()
    assert assert_answer_matches(created, ORGANISATIONS, "post")["country"] == "KR"
    url = f"{ORGANISATIONS}{hidden.pk}/"
    patched = api.patch(url, {"staff_local": 12, "list_publicly": True}, format="json")
    assert patched.status_code == 200 and patched.json()["staff_local"] == 12
    assert FieldChange.objects.filter(organisation=hidden, field="staff_local", old_value="0").exists()
    assert api.post(f"{url}suspend/", {}, format="json").status_code == 400
    suspended = api.post(f"{url}suspend/", {"comment": "No annual report."}, format="json")
    assert suspended.status_code == 200 and suspended.json()["state"] == "suspended"
    assert suspended.json()["available_transitions"] == ["close", "reinstate"]
    again = api.post(f"{url}suspend/", {"comment": "Again."}, format="json")
    assert again.status_code == 409 and again.json()["state"] == "suspended"
    closed = api.post(f"{url}close/", {"comment": "Left Henan.", "closed_on": "2026-11-30"}, format="json")
    assert closed.json()["state"] == "closed" and closed.json()["list_publicly"] is False
    assert api.patch(url, {"staff_local": 1}, format="json").status_code == 409
    history = assert_answer_matches(api.get(f"{url}history/"), f"{ORGANISATIONS}{{id}}/history/")
    assert {"state", "staff_local", "closed_on"} <= {row["field"] for row in history}


def test_the_registry_list_keeps_its_queries_flat(api_as, officer, django_assert_max_num_queries):
    organisation(officer)
    api = api_as(officer)
    api.get(ORGANISATIONS)
    for n in range(4):
        organisation(officer, name=f"Org {n}")
    with django_assert_max_num_queries(6):
        assert api.get(ORGANISATIONS).json()["count"] == 5
    with django_assert_max_num_queries(4):
        assert anonymous().get(ORGANISATIONS).json()["count"] == 5


# Annual reports and change requests ----------------------------------------------------------------------


def test_an_annual_report_once_a_year_then_the_office_decides(api_as, officer):
    own = opened_case(officer, registered_on=date(2025, 3, 2)).organisation
    member = member_of(own)
    api = api_as(member)
    assert api.post(REPORTS, {**REPORT, "address_confirmed": False}, format="json").status_code == 400
    filed = api.post(REPORTS, REPORT, format="json")
    assert filed.status_code == 201, filed.json()
    body = assert_answer_matches(filed, REPORTS, "post")
    assert body["organisation"] == own.pk and body["state"] == "submitted" and body["on_time"] is False
    twice = api.post(REPORTS, REPORT, format="json")
    assert twice.status_code == 409
    body = assert_answer_matches(twice, REPORTS, "post")
    assert body["state"] == "submitted" and body["available_transitions"] == []
    assert AnnualReport.objects.count() == 1
    office = api_as(officer)
    assert office.get(REPORTS, {"year": 2025, "on_time": "false"}).json()["count"] == 1
    url = f"{REPORTS}{filed.json()['id']}/"
    returned = office.post(f"{url}return_for_changes/", {"comment": "Give the local staff."}, format="json")
    assert returned.status_code == 200 and returned.json()["state"] == "returned"
    assert api.get(url).json()["available_transitions"] == ["resubmit"]
    resubmitted = api.post(f"{url}resubmit/", {"staff_local": 7}, format="json")
    assert resubmitted.status_code == 200 and resubmitted.json()["staff_local"] == 7
    assert api.post(f"{url}accept/", format="json").status_code == 403
    accepted = office.post(f"{url}accept/", format="json")
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    own.refresh_from_db()
    assert own.staff_local == 7


def test_office_staff_file_a_report_naming_the_organisation(api_as, officer, applicant):
    own = opened_case(officer, registered_on=date(2025, 3, 2)).organisation
    answer = api_as(officer).post(REPORTS, REPORT, format="json")
    assert answer.status_code == 400 and answer.json()["errors"][0]["field"] == "organisation"
    assert api_as(officer).post(REPORTS, {**REPORT, "organisation": own.pk}, format="json").status_code == 201
    assert api_as(applicant).post(REPORTS, REPORT, format="json").status_code == 403


def test_a_change_request_changes_the_registry_on_approval_once(api_as, officer):
    own = opened_case(officer).organisation
    member = member_of(own)
    api, office = api_as(member), api_as(officer)
    old = own.address
    new = "郑州市郑东新区商务外环路1号"
    filed = api.post(
        CHANGES, {"kind": "address", "proposed": {"address": new}, "reason": "Moved."}, format="json"
    )
    assert filed.status_code == 201, filed.json()
    body = assert_answer_matches(filed, CHANGES, "post")
    assert body["state"] == "submitted" and body["available_transitions"] == ["withdraw"]
    assert body["current"]["address"] == old
    own.refresh_from_db()
    assert own.address == old
    url = f"{CHANGES}{body['id']}/"
    assert api.post(f"{url}approve/", format="json").status_code == 403
    approved = office.post(f"{url}approve/", format="json")
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    own.refresh_from_db()
    assert own.address == new
    assert FieldChange.objects.get(organisation=own, field="address").old_value == old
    again = office.post(f"{url}approve/", format="json")
    assert again.status_code == 409
    body = assert_answer_matches(again, f"{CHANGES}{{id}}/approve/", "post")
    assert body["state"] == "approved" and body["available_transitions"] == []


def test_a_stale_approval_and_a_closed_organisation_answer_409(api_as, officer):
    own = opened_case(officer).organisation
    member = member_of(own)
    api, office = api_as(member), api_as(officer)
    bad = api.post(CHANGES, {"kind": "staff", "proposed": {"staff_foreign": "many"}}, format="json")
    assert bad.status_code == 400
    assert "proposed.staff_foreign" in {error.get("field") for error in bad.json()["errors"]}
    filed = api.post(
        CHANGES, {"kind": "staff", "proposed": {"staff_foreign": 3, "staff_local": 9}}, format="json"
    )
    assert filed.status_code == 201
    waiting = api.post(
        CHANGES, {"kind": "staff", "proposed": {"staff_foreign": 4, "staff_local": 9}}, format="json"
    )
    assert waiting.status_code == 409
    registry.organisation_update(organisation=own, actor=officer, data={"staff_local": 4})
    stale = office.post(f"{CHANGES}{filed.json()['id']}/approve/", format="json")
    assert stale.status_code == 409
    body = assert_answer_matches(stale, f"{CHANGES}{{id}}/approve/", "post")
    assert body["state"] == "submitted" and body["available_transitions"] == ["reject"]
    own.refresh_from_db()
    assert (own.staff_foreign, own.staff_local) == (0, 4)
    closure = api.post(
        CHANGES,
        {"kind": "closure", "proposed": {"closing_on": "2026-11-30"}, "reason": "To Wuhan."},
        format="json",
    )
    assert closure.status_code == 201, closure.json()
    assert office.post(f"{CHANGES}{closure.json()['id']}/approve/", format="json").status_code == 200
    own.refresh_from_db()
    assert own.state == OrganisationState.CLOSED
    closed = api.post(CHANGES, {"kind": "name", "proposed": {"name": "New Name GmbH"}}, format="json")
    assert closed.status_code == 409
    assert assert_answer_matches(closed, CHANGES, "post")["state"] == "closed"
    assert ChangeRequest.objects.filter(kind="name").count() == 0
    withdrawn = api.post(f"{CHANGES}{filed.json()['id']}/withdraw/", format="json")
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == ChangeState.WITHDRAWN


def test_two_foreign_organisations_do_not_see_each_other(api_as, officer, applicant):
    first = opened_case(officer, contact_email="anna@example.de", registered_on=date(2025, 3, 2)).organisation
    second = opened_case(
        officer,
        contact_email="jean@example.fr",
        organisation_name="Paris Conseil",
        organisation_name_zh="巴黎咨询",
        registered_on=date(2025, 3, 2),
    ).organisation
    one, two = api_as(member_of(first)), api_as(member_of(second))
    report = one.post(REPORTS, REPORT, format="json").json()
    change = one.post(
        CHANGES, {"kind": "staff", "proposed": {"staff_foreign": 1, "staff_local": 2}}, format="json"
    )
    change = change.json()
    for api, expected in ((one, 1), (two, 0), (api_as(applicant), 0)):
        assert api.get(REPORTS).json()["count"] == expected
        assert api.get(CHANGES).json()["count"] == expected
    assert two.get(f"{REPORTS}{report['id']}/").status_code == 404
    assert two.get(f"{CHANGES}{change['id']}/").status_code == 404
    assert two.post(f"{CHANGES}{change['id']}/withdraw/", format="json").status_code == 404
    assert two.post(f"{REPORTS}{report['id']}/resubmit/", format="json").status_code == 404
    # A member names only its own organisation.
    answer = two.post(REPORTS, {**REPORT, "organisation": first.pk}, format="json")
    assert answer.status_code == 400 and answer.json()["errors"][0]["field"] == "organisation"
    assert AnnualReport.objects.filter(organisation=second).count() == 0
    assert api_as(officer).get(REPORTS, {"organisation": second.pk}).json()["count"] == 0
    assert api_as(officer).get(CHANGES, {"organisation": first.pk}).json()["count"] == 1


def test_report_and_change_lists_keep_their_queries_flat(api_as, officer):
    office = api_as(officer)

    def file(n: int) -> None:
        own = opened_case(
            officer,
            contact_email=f"m{n}@example.de",
            organisation_name_zh=f"机构{n}",
            registered_on=date(2025, 3, 2),
        ).organisation
        member = api_as(member_of(own))
        assert member.post(REPORTS, REPORT, format="json").status_code == 201
        change = {"kind": "staff", "proposed": {"staff_foreign": 1, "staff_local": n + 1}}
        assert member.post(CHANGES, change, format="json").status_code == 201

    def queries(url: str, count: int) -> int:
        office.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert office.get(url).json()["count"] == count
        return len(captured.captured_queries)

    file(0)
    one = {url: queries(url, 1) for url in (REPORTS, CHANGES)}
    for n in range(1, 5):
        file(n)
    assert {url: queries(url, 5) for url in (REPORTS, CHANGES)} == one
    assert max(one.values()) <= 6


def test_the_browsable_api_renders_every_route(client, officer):
    case = enquiry()
    listed = organisation(officer)
    client.force_login(officer)
    for url in (CASES, f"{CASES}{case.pk}/", ORGANISATIONS, f"{ORGANISATIONS}{listed.pk}/", REPORTS, CHANGES):
        assert client.get(url, HTTP_ACCEPT="text/html").status_code == 200, url
    assert client.get(ENQUIRIES, HTTP_ACCEPT="text/html").status_code == 405
    client.logout()
    assert client.get(ORGANISATIONS, HTTP_ACCEPT="text/html").status_code == 200
