"""The back office of foreign organisations: the setting-up cases' queue and a case's page (from an
enquiry taken by telephone to the opening), the registry (corrections through the service, the history of
every field, suspension), annual reports, change requests (the registry changes only on approval; a stale
approval changes nothing), what leaders and managers may not do, who cannot reach the back office at all,
and lists whose queries do not grow with their rows."""

import io
import itertools
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from foreign_affairs.audit.models import AuditEvent
from foreign_offices.models import (
    AnnualReport,
    CaseServiceLevel,
    ChangeRequest,
    FieldChange,
    ForeignOrganisation,
    ReportingWindow,
    SetupCase,
)
from foreign_offices.services import annual, cases, changes, registry
from foreign_offices.workflow import CaseState, ChangeState, EnquirySource, OrganisationState, ReportState

from .factories import ENQUIRY, enquiry, member_of, opened_case, registration, registration_number

pytestmark = pytest.mark.django_db

CASES = reverse("admin:foreign_offices_setupcase_changelist")
CASE_ADD = reverse("admin:foreign_offices_setupcase_add")
REGISTRY = reverse("admin:foreign_offices_foreignorganisation_changelist")
REGISTRY_ADD = reverse("admin:foreign_offices_foreignorganisation_add")
REPORTS = reverse("admin:foreign_offices_annualreport_changelist")
CHANGES = reverse("admin:foreign_offices_changerequest_changelist")
WINDOWS = reverse("admin:foreign_offices_reportingwindow_changelist")
LEVELS = reverse("admin:foreign_offices_caseservicelevel_changelist")
LISTS = [CASES, REGISTRY, REPORTS, CHANGES]


def url(obj, name="change"):
    return reverse(f"admin:foreign_offices_{obj._meta.model_name}_{name}", args=[obj.pk])


def rows(page) -> list:
    assert page.status_code == 200, (page.status_code, page.get("Location"), page.content[:300])
    return list(page.context["cl"].result_list)


def messages_of(page) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in page.context["messages"]]


def png(name="lease.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def report_data(**changes) -> dict:
    return {
        "activities": "Trade fairs in Zhengzhou.",
        "staff_foreign": 2,
        "staff_local": 5,
        "address_confirmed": True,
        "representative_confirmed": True,
        **changes,
    }


_names = itertools.count(1)


def registered(officer, **overrides):
    """An organisation registered last year (it owes its report on last year) with a portal account."""
    n = next(_names)
    overrides = {
        "organisation_name": f"Maschinenbau {n} GmbH",
        "organisation_name_zh": f"机械制造{n}有限公司",
        "contact_email": f"contact{n}@example.de",
        **overrides,
    }
    return opened_case(
        officer, registered_on=date(timezone.localdate().year - 1, 3, 2), **overrides
    ).organisation


# The setting-up cases' queue --------------------------------------------------------------------------------


def test_the_case_queue_opens_on_open_cases_with_overdue_badges_and_filters(client, officer):
    late = enquiry()
    fresh = enquiry(
        organisation_name="Lyon Soieries SA",
        organisation_name_zh="",
        country="FR",
        kind="chamber_office",
        preferred_area="luoyang",
        contact_email="paul@example.fr",
    )
    gone = cases.case_transition(
        case=enquiry(country="JP"), actor=officer, name="withdraw", comment="No plan."
    )
    SetupCase.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - timedelta(days=3))
    client.force_login(officer)
    page = client.get(CASES)
    assert rows(page) == [late, fresh]  # the earliest deadline first; the withdrawn case is not open
    html = page.content.decode()
    assert html.count('data-overdue="3"') == 1
    assert "德国" in html and "巴伐利亚机械制造有限公司" in html
    assert rows(client.get(CASES, {"overdue": "yes"})) == [late]
    assert rows(client.get(CASES, {"state": "all"})) == [late, fresh, gone]
    assert rows(client.get(CASES, {"state": "withdrawn"})) == [gone]
    assert rows(client.get(CASES, {"kind": "chamber_office"})) == [fresh]
    assert rows(client.get(CASES, {"country": "FR"})) == [fresh]
    assert rows(client.get(CASES, {"area": "luoyang"})) == [fresh]
    assert rows(client.get(CASES, {"assigned": "me"})) == [late, fresh]
    assert rows(client.get(CASES, {"assigned": "nobody"})) == []
    # A search looks through every state: the whole reference, names, the contact's whole e-mail.
    assert rows(client.get(CASES, {"q": gone.reference})) == [gone]
    assert rows(client.get(CASES, {"q": "paul@example.fr"})) == [fresh]
    assert rows(client.get(CASES, {"q": "Soieries"})) == [fresh]


