"""Training in a real browser: a liaison enrols the delegation of a travel application from its page (on a
desktop screen); a member opens the venue's QR code on a phone, signs in, checks in and passes the
assessment. Screenshots of each page go to tests/artifacts/."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.approvals.factories import ApplicationFactory
from tests.conftest import requires_chromium
from tests.factories import enterprise_user
from tests.training.factories import course, session
from training.models import Certificate, Enrolment, Session
from training.services.attendance import code_for
from training.views.check_in import check_in_url

pytestmark = [requires_chromium, pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form.card button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_a_delegation_is_enrolled_then_a_member_checks_in_on_a_phone_and_passes(
    browser, page, live_server, organization, liaison, officer, settings, screenshot
):
    base = live_server.url
    application = ApplicationFactory(organization=organization, created_by=liaison)
    member = application.members.select_related("person").first().person
    member.email = "member@example.cn"
    member.save()
    trainee = enterprise_user(organization, email="member@example.cn", first_name="三", last_name="张")
    taught = course(code="PD-09", pass_mark=60, questions=3)
    held = session(officer=officer, course_obj=taught, capacity=2, starts_in=timedelta(days=5))
    session(officer=officer, course_obj=taught, capacity=20, starts_in=timedelta(days=12))

    # The liaison enrols the delegation: two places, the third member on the waiting list.
    page.set_viewport_size(DESKTOP)
    _sign_in(page, base, liaison.username, settings.DEMO_PASSWORD)
    page.goto(f"{base}/training/delegation/{application.pk}/")
    expect(page.locator("[data-testid=members] input[name=people]:checked")).to_have_count(3)
    page.locator(f"#session-{held.pk}").check()
    screenshot("training-delegation-desktop")
    page.get_by_test_id("enrol").click()
    expect(page.locator(".alert-warning")).to_be_visible()
    assert Enrolment.objects.filter(session=held, state="enrolled").count() == 2
    assert Enrolment.objects.filter(session=held, state="waiting").count() == 1
    screenshot("training-delegation-desktop-enrolled")

    # The session starts; the member scans the code at the venue with their phone.
    now = timezone.now()
    Session.objects.filter(pk=held.pk).update(
        enrolment_deadline=now - timedelta(hours=1),
        starts_at=now - timedelta(minutes=10),
        ends_at=now + timedelta(hours=2),
    )
    held.refresh_from_db()
    phone = browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
    ).new_page()
    # First a photo of the code taken ten minutes ago: refused, asked to scan again.
    stale = check_in_url(held, code_for(held, now - timedelta(minutes=10))).replace(
        settings.PORTAL_BASE_URL, base
    )
    phone.goto(stale)
    assert "/accounts/login/" in phone.url
    phone.locator("input[name=username]").fill(trainee.username)
    phone.locator("input[name=password]").fill(settings.DEMO_PASSWORD)
    phone.locator("form.card button[type=submit]").click()
    phone.wait_for_url(stale)
    phone.get_by_test_id("check-in-button").click()
    expect(phone.get_by_test_id("refusal")).to_have_attribute("data-kind", "stale")
    _shot(phone, "training-check-in-phone-stale")
    address = check_in_url(held, code_for(held)).replace(settings.PORTAL_BASE_URL, base)
    phone.goto(address)
    expect(phone.get_by_test_id("check-in-button")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    _shot(phone, "training-check-in-phone")
    phone.get_by_test_id("check-in-button").click()
    expect(phone.get_by_test_id("checked-in")).to_be_visible()
    _shot(phone, "training-check-in-phone-done")

    # The assessment, on the same phone.
    phone.get_by_test_id("assessment-link").click()
    expect(phone.get_by_test_id("assessment-form")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    _shot(phone, "training-assessment-phone")
    questions = phone.locator("fieldset.question")
    questions.nth(0).locator("label.answer").nth(0).click()
    questions.nth(1).locator("label.answer").nth(0).click()
    phone.get_by_test_id("submit").click()  # one question left unanswered
    expect(phone.locator("#error-summary")).to_be_visible()
    expect(questions.nth(0).locator("input:checked")).to_have_count(1)
    _shot(phone, "training-assessment-phone-error")
    questions.nth(2).locator("label.answer").nth(1).click()  # a wrong answer: 67 %, passed
    phone.get_by_test_id("submit").click()
    expect(phone.get_by_test_id("result")).to_have_attribute("data-passed", "true")
    expect(phone.get_by_test_id("certificate-link")).to_be_visible()
    _shot(phone, "training-assessment-phone-passed")
    enrolment = Enrolment.objects.get(session=held, person=member)
    assert enrolment.state == "completed" and Certificate.objects.filter(enrolment=enrolment).exists()


def _shot(page, name: str) -> None:
    from tests.conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    page.evaluate("document.fonts.ready")
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
