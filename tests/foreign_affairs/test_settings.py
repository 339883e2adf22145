"""Settings come from the environment; the embedded defaults run anywhere; production is strict."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "SECRET_KEY": "k3#9vQ!x7Lp2@Wz8Rt5^Ny4&Mb6*Hc1(Jd0)Fg-Ks=Ua+Ie~Yo|Xq;Zw:Ve,Sr.Tl",
    "AUDIT_HMAC_KEY": "Zq7-Hn2vRk9sLw4tBx6yCm8dFp3gJr5hKs1uNv0eWa-TbQc_YdXf",
    "ALLOWED_HOSTS": "portal.example.gov.cn",
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