def test_an_officer_carries_a_case_from_a_call_to_opened_through_the_admin(client, officer):
    client.force_login(officer)
    assert client.get(CASES).context["call_url"] == CASE_ADD
    data = {**ENQUIRY, "language": "en", "message": "Called: plans an office for <b>sales</b>."}
    answer = client.post(CASE_ADD, data)
    case = SetupCase.objects.get()
    assert answer.status_code == 302 and answer["Location"] == url(case)
    assert case.source == EnquirySource.OFFICE and case.assigned_officer == officer
    assert AuditEvent.objects.filter(action="setup_case.create", actor=officer).exists()
    transition = url(case, "transition")
    for name, state in [
        ("consult", CaseState.CONSULTING),
        ("prepare", CaseState.PREPARING),
        ("submit_to_authority", CaseState.SUBMITTED_TO_AUTHORITY),
    ]:
        page = client.post(transition, {"transition": name}, follow=True)
        assert messages_of(page)[0][0] == "success"
        case.refresh_from_db()
        assert case.state == state
    page = client.get(url(case))
    assert page.context["register_form"] is not None and page.context["open_form"] is None
    assert "register" not in [button["name"] for button in page.context["transitions"]]
    # Without the registration's details nothing happens, and what was typed is kept for the next try.
    page = client.post(
        transition, {"transition": "register", "register-registration_number": "123"}, follow=True
    )
    assert [level for level, _text in messages_of(page)] == ["error"]
    assert page.context["register_form"].data["register-registration_number"] == "123"
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED_TO_AUTHORITY and not ForeignOrganisation.objects.exists()
    details = registration()
    page = client.post(
        transition,
        {
            "transition": "register",
            **{f"register-{field}": str(value) for field, value in details.items()},
            "register-registration_valid_until": "",
        },
        follow=True,
    )
    assert messages_of(page)[0][0] == "success", messages_of(page)
    case.refresh_from_db()
    assert (
        case.state == CaseState.REGISTERED
        and case.organisation.registration_number == details["registration_number"]
    )
    assert page.context["registry_url"] == url(case.organisation)
    assert page.context["open_form"] is not None
    opened_on = timezone.localdate()
    page = client.post(
        transition, {"transition": "open", "open-opened_on": opened_on.isoformat()}, follow=True
    )
    case.refresh_from_db()
    assert case.state == CaseState.OPENED and case.organisation.opened_on == opened_on
    assert case.organisation.account is not None
    assert page.context["transitions"] == [] and page.context["note_form"] is None


def test_opening_a_case_whose_name_another_organisation_has_is_a_message_not_an_error(client, officer):
    registered(officer, organisation_name_zh="同名机构有限公司")
    case = enquiry(organisation_name_zh="同名机构有限公司", contact_email="second@example.de")
    for name in ("consult", "prepare", "submit_to_authority"):
        case = cases.case_transition(case=case, actor=officer, name=name)
    case = cases.case_transition(case=case, actor=officer, name="register", data=registration())
    client.force_login(officer)
    page = client.post(
        url(case, "transition"),
        {"transition": "open", "open-opened_on": timezone.localdate().isoformat()},
        follow=True,
    )
    assert page.status_code == 200 and [level for level, _text in messages_of(page)] == ["error"]
    assert "name_zh" not in messages_of(page)[0][1]
    case.refresh_from_db()
    assert case.state == CaseState.REGISTERED and case.organisation.account is None


def test_the_case_page_escapes_the_message_and_adds_notes_documents_and_details(client, officer):
    case = enquiry(message="<script>alert('x')</script> We plan an office.")
    client.force_login(officer)
    html = client.get(url(case)).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert (
        client.post(url(case, "note"), {"note-text": ""}, follow=True).context["notes"][-1].action
        != "setup_case.note"
    )
    page = client.post(url(case, "note"), {"note-text": "Called back; they want Luoyang."}, follow=True)
    assert page.context["notes"][-1].text == "Called back; they want Luoyang."
    page = client.post(url(case, "document"), {"document-kind": "lease", "document-file": png()}, follow=True)
    assert messages_of(page)[0][0] == "success"
    assert [attachment.kind for attachment in page.context["documents"]] == ["lease"]
    details = url(case, "details")
    assert client.get(details).status_code == 200
    form = client.get(details).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(
        {
            "preferred_area": "luoyang",
            "contact_phone": "+49 89 7654321",
            "registration_number": "not a number",
        }
    )
    page = client.post(details, data)
    assert page.status_code == 200 and "registration_number" in page.context["form"].errors
    data["registration_number"] = registration_number(100077)
    assert client.post(details, data).status_code == 302
    case.refresh_from_db()
    assert (case.preferred_area, case.contact_phone, case.registration_number) == (
        "luoyang",
        "+49 89 7654321",
        registration_number(100077),
    )
    assert AuditEvent.objects.filter(action="setup_case.update", object_id=str(case.pk)).exists()


