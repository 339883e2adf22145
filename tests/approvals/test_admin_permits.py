"""The back office after approval: the permit panel and its download, retrying a failed permit, deciding
objections to public notices, the post-trip report, passport custody, the queue's follow-up filters and
badges, and the read-only admins of permits, notices, objections and the custody ledger."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from approvals import services
from approvals.models import (
    Attachment,
    Disclosure,
    DisclosureOutcome,
    ObjectionStatus,
    PassportHandover,
    Permit,
    TravelApplication,
)
from approvals.workflow import State
from foreign_affairs.accounts.models import PassportType
from foreign_affairs.accounts.roles import Role
from foreign_affairs.accounts.validators import mask_passport_number
from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.documents.models import Document
from tests.approvals.factories import ApplicationFactory
from tests.factories import OrganizationFactory, PersonFactory, office_user

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:approvals_travelapplication_changelist")


@pytest.fixture
def as_user(client):
    """Sign `user` in to the back office, in English (the portal's default is Chinese)."""

    def login(user):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return login


def today():
    return timezone.localdate()


def english_date(day) -> str:
    with translation.override("en"):
        return date_format(day)


def change_url(application):
    return reverse("admin:approvals_travelapplication_change", args=[application.pk])


def admin_url(name, *args):
    return reverse(f"admin:approvals_travelapplication_{name}", args=args)


def listed(response) -> list[int]:
    return [row.pk for row in response.context["cl"].result_list]


def flashed(response) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


def approve(application, officer):
    """Approved through the workflow, so that the permit names its approver (from the audit trail)."""
    services.application_transition(application=application, actor=officer, name="approve")
    application.refresh_from_db()
    return application


@pytest.fixture
def issued(settings, officer):
    """An approved application with its real permit (no public notice: DISCLOSURE_WORKING_DAYS = 0)."""
    settings.DISCLOSURE_WORKING_DAYS = 0
    application = approve(ApplicationFactory(in_review=True), officer)
    permit = services.permit_issue(application_id=application.pk)
    application.refresh_from_db()
    return application, permit


@pytest.fixture
def objected(officer):
    """An approved application whose trip notice is open with one objection awaiting a decision."""
    application = approve(ApplicationFactory(in_review=True), officer)
    # Approval opens the notice, unless a test switched notices off (DISCLOSURE_WORKING_DAYS = 0).
    disclosure = application.disclosures.filter(kind="trip").first() or services.disclosure_open(
        application, kind="trip"
    )
    objection = services.objection_file(
        disclosure=disclosure, text="团员之一已离职，不应出访。", name="王先生", contact="13800000000"
    )
    application.refresh_from_db()
    return application, disclosure, objection


def decide(client, application, objection, **data):
    return client.post(admin_url("objection_decide", application.pk, objection.pk), data)


# The permit panel ---------------------------------------------------------------------------------------


def test_permit_panel_shows_the_permit_and_its_download(as_user, officer, issued):
    application, permit = issued

    response = as_user(officer).get(change_url(application))

    assert application.state == State.PERMIT_ISSUED
    content = response.content.decode()
    assert 'data-testid="permit"' in content
    assert permit.number in content and permit.verification_code in content
    assert 'data-permit-status="valid"' in content and ">Valid<" in content
    assert permit.verify_url in content
    assert admin_url("permit", application.pk) in content


def test_permit_download_is_an_uncached_attachment(as_user, officer, issued):
    application, permit = issued

    response = as_user(officer).get(admin_url("permit", application.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert f"{permit.number}.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_permit_download_is_404_before_the_permit(as_user, officer):
    application = ApplicationFactory(approved=True)

    assert as_user(officer).get(admin_url("permit", application.pk)).status_code == 404
    assert as_user(officer).get(admin_url("permit", 999999)).status_code == 404


def test_revoked_permit_shows_as_revoked(as_user, officer, issued):
    application, _permit = issued
    services.permit_revoke(application, reason="行程取消")

    content = as_user(officer).get(change_url(application)).content.decode()

    assert 'data-permit-status="revoked"' in content and "行程取消" in content


def test_permit_failure_is_shown_and_retry_issues_the_permit(
    as_user, officer, settings, django_capture_on_commit_callbacks
):
    settings.DISCLOSURE_WORKING_DAYS = 0
    application = approve(ApplicationFactory(in_review=True), officer)  # the permit task is not run here
    TravelApplication.objects.filter(pk=application.pk).update(permit_error="OSError: the font is missing")
    client = as_user(officer)

    page = client.get(change_url(application)).content.decode()
    assert 'data-testid="permit-error"' in page and "OSError: the font is missing" in page
    assert "Try the permit again" in page and admin_url("permit_retry", application.pk) in page
    assert 'data-testid="permit-problem-badge"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(admin_url("permit_retry", application.pk))

    assert response.status_code == 302
    assert response.url == change_url(application) + "#permit"
    # The task ran once the request's transaction committed (eager tasks): the permit is there.
    assert Permit.objects.filter(application=application).exists()
    application.refresh_from_db()
    assert application.state == State.PERMIT_ISSUED and application.permit_error == ""
    [(level, text)] = flashed(response)
    assert level == "success" and application.reference in text


def test_permit_retry_refused_for_a_manager_and_outside_approved(as_user, manager, officer):
    failed = ApplicationFactory(approved=True)
    TravelApplication.objects.filter(pk=failed.pk).update(permit_error="boom")
    in_review = ApplicationFactory(in_review=True)

    page = as_user(manager).get(change_url(failed)).content.decode()
    assert "boom" in page and "Try the permit again" not in page
    refused = as_user(manager).post(admin_url("permit_retry", failed.pk))
    assert flashed(refused) == [("error", "Only approval officers can do this.")]

    wrong_state = as_user(officer).post(admin_url("permit_retry", in_review.pk))
    assert flashed(wrong_state)[-1] == ("error", "Only an approved application waits for its permit.")
    assert not Permit.objects.exists()


def test_reopen_is_a_warning_that_asks_for_confirmation(as_user, officer, objected):
    application, _disclosure, _objection = objected

    response = as_user(officer).get(change_url(application))

    assert "reopen" in {t["name"] for t in response.context["transitions"]}
    content = response.content.decode()
    button = content[content.index('value="reopen"') :].split(">", 1)[0]
    assert 'class="btn-warning"' in button and 'data-comment="required"' in button
    assert "data-confirm=" in button and "goes back to review" in button


# Public notices and objections -----------------------------------------------------------------------------


def test_notice_and_pending_objection_are_shown_with_the_decision_form(as_user, officer, objected):
    application, disclosure, objection = objected

    content = as_user(officer).get(change_url(application)).content.decode()

    assert 'data-testid="objections-badge"' in content and "1 objection awaits a decision" in content
    assert 'data-testid="notices"' in content and "Planned trip" in content
    assert "团员之一已离职" in content and "王先生" in content and "13800000000" in content
    assert admin_url("objection_decide", application.pk, objection.pk) in content
    assert "Uphold (back to review)" in content and ">Dismiss<" in content
    assert reverse("notices:detail", args=[disclosure.pk]) in content


def test_upholding_an_objection_sends_the_trip_back_to_review(as_user, officer, objected):
    application, disclosure, objection = objected

    response = decide(as_user(officer), application, objection, decision="uphold", comment="核实属实")

    assert response.status_code == 302
    assert response.url == change_url(application) + "#notices"
    assert flashed(response) == [
        ("success", f"The objection is upheld: {application.reference} is back in review.")
    ]
    application.refresh_from_db()
    objection.refresh_from_db()
    disclosure.refresh_from_db()
    assert application.state == State.IN_REVIEW and application.pending_objections == 0
    assert (objection.status, objection.decided_by, objection.decision_comment) == (
        ObjectionStatus.UPHELD,
        officer,
        "核实属实",
    )
    assert disclosure.outcome == DisclosureOutcome.WITHDRAWN
    assert AuditEvent.objects.get(action="travel_application.objection_decide").data == {
        "objection": objection.pk,
        "upheld": True,
    }
    reopen = AuditEvent.objects.get(action="travel_application.reopen")
    assert (reopen.actor, reopen.from_state, reopen.to_state) == (officer, "approved", "in_review")


def test_dismissing_an_objection_keeps_the_approval(as_user, officer, objected):
    application, disclosure, objection = objected

    response = decide(as_user(officer), application, objection, decision="dismiss", comment="与事实不符")

    assert flashed(response)[0][0] == "success"
    application.refresh_from_db()
    objection.refresh_from_db()
    assert application.state == State.APPROVED and application.pending_objections == 0
    assert objection.status == ObjectionStatus.DISMISSED
    assert Disclosure.objects.get(pk=disclosure.pk).is_open
    assert not AuditEvent.objects.filter(action="travel_application.reopen").exists()
    content = as_user(officer).get(change_url(application)).content.decode()
    assert "与事实不符" in content and 'data-testid="objections-badge"' not in content


def test_deciding_without_reasons_changes_nothing_and_keeps_nothing(as_user, officer, objected):
    application, _disclosure, objection = objected

    response = decide(as_user(officer), application, objection, decision="uphold", comment="   ")

    assert response.status_code == 302
    assert flashed(response) == [("error", "Give the reasons of the decision.")]
    objection.refresh_from_db()
    application.refresh_from_db()
    assert objection.status == ObjectionStatus.PENDING
    assert application.state == State.APPROVED and application.pending_objections == 1
    assert not AuditEvent.objects.filter(action="travel_application.objection_decide").exists()


def test_a_second_decision_is_an_error_message(as_user, officer, objected):
    application, _disclosure, objection = objected
    client = as_user(officer)
    decide(client, application, objection, decision="dismiss", comment="不成立")

    again = decide(client, application, objection, decision="uphold", comment="改变主意")

    assert again.status_code == 302
    assert flashed(again)[-1] == ("error", "This objection has already been decided.")
    objection.refresh_from_db()
    application.refresh_from_db()
    assert objection.status == ObjectionStatus.DISMISSED and application.state == State.APPROVED


def test_a_refused_decision_keeps_the_typed_reasons(as_user, leader, officer, objected):
    application, _disclosure, objection = objected
    client = as_user(officer)
    decide(client, application, objection, decision="maybe", comment="还需核实")

    content = client.get(change_url(application)).content.decode()

    assert "还需核实</textarea>" in content


def test_upholding_an_objection_to_a_report_returns_the_report(as_user, officer):
    application = ApplicationFactory(report_submitted=True)
    disclosure = services.disclosure_open(application, kind="report")
    objection = services.objection_file(disclosure=disclosure, text="报告内容不实")
    client = as_user(officer)
    assert "Uphold (return the report)" in client.get(change_url(application)).content.decode()

    response = decide(client, application, objection, decision="uphold", comment="请补充")

    assert flashed(response)[0] == (
        "success",
        f"The objection is upheld: the report of {application.reference} goes back to the applicant.",
    )
    application.refresh_from_db()
    assert application.state == State.PERMIT_ISSUED


def test_objection_of_another_application_is_refused(as_user, officer, objected):
    _application, _disclosure, objection = objected
    other = ApplicationFactory(approved=True)

    response = decide(as_user(officer), other, objection, decision="dismiss", comment="x")

    assert flashed(response) == [("error", "This objection does not belong to the application.")]
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.PENDING


def test_manager_sees_objections_but_no_decision_or_custody_buttons(as_user, manager, objected):
    application, _disclosure, objection = objected
    client = as_user(manager)

    response = client.get(change_url(application))

    content = response.content.decode()
    assert "团员之一已离职" in content
    assert 'class="objection-decide"' not in content and "Uphold" not in content
    assert response.context["handout_form"] is None and 'data-testid="hand-out"' not in content
    refused = decide(client, application, objection, decision="dismiss", comment="不成立")
    assert flashed(refused) == [("error", "Only approval officers decide objections.")]
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.PENDING


# The post-trip report ------------------------------------------------------------------------------------------


def test_report_section_shows_the_report_its_files_and_an_overdue_badge(as_user, officer):
    submitted = ApplicationFactory(
        report_submitted=True,
        report_outcomes="合作备忘录 1 份",
        report_agreements="与汉堡物流签署备忘录",
        actual_return_date=today() - timedelta(days=3),
        actual_spending="98000.50",
        budget_currency="EUR",
        report_due_on=today() + timedelta(days=10),
    )
    # The report's file is an attachment of kind "report"; another document of the organisation, even one
    # whose title starts with the reference, is not the report's.
    for title, attached in (
        (f"{submitted.reference} 出访报告", True),
        (f"{submitted.reference} 其他报告", False),
    ):
        document = Document.objects.create(
            organization=submitted.organization,
            kind="report",
            title=title,
            original_name="report.pdf",
            file="r.pdf",
            content_type="application/pdf",
            size=2048,
            sha256="0" * 64,
        )
        if attached:
            Attachment.objects.create(application=submitted, kind="report", document=document)
    late = ApplicationFactory(permit_issued=True, report_due_on=today() - timedelta(days=4))
    client = as_user(officer)

    content = client.get(change_url(submitted)).content.decode()
    assert 'data-testid="report"' in content
    assert "完成考察" in content and "合作备忘录 1 份" in content and "与汉堡物流签署备忘录" in content
    assert "98,000.50 EUR" in content and "120,000.00 EUR" in content  # spending beside the budget
    document = Document.objects.get(title=f"{submitted.reference} 出访报告")
    assert reverse("admin:documents_document_download", args=[document.pk]) in content
    assert "其他报告" not in content
    assert 'data-testid="report-overdue"' not in content

    late_page = client.get(change_url(late)).content.decode()
    assert 'data-testid="report-overdue"' in late_page and "4 days overdue" in late_page


# Passport custody --------------------------------------------------------------------------------------------


def test_officer_hands_a_passport_out_and_takes_it_back_from_the_page(as_user, officer):
    application = ApplicationFactory(permit_issued=True)
    person = application.members.order_by("pk").first().person
    client = as_user(officer)
    page = client.get(change_url(application))
    assert 'data-testid="hand-out"' in page.content.decode()
    assert person in page.context["handout_form"].fields["person"].queryset

    out = client.post(
        admin_url("passport_hand_out", application.pk),
        {"person": person.pk, "handed_to": "司机 小李", "notes": "机场交接"},
    )

    assert out.status_code == 302 and out.url == change_url(application) + "#custody"
    handover = PassportHandover.objects.get()
    assert (handover.person, handover.handed_to, handover.notes, handover.handed_out_by) == (
        person,
        "司机 小李",
        "机场交接",
        officer,
    )
    assert flashed(out)[0][0] == "success"
    assert AuditEvent.objects.filter(action="travel_application.passport_out").count() == 1
    page = client.get(change_url(application))
    content = page.content.decode()
    assert person.passport_number in content  # whole, for the office
    assert admin_url("passport_return", application.pk, handover.pk) in content
    assert person not in page.context["handout_form"].fields["person"].queryset  # out already

    # "Record return…" opens a confirmation page with the day; it records nothing by itself.
    assert "Record return…" in content and "Received back" not in content
    confirmation = client.get(admin_url("passport_return", application.pk, handover.pk))
    assert confirmation.status_code == 200
    page = confirmation.content.decode()
    assert person.full_name in page and person.passport_number in page
    assert 'name="returned_on"' in page and f'value="{today().isoformat()}"' in page
    assert f'max="{today().isoformat()}"' in page and "Confirm the return" in page
    handover.refresh_from_db()
    assert handover.returned_at is None

    back = client.post(
        admin_url("passport_return", application.pk, handover.pk), {"returned_on": today().isoformat()}
    )

    assert back.status_code == 302 and back.url == change_url(application) + "#custody"
    assert flashed(back) == [
        (
            "success",
            f"The passport of {person.full_name} is back in custody: returned on {english_date(today())}.",
        )
    ]
    handover.refresh_from_db()
    assert handover.returned_at is not None and handover.received_by == officer
    assert timezone.localtime(handover.returned_at).date() == today()
    assert AuditEvent.objects.filter(action="travel_application.passport_back").count() == 1
    again = client.post(
        admin_url("passport_return", application.pk, handover.pk), {"returned_on": today().isoformat()}
    )
    assert flashed(again)[-1] == ("error", f"{person.full_name}: This passport has already been returned.")
    assert "Record return…" not in client.get(change_url(application)).content.decode()


def test_officer_records_a_return_on_an_earlier_day_and_is_refused_impossible_days(as_user, officer):
    application = ApplicationFactory(permit_issued=True)
    person = application.members.order_by("pk").first().person
    with time_machine.travel(timezone.now() - timedelta(days=4)):
        handover = services.passport_hand_out(application=application, person=person, actor=officer)
    url = admin_url("passport_return", application.pk, handover.pk)
    client = as_user(officer)

    for day, message in (
        (today() + timedelta(days=1), "cannot be in the future"),
        (today() - timedelta(days=5), "it cannot have come back before that day"),
        (None, "Enter the date the passport came back."),
    ):
        refused = client.post(url, {"returned_on": day.isoformat() if day else ""})
        assert refused.status_code == 400 and message in refused.content.decode()
        assert 'data-testid="return-errors"' in refused.content.decode()
        if day:
            assert f'value="{day.isoformat()}"' in refused.content.decode()  # what was typed stays
    handover.refresh_from_db()
    assert handover.returned_at is None

    came_back = today() - timedelta(days=2)
    done = client.post(url, {"returned_on": came_back.isoformat()})
    assert done.status_code == 302
    handover.refresh_from_db()
    assert timezone.localtime(handover.returned_at).date() == came_back
    event = AuditEvent.objects.get(action="travel_application.passport_back")
    assert event.data["returned_on"] == came_back.isoformat() and event.data["late"] is False
    # The change page shows the day given.
    assert english_date(came_back) in client.get(change_url(application)).content.decode()


def test_a_handover_of_another_trip_is_not_taken_back_through_this_one(as_user, officer):
    application = ApplicationFactory(permit_issued=True)
    other = ApplicationFactory(permit_issued=True)
    handover = services.passport_hand_out(
        application=other, person=other.members.first().person, actor=officer
    )
    client = as_user(officer)
    for response in (
        client.get(admin_url("passport_return", application.pk, handover.pk)),
        client.post(
            admin_url("passport_return", application.pk, handover.pk), {"returned_on": today().isoformat()}
        ),
    ):
        assert response.status_code == 302
        assert flashed(response)[-1] == ("error", "This passport was not handed out for this trip.")
    handover.refresh_from_db()
    assert handover.returned_at is None


def test_hand_out_refuses_ordinary_passports_and_strangers(as_user, officer):
    application = ApplicationFactory(approved=True)
    ordinary = application.members.order_by("pk").first().person
    ordinary.passport_type = PassportType.ORDINARY
    ordinary.save()
    stranger = PersonFactory(organization=application.organization)
    client = as_user(officer)

    for person in (ordinary, stranger):
        response = client.post(admin_url("passport_hand_out", application.pk), {"person": person.pk})
        assert response.status_code == 302
        assert flashed(response)[0][0] == "error"
    assert not PassportHandover.objects.exists()


def test_no_hand_out_form_before_approval(as_user, officer):
    application = ApplicationFactory(in_review=True)
    client = as_user(officer)

    response = client.get(change_url(application))

    assert response.context["handout_form"] is None
    assert 'data-testid="custody"' not in response.content.decode()
    person = application.members.first().person
    refused = client.post(admin_url("passport_hand_out", application.pk), {"person": person.pk})
    assert flashed(refused) == [("error", "Passports are handed out for approved trips only.")]


def test_manager_cannot_hand_out_or_take_back(as_user, manager, officer):
    application = ApplicationFactory(permit_issued=True)
    person = application.members.first().person
    handover = services.passport_hand_out(application=application, person=person, actor=officer)
    client = as_user(manager)

    content = client.get(change_url(application)).content.decode()
    assert "Received back" not in content

    refused = client.post(admin_url("passport_hand_out", application.pk), {"person": person.pk})
    assert flashed(refused)[0][0] == "error"
    refused = client.post(admin_url("passport_return", application.pk, handover.pk))
    assert flashed(refused)[0][0] == "error"
    refused = client.post(
        admin_url("passport_return", application.pk, handover.pk), {"returned_on": today().isoformat()}
    )
    assert flashed(refused)[0][0] == "error"
    assert client.get(admin_url("passport_return", application.pk, handover.pk)).status_code == 302
    handover.refresh_from_db()
    assert handover.returned_at is None


# The queue: follow-up filters and badges -------------------------------------------------------------------


def late_handover(application, officer, *, days_late=2, returned=False):
    person = application.members.first().person
    return PassportHandover.objects.create(
        person=person,
        application=application,
        passport_number=person.passport_number,
        handed_out_by=officer,
        handed_to=person.full_name,
        due_on=today() - timedelta(days=days_late),
        returned_at=timezone.now() if returned else None,
    )


def test_follow_up_filters_find_what_needs_the_office(as_user, officer):
    problem = ApplicationFactory(approved=True, permit_error="OSError: disk full")
    fine = ApplicationFactory(approved=True)
    report_late = ApplicationFactory(permit_issued=True, report_due_on=today() - timedelta(days=5))
    report_fine = ApplicationFactory(permit_issued=True, report_due_on=today() + timedelta(days=5))
    objections = ApplicationFactory(approved=True, pending_objections=2)
    passport_late = ApplicationFactory(permit_issued=True, report_due_on=today() + timedelta(days=3))
    late_handover(passport_late, officer)
    passport_back = ApplicationFactory(permit_issued=True)
    late_handover(passport_back, officer, returned=True)
    client = as_user(officer)

    # A follow-up filter looks through every state unless a state is chosen.
    assert listed(client.get(QUEUE, {"permit_problem": "yes"})) == [problem.pk]
    assert listed(client.get(QUEUE, {"report_overdue": "yes"})) == [report_late.pk]
    assert listed(client.get(QUEUE, {"passport_overdue": "yes"})) == [passport_late.pk]
    assert listed(client.get(QUEUE, {"objections": "yes"})) == [objections.pk]
    assert listed(client.get(QUEUE, {"permit_problem": "yes", "state": "in_review"})) == []
    assert listed(client.get(QUEUE, {"permit_problem": "yes", "state": "approved"})) == [problem.pk]
    approved_without_problem = set(listed(client.get(QUEUE, {"permit_problem": "no", "state": "approved"})))
    assert approved_without_problem == {fine.pk, objections.pk}
    assert report_fine.pk not in listed(client.get(QUEUE, {"report_overdue": "yes"}))
    assert listed(client.get(QUEUE)) == []  # the default is still "in review"


def test_queue_badges_for_permit_problem_report_overdue_and_objections(as_user, officer):
    ApplicationFactory(approved=True, permit_error="OSError: disk full")
    ApplicationFactory(permit_issued=True, report_due_on=today() - timedelta(days=5))
    ApplicationFactory(approved=True, pending_objections=2)

    content = as_user(officer).get(QUEUE, {"state": "all"}).content.decode()

    assert 'class="queue-badge queue-permit-problem" title="OSError: disk full">permit problem<' in content
    assert 'class="queue-badge queue-overdue" title="">report 5 days overdue<' in content
    assert 'class="queue-badge queue-objections" title="">2 objections pending<' in content


def test_queue_query_count_with_follow_up_badges_does_not_grow_with_rows(as_user, officer):
    organizations = OrganizationFactory.create_batch(5)

    def make(count):
        for index in range(count):
            ApplicationFactory(
                approved=index % 3 == 0,
                permit_issued=index % 3 == 1,
                report_submitted=index % 3 == 2,
                trip=False,
                organization=organizations[index % 5],
                countries="DE",
                permit_error="boom" if index % 3 == 0 else "",
                report_due_on=today() - timedelta(days=index % 4),
                pending_objections=index % 2,
            )

    client = as_user(officer)
    make(10)
    params = {"state": "all", "passport_overdue": "no"}
    with CaptureQueriesContext(connection) as few:
        assert len(listed(client.get(QUEUE, params))) == 10
    make(190)
    with CaptureQueriesContext(connection) as many:
        assert len(listed(client.get(QUEUE, params))) == 50
    assert len(many) == len(few), [query["sql"] for query in many]


# The admins of permits, notices, objections and the custody ledger ---------------------------------------


@pytest.mark.parametrize("role", [Role.OFFICER, Role.LEADER, Role.MANAGER])
def test_after_approval_admins_open_read_only_for_office_staff(as_user, role, issued, objected):
    application, permit = issued
    _noticed, disclosure, objection = objected
    handover = late_handover(application, office_user(Role.OFFICER))
    client = as_user(office_user(role))

    assert "approvals/permit/" in client.get(reverse("admin:index")).content.decode()
    for model, obj in (
        ("permit", permit),
        ("disclosure", disclosure),
        ("objection", objection),
        ("passporthandover", handover),
    ):
        assert client.get(reverse(f"admin:approvals_{model}_changelist")).status_code == 200
        page = client.get(reverse(f"admin:approvals_{model}_change", args=[obj.pk]))
        assert page.status_code == 200
        assert 'name="_save"' not in page.content.decode()
        assert client.get(reverse(f"admin:approvals_{model}_add")).status_code == 403
        assert client.get(reverse(f"admin:approvals_{model}_delete", args=[obj.pk])).status_code == 403


def test_enterprise_users_do_not_reach_the_after_approval_admins(client, liaison):
    client.force_login(liaison)

    response = client.get(reverse("admin:approvals_permit_changelist"))

    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def test_permit_admin_lists_searches_and_filters_by_status(as_user, officer, issued):
    application, permit = issued
    client = as_user(officer)

    response = client.get(reverse("admin:approvals_permit_changelist"))
    content = response.content.decode()
    assert listed(response) == [permit.pk]
    assert permit.number in content and application.reference in content
    assert application.organization.name in content
    assert admin_url("permit", application.pk) in content

    changelist = reverse("admin:approvals_permit_changelist")
    code = permit.verification_code.replace("-", "").lower()
    assert listed(client.get(changelist, {"q": code})) == [permit.pk]
    assert listed(client.get(changelist, {"q": application.reference})) == [permit.pk]
    assert listed(client.get(changelist, {"q": permit.number})) == [permit.pk]
    assert listed(client.get(changelist, {"q": "HNFP-0000-99999"})) == []
    assert listed(client.get(changelist, {"status": "valid"})) == [permit.pk]
    assert listed(client.get(changelist, {"status": "expired"})) == []
    Permit.objects.filter(pk=permit.pk).update(valid_until=today() - timedelta(days=1))
    assert listed(client.get(changelist, {"status": "expired"})) == [permit.pk]
    services.permit_revoke(application, reason="取消")
    assert listed(client.get(changelist, {"status": "revoked"})) == [permit.pk]
    assert listed(client.get(changelist, {"status": "expired"})) == []


def test_disclosure_admin_counts_pending_objections_and_links_the_public_page(as_user, officer, objected):
    application, disclosure, _objection = objected
    services.objection_file(disclosure=disclosure, text="第二条异议")
    client = as_user(officer)

    response = client.get(reverse("admin:approvals_disclosure_changelist"))
    content = response.content.decode()
    assert listed(response) == [disclosure.pk]
    assert response.context["cl"].result_list[0].pending_count == 2
    assert application.organization.name_en in content  # from the published content, in English
    assert reverse("notices:detail", args=[disclosure.pk]) in content
    assert (
        listed(client.get(reverse("admin:approvals_disclosure_changelist"), {"outcome__exact": "completed"}))
        == []
    )

    page = client.get(reverse("admin:approvals_disclosure_change", args=[disclosure.pk])).content.decode()
    assert "团员之一已离职" in page and "第二条异议" in page  # the inline, read-only
    assert "objections-TOTAL_FORMS" in page and 'name="objections-0-text"' not in page


def test_objection_admin_puts_pending_first_and_decides_from_its_page(as_user, officer, objected):
    application, disclosure, pending = objected
    decided = services.objection_file(disclosure=disclosure, text="较早的异议")
    services.objection_decide(objection=decided, actor=officer, uphold=False, comment="不成立")
    client = as_user(officer)
    changelist = reverse("admin:approvals_objection_changelist")

    assert listed(client.get(changelist)) == [pending.pk, decided.pk]
    assert listed(client.get(changelist, {"status__exact": "dismissed"})) == [decided.pk]

    url = reverse("admin:approvals_objection_change", args=[pending.pk])
    page = client.get(url).content.decode()
    decide_url = reverse("admin:approvals_objection_decide", args=[pending.pk])
    assert decide_url in page and "Uphold (back to review)" in page
    assert (
        decide_url.replace(str(pending.pk), str(decided.pk))
        not in client.get(reverse("admin:approvals_objection_change", args=[decided.pk])).content.decode()
    )

    missing = client.post(decide_url, {"decision": "dismiss", "comment": ""})
    assert missing.url == url and flashed(missing) == [("error", "Give the reasons of the decision.")]
    done = client.post(decide_url, {"decision": "uphold", "comment": "属实"})
    assert flashed(done)[-1][0] == "success"
    application.refresh_from_db()
    assert application.state == State.IN_REVIEW


def test_objection_admin_shows_no_decision_form_to_a_leader(as_user, leader, objected):
    _application, _disclosure, objection = objected
    client = as_user(leader)

    page = client.get(reverse("admin:approvals_objection_change", args=[objection.pk])).content.decode()
    assert 'data-testid="decide"' not in page
    refused = client.post(
        reverse("admin:approvals_objection_decide", args=[objection.pk]),
        {"decision": "dismiss", "comment": "不成立"},
    )
    assert flashed(refused) == [("error", "Only approval officers decide objections.")]


def test_custody_ledger_filters_searches_and_marks_passports_received(as_user, officer, manager):
    first = ApplicationFactory(permit_issued=True)
    second = ApplicationFactory(permit_issued=True, organization=OrganizationFactory(ftz_area="luoyang"))
    overdue = late_handover(first, officer)
    current = late_handover(second, officer, days_late=-3)
    returned = late_handover(ApplicationFactory(permit_issued=True), officer, returned=True)
    client = as_user(officer)
    ledger = reverse("admin:approvals_passporthandover_changelist")

    response = client.get(ledger)
    content = response.content.decode()
    assert set(listed(response)) == {overdue.pk, current.pk, returned.pk}
    # A list: masked (the minimum necessary), found by its whole number all the same.
    assert overdue.passport_number not in content and mask_passport_number(overdue.passport_number) in content
    assert content.count('class="queue-badge queue-overdue">2 days overdue<') == 1
    assert set(listed(client.get(ledger, {"custody": "outstanding"}))) == {overdue.pk, current.pk}
    assert listed(client.get(ledger, {"custody": "overdue"})) == [overdue.pk]
    assert listed(client.get(ledger, {"custody": "returned"})) == [returned.pk]
    assert listed(client.get(ledger, {"person__organization__ftz_area__exact": "luoyang"})) == [current.pk]
    assert listed(client.get(ledger, {"q": overdue.passport_number.lower()})) == [overdue.pk]
    assert listed(client.get(ledger, {"q": second.reference})) == [current.pk]
    assert "mark_received" not in as_user(manager).get(ledger).content.decode()

    client = as_user(officer)
    chosen = {
        "action": "mark_received",
        "index": 0,
        "_selected_action": [overdue.pk, current.pk, returned.pk],
    }
    confirmation = client.post(ledger, chosen)  # the action asks for the day first and records nothing
    assert confirmation.status_code == 200
    assert 'data-testid="bulk-return-form"' in confirmation.content.decode()
    assert PassportHandover.objects.filter(returned_at__isnull=True).count() == 2
    tomorrow = timezone.localdate() + timedelta(days=1)
    refused = client.post(ledger, {**chosen, "confirm": "1", "returned_on": tomorrow.isoformat()})
    assert refused.status_code == 400
    assert PassportHandover.objects.filter(returned_at__isnull=True).count() == 2
    done = client.post(ledger, {**chosen, "confirm": "1", "returned_on": timezone.localdate().isoformat()})

    assert done.status_code == 302
    messages = flashed(done)
    assert ("success", "2 passports are back in custody.") in messages
    assert any(level == "error" and "already been returned" in text for level, text in messages)
    assert PassportHandover.objects.filter(returned_at__isnull=True).count() == 0
    assert AuditEvent.objects.filter(action="travel_application.passport_back").count() == 2
