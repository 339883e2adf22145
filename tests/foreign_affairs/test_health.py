"""/healthz: 200 when every configured service answers, 503 naming the one that does not."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import requires_services

from .test_settings import ROOT


def test_healthy_embedded(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "broker": "eager"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_needs_no_login_and_no_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301  # everything else is sent to https


def test_cache_down_is_named(client, db, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "cache": "error", "broker": "eager"}


def test_broker_down_is_named(client, db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "error"
    assert response.json()["database"] == "ok"


@requires_services
def test_broker_up_is_ok(client, db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = os.environ["REDIS_URL"]
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    assert response.json()["broker"] == "ok"


def test_database_down_is_named():
    """A server whose database is unreachable answers 503 with database: error (a real connection attempt)."""
    code = (
        "import django; django.setup();"
        "from django.test import Client; r = Client().get('/healthz');"
        "print(r.status_code); print(r.content.decode())"
    )
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "foreign_affairs.settings",
        "DEBUG": "true",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nowhere",
        "DB_CONNECT_TIMEOUT": "2",
        "ALLOWED_HOSTS": "testserver",
        "LOG_LEVEL": "CRITICAL",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    status, body = result.stdout.strip().split("\n", 1)
    assert status == "503", result.stderr
    assert json.loads(body) == {"status": "error", "database": "error", "cache": "ok", "broker": "eager"}


@pytest.mark.parametrize("path", ["/robots.txt"])
def test_robots_keeps_crawlers_out_of_private_areas(client, path):
    body = client.get(path).content.decode()
    assert "Disallow: /admin/" in body and "Disallow: /api/" in body


def test_favicon_ico_leads_to_the_emblem(client):
    """Pages without an icon link (files, the API's pages) make browsers ask for /favicon.ico."""
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith(".ico")
    assert "img/favicon" in response["Location"]
