"""Cooperation projects in a real browser, from an enterprise's draft to the lead it receives: the applicant
enters a project seeking partners and submits it for review; the officer publishes it in the back office; a
visitor finds it in the catalogue by a Chinese word and expresses interest in English; the officer forwards
the lead; the enterprise sees it among its leads.

Elements are found by id, name and data-testid, whatever the translations say. Tasks run eagerly in the live
server's thread, so the e-mails are in Django's outbox at once.
"""

import pytest
from django.core import mail
from playwright.sync_api import expect

from projects.models import CooperationProject, Industry, Interest
from tests.conftest import ARTIFACTS, requires_chromium

from .test_overseas_safety import sign_in

pytestmark = [requires_chromium, pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_enterprise_project_is_published_found_and_its_lead_reaches_the_enterprise(
    browser, page, live_server, applicant, officer, settings
):
    base = live_server.url

    # The applicant enters the enterprise's project and submits it for review.
    sign_in(page, base, applicant, settings.DEMO_PASSWORD)
    page.goto(f"{base}/projects/our/new/")
    page.fill("#id_title_zh", "氢燃料电池重卡示范线合作")
    page.fill("#id_title_en", "Hydrogen fuel-cell truck demonstration line")
    page.fill("#id_description_zh", "郑州片区企业寻求氢燃料电池系统合作伙伴，共建重卡示范线。")
    page.fill("#id_description_en", "A Zhengzhou area firm seeks a fuel-cell partner for a heavy truck line.")
    page.select_option("#id_channel", "foreign_affairs")
    page.select_option("#id_mode", "technology")
    page.check(f"input[name=industries][value='{Industry.objects.get(code='automobiles').pk}']")
    page.select_option("#id_partner_country", "DE")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("submit-for-review")).to_be_visible()
    page.get_by_test_id("submit-for-review").click()
    expect(page.get_by_test_id("submit-for-review")).to_have_count(0)
    project = CooperationProject.objects.get(title_en="Hydrogen fuel-cell truck demonstration line")
    assert (project.publication, project.source, project.owner) == ("in_review", "enterprise", officer)
    assert list(project.enterprises.all()) == [applicant.organization]

    # The officer publishes it from the back office.
    office = browser.new_context(base_url=base).new_page()
    sign_in(office, base, officer, settings.DEMO_PASSWORD, back_office=True)
    office.goto(f"{base}/admin/projects/cooperationproject/{project.pk}/change/")
    office.locator("button[name=transition][value=publish]").click()
    expect(office.locator("button[name=transition][value=archive]")).to_be_visible()
    project.refresh_from_db()
    assert project.publication == "published"

    # A visitor finds it by a Chinese word and expresses interest in English.
    visitor = browser.new_context(locale="en-GB", base_url=base)
    guest = visitor.new_page()
    guest.goto(f"{base}/projects/")
    guest.fill("#id_catalogue_q", "燃料电池")
    guest.locator("#id_catalogue_q").press("Enter")
    expect(guest.get_by_test_id("project-card")).to_have_count(1)
    guest.get_by_test_id("project-link").click()
    expect(guest).to_have_url(f"{base}/projects/{project.reference}/")
    guest.get_by_test_id("interest-link").first.click()
    guest.fill("#id_interest_name", "Jonas Weber")
    guest.fill("#id_interest_organisation", "Nordbrenn Wasserstoff AG")
    guest.select_option("#id_interest_country", "DE")
    guest.fill("#id_interest_email", "jonas.weber@example.de")
    guest.fill("#id_interest_message", "We build fuel-cell stacks for trucks and would like to talk.")
    guest.get_by_test_id("interest-submit").click()
    expect(guest).to_have_url(f"{base}/projects/interest/sent/")
    guest.screenshot(path=str(ARTIFACTS / "projects-interest-sent.png"), full_page=True)
    interest = Interest.objects.get(email="jonas.weber@example.de")
    assert (interest.project, interest.language, interest.state) == (project, "en", "received")
    assert any(m.to == ["jonas.weber@example.de"] and project.reference in m.subject for m in mail.outbox)

    # The officer forwards the lead; the enterprise sees it.
    office.goto(f"{base}/admin/projects/interest/{interest.pk}/change/")
    office.locator("button[name=transition][value=forward]").click()
    expect(office.locator("button[name=transition][value=forward]")).to_have_count(0)
    page.goto(f"{base}/projects/our/leads/")
    page.get_by_role("link", name="Jonas Weber").click()
    expect(page.locator("main")).to_contain_text("We build fuel-cell stacks for trucks")
    page.screenshot(path=str(ARTIFACTS / "projects-lead.png"), full_page=True)
