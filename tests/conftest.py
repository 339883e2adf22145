"""Shared fixtures. Tests run on SQLite unless DATABASE_URL is set (CI sets PostgreSQL and Redis)."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from rest_framework.test import APIClient

from foreign_affairs.accounts.roles import Role

from .factories import OrganizationFactory, enterprise_user, office_user

# Parallel test workers share one Redis: give each its own cache key space (throttles, health keys).
if os.environ.get("PYTEST_XDIST_WORKER"):
    settings.CACHES["default"]["KEY_PREFIX"] = f"test-{os.environ['PYTEST_XDIST_WORKER']}"

    def _clear_this_workers_keys(self):
        """cache.clear() empties the whole Redis database, so one worker's clear would reset the counters
        another worker's test is in the middle of (a rate limit seen to let the 31st request through).
        Under xdist it removes this worker's keys only."""
        client = self._cache.get_client(write=True)
        for key in client.scan_iter(match=f"{self.key_prefix}:*", count=1000):
            client.delete(key)

    RedisCache.clear = _clear_this_workers_keys

# Hashing passwords properly takes ~0.3 s each; tests create hundreds of users.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"


requires_services = pytest.mark.skipif(
    not (os.environ.get("REDIS_URL") and os.environ.get("DATABASE_URL", "").startswith("postgres")),
    reason="needs PostgreSQL and Redis (set DATABASE_URL and REDIS_URL, as .ci/run does)",
)
requires_chromium = pytest.mark.skipif(
    not shutil.which("chromium") and not Path(CHROMIUM).exists(),
    reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)",
)


@pytest.fixture(autouse=True)
def _private_media(tmp_path, settings):
    """Each test stores uploads in its own private directory."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            **settings.STORAGES["private"],
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }


@pytest.fixture
def organization(db):
    return OrganizationFactory(name_zh="郑州测试贸易有限公司", name_en="Zhengzhou Test Trading Co., Ltd.")


@pytest.fixture
def other_organization(db):
    return OrganizationFactory(name_zh="洛阳测试装备有限公司", ftz_area="luoyang")


@pytest.fixture
def applicant(organization):
    return enterprise_user(organization)


@pytest.fixture
def liaison(organization):
    return enterprise_user(organization, liaison=True)


@pytest.fixture
def other_applicant(other_organization):
    return enterprise_user(other_organization)


@pytest.fixture
def officer(db):
    return office_user(Role.OFFICER)


@pytest.fixture
def leader(db):
    return office_user(Role.LEADER)


@pytest.fixture
def manager(db):
    return office_user(Role.MANAGER)


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def api_as():
    """A new API client signed in as `user` (each call its own client, so several users can interleave)."""

    def login(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return login


class SMTPRecorder:
    """A real SMTP server on a free local port that keeps what it receives."""

    def __init__(self):
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.messages = []
        self.controller = None

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        import email
        from email import policy

        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp(settings):
    """E-mail goes over SMTP to a local server; the test decides when the server is up (`smtp.start()`)."""
    recorder = SMTPRecorder()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = recorder.port
    settings.EMAIL_TIMEOUT = 5
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield recorder
    recorder.stop()


class WorkerProcess:
    """A real `celery worker` (with embedded beat) in a subprocess, on this test's database and a Redis
    database of its own, so that parallel test workers never take each other's messages."""

    def __init__(self, tmp_path, *, fresh_broker: bool = True, **environment):
        import subprocess
        import sys

        import redis

        db = connection.settings_dict
        index = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
        base = os.environ["REDIS_URL"].rsplit("/", 1)[0]
        self.redis_url = f"{base}/{10 + index % 6}"
        if fresh_broker:  # a later worker of the same test keeps the messages the earlier one left
            redis.Redis.from_url(self.redis_url).flushdb()
        self.log_path = tmp_path / f"worker-{len(list(tmp_path.glob('worker-*.log')))}.log"
        env = {
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "foreign_affairs.settings",
            "SECRET_KEY": settings.SECRET_KEY,
            "DEBUG": "false",
            "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "REDIS_URL": self.redis_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "CELERY_BEAT_SCHEDULE_FILENAME": str(tmp_path / "beat-schedule"),
            "LOG_FORMAT": "text",
            "LOG_LEVEL": "INFO",
            "CONN_MAX_AGE": "0",
            **environment,
        }
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "foreign_affairs",
                "worker",
                "--beat",
                "--pool",
                "solo",
                "--loglevel",
                "info",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=Path(__file__).resolve().parents[1],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def output(self) -> str:
        self.log.flush()
        return self.log_path.read_text()

    def wait_for(self, condition, *, timeout: float = 60, message: str = "") -> None:
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(f"{message or 'condition'} not met; worker output:\n{self.output()[-4000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except Exception:
                self.process.kill()
                self.process.wait()
        self.log.close()


@pytest.fixture
def celery_worker_process(tmp_path):
    """Start real Celery workers: `celery_worker_process(ENV=value, ...)`; all are stopped afterwards."""
    started = []

    def start(**environment):
        worker = WorkerProcess(tmp_path, fresh_broker=not started, **environment)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()
