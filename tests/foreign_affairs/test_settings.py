"""Settings come from the environment; the embedded defaults run anywhere; production is strict."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from foreign_affairs.checks import DEVELOPMENT_BASE_URL, check_portal_base_url, check_portal_base_url_deploy

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "SECRET_KEY": "k3#9vQ!x7Lp2@Wz8Rt5^Ny4&Mb6*Hc1(Jd0)Fg-Ks=Ua+Ie~Yo|Xq;Zw:Ve,Sr.Tl",
    "AUDIT_HMAC_KEY": "Zq7-Hn2vRk9sLw4tBx6yCm8dFp3gJr5hKs1uNv0eWa-TbQc_YdXf",
    "PERSONAL_DATA_KEYS": "bXlfdGVzdF9wZXJzb25hbF9kYXRhX2tleV8wMTIzNDU=",
    "PERSONAL_DATA_INDEX_KEY": "Pq4-Lm8nVx2cRt6yBw0zKs3hJd7gFa5eUi9oNv1-MbXc",
    "ALLOWED_HOSTS": "portal.example.gov.cn",
    "PORTAL_BASE_URL": "https://portal.example.gov.cn",
    "DEBUG": "false",
}


def run_django(code: str, **environment) -> subprocess.CompletedProcess:
    """Start a fresh interpreter with only the given environment (plus PATH), as a server would."""
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "foreign_affairs.settings", **environment}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings as s; {code}",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_with_no_environment_and_debug_on_the_portal_runs_embedded():
    result = run_django(
        "print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], s.CELERY_TASK_ALWAYS_EAGER, "
        "s.EMAIL_BACKEND, s.LANGUAGE_CODE)",
        DEBUG="true",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
        "True",
        "django.core.mail.backends.console.EmailBackend",
        "zh-hans",
    ]


def test_services_come_from_urls():
    result = run_django(
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], s.CACHES['default']['BACKEND'], "
        "s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_HOST, s.EMAIL_PORT)",
        DEBUG="true",
        DATABASE_URL="postgres://postgres@db.internal:5432/portal",
        REDIS_URL="redis://cache.internal:6379/2",
        EMAIL_URL="smtp://mail.internal:2525",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "portal",
        "django.core.cache.backends.redis.RedisCache",
        "redis://cache.internal:6379/2",
        "False",
        "mail.internal",
        "2525",
    ]


def test_without_debug_a_missing_secret_key_stops_start_up_with_a_clear_message():
    result = run_django("print('started')", DEBUG="false")
    assert result.returncode != 0
    assert "started" not in result.stdout
    assert "SECRET_KEY is not set" in result.stderr
    assert "DEBUG=true" in result.stderr


def test_without_debug_a_missing_audit_key_stops_start_up_with_a_clear_message():
    environment = {name: value for name, value in PRODUCTION.items() if name != "AUDIT_HMAC_KEY"}
    result = run_django("print('started')", **environment)
    assert result.returncode != 0
    assert "started" not in result.stdout
    assert "AUDIT_HMAC_KEY is not set" in result.stderr
    assert "DEBUG=true" in result.stderr


def test_without_debug_a_short_audit_key_or_the_secret_key_itself_is_refused():
    for key in ("too-short-to-be-a-key", PRODUCTION["SECRET_KEY"]):
        result = run_django("print('started')", **{**PRODUCTION, "AUDIT_HMAC_KEY": key})
        assert result.returncode != 0, key
        assert "AUDIT_HMAC_KEY is too weak" in result.stderr


def test_audit_keys_and_checkpoint_directory_come_from_the_environment(tmp_path):
    result = run_django(
        "print(s.AUDIT_HMAC_KEY == s.SECRET_KEY, s.AUDIT_HMAC_KEY[:6], s.AUDIT_HMAC_KEYS, s.AUDIT_CHECKPOINT_DIR)",
        **PRODUCTION,
        AUDIT_HMAC_KEYS="retired-key-one,retired-key-two",
        AUDIT_CHECKPOINT_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "Zq7-Hn",
        "['retired-key-one',",
        "'retired-key-two']",
        str(tmp_path),
    ]


def test_with_debug_on_the_audit_key_is_derived_from_the_secret_key():
    def audit_key(secret_key):
        result = run_django(
            "print(s.AUDIT_HMAC_KEY, s.AUDIT_CHECKPOINT_DIR)", DEBUG="true", SECRET_KEY=secret_key
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.split()

    (key, directory), (again, _), (other, _) = audit_key("a" * 50), audit_key("a" * 50), audit_key("b" * 50)
    assert key == again != other
    assert key != "a" * 50 and len(key) == 64
    assert directory == str(ROOT / "var" / "audit-checkpoints")


def test_production_settings_pass_the_deployment_checklist():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **PRODUCTION},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_defaults_are_secure():
    result = run_django(
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
        "s.STORAGES['staticfiles']['BACKEND'], s.LOGGING['handlers']['console']['formatter'])",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "True",
        "True",
        "31536000",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "json",
    ]


def test_importing_the_apps_needs_no_running_service():
    # Importing the apps' modules must not need a configured database or broker.
    result = run_django(
        "import foreign_affairs.accounts.services, foreign_affairs.notifications.tasks, "
        "foreign_affairs.documents.pdf; print('ok')",
        DEBUG="true",
        DATABASE_URL="postgres://nobody@127.0.0.1:1/none",
        REDIS_URL="redis://127.0.0.1:1/0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


# PORTAL_BASE_URL: checked at start-up (foreign_affairs/checks.py), not found wrong on a printed permit --------


def manage_check(*arguments, **environment) -> subprocess.CompletedProcess:
    """`manage.py check` as runserver and migrate run it at start-up, in the given environment only."""
    return subprocess.run(
        [sys.executable, "manage.py", "check", *arguments],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )


def ids(issues) -> list[str]:
    return [issue.id for issue in issues]


def test_the_development_default_is_where_runserver_listens_unless_told():
    result = run_django("print(s.PORTAL_BASE_URL, repr(s.PORTAL_LISTEN))", DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [DEVELOPMENT_BASE_URL, "''"] == ["http://127.0.0.1:8000", "''"]


def test_without_debug_the_development_base_url_stops_start_up():
    environment = {name: value for name, value in PRODUCTION.items() if name != "PORTAL_BASE_URL"}
    result = manage_check(**environment)
    assert result.returncode != 0
    assert "portal.E002" in result.stderr and "https://portal.example.gov.cn" in result.stderr
    assert manage_check(**PRODUCTION).returncode == 0


def test_a_base_url_that_misses_the_port_make_run_serves_on_is_reported_at_start_up():
    """`PORT=8202 make run` with a PORTAL_BASE_URL left on 8000: said at start-up, not found on a permit."""
    environment = {"DEBUG": "true", "PORTAL_LISTEN": "127.0.0.1:8202"}
    wrong = manage_check("--fail-level", "WARNING", PORTAL_BASE_URL="http://127.0.0.1:8000", **environment)
    assert wrong.returncode != 0
    assert "portal.W001" in wrong.stderr and "http://127.0.0.1:8202" in wrong.stderr
    right = manage_check("--fail-level", "WARNING", PORTAL_BASE_URL="http://127.0.0.1:8202", **environment)
    assert right.returncode == 0, right.stderr
    assert "no issues" in right.stdout


@pytest.mark.parametrize(
    "url",
    [
        "portal.example.gov.cn",
        "/verify",
        "ftp://portal.example.gov.cn",
        "https://",
        "https://portal.example.gov.cn:99999",
        "https://user:secret@portal.example.gov.cn",
        "https://portal.example.gov.cn/?lang=en",
    ],
)
def test_a_base_url_must_be_an_absolute_http_address(settings, url):
    settings.PORTAL_BASE_URL = url
    settings.PORTAL_LISTEN = ""
    assert ids(check_portal_base_url()) == ["portal.E001"]


@pytest.mark.parametrize(
    "url",
    ["https://portal.example.gov.cn", "http://portal.example.gov.cn:8080", "https://example.gov.cn/fao"],
)
def test_an_absolute_http_address_passes(settings, url):
    settings.DEBUG, settings.PORTAL_BASE_URL, settings.PORTAL_LISTEN = False, url, ""
    assert check_portal_base_url() == [] and check_portal_base_url_deploy() == []


def test_the_development_default_is_an_error_only_with_debug_off(settings):
    settings.PORTAL_BASE_URL, settings.PORTAL_LISTEN = DEVELOPMENT_BASE_URL, ""
    settings.DEBUG = True
    assert check_portal_base_url() == []
    settings.DEBUG = False
    assert ids(check_portal_base_url()) == ["portal.E002"]


@pytest.mark.parametrize(
    ("url", "listen", "leads_there"),
    [
        ("http://127.0.0.1:8202", "127.0.0.1:8202", True),
        ("http://localhost:8202", "127.0.0.1:8202", True),  # this machine, whichever name
        ("http://[::1]:8202", "127.0.0.1:8202", True),
        ("http://192.168.1.20:8202", "0.0.0.0:8202", True),  # every address of the machine
        ("http://127.0.0.1:8000", "127.0.0.1:8202", False),  # PORT=8202 make run with the old address
        ("http://127.0.0.1", "127.0.0.1:8202", False),
        ("https://127.0.0.1:8202", "127.0.0.1:8202", False),  # runserver speaks plain http
        ("http://192.168.1.20:8202", "127.0.0.1:8202", False),  # not reachable from elsewhere
    ],
)
def test_under_make_run_the_base_url_must_lead_to_the_server(settings, url, listen, leads_there):
    settings.DEBUG, settings.PORTAL_BASE_URL, settings.PORTAL_LISTEN = True, url, listen
    assert ids(check_portal_base_url()) == ([] if leads_there else ["portal.W001"])


def test_a_listen_address_that_cannot_be_read_is_said(settings):
    settings.DEBUG, settings.PORTAL_BASE_URL, settings.PORTAL_LISTEN = True, DEVELOPMENT_BASE_URL, "here"
    assert ids(check_portal_base_url()) == ["portal.W003"]


def test_the_deployment_check_warns_of_a_production_address_on_this_machine(settings):
    settings.DEBUG, settings.PORTAL_LISTEN = False, ""
    settings.PORTAL_BASE_URL = "http://localhost:8000"  # docker-compose's default, for a trial
    assert check_portal_base_url() == []
    assert ids(check_portal_base_url_deploy()) == ["portal.W002"]
