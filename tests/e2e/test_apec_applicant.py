"""A real browser through the APEC card pages: a visitor reads the guide and takes the self-check, signs in
as an enterprise applicant, applies with a pick of economies, attaches the passport page and the photo
and submits; the liaison endorses. Then a card's page: the letter, reporting it lost, the follow-ups.
Elements are found by id, name and data-testid, so that the test holds whatever the translations say."""

import pytest
from playwright.sync_api import expect

from apec_cards.models import CardApplication
from apec_cards.tasks import render_letter
from apec_cards.workflow import CardState, State
from tests.apec_cards.helpers import card_person, issued_card, png_upload
from tests.conftest import requires_chromium
from tests.foreign_affairs.documents.conftest import pdf_bytes

pytestmark = [
    requires_chromium,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]


def sign_in_here(page, user, password):
    """Fill in the sign-in page the browser is on."""
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.locator("form.card button[type=submit]").click()


def sign_in(page, live_server, user, password):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    sign_in_here(page, user, password)
    expect(page).to_have_url(f"{live_server.url}/dashboard/")


def no_sideways_scroll(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def on_phone(page, screenshot, name: str):
    page.set_viewport_size({"width": 360, "height": 780})
    assert no_sideways_scroll(page) <= 0, f"{name} scrolls sideways at 360px"
    screenshot(name)
    page.set_viewport_size({"width": 1280, "height": 720})


def test_a_visitor_checks_signs_in_applies_and_the_liaison_endorses(
    page, live_server, applicant, liaison, organization, settings, screenshot, tmp_path
):
    holder = card_person(organization, full_name="张三", pinyin_name="ZHANG SAN", position="国际业务经理")
    card_person(organization, full_name="李四", pinyin_name="LI SI")

    # The guide, public, with the economies.
    page.goto(f"{live_server.url}/apec/")
    expect(page.get_by_test_id("economy-table").locator("tbody tr")).to_have_count(21)
    screenshot("apec-guide")
    on_phone(page, screenshot, "apec-guide-phone")

    # The self-check: the questions about a card show only for a valid card.
    page.get_by_test_id("start-self-check").click()
    expect(page.get_by_test_id("eligibility-form")).to_be_visible()
    expect(page.locator("#card-questions")).to_be_hidden()
    page.check("#id_card_1")  # a valid card
    expect(page.locator("#card-questions")).to_be_visible()
    page.check("#id_card_0")  # no card
    expect(page.locator("#card-questions")).to_be_hidden()
    page.check("#id_employer_0")
    page.check("#id_travel_0")
    page.check("#id_passport_0")
    screenshot("apec-eligibility-form")
    page.get_by_test_id("check").click()
    result = page.get_by_test_id("eligibility-result")
    expect(result).to_have_attribute("data-outcome", "apply")
    expect(result).to_be_focused()
    screenshot("apec-eligibility-result")
    on_phone(page, screenshot, "apec-eligibility-phone")

    # Apply: the sign-in page first, then straight to the form.
    result.locator('[data-step="apply"]').click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=%2Fapec%2Fapplications%2Fnew%2F")
    sign_in_here(page, applicant, settings.DEMO_PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/apec/applications/new/")
    form = page.get_by_test_id("card-application-form")
    expect(form).to_be_visible()

    # Every economy is chosen to start with; "select all" clears them, then two are picked.
    select_all = page.locator('[data-select-all="economies"]')
    expect(select_all).to_be_checked()
    select_all.uncheck()
    expect(page.locator('input[name="economies"]:checked')).to_have_count(0)
    page.check('input[name="economies"][value="AU"]')
    page.check('input[name="economies"][value="JP"]')
    expect(select_all).not_to_be_checked()
    # A replacement asks for its reason and keeps the card's economies; back to a new card.
    expect(page.locator("#id_replacement_reason")).to_be_hidden()
    page.check('input[name="kind"][value="replacement"]')
    expect(page.locator("#id_replacement_reason")).to_be_visible()
    expect(page.locator("#economy-pick")).to_be_hidden()
    expect(page.get_by_test_id("carry-over-note")).to_be_visible()
    page.check('input[name="kind"][value="new"]')
    expect(page.locator("#economy-pick")).to_be_visible()
    expect(page.locator("#id_replacement_reason")).to_be_hidden()

    # Saving without a holder or justification: the summary says so and keeps the choice.
    page.get_by_test_id("save").click()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator('#error-summary a[href="#id_person"]')).to_be_visible()
    expect(page.locator('input[name="economies"][value="JP"]')).to_be_checked()
    expect(page.locator('input[name="economies"][value="SG"]')).not_to_be_checked()
    screenshot("apec-form-errors")

    page.select_option("#id_person", str(holder.pk))
    page.fill("#id_justification", "负责澳大利亚、日本市场开拓，每年赴两地商务洽谈六次以上。")
    page.fill("#id_travel_history", "2025-03 悉尼 物流展\n2025-09 东京 客户拜访")
    screenshot("apec-form-filled")
    on_phone(page, screenshot, "apec-form-phone")
    page.get_by_test_id("save").click()

    application = CardApplication.objects.get()
    expect(page).to_have_url(f"{live_server.url}/apec/applications/{application.pk}/#documents")
    expect(page.get_by_test_id("reference")).to_have_text(application.reference)
    assert sorted(application.economies.values_list("code", flat=True)) == ["AU", "JP"]
    findings = page.get_by_test_id("findings")
    expect(findings.locator('[data-code="passport_page_missing"]')).to_be_visible()
    expect(findings.locator('[data-code="photo_missing"]')).to_be_visible()
    screenshot("apec-draft")

    # The passport page and the photograph.
    passport = tmp_path / "passport.pdf"
    passport.write_bytes(pdf_bytes("Passport"))
    photo = tmp_path / "photo.png"
    photo.write_bytes(png_upload().read())
    page.select_option("#id_kind", "passport")
    page.set_input_files("#id_file", str(passport))
    page.get_by_test_id("upload").click()
    expect(page.locator('[data-testid="attachments"] [data-kind="passport"]')).to_be_visible()
    page.select_option("#id_kind", "photo")
    page.set_input_files("#id_file", str(photo))
    page.get_by_test_id("upload").click()
    expect(page.locator('[data-testid="attachments"] [data-kind="photo"]')).to_be_visible()
    expect(page.get_by_test_id("complete")).to_be_visible()
    screenshot("apec-draft-complete")

    page.locator('[data-transition="submit"]').click()
    expect(page.locator('[data-testid="state"] [data-state="submitted"]')).to_be_visible()
    expect(page.get_by_test_id("timeline")).to_contain_text(applicant.get_full_name())
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    screenshot("apec-submitted")
    on_phone(page, screenshot, "apec-submitted-phone")

    # The liaison finds it among what awaits endorsement and endorses it.
    sign_in(page, live_server, liaison, settings.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/apec/applications/")
    page.get_by_test_id("awaiting-endorsement").get_by_role("link").click()
    expect(page).to_have_url(f"{live_server.url}/apec/applications/?state=submitted")
    screenshot("apec-endorsements")
    page.get_by_role("link", name=application.reference).click()
    expect(page.locator('summary[data-transition="return_for_changes"]')).to_be_visible()
    screenshot("apec-endorse")
    page.locator('[data-transition="endorse"]').click()
    expect(page.locator('[data-testid="state"] [data-state="endorsed"]')).to_be_visible()
    application.refresh_from_db()
    assert (application.state, application.endorsed_by) == (State.ENDORSED, liaison)
    screenshot("apec-endorsed")

    # The same page in English.
    page.locator('button[name="language"][value="en"]').click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator('[data-testid="state"] [data-state="endorsed"]')).to_have_text(
        "Endorsed by the employer"
    )
    screenshot("apec-endorsed-en")

    # The list, on a phone.
    page.goto(f"{live_server.url}/apec/applications/")
    expect(page.get_by_role("link", name=application.reference)).to_be_visible()
    on_phone(page, screenshot, "apec-list-phone")


def test_a_card_page_gives_the_letter_and_reports_the_card_lost(
    page, live_server, applicant, liaison, officer, organization, settings, screenshot
):
    card = issued_card(
        applicant=applicant,
        liaison=liaison,
        officer=officer,
        person=card_person(organization, full_name="王五", pinyin_name="WANG WU"),
        approve=("AU", "JP", "NZ"),
        economies=("AU", "JP", "NZ", "SG", "KR"),
    )
    render_letter.apply(args=[card.pk])

    sign_in(page, live_server, applicant, settings.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/apec/cards/")
    page.get_by_role("link", name=card.number).click()
    expect(page.get_by_test_id("card-economies").locator("tbody tr")).to_have_count(3)
    expect(page.get_by_test_id("pending-economies")).to_be_visible()
    expect(page.get_by_test_id("renewal-opens")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_test_id("letter-download").click()
    assert download.value.suggested_filename == f"{card.number}.pdf"
    screenshot("apec-card")

    # Its application: the economies' answers, and the way back to the card.
    page.goto(f"{live_server.url}{card.application.get_absolute_url()}")
    expect(page.get_by_test_id("preclearance-table").locator("tbody tr")).to_have_count(5)
    expect(page.locator('[data-economy="SG"] [data-decision="pending"]')).to_be_visible()
    screenshot("apec-issued-application")
    page.get_by_test_id("card-link").click()

    page.locator('summary[data-transition="report_lost"]').click()
    page.fill("#id_report_lost_comment", "2026年5月在机场丢失")
    screenshot("apec-card-report-lost")
    page.locator('[data-confirm="report_lost"]').click()
    expect(page.locator('[data-testid="state"] [data-state="reported_lost"]')).to_be_visible()
    expect(page.locator('[data-follow-up="replacement"]')).to_be_visible()
    card.refresh_from_db()
    assert card.state == CardState.REPORTED_LOST
    on_phone(page, screenshot, "apec-card-phone")

    # The replacement, from the card's page: the holder and the kind are chosen already.
    page.locator('[data-follow-up="replacement"]').click()
    expect(page.locator("#id_person")).to_have_value(str(card.holder_id))
    expect(page.locator('input[name="kind"][value="replacement"]')).to_be_checked()
    expect(page.locator("#economy-pick")).to_be_hidden()
    page.fill("#id_replacement_reason", "在机场丢失")
    page.fill("#id_justification", "继续负责亚太市场。")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("reference")).to_be_visible()
    application = CardApplication.objects.get(kind="replacement")
    assert application.replaces_card == card
    screenshot("apec-replacement-draft")
