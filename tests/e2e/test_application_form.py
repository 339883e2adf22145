"""A real browser fills in a travel application: rows added in place, the live rule check, a draft, an
invitation letter, submission; then the liaison endorses it. Elements are found by id, name and
data-testid, so that the test holds whatever the translations say."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from approvals.models import TravelApplication
from approvals.workflow import State
from tests.conftest import requires_chromium
from tests.factories import PersonFactory
from tests.foreign_affairs.documents.conftest import pdf_bytes

pytestmark = [
    requires_chromium,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]


def sign_in(page, live_server, user, password):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.locator("form.card button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/dashboard/")


def application_actions(application):
    from foreign_affairs.audit.models import AuditEvent

    for event in AuditEvent.objects.timeline_for(application).filter(
        action__startswith="travel_application."
    ):
        name = event.action.split(".", 1)[1]
        if name not in ("create", "update", "attach", "detach", "assign", "disclose"):
            yield name


def no_sideways_scroll(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_the_whole_journey_through_the_browser(
    page, live_server, applicant, liaison, officer, organization, settings, screenshot, tmp_path
):
    """The applicant applies, the liaison endorses, the officer returns it with a comment in the back
    office, the applicant submits again, the liaison endorses again and the officer approves."""
    leader = PersonFactory(organization=organization, full_name="张三", position="副总监")
    colleague = PersonFactory(organization=organization, full_name="李四", position="工程师")
    start = date.today() + timedelta(days=60)
    day = lambda offset: (start + timedelta(days=offset)).isoformat()  # noqa: E731
    panel = page.get_by_test_id("rule-panel")

    sign_in(page, live_server, applicant, settings.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/applications/")
    expect(page.get_by_test_id("empty-state")).to_be_visible()
    page.get_by_test_id("new-application").click()
    expect(page.get_by_test_id("application-form")).to_be_visible()
    expect(panel.locator('[data-code="itinerary"]')).to_be_visible()  # the rules say what is needed
    screenshot("application-new")

    # 1 Trip
    page.fill("#id_title", "赴德国、法国商务考察")
    page.fill("#id_purpose", "与合作伙伴洽谈物流合作，参加汉诺威展会。")
    page.select_option("#id_mission_type", "business_negotiation")

    # 2 Itinerary: the first stop, then a second one added in place; their dates overlap at first.
    page.select_option("#id_legs-0-country", "DE")
    page.fill("#id_legs-0-city", "汉堡")
    page.fill("#id_legs-0-arrive_on", day(0))
    page.fill("#id_legs-0-leave_on", day(5))
    page.fill("#id_legs-0-host_organization", "Hamburg Logistics AG")
    page.get_by_test_id("add-leg").click()
    expect(page.locator("#id_legs-1-country")).to_be_focused()
    expect(page.locator("#id_legs-TOTAL_FORMS")).to_have_value("2")
    page.select_option("#id_legs-1-country", "FR")
    page.fill("#id_legs-1-city", "里昂")
    page.fill("#id_legs-1-arrive_on", day(4))
    page.fill("#id_legs-1-leave_on", day(6))
    page.fill("#id_legs-1-host_organization", "Lyon Expo SA")

    # 3 Delegation: two travellers of the organisation and a new one.
    page.select_option("#id_members-0-person", str(leader.pk))
    expect(page.locator("#id_members-0-full_name")).to_be_hidden()  # no new-traveller fields needed
    page.fill("#id_members-0-position_on_trip", "团长")
    page.check("#id_members-0-is_leader")
    page.get_by_test_id("add-member").click()
    page.select_option("#id_members-1-person", str(colleague.pk))
    page.get_by_test_id("add-member").click()
    # The new traveller's name in pinyin is suggested by the server as the Chinese name is typed, and
    # follows the name until the user writes one; a name the user wrote stays.
    pinyin = page.locator("#id_members-2-pinyin_name")
    page.fill("#id_members-2-full_name", "张新")
    expect(pinyin).to_have_value("ZHANG XIN")
    page.fill("#id_members-2-full_name", "王新")
    expect(pinyin).to_have_value("WANG XIN")
    pinyin.fill("WANG SIN")
    page.fill("#id_members-2-full_name", "王鑫")
    page.wait_for_timeout(700)  # longer than the suggestion's pause and answer
    expect(pinyin).to_have_value("WANG SIN")
    page.fill("#id_members-2-full_name", "王新")
    pinyin.fill("WANG XIN")
    # The passport type is chosen, never assumed.
    expect(page.locator("#id_members-2-passport_type")).to_have_value("")
    page.select_option("#id_members-2-passport_type", "ordinary")
    page.fill("#id_members-2-passport_number", "E99887766")
    page.fill("#id_members-2-passport_expiry", (start + timedelta(days=1500)).isoformat())
    page.fill("#id_members-2-position_on_trip", "翻译")
    page.check("#id_members-2-is_leader")
    expect(page.locator("#id_members-0-is_leader")).not_to_be_checked()  # one leader only
    page.check("#id_members-0-is_leader")
    expect(page.locator("#id_members-2-is_leader")).not_to_be_checked()

    # A member added by mistake is removed in place.
    page.get_by_test_id("add-member").click()
    page.locator("#members-rows > fieldset").nth(3).locator("[data-remove-row]").click()
    expect(page.locator("#members-rows > fieldset").nth(3)).to_be_hidden()
    expect(page.locator("#id_members-3-DELETE")).to_be_checked()

    # 4 Budget
    page.fill("#id_budget_amount", "80000")
    page.fill("#id_contact_name", "李娜")
    page.fill("#id_contact_phone", "0371-65550101")

    # The rule check saw the overlapping stays; fixing the date clears it.
    expect(panel.locator('[data-code="itinerary"]')).to_be_visible()
    expect(panel.locator('[data-code="invitation_letter"]')).to_be_visible()
    screenshot("application-form-rule-error")
    page.fill("#id_legs-0-leave_on", day(3))
    page.locator("#id_legs-0-leave_on").dispatch_event("change")
    expect(panel.locator('[data-code="itinerary"]')).to_have_count(0)
    expect(page.locator('#form-progress [data-section="itinerary"]')).to_have_attribute("data-state", "done")
    screenshot("application-form-filled")

    page.get_by_test_id("save-draft").click()
    application = TravelApplication.objects.get()
    expect(page).to_have_url(f"{live_server.url}/applications/{application.pk}/")
    expect(page.get_by_test_id("reference")).to_have_text(application.reference)
    assert application.member_count == 3 and application.countries == "DE,FR"
    assert application.leader_name == "张三"
    newcomer = application.members.get(person__full_name="王新").person
    assert (newcomer.pinyin_name, newcomer.passport_type) == ("WANG XIN", "ordinary")
    screenshot("application-draft-detail")

    # 5 Documents: the invitation letter, attached in place; the rule check follows.
    page.get_by_test_id("edit").click()
    expect(panel.locator('[data-code="invitation_letter"]')).to_be_visible()
    letter = tmp_path / "invitation.pdf"
    letter.write_bytes(pdf_bytes())
    page.select_option("#id_kind", "invitation")
    page.set_input_files("#id_file", str(letter))
    page.get_by_test_id("upload").click()
    expect(page.locator('[data-testid="attachments"] [data-kind="invitation"]')).to_be_visible()
    expect(panel.locator('[data-code="invitation_letter"]')).to_have_count(0)
    expect(panel.locator('[data-severity="error"]')).to_have_count(0)
    expect(page.locator('#form-progress [data-section="documents"]')).to_have_attribute("data-state", "done")
    screenshot("application-form-documents")

    page.set_viewport_size({"width": 360, "height": 780})
    assert no_sideways_scroll(page) <= 0, "the form scrolls sideways at 360px"
    screenshot("application-form-phone")
    page.set_viewport_size({"width": 1280, "height": 720})

    page.get_by_test_id("submit").click()
    expect(page).to_have_url(f"{live_server.url}/applications/{application.pk}/")
    expect(page.locator('header [data-state="submitted"]')).to_be_visible()
    expect(page.get_by_test_id("timeline")).to_be_visible()
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    screenshot("application-submitted")
    page.goto(f"{live_server.url}/applications/")
    expect(page.get_by_role("link", name=application.reference)).to_be_visible()
    screenshot("application-list")

    # The liaison finds it among what awaits endorsement and endorses it.
    sign_in(page, live_server, liaison, settings.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/applications/endorsements/")
    screenshot("application-endorsements")
    page.get_by_role("link", name=application.reference).click()
    expect(page.locator('[data-transition="return_for_changes"]')).to_be_visible()
    screenshot("application-endorse")
    page.locator('[data-transition="endorse"]').click()
    expect(page.locator('header [data-state="in_review"]')).to_be_visible()
    application.refresh_from_db()
    assert application.state == State.IN_REVIEW
    page.set_viewport_size({"width": 360, "height": 780})
    assert no_sideways_scroll(page) <= 0, "the detail page scrolls sideways at 360px"
    screenshot("application-detail-phone")
    page.set_viewport_size({"width": 1280, "height": 720})

    # The officer finds it in the back office queue and returns it with a comment.
    sign_in(page, live_server, officer, settings.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/admin/approvals/travelapplication/")
    page.get_by_role("link", name=application.reference).click()
    screenshot("officer-review")
    page.fill("#id_comment", "请补充展会主办方盖章的邀请函。")
    page.locator('button[name="transition"][value="return_for_changes"]').click()
    expect(page.get_by_test_id("timeline")).to_contain_text("请补充展会主办方盖章的邀请函。")
    application.refresh_from_db()
    assert application.state == State.RETURNED
    screenshot("officer-returned")

    # The applicant reads the comment and submits again.
    sign_in(page, live_server, applicant, settings.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    expect(page.get_by_test_id("timeline")).to_contain_text("请补充展会主办方盖章的邀请函。")
    screenshot("application-returned")
    page.locator('[data-transition="resubmit"]').click()
    expect(page.locator('header [data-state="submitted"]')).to_be_visible()

    # The liaison endorses again; the officer approves.
    sign_in(page, live_server, liaison, settings.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    page.locator('[data-transition="endorse"]').click()
    expect(page.locator('header [data-state="in_review"]')).to_be_visible()
    sign_in(page, live_server, officer, settings.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/admin/approvals/travelapplication/{application.pk}/change/")
    page.locator('button[name="transition"][value="approve"]').click()
    expect(page.get_by_test_id("timeline")).to_contain_text(officer.get_full_name())
    application.refresh_from_db()
    assert application.state == State.APPROVED
    screenshot("officer-approved")
    actions = list(application_actions(application))
    assert actions == ["submit", "endorse", "return_for_changes", "resubmit", "endorse", "approve"]


def test_the_first_save_of_a_new_application_attaches_the_chosen_file(
    page, live_server, applicant, organization, settings, screenshot, tmp_path
):
    """The invitation letter is chosen on the new application and attached by its first save; on the
    saved draft, "Attach the file" uploads in place and keeps what was typed but not saved."""
    leader = PersonFactory(organization=organization, full_name="张三", position="副总监")
    start = date.today() + timedelta(days=60)
    letter = tmp_path / "邀请函.pdf"
    letter.write_bytes(pdf_bytes())
    agenda = tmp_path / "agenda.pdf"
    agenda.write_bytes(pdf_bytes("Agenda"))

    sign_in(page, live_server, applicant, settings.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/applications/new/")
    page.fill("#id_title", "赴德国商务考察")
    page.fill("#id_purpose", "参加汉诺威展会。")
    page.select_option("#id_mission_type", "business_negotiation")
    page.select_option("#id_legs-0-country", "DE")
    page.fill("#id_legs-0-city", "汉诺威")
    page.fill("#id_legs-0-arrive_on", start.isoformat())
    page.fill("#id_legs-0-leave_on", (start + timedelta(days=3)).isoformat())
    page.fill("#id_legs-0-host_organization", "Deutsche Messe AG")
    page.select_option("#id_members-0-person", str(leader.pk))
    page.check("#id_members-0-is_leader")
    page.fill("#id_budget_amount", "30000")
    page.fill("#id_contact_name", "李娜")
    page.fill("#id_contact_phone", "0371-65550101")
    page.select_option("#id_kind", "invitation")
    page.set_input_files("#id_file", str(letter))
    page.get_by_test_id("save-draft").click()

    expect(page).to_have_url(re.compile(r"/applications/\d+/edit/#documents$"))
    application = TravelApplication.objects.get()
    assert page.url == f"{live_server.url}/applications/{application.pk}/edit/#documents"
    expect(page.locator('[data-testid="attachments"] [data-kind="invitation"]')).to_be_visible()
    expect(page.locator('#form-progress [data-section="documents"]')).to_have_attribute("data-state", "done")
    expect(page.get_by_test_id("rule-panel").locator('[data-code="invitation_letter"]')).to_have_count(0)
    assert application.attachments.get().document.original_name == "邀请函.pdf"
    screenshot("application-first-save-with-file")

    page.fill("#id_title", "改过但未保存的标题")
    page.select_option("#id_kind", "agenda")
    page.set_input_files("#id_file", str(agenda))
    page.get_by_test_id("upload").click()
    expect(page.locator('[data-testid="attachments"] [data-kind="agenda"]')).to_be_visible()
    expect(page.locator("#id_title")).to_have_value("改过但未保存的标题")
    application.refresh_from_db()
    assert application.title == "赴德国商务考察" and application.attachments.count() == 2
    expect(page.locator("#id_file")).to_have_value("")  # saving now does not attach the agenda again

    page.get_by_test_id("save-draft").click()
    expect(page).to_have_url(f"{live_server.url}/applications/{application.pk}/")
    application.refresh_from_db()
    assert application.title == "改过但未保存的标题" and application.attachments.count() == 2


def test_the_list_and_the_withdrawal_work_on_a_phone_and_by_keyboard(
    page, live_server, applicant, organization, settings, screenshot
):
    from tests.approvals.factories import ApplicationFactory

    application = ApplicationFactory(organization=organization, submitted=True)
    ApplicationFactory.create_batch(3, organization=organization)
    page.set_viewport_size({"width": 360, "height": 780})
    sign_in(page, live_server, applicant, settings.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/applications/")
    assert no_sideways_scroll(page) <= 0, "the list scrolls sideways at 360px"
    screenshot("application-list-phone")

    page.goto(f"{live_server.url}/applications/{application.pk}/")
    withdraw = page.locator('summary[data-transition="withdraw"]')
    withdraw.focus()
    page.keyboard.press("Enter")  # opens the confirmation
    page.locator("#id_withdraw_comment").fill("行程取消")
    screenshot("application-withdraw-phone")
    page.locator('[data-confirm="withdraw"]').press("Enter")
    expect(page.locator('header [data-state="withdrawn"]')).to_be_visible()
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN
