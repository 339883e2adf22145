"""The layout where the walk-through found it lacking (issue 11): the English menu on a 1366 px laptop, the
applications list on a phone, and the busy state of a form that posts."""

import pytest
from playwright.sync_api import expect

from tests.approvals.factories import ApplicationFactory
from tests.conftest import requires_chromium

pytestmark = [requires_chromium, pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# A full first page of applications, in the states with the longest names in either language.
STATES = ["submitted", "in_review", "returned", "pending_signoff", "approved", "permit_issued", "rejected"]


def _sign_in(page, base: str, username: str, password: str, language: str = "zh-hans") -> None:
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form.card button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.mark.parametrize("role", ["liaison", "officer"])
def test_the_english_menu_fits_on_one_line_of_a_laptop_screen(
    page, live_server, settings, role, screenshot, request
):
    user = request.getfixturevalue(
        role
    )  # the liaison has the longest enterprise menu, the officer the office's
    _sign_in(page, live_server.url, user.username, settings.DEMO_PASSWORD, "en")
    for width in (1280, 1366):
        page.set_viewport_size({"width": width, "height": 768})
        tops = page.eval_on_selector_all(
            ".portal-nav .nav-item",
            "items => items.map(item => Math.round(item.getBoundingClientRect().top))",
        )
        assert len(tops) >= 4
        assert max(tops) - min(tops) <= 4, f"the menu wraps at {width} px: item tops {tops}"
        screenshot(f"menu-{width}-en-{role}")
    # Narrower, the widest menu may take two lines, but inside the bar: white words never leave the red.
    page.set_viewport_size({"width": 1200, "height": 768})
    bar, lowest = page.evaluate(
        """() => [document.querySelector('.portal-nav').getBoundingClientRect().bottom,
                 Math.max(...Array.from(document.querySelectorAll('.portal-nav .nav-item'),
                                        item => item.getBoundingClientRect().bottom))]"""
    )
    assert lowest <= bar, f"a menu item ends at {lowest} px, below the bar ({bar} px)"


def test_the_applications_list_is_compact_on_a_phone_with_its_filters_folded(
    page, live_server, organization, applicant, settings, screenshot
):
    for index in range(12):
        ApplicationFactory(
            organization=organization, created_by=applicant, **{STATES[index % len(STATES)]: True}
        )
    page.set_viewport_size(PHONE)
    _sign_in(page, live_server.url, applicant.username, settings.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/applications/")
    filters = page.locator("details.filter-fold")
    expect(filters).not_to_have_attribute("open", "")
    expect(filters.locator("summary")).to_be_visible()
    rows = page.locator("[data-testid=application-table] tbody tr")
    count = rows.count()
    assert count >= 10, "a full page of applications"
    first = rows.first.bounding_box()
    assert first["y"] + first["height"] < PHONE["height"], "the first application is not on the first screen"
    heights = [rows.nth(index).bounding_box()["height"] for index in range(count)]
    assert sum(heights) / count < 150, f"rows are {sum(heights) / count:.0f} px tall on average"
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    # Each reference is whole and its state beside it, not over it, in either language (English states are long).
    for language in ("zh-hans", "en"):
        page.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
        )
        page.reload()
        clashes = page.eval_on_selector_all(
            "[data-testid=application-table] tbody tr",
            """rows => rows.filter(row => {
                const key = row.querySelector('.cell-key'), state = row.querySelector('.cell-state .badge');
                const k = key.getBoundingClientRect(), b = state && state.getBoundingClientRect();
                return key.scrollWidth > key.clientWidth + 1
                    || (b && k.right > b.left + 1 && k.bottom > b.top + 1 && b.bottom > k.top + 1);
            }).map(row => row.querySelector('.cell-key').textContent.trim())""",
        )
        assert clashes == [], f"{language}: references cut or covered by their state: {clashes}"
        screenshot(f"applications-phone-{language}")
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "zh-hans", "url": live_server.url}]
    )
    page.reload()

    filters.locator("summary").click()
    page.locator("select[name=state]").select_option("draft")
    page.get_by_role("button", name="搜索").click()
    expect(page.locator("details.filter-fold")).to_have_attribute("open", "")  # a filter in use stays open
    screenshot("applications-phone-filtered")


def test_a_form_shows_it_is_busy_and_posts_once_when_pressed_twice(page, live_server, applicant, settings):
    _sign_in(page, live_server.url, applicant.username, settings.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/people/new/")
    page.get_by_label("中文名").fill("赵六")
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    busy = page.evaluate(
        """() => {
            const button = document.querySelector("main form[method=post] button[type=submit]");
            button.click();
            const state = [button.form.getAttribute("aria-busy"), button.classList.contains("is-busy"),
                           button.getAttribute("aria-disabled")];
            button.click();
            return state;
        }"""
    )
    assert busy == ["true", True, "true"]
    page.wait_for_load_state()
    expect(page.get_by_role("status").or_(page.locator("#error-summary")).first).to_be_attached()
    assert len(posts) == 1, posts