def test_officers_assign_a_case_to_themselves_or_another(client, officer):
    from foreign_affairs.accounts.roles import Role
    from tests.factories import office_user

    other = office_user(Role.OFFICER)
    case = enquiry()
    client.force_login(other)
    client.post(url(case, "assign"), {"officer": "me"})
    case.refresh_from_db()
    assert case.assigned_officer == other
    client.post(url(case, "assign"), {"officer": officer.pk})
    case.refresh_from_db()
    assert case.assigned_officer == officer


# The registry -----------------------------------------------------------------------------------------------


def test_the_registry_lists_badges_and_filters(client, officer):
    today = timezone.localdate()
    owing = registered(officer)
    filed = registered(officer, contact_email="b@example.de", country="FR", kind="chamber_office")
    annual.report_submit(organisation=filed, actor=member_of(filed), year=today.year - 1, data=report_data())
    fresh = opened_case(officer, contact_email="c@example.jp", country="JP").organisation
    registry.organisation_update(
        organisation=fresh,
        actor=officer,
        data={"registration_valid_until": today + timedelta(days=30), "list_publicly": True},
    )
    registry.organisation_update(
        organisation=filed, actor=officer, data={"registration_valid_until": today - timedelta(days=1)}
    )
    client.force_login(officer)
    page = client.get(REGISTRY)
    assert set(rows(page)) == {owing, filed, fresh}
    html = page.content.decode()
    assert html.count('data-report="overdue"') == 1
    assert html.count('data-registration="expiring"') == 1 and html.count('data-registration="expired"') == 1
    assert 'data-state="submitted"' in html  # the report filed, with its state
    assert rows(client.get(REGISTRY, {"report_overdue": "yes"})) == [owing]
    assert rows(client.get(REGISTRY, {"registration": "expiring"})) == [fresh]
    assert rows(client.get(REGISTRY, {"registration": "expired"})) == [filed]
    assert rows(client.get(REGISTRY, {"listed": "yes"})) == [fresh]
    assert rows(client.get(REGISTRY, {"country": "FR"})) == [filed]
    assert rows(client.get(REGISTRY, {"kind": "chamber_office"})) == [filed]
    assert rows(client.get(REGISTRY, {"area": "zhengzhou"})) == list(
        ForeignOrganisation.objects.order_by("name_zh", "pk")
    )
    assert rows(client.get(REGISTRY, {"q": filed.registration_number})) == [filed]
    assert rows(client.get(REGISTRY, {"state": "active"})) == list(
        ForeignOrganisation.objects.order_by("name_zh", "pk")
    )


def test_an_officer_corrects_an_entry_through_the_service_and_the_history_keeps_the_old_value(
    client, officer
):
    organisation = registered(officer)
    old_address = organisation.address
    client.force_login(officer)
    page = client.get(url(organisation))
    assert page.context["edit_url"].startswith(url(organisation, "edit"))
    assert page.context["case"] == organisation.case and page.context["account_url"]
    edit = url(organisation, "edit")
    form = client.get(edit).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {name: ("" if value is None else value) for name, value in data.items()}
    data.pop("list_publicly")
    data.update({"address": "郑州市郑东新区商务外环路1号", "staff_local": 7})
    answer = client.post(edit, data)
    assert answer.status_code == 302, answer.context["form"].errors if answer.context else answer
    organisation.refresh_from_db()
    assert organisation.address == "郑州市郑东新区商务外环路1号" and organisation.staff_local == 7
    page = client.get(url(organisation))
    history = {change.field: change for change in page.context["history"]}
    assert history["address"].old_value == old_address and history["address"].changed_by == officer
    assert set(history) == {"address", "staff_local", "opened_on"}
    assert "郑州市金水区农业路东16号 1201室" in page.content.decode()
    # A registration number of another entry is refused beside the field, nothing changed.
    other = registered(officer, contact_email="other@example.de")
    data["registration_number"] = other.registration_number
    answer = client.post(edit, data)
    assert answer.status_code == 200 and "registration_number" in answer.context["form"].errors


