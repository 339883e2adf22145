"""Two-step sign-in (issue 10, ASVS level 2): set up with a QR code and recovery codes, asked for at every
sign-in door, required for office staff when OTP_REQUIRED_FOR_STAFF is on."""

from urllib.parse import unquote

import pytest
from django.core.cache import cache
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from foreign_affairs.accounts import throttling, two_factor
from foreign_affairs.audit.models import AuditEvent
from tests.factories import office_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def code_of(user) -> str:
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def enrol(client, user) -> list[str]:
    """Set up two-step sign-in through the page; returns the recovery codes it showed."""
    client.force_login(user)
    page = client.get("/accounts/two-factor/")
    assert page.status_code == 200 and 'data-testid="two-factor-qr"' in page.content.decode()
    response = client.post("/accounts/two-factor/", {"action": "confirm", "token": code_of(user)})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == two_factor.RECOVERY_CODES
    TOTPDevice.objects.filter(user=user).update(last_t=-1)  # the code may be used again in the same step
    return codes


def test_setting_it_up_needs_a_right_code_and_shows_recovery_codes_once(client, applicant):
    client.force_login(applicant)
    client.get("/accounts/two-factor/")
    wrong = client.post("/accounts/two-factor/", {"action": "confirm", "token": "000000"})
    assert wrong.status_code == 400 and not two_factor.has_two_factor(applicant)
    codes = enrol(Client(), applicant)
    assert two_factor.has_two_factor(applicant)
    assert AuditEvent.objects.timeline_for(applicant).filter(action="user.two_factor_on").exists()
    again = client.get("/accounts/two-factor/").content.decode()
    assert 'data-testid="two-factor-on"' in again and codes[0] not in again


def test_the_portal_sign_in_asks_for_the_code(applicant, settings):
    enrol(Client(), applicant)
    client = Client()
    password = {"username": applicant.username, "password": settings.DEMO_PASSWORD}
    refused = client.post("/accounts/login/", password)
    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    assert throttling.failures(applicant.username) == 1  # a missing code is a failed sign-in
    signed_in = client.post("/accounts/login/", {**password, "otp": code_of(applicant)})
    assert signed_in.status_code == 302 and "otp_device_id" in client.session


def test_a_recovery_code_works_once(applicant, settings):
    codes = enrol(Client(), applicant)
    credentials = {"username": applicant.username, "password": settings.DEMO_PASSWORD, "otp": codes[0]}
    first, second = Client(), Client()
    assert first.post("/accounts/login/", credentials).status_code == 302
    assert second.post("/accounts/login/", credentials).status_code == 200


def test_the_back_office_and_the_token_endpoint_ask_for_the_code_too(api_client, settings):
    officer = office_user("Officer")
    enrol(Client(), officer)
    client = Client()
    password = {"username": officer.username, "password": settings.DEMO_PASSWORD}
    assert client.post("/admin/login/?next=/admin/", password).status_code == 200
    assert client.post("/admin/login/?next=/admin/", {**password, "otp": code_of(officer)}).status_code == 302
    assert client.get("/admin/").status_code == 200

    TOTPDevice.objects.filter(user=officer).update(last_t=-1)
    without = api_client.post("/api/v1/auth/token/", password, format="json")
    assert without.status_code == 400 and without.json()["errors"][0]["field"] == "otp"
    with_code = api_client.post("/api/v1/auth/token/", {**password, "otp": code_of(officer)}, format="json")
    assert with_code.status_code == 200 and with_code.json()["token"]


def test_office_staff_must_set_it_up_when_the_setting_says_so(api_client, applicant, settings):
    settings.OTP_REQUIRED_FOR_STAFF = True
    officer = office_user("Officer")
    client = Client()
    client.force_login(officer)
    for path in ("/admin/", "/reports/"):
        response = client.get(path)
        assert response.status_code == 302 and unquote(response.url) == f"/accounts/two-factor/?next={path}"
    api = client.get("/api/v1/me/")
    assert api.status_code == 403 and api.json()["code"] == "two_factor_required"
    token = api_client.post(
        "/api/v1/auth/token/",
        {"username": officer.username, "password": settings.DEMO_PASSWORD},
        format="json",
    )
    assert token.status_code == 400 and token.json()["errors"][0]["code"] == "two_factor_required"
    # Enterprise users are not asked; office staff get in once the second step is set up.
    enterprise = Client()
    enterprise.force_login(applicant)
    assert enterprise.get("/dashboard/").status_code == 200
    enrol(client, officer)
    assert client.get("/admin/").status_code == 200


def test_a_session_without_the_second_step_is_asked_for_it(settings):
    officer = office_user("Officer")
    enrol(Client(), officer)
    client = Client()
    client.force_login(officer)  # signed in without the code (a session begun before)
    response = client.get("/admin/")
    assert (
        response.status_code == 302 and unquote(response.url) == "/accounts/two-factor/verify/?next=/admin/"
    )
    assert client.post("/accounts/two-factor/verify/", {"token": "000000"}).status_code == 400
    # A wrong code makes the device wait before the next try (django-otp's throttle); the wait is over.
    TOTPDevice.objects.filter(user=officer).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    passed = client.post("/accounts/two-factor/verify/", {"token": code_of(officer), "next": "/admin/"})
    assert passed.status_code == 302 and passed.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_staff_cannot_turn_it_off_when_required_others_can(client, applicant, settings):
    settings.OTP_REQUIRED_FOR_STAFF = True
    officer = office_user("Officer")
    staff = Client()
    enrol(staff, officer)
    refused = staff.post("/accounts/two-factor/", {"action": "off", "token": code_of(officer)})
    assert refused.status_code == 400 and two_factor.has_two_factor(officer)
    enterprise = Client()
    enrol(enterprise, applicant)
    done = enterprise.post("/accounts/two-factor/", {"action": "off", "token": code_of(applicant)})
    assert done.status_code == 302 and not two_factor.has_two_factor(applicant)
