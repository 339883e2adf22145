"""Every sign-in door goes through one lock, every limit counts the real client, and password reset is
limited and tells nothing about the address (issue 10: defects 1, 3 and 6)."""

import pytest
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from foreign_affairs.accounts import throttling
from foreign_affairs.ratelimit import client_address
from tests.factories import office_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def _fail_five_times(client, username):
    for _ in range(throttling.MAX_FAILURES):
        client.post("/accounts/login/", {"username": username, "password": "wrong"})


# One lock -----------------------------------------------------------------------------------------------


def test_the_back_office_sign_in_refuses_a_locked_account_even_with_the_right_password(client, settings):
    officer = office_user("Officer")
    for _ in range(throttling.MAX_FAILURES):
        response = client.post("/admin/login/", {"username": officer.username, "password": "wrong"})
        assert response.status_code == 200
    response = client.post(
        "/admin/login/?next=/admin/", {"username": officer.username, "password": settings.DEMO_PASSWORD}
    )
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert str(throttling.LOCKED_MESSAGE) in response.content.decode()


def test_failures_at_one_door_lock_every_door(client, api_client, applicant, settings):
    _fail_five_times(client, applicant.username)  # the portal's form
    assert authenticate(username=applicant.username, password=settings.DEMO_PASSWORD) is None
    admin = client.post("/admin/login/", {"username": applicant.username, "password": settings.DEMO_PASSWORD})
    assert "_auth_user_id" not in client.session and admin.status_code == 200
    token = api_client.post(
        "/api/v1/auth/token/",
        {"username": applicant.username, "password": settings.DEMO_PASSWORD},
        format="json",
    )
    assert token.status_code == 400 and "token" not in token.json()


def test_a_completed_password_reset_lifts_the_lock(
    client, applicant, mailoutbox, settings, django_capture_on_commit_callbacks
):
    _fail_five_times(client, applicant.username)
    assert throttling.is_locked(applicant.username)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password_reset/", {"email": applicant.email})
    link = next(line for line in mailoutbox[0].body.splitlines() if "/accounts/reset/" in line).strip()
    path = link[link.index("/accounts/reset/") :]
    form_url = client.get(path).url  # Django swaps the token for a session and redirects to the form
    new = "Songshan-Mountain-2031"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302 and not throttling.is_locked(applicant.username)
    assert client.login(username=applicant.username, password=new)


# The client's address -----------------------------------------------------------------------------------


def _request(rf, remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.get("/", **headers)


def test_a_forwarded_header_is_ignored_unless_a_trusted_proxy_sent_it(rf, settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(_request(rf, "203.0.113.9", "1.2.3.4")) == "203.0.113.9"
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(_request(rf, "203.0.113.9", "1.2.3.4")) == "203.0.113.9"  # not from the proxy
    # From the proxy: the entry it appended (the right-most that is not a proxy), never a forged left one.
    assert client_address(_request(rf, "10.0.0.2", "1.2.3.4, 198.51.100.7")) == "198.51.100.7"
    assert client_address(_request(rf, "10.0.0.2", "forged, 198.51.100.7, 10.0.0.3")) == "198.51.100.7"
    assert client_address(_request(rf, "10.0.0.2")) == "10.0.0.2"


def _flood(send, count):
    return [send(index).status_code for index in range(count)]


def test_forged_forwarded_headers_do_not_open_the_token_limit(api_client, applicant):
    statuses = _flood(
        lambda i: api_client.post(
            "/api/v1/auth/token/",
            {"username": f"nobody{i}", "password": "x"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}",
        ),
        11,
    )
    assert statuses[:10] == [400] * 10 and statuses[10] == 429


def test_forged_forwarded_headers_do_not_open_the_verification_limit(client, settings):
    """Behind a proxy (as in production: TLS ends there): the client forges entries on the left, the proxy
    appends the address it saw on the right; only that one counts."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    statuses = _flood(
        lambda i: client.get(f"/verify/ABCD-{i:04d}/", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}, 203.0.113.5"),
        31,
    )
    assert statuses[:30] == [404] * 30 and statuses[30] == 429
    # Another client behind the same proxy has a limit of its own.
    other = client.get("/verify/ABCD-9999/", HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert other.status_code == 404


def test_forged_forwarded_headers_do_not_open_the_objection_limit(api_client, organization, settings):
    from approvals import services
    from approvals.models import DisclosureKind
    from tests.approvals.factories import ApplicationFactory

    application = ApplicationFactory(organization=organization, approved=True)
    notice = services.disclosure_open(application, kind=DisclosureKind.TRIP)
    url = f"/api/v1/notices/{notice.pk}/objections/"
    statuses = _flood(
        lambda i: api_client.post(
            url, {"text": f"异议 {i}"}, format="json", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}"
        ),
        6,
    )
    assert statuses[:5] == [201] * 5 and statuses[5] == 429


# Password reset -------------------------------------------------------------------------------------------


def test_password_reset_is_limited_per_client_and_per_address(
    client, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("password_reset")

    def ask(email):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, {"email": email}).status_code

    assert [ask(applicant.email) for _ in range(3)] == [302] * 3 and len(mailoutbox) == 3
    # A fourth request for the address looks the same, but nothing more is sent.
    assert ask(applicant.email) == 302 and len(mailoutbox) == 3
    assert ask("someone@example.com") == 302
    assert ask("other@example.com") == 429 and len(mailoutbox) == 3  # the sixth from this client


def test_password_reset_does_the_same_work_whether_or_not_the_address_exists(client, applicant, monkeypatch):
    """The request only queues the e-mail (accounts.send_password_reset); the task looks the address up. So
    the answer, its queries and its time do not depend on whether an account has the address."""
    queued = []
    monkeypatch.setattr(
        "foreign_affairs.tasking.enqueue_on_commit", lambda name, *args: queued.append((name, args))
    )
    counts = []
    for email in (applicant.email, "nobody-here@example.com"):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(reverse("password_reset"), {"email": email})
        assert response.status_code == 302 and response.url == reverse("password_reset_done")
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert [name for name, _args in queued] == ["accounts.send_password_reset"] * 2


def test_the_reset_link_is_built_on_the_portals_address_not_the_host_header(
    client, applicant, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_BASE_URL = "https://portal.example.gov.cn"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "evil.example"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": applicant.email}, HTTP_HOST="evil.example")
    body = mailoutbox[0].body
    assert "https://portal.example.gov.cn/accounts/reset/" in body and "evil.example" not in body
