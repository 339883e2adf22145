"""The home page and every role's dashboard, in both languages, on the demo data (the `demo` fixture)."""

import pytest
from django.test import override_settings

from foreign_affairs.accounts.models import User

pytestmark = pytest.mark.django_db

DEMO_USERS = ["applicant", "liaison", "applicant2", "officer", "leader", "manager", "admin"]


def test_home_presents_the_five_service_areas(client):
    body = client.get("/").content.decode()
    for number in range(1, 6):
        assert f'<span class="area-number" aria-hidden="true">{number}</span>' in body
    assert 'href="#main"' in body and '<main id="main"' in body  # skip link and landmark
    assert "/static/vendor/bootstrap/bootstrap.min.css" in body
    assert "cdn" not in body.lower() and "https://" not in body


@pytest.mark.parametrize("username", DEMO_USERS)
def test_every_demo_user_signs_in_and_sees_a_dashboard(client, demo, username, settings):
    response = client.post("/accounts/login/", {"username": username, "password": settings.DEMO_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    page = client.get("/dashboard/")
    assert page.status_code == 200
    body = page.content.decode()
    user = User.objects.get(username=username)
    assert user.get_full_name() in body
    assert "待办事项" in body


def test_enterprise_dashboard_names_the_passport_work(client, demo):
    client.force_login(User.objects.get(username="applicant"))
    body = client.get("/dashboard/").content.decode()
    assert "郑州示范贸易有限公司" in body
    assert "/people/?passport=expiring" in body and "/people/?passport=missing" in body
    assert "/admin/" not in body  # enterprise users are not shown the back office


def test_office_dashboards_show_figures_per_area_and_link_the_back_office(client, demo):
    client.force_login(User.objects.get(username="officer"))
    body = client.get("/dashboard/").content.decode()
    assert "/admin/accounts/organization/?ftz_area__exact=luoyang" in body
    assert 'href="/admin/"' in body
    client.force_login(User.objects.get(username="manager"))
    assert "/admin/audit/auditevent/" in client.get("/dashboard/").content.decode()


def test_navigation_follows_the_role(client, demo):
    client.force_login(User.objects.get(username="applicant"))
    enterprise = client.get("/").content.decode()
    client.force_login(User.objects.get(username="officer"))
    office = client.get("/").content.decode()
    assert 'href="/people/"' in enterprise and 'href="/admin/"' not in enterprise
    assert 'href="/admin/"' in office and 'href="/people/"' not in office


def test_unknown_pages_are_friendly_404s(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode() or "Page not found" in response.content.decode()


@override_settings(DEBUG=False)
def test_anonymous_users_are_sent_to_sign_in(client):
    for path in ["/dashboard/", "/people/", "/documents/", "/notifications/", "/accounts/profile/"]:
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")


def test_password_change_and_reset_pages_work(
    client, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    assert client.get("/accounts/password_change/").status_code == 200
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": "demo-pass-2026",
            "new_password1": "Yellow-River-2027",
            "new_password2": "Yellow-River-2027",
        },
    )
    assert response.status_code == 302
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password_reset/", {"email": applicant.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and "/accounts/reset/" in mailoutbox[0].body
    assert "密码" in mailoutbox[0].subject


def test_profile_changes_name_email_and_language(client, applicant):
    client.force_login(applicant)
    response = client.post(
        "/accounts/profile/",
        {
            "last_name": "欧阳",
            "first_name": "娜娜",
            "email": "nana@example.com",
            "phone": "13800000000",
            "preferred_language": "en",
        },
    )
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert (applicant.get_full_name(), applicant.preferred_language) == ("欧阳娜娜", "en")
    assert "My profile" in client.get("/accounts/profile/").content.decode()


def test_repeated_failed_sign_ins_lock_the_account_for_a_while(client, applicant, settings):
    from django.core.cache import cache

    cache.clear()
    for _ in range(5):
        assert (
            client.post("/accounts/login/", {"username": applicant.username, "password": "wrong"}).status_code
            == 200
        )
    locked = client.post(
        "/accounts/login/", {"username": applicant.username, "password": settings.DEMO_PASSWORD}
    )
    assert locked.status_code == 200 and "15" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    api = client.post(
        "/api/v1/auth/token/",
        {"username": applicant.username, "password": settings.DEMO_PASSWORD},
        content_type="application/json",
    )
    assert api.status_code == 400 and api.json()["errors"][0]["field"] == "username"
    cache.clear()  # the lock expires
    assert (
        client.post(
            "/accounts/login/", {"username": applicant.username, "password": settings.DEMO_PASSWORD}
        ).status_code
        == 302
    )


@pytest.mark.parametrize("role", ["applicant", "liaison", "officer", "manager"])
def test_dashboard_queries_do_not_grow_with_the_data(client, request, role, organization):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import OrganizationFactory, PersonFactory

    client.force_login(request.getfixturevalue(role))
    PersonFactory.create_batch(3, organization=organization)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/dashboard/").status_code == 200
    for other in OrganizationFactory.create_batch(5):
        PersonFactory.create_batch(5, organization=other)
    PersonFactory.create_batch(30, organization=organization)
    with CaptureQueriesContext(connection) as many:
        client.get("/dashboard/")
    assert len(many) == len(few) <= 29