def test_an_officer_enters_an_organisation_that_set_up_before_the_portal(client, officer):
    client.force_login(officer)
    assert client.get(REGISTRY).context["add_url"] == REGISTRY_ADD
    data = {
        "name": "Korea Trade Centre Zhengzhou",
        "name_zh": "大韩贸易投资振兴公社郑州代表处",
        "kind": "government_office",
        "country": "KR",
        "address": "郑州市郑东新区CBD商务内环路",
        "ftz_area": "zhengzhou",
        "authority": "foreign_affairs",
        "registration_number": registration_number(104242),
        "registered_on": "2019-05-06",
        "staff_foreign": "2",
        "staff_local": "6",
    }
    answer = client.post(REGISTRY_ADD, data)
    organisation = ForeignOrganisation.objects.get()
    assert answer.status_code == 302 and answer["Location"] == url(organisation)
    assert organisation.country.code == "KR" and organisation.account is None
    assert AuditEvent.objects.filter(action="foreign_organisation.create", actor=officer).exists()
    answer = client.post(
        REGISTRY_ADD, {**data, "country": "CN", "registration_number": registration_number(104243)}
    )
    assert answer.status_code == 200 and "country" in answer.context["form"].errors
    assert ForeignOrganisation.objects.count() == 1


def test_suspending_needs_a_reason_and_reinstating_brings_it_back(client, officer):
    organisation = registered(officer)
    client.force_login(officer)
    transition = url(organisation, "transition")
    page = client.post(transition, {"transition": "suspend"}, follow=True)
    assert [level for level, _text in messages_of(page)] == ["error"]
    organisation.refresh_from_db()
    assert organisation.state == OrganisationState.ACTIVE
    page = client.post(
        transition, {"transition": "suspend", "comment": "Office empty on inspection."}, follow=True
    )
    assert messages_of(page)[0][0] == "success"
    organisation.refresh_from_db()
    assert organisation.state == OrganisationState.SUSPENDED
    assert [b["name"] for b in page.context["transitions"]] == ["reinstate", "close"]
    client.post(transition, {"transition": "reinstate"})
    organisation.refresh_from_db()
    assert organisation.state == OrganisationState.ACTIVE


# Annual reports ---------------------------------------------------------------------------------------------


def test_annual_reports_are_accepted_or_returned_with_a_reason(client, officer):
    year = timezone.localdate().year - 1
    first, second = registered(officer), registered(officer, contact_email="b@example.de")
    accepted = annual.report_submit(organisation=first, actor=member_of(first), year=year, data=report_data())
    returned = annual.report_submit(
        organisation=second, actor=member_of(second), year=year, data=report_data(staff_local=0)
    )
    client.force_login(officer)
    page = client.get(REPORTS)
    assert set(rows(page)) == {accepted, returned}
    assert page.content.decode().count('data-timeliness="late"') == 2  # the window's due date has passed
    assert set(rows(client.get(REPORTS, {"year": str(year), "on_time": "no"}))) == {accepted, returned}
    assert rows(client.get(REPORTS, {"on_time": "yes"})) == []
    page = client.get(url(accepted))
    assert page.context["staff_differs"]
    assert [b["name"] for b in page.context["transitions"]] == ["accept", "return_for_changes"]
    page = client.post(url(accepted, "transition"), {"transition": "accept"}, follow=True)
    assert [level for level, _text in messages_of(page)] == ["success"]
    accepted.refresh_from_db()
    first.refresh_from_db()
    assert accepted.state == ReportState.ACCEPTED and (first.staff_foreign, first.staff_local) == (2, 5)
    page = client.post(url(returned, "transition"), {"transition": "return_for_changes"}, follow=True)
    assert [level for level, _text in messages_of(page)] == ["error"]
    returned.refresh_from_db()
    assert returned.state == ReportState.SUBMITTED
    client.post(
        url(returned, "transition"),
        {"transition": "return_for_changes", "comment": "Give the local staff as at 31 December."},
    )
    returned.refresh_from_db()
    assert returned.state == ReportState.RETURNED and returned.comment.startswith("Give the local staff")
    assert rows(client.get(REPORTS)) == []  # the queue holds what waits for the office
    assert rows(client.get(REPORTS, {"state": "accepted"})) == [accepted]


