"""International exchanges in a real browser: an officer plans a foreign dignitary's visit in the back office
and works its reception checklist; a leader approves it; the programme PDF downloads; the visit is held and
its outcomes recorded and reported. A foreign journalist sends an interview request on the public form.

Elements are found by id, name and data-testid, whatever the translations say. Tasks run eagerly in the live
server's thread, so the e-mails are in Django's outbox at once.
"""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from exchanges.models import Activity, ChecklistKind, MediaRequest
from tests.conftest import ARTIFACTS, requires_chromium

from .test_overseas_safety import sign_in

pytestmark = [requires_chromium, pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_dignitary_visit_is_planned_approved_printed_held_and_reported(
    browser, page, live_server, officer, leader, settings
):
    base = live_server.url
    today = timezone.localdate()

    # The officer plans the visit; an incoming visit gets its reception checklist.
    sign_in(page, base, officer, settings.DEMO_PASSWORD, back_office=True)
    page.goto(f"{base}/admin/exchanges/activity/add/")
    page.select_option("#id_kind", "dignitary_visit")
    page.select_option("#id_direction", "incoming")
    page.fill("#id_title_zh", "卢森堡经济部长访问郑州航空港")
    page.fill("#id_title_en", "Luxembourg's Minister of the Economy visits the Zhengzhou airport zone")
    page.fill("#id_starts_on", today.isoformat())
    page.fill("#id_ends_on", (today + timedelta(days=1)).isoformat())
    page.fill("#id_city", "郑州")
    page.check("input[name=ftz_areas][value=zhengzhou]")
    page.select_option("#id_country", "LU")
    page.fill("#id_foreign_organisation", "Ministère de l'Économie")
    page.fill("#id_head_name", "Lex Delles")
    page.fill("#id_head_title", "Minister of the Economy")
    page.locator("form[data-testid=office-form] [type=submit]").last.click()
    activity = Activity.objects.get(title_zh="卢森堡经济部长访问郑州航空港")
    expect(page).to_have_url(f"{base}/admin/exchanges/activity/{activity.pk}/change/")
    assert activity.state == "proposed" and activity.checklist.count() == 7

    interpreters = activity.checklist.get(kind=ChecklistKind.INTERPRETERS)
    item = page.locator(f"[data-checklist-item='{interpreters.pk}']")
    item.locator("select").select_option(str(officer.pk))
    item.locator("input[type=checkbox]").check()
    item.locator("button[type=submit]").click()
    expect(page.get_by_test_id("checklist-count")).to_contain_text("1")
    interpreters.refresh_from_db()
    assert interpreters.assignee == officer and interpreters.done

    # A leader approves it.
    office = browser.new_context(base_url=base).new_page()
    sign_in(office, base, leader, settings.DEMO_PASSWORD, back_office=True)
    office.goto(f"{base}/admin/exchanges/activity/{activity.pk}/change/")
    office.locator("button[name=transition][value=approve]").click()
    expect(office.locator("[data-testid=state] [data-state=approved]")).to_be_visible()
    activity.refresh_from_db()
    assert activity.state == "approved"

    # The officer confirms it with the foreign side and prints the programme.
    page.reload()
    page.locator("button[name=transition][value=confirm]").click()
    expect(page.locator("button[name=transition][value=hold]")).to_be_visible()
    programme = page.get_by_test_id("programme-link").first.get_attribute("href")
    response = page.request.get(base + programme)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "卢森堡经济部长访问郑州航空港" in text and "Lex Delles" in text

    # The visit is held; the outcomes are written and reported.
    page.locator("button[name=transition][value=hold]").click()
    expect(page.get_by_test_id("outcomes-form")).to_be_visible()
    page.fill("#id_outcomes-outcome_summary_zh", "双方签署郑州—卢森堡“空中丝绸之路”物流合作备忘录。")
    page.get_by_test_id("outcomes-form").locator("button[type=submit]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    activity.refresh_from_db()
    assert "空中丝绸之路" in activity.outcome_summary_zh
    page.locator("button[name=transition][value=report]").click()
    expect(page.locator("[data-testid=state] [data-state=reported]")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "exchanges-activity-reported.png"), full_page=True)
    activity.refresh_from_db()
    assert activity.state == "reported" and activity.reported_at is not None


def test_a_foreign_journalist_sends_an_interview_request(browser, live_server):
    base = live_server.url
    visitor = browser.new_context(locale="en-GB", base_url=base)
    page = visitor.new_page()
    page.goto(f"{base}/exchanges/media/")
    assert page.locator("html").get_attribute("lang").startswith("en")
    start = timezone.localdate() + timedelta(days=30)
    page.fill("#id_media_journalist_name", "Sophie Lambert")
    page.fill("#id_media_email", "sophie.lambert@example.lu")
    page.fill("#id_media_outlet", "Luxemburger Wort")
    page.select_option("#id_media_outlet_country", "LU")
    page.fill("#id_media_press_card_number", "LU-4471")
    page.fill("#id_media_press_card_authority", "Conseil de Presse Luxembourg")
    page.fill("#id_media_topic", "Ten years of the air silk road between Zhengzhou and Luxembourg.")
    page.fill("#id_media_wished_from", start.isoformat())
    page.fill("#id_media_wished_until", (start + timedelta(days=3)).isoformat())
    page.get_by_test_id("media-submit").click()
    expect(page).to_have_url(f"{base}/exchanges/media/sent/")
    request = MediaRequest.objects.get(email="sophie.lambert@example.lu")
    expect(page.locator("main")).to_contain_text(request.reference)
    assert (request.state, request.language, request.outlet_country.code) == ("requested", "en", "LU")
    assert any(m.to == ["sophie.lambert@example.lu"] and request.reference in m.subject for m in mail.outbox)
