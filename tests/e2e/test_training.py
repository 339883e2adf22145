"""The issue's walk-through of area 5 in a real browser: the application form says a traveller lacks
pre-departure training and offers to enrol them; the liaison enrols the delegation in one action; the member
checks in with the venue's code on a phone, passes the assessment and downloads the certificate; the
application's rule check turns green. The real rule answers (marker `training_rule`)."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.approvals.factories import ApplicationFactory
from tests.conftest import requires_chromium
from tests.factories import enterprise_user
from tests.training.factories import course, session
from training import services
from training.models import Certificate, Session
from training.services.attendance import code_for
from training.views.check_in import check_in_url

from .test_overseas_safety import sign_in

pytestmark = [
    requires_chromium,
    pytest.mark.e2e,
    pytest.mark.training_rule,
    pytest.mark.django_db(transaction=True),
]


def test_a_delegation_is_trained_and_the_rule_turns_green(
    browser, page, live_server, organization, liaison, officer, settings, screenshot
):
    base = live_server.url
    application = ApplicationFactory(organization=organization, created_by=liaison, trip__members=2)
    trained, member = (m.person for m in application.members.select_related("person").order_by("pk"))
    member.email = "zhang.san@example.cn"
    member.save()
    trainee = enterprise_user(organization, email="zhang.san@example.cn", first_name="三", last_name="张")
    briefing = course(code="PD-01", pass_mark=60, questions=3)
    # One traveller holds a certificate already.
    earlier = session(officer=officer, course_obj=course(code="PD-00"), starts_in=timedelta(days=2))
    done = services.enrol(session=earlier, actor=officer, person=trained)
    services.mark(enrolment=done, actor=officer, attended=True)
    held = session(officer=officer, course_obj=briefing, capacity=20, starts_in=timedelta(days=5))

    # The form's rule check: one traveller lacks the training; its link enrols those who lack it.
    sign_in(page, base, liaison, settings.DEMO_PASSWORD)
    page.goto(f"{base}/applications/{application.pk}/edit/")
    panel = page.get_by_test_id("rule-panel")
    expect(panel.locator("[data-code=predeparture_training][data-severity=error]")).to_have_count(1)
    expect(panel.locator("[data-code=predeparture_training]")).to_contain_text(member.full_name)
    panel.get_by_test_id("training-enrol").click()
    expect(page).to_have_url(f"{base}/training/delegation/{application.pk}/")
    checked = page.locator("[data-testid=members] input[name=people]:checked")
    expect(checked).to_have_count(1)
    assert checked.get_attribute("value") == str(member.pk)
    page.locator(f"#session-{held.pk}").check()
    page.get_by_test_id("enrol").click()
    expect(page.locator(".alert-success")).to_be_visible()
    screenshot("training-walkthrough-delegation")

    # The session is under way; the member scans the venue's code with a phone and signs in.
    now = timezone.now()
    Session.objects.filter(pk=held.pk).update(
        enrolment_deadline=now - timedelta(hours=1),
        starts_at=now - timedelta(minutes=5),
        ends_at=now + timedelta(hours=2),
    )
    held.refresh_from_db()
    phone = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
    ).new_page()
    address = check_in_url(held, code_for(held)).replace(settings.PORTAL_BASE_URL, base)
    phone.goto(address)
    phone.locator("input[name=username]").fill(trainee.username)
    phone.locator("input[name=password]").fill(settings.DEMO_PASSWORD)
    phone.locator("form.card button[type=submit]").click()
    phone.wait_for_url(address)
    phone.get_by_test_id("check-in-button").click()
    expect(phone.get_by_test_id("checked-in")).to_be_visible()

    # The assessment: every answer right.
    phone.get_by_test_id("assessment-link").click()
    questions = phone.locator("fieldset.question")
    for index in range(questions.count()):
        questions.nth(index).locator("label.answer").nth(0).click()
    phone.get_by_test_id("submit").click()
    expect(phone.get_by_test_id("result")).to_have_attribute("data-passed", "true")
    link = phone.get_by_test_id("certificate-link").get_attribute("href")
    response = phone.request.get(base + link if link.startswith("/") else link)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    certificate = Certificate.objects.get(person=member)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert certificate.number in text and certificate.verification_code in text

    # Back on the application: every rule is met.
    page.goto(f"{base}/applications/{application.pk}/edit/")
    expect(page.get_by_test_id("rule-panel").locator("[data-code=predeparture_training]")).to_have_count(0)
    expect(page.get_by_test_id("training-enrol")).to_have_count(0)
    screenshot("training-walkthrough-rule-green")
