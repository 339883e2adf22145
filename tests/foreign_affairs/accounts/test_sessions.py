"""Sessions: a new key at sign-in, the end of every session when the user's powers change or they sign out
everywhere, and a shorter idle limit for office staff (issue 10, ASVS level 2)."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from foreign_affairs.accounts import services
from foreign_affairs.accounts.roles import Role
from tests.factories import office_user

pytestmark = pytest.mark.django_db


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session and client.get("/dashboard/").status_code == 200


def test_signing_in_gives_a_new_session_key(client, applicant, settings):
    client.get("/accounts/login/")
    client.cookies["sessionid"] = "planted-by-someone-else"
    client.post("/accounts/login/", {"username": applicant.username, "password": settings.DEMO_PASSWORD})
    assert client.session.session_key != "planted-by-someone-else" and _signed_in(client)


def test_a_change_of_roles_ends_the_users_sessions(applicant):
    admin = office_user(Role.OFFICER)
    admin.is_superuser = True
    admin.save()
    elsewhere = Client()
    elsewhere.force_login(applicant)
    assert _signed_in(elsewhere)
    roles = Group.objects.filter(name__in=[Role.APPLICANT, Role.LIAISON])
    services.user_roles_set(user=applicant, groups=roles, actor=admin)
    assert not _signed_in(elsewhere)


def test_losing_the_liaison_flag_ends_the_sessions(liaison, officer):
    elsewhere = Client()
    elsewhere.force_login(liaison)
    membership = liaison.membership
    membership.is_liaison = False
    services.membership_save(membership=membership, actor=officer)
    assert not _signed_in(elsewhere)


def test_staff_status_taken_away_ends_the_sessions(officer):
    elsewhere = Client()
    elsewhere.force_login(officer)
    assert _signed_in(elsewhere)
    officer.is_staff = False
    officer.save()
    assert not _signed_in(elsewhere)


def test_sign_out_everywhere_ends_every_session(applicant):
    here, there = Client(), Client()
    here.force_login(applicant)
    there.force_login(applicant)
    response = here.post("/accounts/sign-out-everywhere/")
    assert response.status_code == 302 and response.url == "/accounts/login/"
    assert not _signed_in(here) and not _signed_in(there)
    assert here.get("/accounts/sign-out-everywhere/").status_code in (302, 405)


def test_office_staff_are_signed_out_sooner_when_idle(client, applicant, settings):
    settings.SESSION_IDLE_TIMEOUT_STAFF, settings.SESSION_IDLE_TIMEOUT = 30 * 60, 2 * 3600
    officer = office_user(Role.OFFICER)
    staff, enterprise = Client(), Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        staff.force_login(officer)
        enterprise.force_login(applicant)
        assert (
            staff.get("/dashboard/").status_code == 200 and enterprise.get("/dashboard/").status_code == 200
        )
    with time_machine.travel(start + timedelta(minutes=20), tick=False):  # activity keeps a session alive
        assert staff.get("/dashboard/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=55), tick=False):
        assert staff.get("/dashboard/").status_code == 302  # 35 minutes idle: signed out
        assert enterprise.get("/dashboard/").status_code == 200  # 55 minutes idle: within two hours
    with time_machine.travel(start + timedelta(hours=3), tick=False):
        assert enterprise.get("/dashboard/").status_code == 302
