"""A real headless Chromium against the live server: sign in, switch language, look at the pages."""

import pytest
from playwright.sync_api import expect

from tests.conftest import requires_chromium
from tests.factories import PersonFactory

pytestmark = [
    requires_chromium,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]


def sign_in(page, live_server, user, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(password)
    page.locator("form.card").get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{live_server.url}/dashboard/")


def test_sign_in_switch_language_and_look(page, live_server, applicant, organization, settings, screenshot):
    PersonFactory(organization=organization, passport_number="", passport_expiry=None)
    page.goto(live_server.url)
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("heading", name="五大服务领域")).to_be_visible()
    screenshot("home-zh")

    sign_in(page, live_server, applicant, settings.DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="待办事项")).to_be_visible()
    expect(page.get_by_test_id("tasks")).to_contain_text("护照")
    screenshot("dashboard-zh")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="What needs you now")).to_be_visible()
    expect(page.get_by_role("link", name="Travellers").first).to_be_visible()
    screenshot("dashboard-en")

    page.get_by_role("button", name="中文").click()
    expect(page.get_by_role("heading", name="待办事项")).to_be_visible()


def test_the_pages_work_on_a_phone_and_by_keyboard(page, live_server, applicant, settings, screenshot):
    page.set_viewport_size({"width": 360, "height": 780})
    sign_in(page, live_server, applicant, settings.DEMO_PASSWORD)
    for path in ["/dashboard/", "/people/", "/people/new/"]:
        page.goto(f"{live_server.url}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 360px"
    screenshot("person-form-phone")
    page.get_by_role("button", name="菜单").click()
    expect(page.get_by_role("link", name="出访人员")).to_be_visible()

    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳转至主要内容")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()


def test_a_form_error_is_summarised_and_focused(page, live_server, applicant, settings, screenshot):
    sign_in(page, live_server, applicant, settings.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/people/new/")
    page.get_by_label("中文名").fill("赵六")
    page.get_by_label("护照号码").fill("护照")
    page.get_by_role("button", name="保存").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("护照号码")
    expect(page.get_by_label("中文名")).to_have_value("赵六")
    screenshot("person-form-errors")


def test_the_api_documentation_renders_under_the_content_security_policy(page, live_server, screenshot):
    """Swagger UI is served by the portal (no CDN) and loads its own script as a file; the autouse fixture
    fails the test on any CSP violation."""
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_be_visible(timeout=15_000)
    # (a schema this size is drawn as a virtualised list: the operations, without tag sections around them)
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=15_000)
    screenshot("api-docs")
