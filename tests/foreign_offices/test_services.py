"""The services of foreign organisations: case lifecycle, registry history, annual reports and reminders,
change requests, scoping."""

from datetime import date

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.errors import RulesFailed, StateConflict
from foreign_affairs.notifications.models import Notification
from foreign_offices.models import AnnualReport, CaseMessage, FieldChange, ForeignOrganisation
from foreign_offices.services import annual, cases, changes
from foreign_offices.workflow import CaseState, ChangeState, OrganisationState, ReportState

from .factories import enquiry, member_of, opened_case

pytestmark = pytest.mark.django_db


def test_an_enquiry_opens_a_case_with_an_officer_and_tells_the_enquirer(
    officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = enquiry()
    assert case.reference.startswith("HNFO-") and case.state == CaseState.ENQUIRY
    assert case.assigned_officer == officer
    assert case.due_on is not None
    message = CaseMessage.objects.get(case=case)
    assert message.sent_at is not None and case.reference in message.subject
    assert [m.to for m in mail.outbox if "example.de" in m.to[0]] == [["anna.schmidt@example.de"]]
    assert Notification.objects.filter(recipient=officer, key=f"setup-case:{case.pk}:received").exists()
    assert AuditEvent.objects.filter(action="setup_case.enquire", object_id=str(case.pk)).count() == 1


def test_an_enquiry_without_contact_stores_nothing(officer):
    with pytest.raises(ValidationError) as refused:
        enquiry(contact_email="", contact_name="")
    assert {"contact_email", "contact_name"} <= set(refused.value.message_dict)
    assert not CaseMessage.objects.exists()


def test_the_case_goes_to_opened_and_the_organisation_gets_an_account(officer):
    case = opened_case(officer)
    assert case.state == CaseState.OPENED
    organisation = case.organisation
    assert organisation.state == OrganisationState.ACTIVE and organisation.account.kind == "foreign"
    user = member_of(organisation)
    assert user.email == "anna.schmidt@example.de" and not user.check_password("")
    assert user.organization == organisation.account
    assert {e.action for e in AuditEvent.objects.filter(object_id=str(case.pk))} >= {
        "setup_case.register",
        "setup_case.open",
    }


def test_register_needs_the_registration_details(officer):
    case = enquiry()
    for name in ("consult", "prepare", "submit_to_authority"):
        case = cases.case_transition(case=case, actor=officer, name=name)
    with pytest.raises(RulesFailed):
        cases.case_transition(case=case, actor=officer, name="register")
    with pytest.raises(StateConflict):
        cases.case_transition(case=case, actor=officer, name="open")


def test_an_applicant_cannot_move_a_case(officer, applicant):
    case = enquiry()
    with pytest.raises(PermissionDenied):
        cases.case_transition(case=case, actor=applicant, name="consult")


def test_annual_report_once_per_year_on_time_or_late(officer):
    case = opened_case(officer, registered_on=date(2025, 3, 2))
    organisation, user = case.organisation, member_of(case.organisation)
    data = {
        "activities": "Trade fairs in Zhengzhou.",
        "staff_foreign": 2,
        "staff_local": 5,
        "address_confirmed": True,
        "representative_confirmed": True,
    }
    with time_machine.travel(date(2026, 4, 2)):
        report = annual.report_submit(organisation=organisation, actor=user, year=2025, data=data)
        assert report.state == ReportState.SUBMITTED and report.on_time is False
        with pytest.raises(StateConflict):
            annual.report_submit(organisation=organisation, actor=user, year=2025, data=data)
        report = annual.report_transition(report=report, actor=officer, name="accept")
    organisation.refresh_from_db()
    assert (organisation.staff_foreign, organisation.staff_local) == (2, 5)
    assert FieldChange.objects.filter(organisation=organisation, field="staff_local", old_value="0").exists()
    assert AnnualReport.objects.count() == 1


def test_reminders_each_stage_once(officer):
    case = opened_case(officer, registered_on=date(2025, 3, 2))
    with time_machine.travel(date(2026, 3, 1)):
        assert annual.send_reminders() == 1
        assert annual.send_reminders() == 0
    with time_machine.travel(date(2026, 3, 25)):
        assert annual.send_reminders() == 1
    with time_machine.travel(date(2026, 4, 2)):
        assert annual.send_reminders() == 1
        assert annual.overdue_organisations().filter(pk=case.organisation_id).exists()


def test_change_request_changes_the_registry_only_on_approval(officer):
    case = opened_case(officer)
    organisation, user = case.organisation, member_of(case.organisation)
    old = organisation.address
    request = changes.change_submit(
        organisation=organisation,
        actor=user,
        kind="address",
        proposed={"address": "郑州市郑东新区商务外环路1号"},
    )
    organisation.refresh_from_db()
    assert organisation.address == old
    changes.change_transition(request=request, actor=officer, name="approve")
    organisation.refresh_from_db()
    assert organisation.address == "郑州市郑东新区商务外环路1号"
    change = FieldChange.objects.get(organisation=organisation, field="address")
    assert change.old_value == old and change.change_request_id == request.pk
    with pytest.raises(StateConflict):
        changes.change_transition(request=request, actor=officer, name="approve")


def test_stale_approval_and_closed_organisation_are_refused(officer):
    case = opened_case(officer)
    organisation, user = case.organisation, member_of(case.organisation)
    request = changes.change_submit(
        organisation=organisation, actor=user, kind="staff", proposed={"staff_foreign": 3, "staff_local": 9}
    )
    from foreign_offices.services import registry

    registry.organisation_update(organisation=organisation, actor=officer, data={"staff_local": 4})
    with pytest.raises(StateConflict):
        changes.change_transition(request=request, actor=officer, name="approve")
    closure = changes.change_submit(
        organisation=organisation,
        actor=user,
        kind="closure",
        proposed={"closing_on": "2026-06-30"},
        reason="Moving to Wuhan.",
    )
    changes.change_transition(request=closure, actor=officer, name="approve")
    organisation.refresh_from_db()
    assert organisation.state == OrganisationState.CLOSED and organisation.closed_on == date(2026, 6, 30)
    with pytest.raises(StateConflict):
        changes.change_submit(organisation=organisation, actor=user, kind="name", proposed={"name": "X"})
    assert request_state(request) == ChangeState.SUBMITTED


def request_state(request):
    request.refresh_from_db()
    return request.state


def test_another_organisation_cannot_file_for_this_one(officer, applicant):
    case = opened_case(officer)
    with pytest.raises(PermissionDenied):
        changes.change_submit(
            organisation=case.organisation,
            actor=applicant,
            kind="staff",
            proposed={"staff_foreign": 1, "staff_local": 1},
        )
    assert ForeignOrganisation.objects.count() == 1
