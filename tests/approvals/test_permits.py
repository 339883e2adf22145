"""Permits: rendered once, bilingual, Chinese in the PDF, verifiable; public notices and objections before."""

import hashlib
import io
import logging
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from celery.exceptions import Retry
from django.utils import timezone
from pypdf import PdfReader

from approvals import services
from approvals.models import Disclosure, Permit
from approvals.tasks import issue_permit
from approvals.workflow import State
from foreign_affairs.audit.models import AuditEvent
from tests.approvals.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(organization, officer, settings, django_capture_on_commit_callbacks):
    """An application approved by the officer, its notice still open (5 working days)."""
    settings.DISCLOSURE_WORKING_DAYS = 5
    application = ApplicationFactory(organization=organization, in_review=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_transition(application=application, actor=officer, name="approve")
    application.refresh_from_db()
    return application


def _end_notice(application, django_capture_on_commit_callbacks):
    notice = application.disclosures.get(kind="trip")
    with django_capture_on_commit_callbacks(execute=True):
        closed = services.close_ended_disclosures(today=notice.ends_on + timedelta(days=1))
    application.refresh_from_db()
    return closed


def _permit_files(settings) -> list[Path]:
    root = Path(settings.STORAGES["private"]["OPTIONS"]["location"])
    return sorted(root.rglob("*.pdf")) if root.exists() else []


def test_the_permit_waits_for_the_notice_then_is_issued(
    approved, officer, django_capture_on_commit_callbacks, settings
):
    assert approved.state == State.APPROVED and not Permit.objects.exists()
    notice = approved.disclosures.get()
    assert notice.is_open and notice.content["reference"] == approved.reference
    with django_capture_on_commit_callbacks(execute=True):
        assert services.close_ended_disclosures(today=notice.ends_on) == 0  # the last day is still on
    assert _end_notice(approved, django_capture_on_commit_callbacks) == 1
    assert approved.state == State.PERMIT_ISSUED
    permit = approved.permit
    assert (permit.number, permit.valid_until, permit.approved_by) == (
        approved.reference.replace("HNFA", "HNFP"),
        approved.return_date,
        officer,
    )
    assert approved.report_due_on == approved.return_date + timedelta(days=15)
    assert len(_permit_files(settings)) == 1


def test_without_a_notice_the_permit_follows_the_approval(
    organization, officer, settings, django_capture_on_commit_callbacks
):
    settings.DISCLOSURE_WORKING_DAYS = 0
    application = ApplicationFactory(organization=organization, in_review=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_transition(application=application, actor=officer, name="approve")
    application.refresh_from_db()
    assert application.state == State.PERMIT_ISSUED and not application.disclosures.exists()


def test_the_pdf_holds_the_reference_the_code_and_chinese_in_an_embedded_font(
    approved, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.WARNING, logger="weasyprint")
    _end_notice(approved, django_capture_on_commit_callbacks)
    permit = approved.permit
    reader = PdfReader(io.BytesIO(permit.file.open("rb").read()))
    text = "".join(page.extract_text() for page in reader.pages)
    assert approved.reference in text and permit.verification_code in text and permit.number in text
    assert approved.organization.name_zh in text and "因公出国（境）任务批件" in text
    member = approved.members.first().person
    assert member.masked_passport_number in text and member.passport_number not in text
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any(name.endswith("Portal-Sans") for name in fonts)
    assert len(reader.pages) == 1
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_issuing_twice_leaves_one_file_and_one_transition(
    approved, settings, django_capture_on_commit_callbacks
):
    _end_notice(approved, django_capture_on_commit_callbacks)
    first = approved.permit
    assert issue_permit.apply(args=[approved.pk]).get() == first.number
    assert services.permit_issue(application_id=approved.pk) == first
    assert Permit.objects.count() == 1 and len(_permit_files(settings)) == 1
    assert AuditEvent.objects.filter(action="travel_application.issue_permit").count() == 1


def _permit_as_issued(permit: Permit) -> tuple:
    permit.refresh_from_db()
    with permit.file.open("rb") as handle:
        content = handle.read()
    assert hashlib.sha256(content).hexdigest() == permit.sha256
    # The rendering is deterministic: the file's modification time also shows it was not written again.
    written = Path(permit.file.path).stat().st_mtime_ns
    return permit.file.name, content, permit.sha256, permit.issued_at, written


def test_a_second_run_of_the_permit_task_renders_nothing_again(approved, settings):
    """Safe to run twice: the second run returns the permit issued, with the same file, bytes, hash and time,
    even a day later (a second rendering would carry another date)."""
    approved.disclosures.update(outcome="completed")
    number = issue_permit.apply(args=[approved.pk]).get()
    permit = Permit.objects.get(application=approved)
    issued = _permit_as_issued(permit)
    with time_machine.travel(timezone.now() + timedelta(days=1, hours=1)):
        assert issue_permit.apply(args=[approved.pk]).get() == number == permit.number
        assert services.permit_issue(application_id=approved.pk) == permit
    assert _permit_as_issued(permit) == issued
    assert _permit_files(settings) == [Path(permit.file.path)]


def test_a_run_killed_before_commit_is_repeated_cleanly(
    approved, settings, django_capture_on_commit_callbacks
):
    """A crash after the file was written but before the commit: the next run replaces the file."""
    from django.db import transaction

    approved.disclosures.update(outcome="completed")

    class Crash(Exception):
        pass

    with pytest.raises(Crash), transaction.atomic():
        services.permit_issue(application_id=approved.pk)
        raise Crash  # the worker dies here: the rows roll back, the file stays
    assert not Permit.objects.exists() and len(_permit_files(settings)) == 1
    services.permit_issue(application_id=approved.pk)
    assert Permit.objects.count() == 1 and len(_permit_files(settings)) == 1


def _break_the_private_storage(settings) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": "/dev/null/permits"}},
    }


def test_a_failing_permit_is_retried_with_back_off_then_shown_to_the_officers(approved, settings, officer):
    approved.disclosures.update(outcome="completed")
    _break_the_private_storage(settings)
    for retries, countdown in [(0, 60), (1, 120), (2, 240)]:  # Celery retries after 1, 2 and 4 minutes
        with pytest.raises(Retry) as retry:
            issue_permit.apply(args=[approved.pk], retries=retries)
        assert retry.value.when == countdown
    approved.refresh_from_db()
    assert approved.permit_error == "" and not officer.notifications.exists()

    # The last attempt, as a worker runs it (a failure goes to the task's on_failure, not to a caller).
    result = issue_permit.apply(args=[approved.pk], retries=issue_permit.max_retries, throw=False)
    assert result.failed() and isinstance(result.result, NotADirectoryError)
    approved.refresh_from_db()
    assert approved.state == State.APPROVED and "permits" in approved.permit_error
    assert AuditEvent.objects.filter(action="travel_application.permit_failed").count() == 1
    assert officer.notifications.filter(channel="in_app", subject__contains=approved.reference).exists()


def test_in_the_embedded_default_a_failing_permit_leaves_the_approval_done_and_the_officers_told(
    organization, officer, settings, django_capture_on_commit_callbacks
):
    """Eagerly (no Redis), the permit renders right after the approval commits; its failure is kept and
    told, and the officer's approval itself succeeds. Once the storage is back, a retry issues it."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.DISCLOSURE_WORKING_DAYS = 0
    working = settings.STORAGES
    _break_the_private_storage(settings)
    application = ApplicationFactory(organization=organization, in_review=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_transition(application=application, actor=officer, name="approve")
    application.refresh_from_db()
    assert application.state == State.APPROVED and "NotADirectoryError" in application.permit_error
    assert not Permit.objects.exists()
    assert officer.notifications.filter(channel="in_app", subject__contains=application.reference).exists()

    settings.STORAGES = working
    with django_capture_on_commit_callbacks(execute=True):
        services.permit_retry(application=application, actor=officer)
    application.refresh_from_db()
    assert application.state == State.PERMIT_ISSUED and application.permit_error == ""


@pytest.mark.django_db(transaction=True)
def test_a_failing_permit_does_not_turn_the_approval_request_into_an_error(
    client, organization, officer, settings
):
    """The request's transaction commits, then the eager task runs inside the request: it must not raise."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.DISCLOSURE_WORKING_DAYS = 0
    _break_the_private_storage(settings)
    application = ApplicationFactory(organization=organization, in_review=True)
    client.force_login(officer)
    response = client.post(f"/applications/{application.pk}/transition/approve/")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.APPROVED and application.permit_error


# Public notices and objections -----------------------------------------------------------------------------


def test_an_objection_holds_the_notice_until_an_officer_decides(
    approved, officer, django_capture_on_commit_callbacks
):
    notice = approved.disclosures.get()
    objection = services.objection_file(disclosure=notice, text="团长已于上月离职。", contact="13800000000")
    approved.refresh_from_db()
    assert approved.pending_objections == 1
    assert _end_notice(approved, django_capture_on_commit_callbacks) == 0  # waits for the decision
    with django_capture_on_commit_callbacks(execute=True):
        services.objection_decide(
            objection=objection, actor=officer, uphold=False, comment="经核实，团长在职。"
        )
    assert _end_notice(approved, django_capture_on_commit_callbacks) == 1
    assert approved.state == State.PERMIT_ISSUED


def test_an_upheld_objection_sends_the_trip_back_to_review(
    approved, officer, django_capture_on_commit_callbacks
):
    notice = approved.disclosures.get()
    objection = services.objection_file(disclosure=notice, text="邀请单位不存在。")
    with django_capture_on_commit_callbacks(execute=True):
        services.objection_decide(
            objection=objection, actor=officer, uphold=True, comment="邀请单位资质存疑。"
        )
    approved.refresh_from_db()
    notice.refresh_from_db()
    assert approved.state == State.IN_REVIEW and notice.outcome == "withdrawn"
    assert not Permit.objects.exists()
    reopen = AuditEvent.objects.get(action="travel_application.reopen")
    assert "邀请单位资质存疑" in reopen.comment


def test_objections_need_text_an_open_notice_and_reasons(approved, officer, applicant):
    from django.core.exceptions import PermissionDenied, ValidationError

    notice = approved.disclosures.get()
    with pytest.raises(ValidationError):
        services.objection_file(disclosure=notice, text="  ")
    objection = services.objection_file(disclosure=notice, text="有异议")
    with pytest.raises(PermissionDenied):
        services.objection_decide(objection=objection, actor=applicant, uphold=False, comment="x")
    with pytest.raises(ValidationError):
        services.objection_decide(objection=objection, actor=officer, uphold=False, comment="")
    Disclosure.objects.filter(pk=notice.pk).update(outcome="completed")
    with pytest.raises(ValidationError):
        services.objection_file(disclosure=notice, text="太晚了")


def test_the_report_is_published_and_objections_hold_its_acceptance(
    organization, applicant, officer, settings, django_capture_on_commit_callbacks
):
    settings.DISCLOSURE_WORKING_DAYS = 5
    past = timezone.localdate() - timedelta(days=20)
    application = ApplicationFactory(
        organization=organization, permit_issued=True, trip__departure=past, created_by=applicant
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.application_transition(
            application=application,
            actor=applicant,
            name="submit_report",
            report={
                "summary": "签署合作备忘录",
                "outcomes": "备忘录一份",
                "agreements": "《港口物流合作备忘录》",
                "actual_return_date": past + timedelta(days=6),
                "actual_spending": "91000.00",
            },
        )
    notice = application.disclosures.get(kind="report")
    assert (
        notice.content["summary"] == "签署合作备忘录"
        and notice.content["agreements"] == "《港口物流合作备忘录》"
    )
    objection = services.objection_file(disclosure=notice, text="支出超预算")
    from foreign_affairs.errors import RulesFailed

    with pytest.raises(RulesFailed):
        services.application_transition(application=application, actor=officer, name="accept_report")
    with django_capture_on_commit_callbacks(execute=True):
        services.objection_decide(objection=objection, actor=officer, uphold=False, comment="支出已说明")
        services.application_transition(application=application, actor=officer, name="accept_report")
    application.refresh_from_db()
    notice.refresh_from_db()
    assert application.state == State.CLOSED and notice.outcome == "completed"
    assert str(application.actual_spending) == "91000.00"


# Verification ------------------------------------------------------------------------------------------------


def test_verification_says_valid_revoked_expired_or_unknown(
    client, approved, applicant, django_capture_on_commit_callbacks
):
    _end_notice(approved, django_capture_on_commit_callbacks)
    permit = approved.permit
    page = client.get(f"/verify/{permit.verification_code}/")
    body = page.content.decode()
    assert page.status_code == 200 and 'data-status="valid"' in body
    assert approved.reference in body and approved.organization.name_zh in body
    member = approved.members.first().person
    assert member.full_name not in body and member.passport_number not in body  # no personal data
    assert (
        'data-status="valid"'
        in client.get(f"/verify/{permit.verification_code.lower().replace('-', '')}/").content.decode()
    )
    with time_machine.travel(timezone.now() + timedelta(days=200)):
        assert 'data-status="expired"' in client.get(f"/verify/{permit.verification_code}/").content.decode()
    services.application_transition(application=approved, actor=applicant, name="cancel", comment="会议取消")
    assert 'data-status="revoked"' in client.get(f"/verify/{permit.verification_code}/").content.decode()
    unknown = client.get("/verify/ZZZZ-ZZZZ/")
    assert unknown.status_code == 404 and 'data-status="unknown"' in unknown.content.decode()


def test_verification_is_rate_limited(client, db):
    from django.core.cache import cache

    cache.clear()
    statuses = [client.get(f"/verify/AAAA-{n:04d}/").status_code for n in range(31)]
    assert statuses[:30] == [404] * 30 and statuses[30] == 429
    cache.clear()


def test_codes_are_unguessable():
    from approvals.models.permits import CODE_ALPHABET, new_verification_code

    codes = {new_verification_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(
        len(code) == 9 and code[4] == "-" and set(code) - {"-"} <= set(CODE_ALPHABET) for code in codes
    )


def test_the_printed_qr_code_leads_to_the_verification_page(
    approved, tmp_path, django_capture_on_commit_callbacks
):
    import shutil
    import subprocess

    import zxingcpp
    from PIL import Image

    if not shutil.which("pdftoppm"):
        pytest.skip("needs pdftoppm (apt-get install poppler-utils) to turn the permit into an image")
    _end_notice(approved, django_capture_on_commit_callbacks)
    pdf = tmp_path / "permit.pdf"
    pdf.write_bytes(approved.permit.file.open("rb").read())
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(tmp_path / "page")], check=True
    )
    decoded = zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))
    assert [code.text for code in decoded] == [approved.permit.verify_url]
