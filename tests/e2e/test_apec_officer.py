"""A real browser in the back office of APEC cards: an officer signs in, opens the queue and an application
in pre-clearance, records one economy's approval, issues the card early, records a second economy after
issue, and finds the card in the registry with both economies and its decision letter.

The application is built through the services first (tests/apec_cards/helpers.py). Elements are found
by id, name and data-testid, whatever the translations say. Tasks run eagerly in the live server's
thread, so the decision letter is rendered as soon as the card is issued.
"""

import re

import pytest
from playwright.sync_api import expect

from apec_cards.models import Card
from tests.apec_cards.helpers import card_person, decide, draft, to_preclearance
from tests.conftest import requires_chromium

pytestmark = [
    requires_chromium,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]


def record(page, economy: str, *, decision_index: int = 0, note: str = "") -> None:
    """Fill one economy's answer on the application page and record it (the page asks to confirm)."""
    form = page.get_by_test_id(f"preclearance-form-{economy}")
    form.locator(f"#id_pc-{economy}-decision_{decision_index}").check()
    if note:
        form.locator(f"#id_pc-{economy}-note").fill(note)
    page.once("dialog", lambda dialog: dialog.accept())
    form.locator("button[type=submit]").click()


def test_an_officer_issues_an_early_card_and_adds_a_late_economy(
    page, live_server, applicant, liaison, officer, settings, screenshot
):
    holder = card_person(applicant.organization, full_name="欧阳明月", pinyin_name="OUYANG MINGYUE")
    application = to_preclearance(
        draft(applicant, holder, economies=("AU", "JP", "SG", "KR")),
        applicant=applicant,
        liaison=liaison,
        officer=officer,
    )
    other = to_preclearance(
        draft(applicant, card_person(applicant.organization)),
        applicant=applicant,
        liaison=liaison,
        officer=officer,
    )
    decide(other, officer, "JP", "refused")

    # The officer signs in to the back office and opens the queue from its start page.
    page.goto(f"{live_server.url}/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    page.fill("#id_username", officer.username)
    page.fill("#id_password", settings.DEMO_PASSWORD)
    page.locator("#login-form [type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/admin/")
    page.locator('#content-main a[href="/admin/apec_cards/cardapplication/"]').first.click()
    expect(page).to_have_url(f"{live_server.url}/admin/apec_cards/cardapplication/")
    expect(page.locator("#result_list tbody tr")).to_have_count(2)
    screenshot("apec-officer-queue")

    page.get_by_test_id("pending-by-economy-link").click()
    expect(page.get_by_test_id("pending-by-economy")).to_be_visible()
    expect(page.locator('[data-testid="pending-by-economy"] tr[data-economy="AU"] td.count')).to_have_text(
        "2"
    )
    screenshot("apec-officer-pending-by-economy")
    page.go_back()

    # The application: read-only, with the economies' answers to record.
    page.get_by_role("link", name=application.reference).click()
    expect(page).to_have_url(re.compile(rf"/admin/apec_cards/cardapplication/{application.pk}/change/"))
    expect(page.get_by_test_id("passport-number")).to_have_text(application.passport_number)
    expect(page.get_by_test_id("awaits-approval")).to_be_visible()
    expect(page.locator('button[name="transition"][value="issue"]')).to_have_count(0)
    screenshot("apec-officer-application")

    # Australia approves: the card can now be issued early.
    record(page, "AU", note="澳大利亚内政部已批准")
    expect(page.locator('tr[data-economy="AU"]')).to_have_attribute("data-decision", "approved")
    expect(page.locator(".messagelist .success")).to_be_visible()
    screenshot("apec-officer-au-approved")

    page.fill("#id_comment", "先行制卡，其余经济体批复后补录。")
    page.locator('button[name="transition"][value="issue"]').click()
    expect(page.get_by_test_id("card-link")).to_be_visible()
    card = Card.objects.get(application=application)
    expect(page.get_by_test_id("card-link")).to_have_text(card.number)
    assert list(card.card_economies.values_list("economy_id", flat=True)) == ["AU"]
    screenshot("apec-officer-issued")

    # Singapore answers after the card was issued: it joins the card.
    record(page, "SG")
    expect(page.locator('tr[data-economy="SG"]')).to_have_attribute("data-decision", "approved")
    assert sorted(card.card_economies.values_list("economy_id", flat=True)) == ["AU", "SG"]
    screenshot("apec-officer-sg-after-issue")

    # The card in the registry, with both economies and its decision letter.
    page.goto(f"{live_server.url}/admin/apec_cards/card/")
    expect(page.get_by_role("link", name=card.number)).to_be_visible()
    screenshot("apec-officer-registry")
    page.get_by_role("link", name=card.number).click()
    economies = page.get_by_test_id("economies")
    expect(economies.locator("tr[data-economy]")).to_have_count(2)
    expect(economies.locator('tr[data-economy="SG"]')).to_be_visible()
    expect(page.get_by_test_id("awaited")).to_be_visible()  # Japan and Korea have not answered
    expect(page.get_by_test_id("letter-download")).to_be_visible()
    screenshot("apec-officer-card")
    with page.expect_download() as download_info:
        page.get_by_test_id("letter-download").click()
    assert download_info.value.suggested_filename == f"{card.number}.pdf"