def test_officers_set_the_report_window_and_the_cases_service_levels(client, officer):
    client.force_login(officer)
    add = reverse("admin:foreign_offices_reportingwindow_add")
    assert client.get(add).status_code == 200
    answer = client.post(add, {"year": "2026", "opens_on": "2027-01-01", "due_on": "2027-04-30"})
    assert answer.status_code == 302
    window = ReportingWindow.objects.get(year=2026)
    assert window.due_on == date(2027, 4, 30)
    assert AuditEvent.objects.filter(action="reporting_window.update").exists()
    answer = client.post(url(window), {"opens_on": "2027-01-01", "due_on": "2026-12-01"})
    assert answer.status_code == 200 and "due_on" in answer.context["adminform"].form.errors
    level = CaseServiceLevel.objects.get(state=CaseState.ENQUIRY)
    assert client.get(LEVELS).status_code == 200
    assert client.post(url(level), {"working_days": "3"}).status_code == 302
    level.refresh_from_db()
    assert level.working_days == 3
    assert AuditEvent.objects.filter(action="case_service_level.update", actor=officer).exists()


# Change requests --------------------------------------------------------------------------------------------


def test_a_change_request_changes_the_registry_only_when_approved(client, officer):
    organisation = registered(officer)
    old = organisation.address
    member = member_of(organisation)
    request = changes.change_submit(
        organisation=organisation,
        actor=member,
        kind="address",
        proposed={"address": "郑州市郑东新区商务外环路1号"},
    )
    client.force_login(officer)
    assert rows(client.get(CHANGES)) == [request]
    page = client.get(url(request))
    address = next(row for row in page.context["rows"] if row["field"] == "address")
    assert (address["filed"], address["today"], address["proposed"]) == (
        old,
        old,
        "郑州市郑东新区商务外环路1号",
    )
    assert not page.context["stale"]
    organisation.refresh_from_db()
    assert organisation.address == old
    page = client.post(url(request, "transition"), {"transition": "approve"}, follow=True)
    assert messages_of(page)[0][0] == "success"
    organisation.refresh_from_db()
    assert organisation.address == "郑州市郑东新区商务外环路1号"
    assert FieldChange.objects.get(field="address", change_request=request).old_value == old
    assert rows(client.get(CHANGES)) == []
    assert rows(client.get(CHANGES, {"state": "approved"})) == [request]


def test_rejecting_needs_a_reason_and_a_stale_approval_changes_nothing(client, officer):
    organisation = registered(officer)
    old_name = organisation.name
    member = member_of(organisation)
    staff = changes.change_submit(
        organisation=organisation, actor=member, kind="staff", proposed={"staff_foreign": 3, "staff_local": 9}
    )
    name = changes.change_submit(
        organisation=organisation, actor=member, kind="name", proposed={"name": "BMB Zhengzhou Office"}
    )
    registry.organisation_update(organisation=organisation, actor=officer, data={"staff_local": 4})
    client.force_login(officer)
    page = client.get(url(staff))
    assert page.context["stale"] and 'data-testid="stale-staff_local"' in page.content.decode()
    page = client.post(url(staff, "transition"), {"transition": "approve"}, follow=True)
    assert [level for level, _text in messages_of(page)] == ["warning"]
    staff.refresh_from_db()
    organisation.refresh_from_db()
    assert staff.state == ChangeState.SUBMITTED and organisation.staff_local == 4
    assert not FieldChange.objects.filter(change_request=staff).exists()
    page = client.post(url(name, "transition"), {"transition": "reject"}, follow=True)
    assert [level for level, _text in messages_of(page)] == ["error"]
    client.post(
        url(name, "transition"), {"transition": "reject", "comment": "Send the certificate of the new name."}
    )
    name.refresh_from_db()
    organisation.refresh_from_db()
    assert name.state == ChangeState.REJECTED and organisation.name == old_name


