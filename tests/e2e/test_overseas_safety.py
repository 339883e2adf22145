"""Overseas safety in a real browser, from a phone to the office and back: an enterprise's liaison reports a
level II incident on a phone-sized screen, the duty officer acknowledges it in the back office and attaches
the emergency plan, sends a safety alert for the country, and the liaison's one-click link answers it
("safe") without signing in; the world map and its table show the people there.

The records around it are made with factories; elements are found by id, name and data-testid, whatever the
translations say. Tasks run eagerly in the live server's thread, so the alert is fanned out at once.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from foreign_affairs.notifications.models import Notification
from overseas_safety.models import AlertRecipient, DutyShift, Incident
from tests.conftest import ARTIFACTS, requires_chromium
from tests.factories import PersonFactory
from tests.overseas_safety.factories import PlanFactory, SiteFactory, StationingFactory

pytestmark = [requires_chromium, pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def sign_in(page, base, user, password, *, back_office=False):
    if back_office:
        page.goto(f"{base}/admin/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.locator("#login-form [type=submit]").click()
        expect(page).to_have_url(f"{base}/admin/")
        return
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.locator("form.card button[type=submit]").click()
    expect(page).to_have_url(f"{base}/dashboard/")


def test_a_phone_report_is_acknowledged_planned_and_an_alert_answered(
    browser, page, live_server, liaison, officer, settings, screenshot
):
    organization = liaison.organization
    site = SiteFactory(organization=organization, country="NG", city="Lagos", name="莱基港项目部")
    worker = StationingFactory(
        site=site, person=PersonFactory(organization=organization, full_name="赵强")
    ).person
    DutyShift.objects.create(day=timezone.localdate(), officer=officer)
    plan = PlanFactory(title="境外安全事件应急预案", max_level="2")
    base = live_server.url

    # The liaison reports a level II incident from a phone.
    phone = browser.new_context(**PHONE, locale="zh-CN", timezone_id="Asia/Shanghai", base_url=base)
    mobile = phone.new_page()
    sign_in(mobile, base, liaison, settings.DEMO_PASSWORD)
    mobile.goto(f"{base}/safety/")
    mobile.get_by_test_id("report-incident").click()
    expect(mobile.get_by_test_id("report-form")).to_be_visible()
    mobile.fill("#id_title", "项目部遭持枪抢劫")
    mobile.locator("input[name=kind][value=security]").check()
    mobile.locator("input[name=level][value='2']").check()
    mobile.select_option("#id_country", "NG")
    mobile.fill("#id_city", "Lagos")
    mobile.select_option(f"[name=person_{worker.pk}]", "injured")
    mobile.fill("#id_description", "两名员工在前往工地途中遭抢劫，一人轻伤，已送医。")
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 390
    mobile.get_by_test_id("send-report").click()
    reference = mobile.get_by_test_id("reference").inner_text()
    incident = Incident.objects.get(reference=reference)
    assert (incident.level, incident.state, incident.duty_officer) == ("2", "reported", officer)
    assert incident.people.get().status == "injured"
    mobile.screenshot(path=str(ARTIFACTS / "safety-phone-reported.png"), full_page=True)

    # The duty officer was told at once; acknowledges in the back office and attaches the plan.
    assert Notification.objects.filter(recipient=officer, key=f"incident:{incident.pk}:report").exists()
    sign_in(page, base, officer, settings.DEMO_PASSWORD, back_office=True)
    page.goto(f"{base}/admin/overseas_safety/incident/")
    page.get_by_role("link", name=reference).click()
    page.locator("button[name=transition][value=acknowledge]").click()
    expect(page.get_by_test_id("plan-form")).to_be_visible()
    page.get_by_test_id("plan-form").locator("select").select_option(str(plan.pk))
    page.get_by_test_id("plan-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("plan-progress")).to_contain_text("3")
    incident.refresh_from_db()
    assert incident.state == "acknowledged" and incident.checklist.count() == 3
    screenshot("safety-incident-admin")

    # The officer sends a safety alert for Nigeria; it reaches the liaison with the worker's links.
    page.goto(f"{base}/admin/overseas_safety/safetyalert/add/")
    page.select_option("#id_country", "NG")
    page.fill("#id_title", "尼日利亚拉各斯安全提醒")
    page.fill("#id_message", "近期拉各斯治安形势严峻，请减少外出，报平安。")
    page.get_by_test_id("compose").locator("[type=submit]").click()
    expect(page.get_by_test_id("presence-count")).to_have_text("1")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("send").click()
    expect(page.get_by_test_id("answers")).to_be_visible()
    message = Notification.objects.filter(
        recipient=liaison, channel="in_app", template__contains="alert"
    ).get()
    path = re.search(r"/safety/alerts/answer/\S+/", message.body).group(0)  # on PORTAL_BASE_URL

    # The link answers without signing in, on the phone.
    stranger = browser.new_context(**PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    answer = stranger.new_page()
    answer.goto(f"{base}{path}")
    answer.locator("input[name=answer][value=safe]").check()
    answer.get_by_test_id("answer-submit").click()
    expect(answer.get_by_test_id("answer-recorded")).to_be_visible()
    assert AlertRecipient.objects.get(person=worker).answer == "safe"
    page.reload()
    expect(page.get_by_test_id("answers")).to_contain_text("1")

    # The map and the table show the one person in Nigeria; the country links to its page.
    page.goto(f"{base}/safety/presence/")
    nigeria = page.locator("svg a[href*='/safety/presence/NG/']")
    expect(nigeria).to_have_count(1)
    screenshot("safety-map")
    nigeria.click()
    expect(page).to_have_url(re.compile(r"/safety/presence/NG/"))
    expect(page.locator("main")).to_contain_text("赵强")
    mobile.goto(f"{base}/safety/presence/")
    mobile.screenshot(path=str(ARTIFACTS / "safety-map-phone.png"), full_page=True)
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 390
    phone.close()
    stranger.close()
