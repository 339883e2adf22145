import pytest
import time_machine
from datetime import timedelta

from tests.conftest import ARTIFACTS, requires_chromium
from tests.factories import office_user

from tests.foreign_offices.factories import member_of
from tests.foreign_offices.test_reporting import TODAY, data  # noqa: F401

pytestmark = [requires_chromium, pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user, settings, next_url):
    page.goto(f"{live_server.url}{next_url}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", settings.DEMO_PASSWORD)
    page.locator("form.card button[type=submit]").click()
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_screens(page, live_server, data, officer, manager, settings, language):  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    member = member_of(data["org"]["I"])
    member.set_password(settings.DEMO_PASSWORD)
    member.save()
    with time_machine.travel(TODAY + timedelta(minutes=1), tick=True):
        page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
        for user, url, name in [(manager, "/reports/?date_from=2026-04-01&date_to=2026-06-30", "reports"),
                                (officer, "/dashboard/", "officer"), (member, "/dashboard/", "member")]:
            page.context.clear_cookies()
            page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
            sign_in(page, live_server, user, settings, url)
            print(user, page.url)
            for width, suffix in [(1280, "desktop"), (390, "phone")]:
                page.set_viewport_size({"width": width, "height": 900})
                page.goto(f"{live_server.url}{url}")
                page.wait_for_load_state("networkidle")
                if name == "reports":
                    target = page.locator('[data-testid="section-foreign_office_cases"]')
                    target.scroll_into_view_if_needed()
                    top = page.evaluate("document.querySelector('[data-testid=section-foreign_office_cases]').getBoundingClientRect().top + window.scrollY")
                    bottom = page.evaluate("document.querySelector('[data-testid=section-foreign_office_annual_reports]').getBoundingClientRect().bottom + window.scrollY")
                    page.set_viewport_size({"width": width, "height": int(bottom - top) + 40})
                    page.evaluate(f"window.scrollTo(0, {top - 20})")
                    page.screenshot(path=str(ARTIFACTS / f"h5-{name}-{language}-{suffix}.png"))
                else:
                    page.screenshot(path=str(ARTIFACTS / f"h5-{name}-{language}-{suffix}.png"), full_page=True)