# Who may do what --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["leader", "manager"])
def test_leaders_and_managers_read_every_page_but_act_on_none(client, officer, role, request):
    reader = request.getfixturevalue(role)
    case = enquiry()
    organisation = registered(officer)
    member = member_of(organisation)
    report = annual.report_submit(
        organisation=organisation, actor=member, year=timezone.localdate().year - 1, data=report_data()
    )
    change = changes.change_submit(
        organisation=organisation, actor=member, kind="staff", proposed={"staff_foreign": 3, "staff_local": 9}
    )
    client.force_login(reader)
    for page_url in [*LISTS, WINDOWS, LEVELS]:
        assert client.get(page_url).status_code == 200, page_url
    for obj in (case, organisation, report, change):
        page = client.get(url(obj))
        assert page.status_code == 200 and page.context["transitions"] == []
    page = client.get(url(case))
    assert page.context["note_form"] is None and page.context["details_url"] == ""
    assert page.context["can_assign"] is False and page.context["register_form"] is None
    assert client.get(url(organisation)).context["edit_url"] == ""
    assert client.get(CASES).context["call_url"] == "" and client.get(REGISTRY).context["add_url"] == ""
    for refused in (
        client.get(CASE_ADD),
        client.post(CASE_ADD, {**ENQUIRY, "language": "en"}),
        client.get(REGISTRY_ADD),
        client.get(url(case, "details")),
        client.post(url(case, "note"), {"note-text": "Hello"}),
        client.get(url(organisation, "edit")),
        client.post(url(organisation, "edit"), {"address": "x"}),
    ):
        assert refused.status_code == 403
    client.post(url(case, "transition"), {"transition": "consult"})
    client.post(url(organisation, "transition"), {"transition": "suspend", "comment": "No."})
    client.post(url(report, "transition"), {"transition": "accept"})
    client.post(url(change, "transition"), {"transition": "approve"})
    client.post(url(case, "assign"), {"officer": "me"})
    for obj, state in (
        (case, CaseState.ENQUIRY),
        (organisation, OrganisationState.ACTIVE),
        (report, ReportState.SUBMITTED),
        (change, ChangeState.SUBMITTED),
    ):
        obj.refresh_from_db()
        assert obj.state == state
    assert case.assigned_officer == officer
    assert SetupCase.objects.count() == 2  # the enquiry and the registered organisation's case: none added
    window = reverse("admin:foreign_offices_reportingwindow_add")
    assert (
        client.post(window, {"year": "2030", "opens_on": "2031-01-01", "due_on": "2031-03-31"}).status_code
        == 403
    )
    level = CaseServiceLevel.objects.get(state=CaseState.ENQUIRY)
    client.post(url(level), {"working_days": "9"})
    level.refresh_from_db()
    assert level.working_days != 9


def test_enterprise_users_and_foreign_organisations_cannot_reach_these_pages(client, officer, applicant):
    organisation = registered(officer)
    member = member_of(organisation)
    case = organisation.case
    for user in (applicant, member):
        client.force_login(user)
        for page_url in [*LISTS, url(case), url(organisation), CASE_ADD, url(organisation, "edit")]:
            answer = client.get(page_url)
            assert answer.status_code == 302 and reverse("admin:login") in answer["Location"], page_url
        client.post(url(organisation, "transition"), {"transition": "suspend", "comment": "x"})
        organisation.refresh_from_db()
        assert organisation.state == OrganisationState.ACTIVE


# Queries --------------------------------------------------------------------------------------------------


def _queries(client, page_url) -> int:
    client.get(page_url)  # warm caches (sessions, content types, the country names)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(page_url).status_code == 200
    return len(captured)


def test_the_lists_keep_their_queries_flat(client, officer, django_assert_max_num_queries):
    year = timezone.localdate().year - 1
    first = registered(officer)
    member = member_of(first)
    annual.report_submit(organisation=first, actor=member, year=year, data=report_data())
    changes.change_submit(organisation=first, actor=member, kind="name", proposed={"name": "New Name GmbH"})
    enquiry()
    client.force_login(officer)
    few = {page_url: _queries(client, page_url) for page_url in LISTS}
    for n, country in enumerate(["FR", "JP", "KR", "US"]):
        organisation = registered(
            officer, contact_email=f"c{n}@example.com", country=country, kind="chamber_office"
        )
        user = member_of(organisation)
        annual.report_submit(organisation=organisation, actor=user, year=year, data=report_data())
        changes.change_submit(
            organisation=organisation,
            actor=user,
            kind="staff",
            proposed={"staff_foreign": 1, "staff_local": 2},
        )
        cases.case_assign(case=enquiry(country=country), actor=officer, officer=officer)
    assert ForeignOrganisation.objects.count() == 5 and AnnualReport.objects.count() == 5
    assert ChangeRequest.objects.count() == 5
    for page_url, count in few.items():
        with django_assert_max_num_queries(count):
            client.get(page_url)
