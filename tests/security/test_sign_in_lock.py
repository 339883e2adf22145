"""Extra row: the sign-in lock holds at every door. After five wrong passwords for an account at a door,
the right password is refused at that door; a fresh account signs in there (the door itself works)."""

import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from foreign_affairs.accounts import throttling
from foreign_affairs.accounts.roles import Role
from tests.factories import enterprise_user, office_user

pytestmark = pytest.mark.django_db


def _portal_form(user, password) -> bool:
    client = Client()
    client.post("/accounts/login/", {"username": user.username, "password": password})
    return "_auth_user_id" in client.session


def _back_office(user, password) -> bool:
    client = Client()
    client.post("/admin/login/?next=/admin/", {"username": user.username, "password": password})
    return "_auth_user_id" in client.session


def _token_endpoint(user, password) -> bool:
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": user.username, "password": password}, format="json"
    )
    return response.status_code == 200 and "token" in response.json()


DOORS = [
    ("portal sign-in form", _portal_form, enterprise_user),
    ("back office sign-in", _back_office, lambda: office_user(Role.OFFICER)),
    ("API token endpoint", _token_endpoint, enterprise_user),
]


def test_the_right_password_is_refused_after_five_failures_at_every_door(figures):
    started = time.monotonic()
    cache.clear()
    for door, signs_in, account in DOORS:
        assert signs_in(account(), settings.DEMO_PASSWORD), f"{door}: a fresh account cannot sign in"
        user = account()
        for _ in range(throttling.MAX_FAILURES):
            assert not signs_in(user, "wrong-password")
        figures.add("lock.doors")
        if signs_in(user, settings.DEMO_PASSWORD):
            figures.note("lock.let_in", f"{door}: signed in with the right password after five failures")
        else:
            figures.add("lock.refused")
    cache.clear()
    figures.timed("lock", time.monotonic() - started)
