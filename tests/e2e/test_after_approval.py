"""A real browser after approval: the public notice and an objection, the permit downloaded and
verified, passports handed out and back, the post-trip report with an attachment, its notice, and the
closed application. Elements are found by id, name and data-testid, whatever the translations say.

The live server runs in the test's process, so time_machine moves its clock too: the report is
written "after the return" by travelling there around those browser steps.
"""

import shutil
import subprocess
from datetime import datetime, time, timedelta
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from approvals import services
from approvals.models import Disclosure, Objection, PassportHandover, Permit
from approvals.workflow import State
from foreign_affairs.documents.models import Document
from tests.approvals.factories import ApplicationFactory
from tests.conftest import ARTIFACTS, requires_chromium
from tests.foreign_affairs.documents.conftest import pdf_bytes

pytestmark = [
    requires_chromium,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]
SHANGHAI = ZoneInfo("Asia/Shanghai")


def sign_in(page, live_server, user, password):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.locator("form.card button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/dashboard/")


def sign_out(page):
    page.context.clear_cookies()


def no_sideways_scroll(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def on_a_phone(page, screenshot, name: str) -> None:
    """Screenshot the current page 360 px wide, checking that nothing scrolls sideways."""
    page.set_viewport_size({"width": 360, "height": 780})
    assert no_sideways_scroll(page) <= 0, f"{name} scrolls sideways at 360px"
    screenshot(name)
    page.set_viewport_size({"width": 1280, "height": 720})


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm (apt-get install poppler-utils)")
def test_the_browser_journey_from_approval_to_a_closed_report(
    page, live_server, applicant, liaison, officer, organization, settings, screenshot, tmp_path
):
    settings.DISCLOSURE_WORKING_DAYS = 5
    cache.clear()  # the objection and verification rate limits start afresh
    departure = timezone.localdate() + timedelta(days=60)  # the rules want 45 days of notice
    application = ApplicationFactory(organization=organization, in_review=True, trip__departure=departure)
    services.application_transition(application=application, actor=officer, name="approve")
    application.refresh_from_db()
    notice = Disclosure.objects.get(application=application, kind="trip")
    assert application.state == State.APPROVED and notice.is_open

    # The applicant sees that the trip is on public notice before the permit.
    sign_in(page, live_server, applicant, settings.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    expect(page.get_by_test_id("permit-waits-for-notice")).to_be_visible()
    screenshot("after-approval-waiting")

    # An anonymous visitor finds the notice and files an objection.
    sign_out(page)
    page.goto(f"{live_server.url}/notices/")
    card = page.locator(f'[data-notice="{notice.pk}"]')
    expect(card).to_be_visible()
    screenshot("notices-list")
    on_a_phone(page, screenshot, "notices-list-phone")
    page.fill("#id_q", application.reference)
    page.get_by_test_id("notice-search").click()
    expect(page.locator("[data-notice]")).to_have_count(1)
    card.get_by_test_id("notice-link").click()
    expect(page).to_have_url(f"{live_server.url}/notices/{notice.pk}/")
    expect(page.get_by_test_id("notice-members")).to_be_visible()
    for member in application.members.select_related("person"):
        expect(page.get_by_test_id("notice-members")).to_contain_text(member.person.full_name)
        expect(page.locator("main")).not_to_contain_text(member.person.passport_number)
    page.get_by_test_id("objection-submit").click()  # empty: the error comes back, focused
    expect(page.get_by_test_id("objection-errors")).to_be_focused()
    page.fill("#id_objection_text", "团长同期另有出访安排，请核实。")
    page.fill("#id_objection_name", "王先生")
    page.fill("#id_objection_contact", "wang@example.com")
    screenshot("notice-objection")
    on_a_phone(page, screenshot, "notice-objection-phone")
    page.get_by_test_id("objection-submit").click()
    expect(page).to_have_url(f"{live_server.url}/notices/{notice.pk}/")
    expect(page.locator(".alert-success")).to_be_visible()
    screenshot("notice-objection-filed")
    objection = Objection.objects.get()
    assert objection.text == "团长同期另有出访安排，请核实。" and objection.contact == "wang@example.com"

    # The officer dismisses it (the back-office page for objections is someone else's); the notice
    # ends, and because tasks run eagerly here, the permit is issued.
    services.objection_decide(objection=objection, actor=officer, uphold=False, comment="经核实，无冲突。")
    assert services.close_ended_disclosures(today=notice.ends_on + timedelta(days=1)) == 1
    application.refresh_from_db()
    assert application.state == State.PERMIT_ISSUED
    permit = application.permit

    # The applicant downloads the permit from the application's page.
    sign_in(page, live_server, applicant, settings.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    panel = page.get_by_test_id("permit-panel")
    expect(panel).to_have_attribute("data-status", "valid")
    expect(page.get_by_test_id("permit-code")).to_have_text(permit.verification_code)
    screenshot("permit-panel")
    with page.expect_download() as download_info:
        page.get_by_test_id("permit-download").click()
    download = download_info.value
    assert download.suggested_filename == f"{permit.number}.pdf"
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / "permit.pdf"
    download.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    subprocess.run(
        ["pdftoppm", "-r", "80", "-png", "-singlefile", str(pdf), str(ARTIFACTS / "permit-page")],
        check=True,
        timeout=60,
    )
    assert (ARTIFACTS / "permit-page.png").stat().st_size > 10_000

    # Anyone checks it by its verification address (the QR code's).
    sign_out(page)
    page.goto(f"{live_server.url}{urlparse(permit.verify_url).path}")
    expect(page.get_by_test_id("verify-result")).to_have_attribute("data-status", "valid")
    screenshot("verify-valid")
    on_a_phone(page, screenshot, "verify-valid-phone")

    # The liaison hands the leader's passport out for the trip.
    leader = application.members.get(is_leader=True).person
    sign_in(page, live_server, liaison, settings.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    page.select_option("#id_handout_person", str(leader.pk))
    page.fill("#id_handout_handed_to", leader.full_name)
    page.get_by_test_id("hand-out").click()
    handover = PassportHandover.objects.get()
    expect(page.locator(f'[data-handover="{handover.pk}"]')).to_be_visible()
    screenshot("custody-handed-out")
    page.goto(f"{live_server.url}/applications/passports/")
    expect(page.get_by_test_id("outstanding").locator(f'[data-handover="{handover.pk}"]')).to_be_visible()
    screenshot("passports-overview")
    on_a_phone(page, screenshot, "passports-overview-phone")

    # After the return: the passport comes back, and the applicant reports with an attachment.
    after_return = datetime.combine(application.return_date + timedelta(days=3), time(10), tzinfo=SHANGHAI)
    minutes = tmp_path / "会谈纪要.pdf"
    minutes.write_bytes(pdf_bytes("Minutes"))
    with time_machine.travel(after_return, tick=True):
        sign_in(page, live_server, liaison, settings.DEMO_PASSWORD)
        page.goto(f"{live_server.url}/applications/{application.pk}/")
        page.locator(f'[data-handover="{handover.pk}"]').get_by_test_id("passport-return").click()
        screenshot("passport-return-confirm")
        page.get_by_test_id("passport-return-confirm").click()
        expect(
            page.locator(f'[data-handover="{handover.pk}"]').get_by_test_id("passport-return")
        ).to_have_count(0)
        handover.refresh_from_db()
        assert handover.returned_at is not None and handover.received_by == liaison

        sign_in(page, live_server, applicant, settings.DEMO_PASSWORD)
        page.goto(f"{live_server.url}/applications/{application.pk}/")
        expect(page.get_by_test_id("report-due")).to_be_visible()
        expect(page.get_by_test_id("report-form")).to_be_visible()
        page.fill("#id_report_summary", "走访汉堡、里昂两家合作伙伴，参加物流展。")
        page.fill("#id_report_outcomes", "确定海铁联运合作方案。")
        page.fill("#id_report_agreements", "与 Hamburg Logistics AG 签署合作备忘录。")
        page.fill("#id_report_actual_return_date", application.return_date.isoformat())
        page.fill("#id_report_actual_spending", "98000")
        page.set_input_files("#id_report_files", str(minutes))
        screenshot("report-form")
        on_a_phone(page, screenshot, "report-form-phone")
        page.locator('[data-testid="report-form"] [data-transition="submit_report"]').click()
        expect(page.locator('header [data-state="report_submitted"]')).to_be_visible()
        expect(page.get_by_test_id("report-documents")).to_contain_text("会谈纪要.pdf")
        screenshot("report-submitted")
        application.refresh_from_db()
        assert application.state == State.REPORT_SUBMITTED
        assert Document.objects.filter(kind="report", title__startswith=application.reference).count() == 1

        # The report's public notice appears for everyone.
        report_notice = Disclosure.objects.get(application=application, kind="report")
        sign_out(page)
        page.goto(f"{live_server.url}/notices/?kind=report")
        page.locator(f'[data-notice="{report_notice.pk}"]').get_by_test_id("notice-link").click()
        expect(page.get_by_test_id("notice-report")).to_contain_text("确定海铁联运合作方案。")
        screenshot("report-notice")

        # The notice ends; the officer accepts the report in the back office.
        assert services.close_ended_disclosures(today=report_notice.ends_on + timedelta(days=1)) == 1
        sign_in(page, live_server, officer, settings.DEMO_PASSWORD)
        page.goto(f"{live_server.url}/admin/approvals/travelapplication/{application.pk}/change/")
        page.locator('button[name="transition"][value="accept_report"]').click()
        expect(page.locator('button[name="transition"][value="accept_report"]')).to_have_count(0)
        application.refresh_from_db()
        assert application.state == State.CLOSED

        # The applicant sees the closed application, its report and its notices.
        sign_in(page, live_server, applicant, settings.DEMO_PASSWORD)
        page.goto(f"{live_server.url}/applications/{application.pk}/")
        expect(page.locator('header [data-state="closed"]')).to_be_visible()
        expect(page.get_by_test_id("report")).to_be_visible()
        notices = page.get_by_test_id("application-notices")
        expect(notices.locator('[data-kind="report"]')).to_have_attribute("data-outcome", "completed")
        expect(notices.locator('[data-kind="trip"]')).to_have_attribute("data-outcome", "completed")
        screenshot("application-closed")
        on_a_phone(page, screenshot, "application-closed-phone")

        # The completed report notice stays readable, without the objection form.
        sign_out(page)
        page.goto(f"{live_server.url}/notices/{report_notice.pk}/")
        expect(page.get_by_test_id("notice-period")).to_have_attribute("data-outcome", "completed")
        expect(page.get_by_test_id("objection-form")).to_have_count(0)


def test_the_verification_page_answers_in_every_state_on_a_phone(
    page, live_server, organization, officer, settings, screenshot
):
    """Valid, expired, revoked, unknown and throttled, each in words and a symbol, 360 px wide."""
    settings.DISCLOSURE_WORKING_DAYS = 0  # the permit follows the approval at once
    cache.clear()
    application = ApplicationFactory(organization=organization, in_review=True)
    services.application_transition(application=application, actor=officer, name="approve")
    permit = Permit.objects.get(application=application)
    url = f"{live_server.url}/verify/{permit.verification_code}/"
    page.set_viewport_size({"width": 360, "height": 780})

    page.goto(url)
    expect(page.get_by_test_id("verify-result")).to_have_attribute("data-status", "valid")
    with time_machine.travel(datetime.combine(permit.valid_until + timedelta(days=1), time(10), SHANGHAI)):
        page.goto(url)
        expect(page.get_by_test_id("verify-result")).to_have_attribute("data-status", "expired")
        assert no_sideways_scroll(page) <= 0
        screenshot("verify-expired-phone")
    services.permit_revoke(application, reason="出访取消")
    page.goto(url)
    expect(page.get_by_test_id("verify-result")).to_have_attribute("data-status", "revoked")
    assert no_sideways_scroll(page) <= 0
    screenshot("verify-revoked-phone")
    page.set_viewport_size({"width": 1280, "height": 720})
    screenshot("verify-revoked")
    page.set_viewport_size({"width": 360, "height": 780})

    page.goto(f"{live_server.url}/verify/")
    page.fill("#id_code", "zzzz-zzzz")
    page.locator("#id_code").press("Enter")
    expect(page.get_by_test_id("verify-unknown")).to_have_attribute("data-status", "unknown")
    assert no_sideways_scroll(page) <= 0
    screenshot("verify-unknown-phone")
    for _ in range(30):
        page.goto(f"{live_server.url}/verify/ZZZZ-ZZZZ/")
    expect(page.get_by_test_id("verify-throttled")).to_be_visible()
    assert no_sideways_scroll(page) <= 0
    screenshot("verify-throttled-phone")
    cache.clear()
