"""The training back office in a real browser: an officer ticks the register of a session under way, gives a
place from the waiting list, and opens the venue's check-in screen, whose code is asked for again with htmx
under the site's Content-Security-Policy. Screenshots at 1280 px wide go to tests/artifacts/.

Elements are found by id, name and data-testid, whatever the translations say.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import requires_chromium
from tests.factories import PersonFactory
from training import services
from training.models import Enrolment, Session

from ..training.factories import course, session
from .test_overseas_safety import sign_in

pytestmark = [requires_chromium, pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_register_the_waiting_list_and_the_venue_screen(
    page, live_server, officer, organization, settings, screenshot
):
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    taught = course(
        code="PD-01", title_zh="出国（境）前安全与纪律教育", title_en="Pre-departure security briefing"
    )
    held = session(officer=officer, course_obj=taught, capacity=4, instructor="王振华")
    names = [
        ("张伟", "ZHANG WEI"),
        ("李娜", "LI NA"),
        ("王芳", "WANG FANG"),
        ("刘洋", "LIU YANG"),
        ("陈静", "CHEN JING"),
    ]
    people = [PersonFactory(organization=organization, full_name=zh, pinyin_name=py) for zh, py in names]
    services.enrol_people(session=held, actor=officer, people=people)
    starts = timezone.now() - timedelta(minutes=5)
    Session.objects.filter(pk=held.pk).update(
        starts_at=starts, ends_at=starts + timedelta(hours=3), enrolment_deadline=starts - timedelta(days=1)
    )
    first, second = Enrolment.objects.filter(session=held, state="enrolled").order_by("pk")[:2]

    sign_in(page, base, officer, settings.DEMO_PASSWORD, back_office=True)
    page.goto(f"{base}{reverse('admin:training_session_change', args=[held.pk])}")
    page.check(f"#register-{first.pk}")
    page.check(f"#register-{second.pk}")
    page.get_by_test_id("mark-attended").click()
    expect(page.locator(f"tr[data-enrolment='{first.pk}'][data-state=completed]")).to_be_visible()
    expect(page.get_by_test_id("present")).to_have_text("2")
    screenshot("training-admin-session")
    page.goto(f"{base}{reverse('admin:training_certificate_change', args=[first.certificate.pk])}")
    expect(page.get_by_test_id("verify-link")).to_be_visible()
    screenshot("training-admin-certificate")
    page.goto(f"{base}{reverse('admin:training_enrolment_change', args=[first.pk])}")
    screenshot("training-admin-enrolment")
    page.goto(f"{base}{reverse('admin:training_session_changelist')}")
    screenshot("training-admin-sessions")

    # The venue's screen: the code, as a QR code and in text, asked for again by htmx.
    page.goto(f"{base}{reverse('admin:training_session_checkin', args=[held.pk])}")
    code = page.get_by_test_id("code").inner_text()
    assert len(code) == 6 and services.code_is_current(held, code)
    expect(page.get_by_test_id("qr")).to_be_visible()
    page.wait_for_function("window.htmx !== undefined")
    before = page.get_by_test_id("checkin-live").get_attribute("data-shown-at")
    page.evaluate(
        "url => htmx.ajax('GET', url, {target: '#checkin-live', swap: 'outerHTML'})",
        reverse("admin:training_session_checkin_live", args=[held.pk]),
    )
    expect(page.get_by_test_id("checkin-live")).to_have_attribute("hx-trigger", "every 20s")
    expect(page.get_by_test_id("count")).to_contain_text("2")
    assert before
    screenshot("training-admin-venue")

    # Enrolling someone in a later session, found by the autocomplete.
    later = session(officer=officer, course_obj=taught, capacity=10)
    newcomer = PersonFactory(organization=organization, full_name="赵磊", pinyin_name="ZHAO LEI")
    page.goto(f"{base}{reverse('admin:training_session_change', args=[later.pk])}")
    page.locator("[data-testid=enrol-form] .select2-selection").click()
    page.locator(".select2-search__field").fill("zhao")
    page.locator(".select2-results__option", has_text="赵磊").click()
    page.locator("[data-testid=enrol-form] button[type=submit]").click()
    expect(page.locator("tr[data-enrolment]")).to_have_count(1)
    assert Enrolment.objects.get(session=later).person == newcomer
    screenshot("training-admin-session-enrolled")

    # The course's page: its fields, then the assessment and the materials; a question's own page.
    page.goto(f"{base}{reverse('admin:training_course_change', args=[taught.pk])}")
    page.get_by_test_id("add-question").click()
    page.fill("#id_text_zh", "出境后因私护照应当由谁保管？")
    page.fill("#id_choices-0-text_zh", "由本人随身保管")
    page.fill("#id_choices-1-text_zh", "交由单位统一保管")
    page.check("#id_choices-1-is_correct")
    screenshot("training-admin-question")
    page.locator("input[name=_save]").click()
    expect(page.locator("[data-question] [data-correct]")).to_contain_text("交由单位统一保管")
    screenshot("training-admin-course")

    # Scheduling a session: the errors beside the fields.
    page.goto(f"{base}{reverse('admin:training_session_add')}?course={taught.pk}")
    page.select_option("#id_mode", "online")
    page.locator("form[data-testid=office-form] [type=submit]").click()
    expect(page.get_by_test_id("error-summary")).to_be_visible()
    screenshot("training-admin-session-form")
