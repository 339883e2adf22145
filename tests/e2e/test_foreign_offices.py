"""Foreign organisations in a real browser, from a visitor's first look to the organisation's first annual
report: a visitor reads the guide in English and sends an enquiry; the officer carries the case through the
back office to `opened`; the new organisation's contact sets a password from the invitation e-mail, signs
in and files its annual report.

Elements are found by id, name and data-testid, whatever the translations say. Tasks run eagerly in the live
server's thread, so the e-mails are in Django's outbox at once.
"""

import re
from datetime import date

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from foreign_offices.models import AnnualReport, ForeignOrganisation, SetupCase
from tests.conftest import ARTIFACTS, requires_chromium
from tests.foreign_offices.factories import registration_number

from .test_overseas_safety import sign_in

pytestmark = [requires_chromium, pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Zhengzhou-Office-2026!"


def test_a_visitor_enquires_the_officer_opens_the_office_and_it_files_its_report(
    browser, page, live_server, officer, settings
):
    base = live_server.url
    today = timezone.localdate()
    registered = date(today.year - 1, 6, 1)  # so that a report on last year is owed

    # A visitor reads the guide in English and sends an enquiry.
    visitor = browser.new_context(locale="en-GB", timezone_id="Europe/Berlin", base_url=base)
    guest = visitor.new_page()
    guest.goto(f"{base}/foreign-offices/")
    guest.locator("button[name=language][value=en]").click()
    expect(guest.get_by_test_id("kinds-list")).to_contain_text("Representative office of a foreign company")
    expect(guest.get_by_test_id("case-steps")).to_be_visible()
    guest.get_by_test_id("guide-cta").first.click()
    expect(guest.get_by_test_id("enquiry-form")).to_be_visible()
    guest.fill("#id_enquiry_organisation_name", "Rheinland Sensorik GmbH")
    guest.fill("#id_enquiry_organisation_name_zh", "莱茵兰传感技术有限公司")
    guest.select_option("#id_enquiry_country", "DE")
    guest.select_option("#id_enquiry_kind", "company_office")
    guest.select_option("#id_enquiry_preferred_area", "zhengzhou")
    guest.fill("#id_enquiry_contact_name", "Lena Hoffmann")
    guest.fill("#id_enquiry_contact_email", "lena.hoffmann@example.de")
    guest.fill("#id_enquiry_message", "We would like to open a representative office in Zhengzhou next year.")
    guest.get_by_test_id("enquiry-submit").click()
    reference = guest.get_by_test_id("enquiry-reference").inner_text().strip()
    guest.screenshot(path=str(ARTIFACTS / "foreign-offices-enquiry-sent.png"), full_page=True)
    case = SetupCase.objects.get(reference=reference)
    assert (case.state, case.language, case.assigned_officer) == ("enquiry", "en", officer)
    assert any(
        reference in message.subject and message.to == ["lena.hoffmann@example.de"] for message in mail.outbox
    )

    # The officer carries the case to `opened` in the back office.
    sign_in(page, base, officer, settings.DEMO_PASSWORD, back_office=True)
    page.goto(f"{base}/admin/foreign_offices/setupcase/")
    page.get_by_role("link", name=reference).click()
    for name in ("consult", "prepare", "submit_to_authority"):
        page.locator(f"button[name=transition][value={name}]").click()
        expect(page.locator(f"button[name=transition][value={name}]")).to_have_count(0)
    page.select_option("#id_register-authority", "market_regulation")
    page.fill("#id_register-registration_number", registration_number(107321))
    page.fill("#id_register-registered_on", registered.isoformat())
    page.fill("#id_register-address", "郑州市郑东新区商务内环路15号 2306室")
    page.locator("button[name=transition][value=register]").click()
    expect(page.locator("#id_open-opened_on")).to_be_visible()
    page.fill("#id_open-opened_on", registered.isoformat())
    page.locator("button[name=transition][value=open]").click()
    expect(page.locator("button[name=transition][value=open]")).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "foreign-offices-case-opened.png"), full_page=True)
    case.refresh_from_db()
    assert case.state == "opened"
    organisation = ForeignOrganisation.objects.get(pk=case.organisation_id)
    assert organisation.account is not None and organisation.opened_on == registered

    # The contact sets a password from the invitation and files the report on last year.
    invitation = next(
        m for m in reversed(mail.outbox) if m.to == ["lena.hoffmann@example.de"] and "/reset/" in m.body
    )
    link = re.search(r"/accounts/reset/[^\s/]+/[^\s/]+/", invitation.body)[0]
    guest.goto(base + link)
    guest.fill("#id_new_password1", NEW_PASSWORD)
    guest.fill("#id_new_password2", NEW_PASSWORD)
    guest.locator("form:has(#id_new_password1) button[type=submit]").click()
    expect(guest.locator("#id_new_password1")).to_have_count(0)
    guest.goto(f"{base}/accounts/login/")
    guest.fill("#id_username", "lena.hoffmann@example.de")
    guest.fill("#id_password", NEW_PASSWORD)
    guest.locator("form.card button[type=submit]").click()
    expect(guest).to_have_url(f"{base}/dashboard/")
    guest.goto(f"{base}/foreign-offices/my/")
    expect(guest.get_by_test_id("organisation-name")).to_contain_text("Rheinland Sensorik GmbH")
    guest.goto(f"{base}/foreign-offices/my/reports/new/")
    guest.fill("#id_activities", "Market research and two trade fairs in Zhengzhou.")
    guest.fill("#id_staff_foreign", "1")
    guest.fill("#id_staff_local", "3")
    guest.check("#id_address_confirmed")
    guest.check("#id_representative_confirmed")
    guest.get_by_test_id("submit-report").click()
    expect(guest.get_by_test_id("state")).to_be_visible()
    guest.screenshot(path=str(ARTIFACTS / "foreign-offices-report-filed.png"), full_page=True)
    report = AnnualReport.objects.get(organisation=organisation)
    assert (report.year, report.state, report.staff_local) == (today.year - 1, "submitted", 3)
    visitor.close()
