"""An officer sets up two-step sign-in in a real browser and signs in with a code (issue 10, ASVS level 2)."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from tests.conftest import requires_chromium
from tests.factories import office_user

pytestmark = [requires_chromium, pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_officer_sets_up_two_step_sign_in_and_signs_in_with_a_code(
    page, live_server, settings, screenshot
):
    settings.OTP_REQUIRED_FOR_STAFF = True
    officer = office_user("Officer")
    base = live_server.url

    # The password alone opens the portal, but the back office asks for the second step first.
    page.goto(f"{base}/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    page.locator("#id_username").fill(officer.username)
    page.locator("#id_password").fill(settings.DEMO_PASSWORD)
    page.locator("#login-form [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/\?next="))
    expect(page.get_by_test_id("two-factor-qr")).to_be_visible()
    screenshot("two-factor-setup")

    # The app is set up from the key (here: computed as the app would) and confirmed with a code.
    key = b32decode(page.get_by_test_id("two-factor-secret").inner_text().strip())
    page.get_by_label("动态验证码").fill(f"{totp(key):06d}")
    page.get_by_test_id("two-factor-confirm").click()
    codes = page.get_by_test_id("recovery-codes")
    expect(codes).to_be_visible()
    expect(codes.locator("li")).to_have_count(10)
    screenshot("two-factor-recovery-codes")
    codes.get_by_role("link").click()
    expect(page).to_have_url(f"{base}/admin/")

    # Signed out, the password alone is not enough any more; the next code is.
    page.context.clear_cookies()
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.locator("#id_username").fill(officer.username)
    page.locator("#id_password").fill(settings.DEMO_PASSWORD)
    page.locator("#login-form [type=submit]").click()
    expect(page.locator(".errornote")).to_be_visible()
    screenshot("two-factor-code-missing")
    page.locator("#id_password").fill(settings.DEMO_PASSWORD)
    page.locator("#id_otp").fill(f"{totp(key, drift=1):06d}")  # the app's next code
    page.locator("#login-form [type=submit]").click()
    expect(page).to_have_url(f"{base}/admin/")
