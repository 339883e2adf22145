"""Shared fixtures. Tests run on SQLite unless DATABASE_URL is set (CI sets PostgreSQL and Redis)."""

import io
import os
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.db.models.fields import AutoFieldMixin
from django.test import TestCase, override_settings
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

# The reports' replica (foreign_affairs.db_router) as a second alias on the test database itself; the router
# sends nothing there unless a test sets REPORTS_READ_DATABASE = "replica" (and asks for the alias).
if "replica" not in settings.DATABASES:
    settings.DATABASES["replica"] = {**settings.DATABASES["default"], "TEST": {"MIRROR": "default"}}

# Tests look at the figures right after changing the data: the dashboard is computed for every view
# (tests/reports/test_dashboard_cache.py turns the cache on).
settings.REPORTS_DASHBOARD_CACHE_SECONDS = 0

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


def private_location() -> Path:
    return Path(settings.STORAGES["private"]["OPTIONS"]["location"])


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """The year's demo runs first in its process (after any shuffling): played after another demo seeded
    earlier in the same process (the shared `demo` fixture), five of its steps are refused; seeded in a
    fresh process, as `seed_demo` and `make run` do, none is. Known, not yet explained (README, Tests)."""
    items.sort(key=lambda item: "test_demo_year" not in item.nodeid)


@pytest.fixture(autouse=True)
def _travellers_trained(request, monkeypatch):
    """Travellers hold valid pre-departure training in tests that are not about it: a travel application's
    tests would otherwise need a certificate per member. The training area's tests, and any test marked
    `training_rule`, ask the real provider (training/rule.py)."""
    if "training" in request.node.nodeid.split("::")[0] or request.node.get_closest_marker("training_rule"):
        return
    from approvals import hooks

    monkeypatch.setattr(
        hooks, "training_status_provider", lambda people, on: dict.fromkeys((p.pk for p in people), "valid")
    )


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the portal's default language (a request of an earlier test may have left
    another one active in this thread)."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


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


@pytest.fixture(autouse=True)
def _audit_checkpoints(tmp_path, settings):
    """Each test keeps audit checkpoints in its own directory: never var/, whose checkpoints name the
    events of another database and would fail every verify_chain() here."""
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"


# The demo data ------------------------------------------------------------------------------------------
# `seed_demo` takes seconds. It runs once per test session (per xdist worker), in a transaction that is
# rolled back; what it wrote (the rows of every table, the files in private storage) is kept and written
# again into each test that asks for `demo`, inside that test's own transaction.


def _tables() -> list:
    """Every model with a table of its own, the many-to-many tables Django creates included; not the tables
    the database's triggers keep (`kept_by_triggers`), which follow the rows written again."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and not getattr(model, "kept_by_triggers", False)
    ]


def _columns(model) -> list:
    return [field for field in model._meta.concrete_fields if not getattr(field, "generated", False)]


def _rows(model) -> dict:
    # QuerySet(model), not the model's manager: managers may hide rows or refuse writes (the audit log's).
    return {row.pk: row for row in QuerySet(model).order_by()}


def _values(model, row) -> tuple:
    return tuple(getattr(row, field.attname) for field in _columns(model))


class DemoData:
    """What `seed_demo` writes, captured once and written again into a test on demand."""

    class Stale(Exception):
        """The database no longer fits the capture: the rows it builds on are gone, or its ids are taken."""

    def __init__(self, files: Path, size: str = "small"):
        self.files = files  # what seed_demo stored in private storage
        self.size = size  # seed_demo --size: the story ("small"); "year" is make run's (about 30 s)
        self.baseline = {}  # model → pks of the rows it found (the migrations' data) and builds on
        self.inserted = []  # (model, rows it added)
        self.changed = []  # (model, rows of the baseline it changed)

    def capture(self) -> None:
        """Run seed_demo in a transaction (or a savepoint of the running test) that is rolled back, and
        keep its rows and files."""
        shutil.rmtree(self.files, ignore_errors=True)
        self.files.mkdir(parents=True)
        private = {**settings.STORAGES["private"], "OPTIONS": {"location": str(self.files), "base_url": None}}
        baseline, inserted, changed = {}, [], []
        with transaction.atomic():
            before = {model: _rows(model) for model in _tables()}
            with (
                override_settings(DEBUG=True, STORAGES={**settings.STORAGES, "private": private}),
                TestCase.captureOnCommitCallbacks(execute=True),  # tasks run eagerly, as on commit
            ):
                call_command("seed_demo", "--size", self.size, stdout=io.StringIO())
            for model, old in before.items():
                new = _rows(model)
                if old.keys() - new.keys():
                    raise RuntimeError(
                        f"seed_demo deleted {model._meta.label} rows; the capture cannot replay that"
                    )
                if old:
                    baseline[model] = frozenset(old)
                added = [row for pk, row in new.items() if pk not in old]
                if added:
                    inserted.append((model, added))
                altered = [
                    row
                    for pk, row in new.items()
                    if pk in old and _values(model, row) != _values(model, old[pk])
                ]
                if altered:
                    changed.append((model, altered))
            transaction.set_rollback(True)
        self.baseline, self.inserted, self.changed = baseline, inserted, changed

    def keep_ids_free(self) -> None:
        """Move every id sequence past the demo's ids (committed, outside any transaction), so that rows
        the tests create never take an id the demo rows need. PostgreSQL's sequences are not rolled back
        anyway; SQLite's counters (sqlite_sequence) are, and are moved here."""
        with connection.cursor() as cursor:
            for model, rows in self.inserted:
                if not isinstance(model._meta.pk, AutoFieldMixin):
                    continue
                table, top = model._meta.db_table, max(row.pk for row in rows)
                if connection.vendor == "postgresql":
                    cursor.execute(
                        "SELECT setval(seq, GREATEST(nextval(seq), %s)) "
                        "FROM pg_get_serial_sequence(%s, %s) AS seq WHERE seq IS NOT NULL",
                        [top, connection.ops.quote_name(table), model._meta.pk.column],
                    )
                elif connection.vendor == "sqlite":
                    cursor.execute(
                        "UPDATE sqlite_sequence SET seq = MAX(seq, %s) WHERE name = %s", [top, table]
                    )
                    if not cursor.rowcount:
                        cursor.execute(
                            "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, top]
                        )

    def write(self, location: Path) -> None:
        """Insert the captured rows (foreign keys are checked at the end of the transaction, so the order
        of the tables does not matter) and copy the files into private storage at `location`."""
        for model, pks in self.baseline.items():
            if not pks <= set(QuerySet(model).values_list("pk", flat=True)):
                raise self.Stale(f"{model._meta.label} rows the demo builds on are gone")
        try:
            with transaction.atomic():
                for model, rows in self.inserted:
                    columns = _columns(model)
                    size = connection.ops.bulk_batch_size(columns, rows) or len(rows)
                    for start in range(0, len(rows), size):
                        # raw: the values exactly as captured (no auto_now, no upload_to)
                        QuerySet(model)._insert(
                            rows[start : start + size], fields=columns, raw=True, using=DEFAULT_DB_ALIAS
                        )
                for model, rows in self.changed:
                    for row in rows:
                        QuerySet(model).filter(pk=row.pk).update(
                            **{
                                field.attname: getattr(row, field.attname)
                                for field in _columns(model)
                                if not field.primary_key
                            }
                        )
        except IntegrityError as error:
            raise self.Stale(f"a demo id is taken: {error}") from error
        shutil.copytree(self.files, location, dirs_exist_ok=True)


@pytest.fixture(scope="session")
def _demo_data(django_db_setup, django_db_blocker, tmp_path_factory):
    data = DemoData(tmp_path_factory.mktemp("demo") / "private")
    with django_db_blocker.unblock():
        data.capture()
        data.keep_ids_free()
    return data


@pytest.fixture
def demo(db, _demo_data, _private_media):
    """The demo data of `seed_demo` (accounts for every role, organisations, travellers, applications and
    cards in every state, their audit events, notifications and files) for this test, gone afterwards."""
    try:
        _demo_data.write(private_location())
    except DemoData.Stale:
        # Something committed changed the database under the capture (a transactional test flushed it,
        # or took the demo's ids): capture again, in a savepoint of this test, and use that from now on.
        _demo_data.capture()
        _demo_data.write(private_location())


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
    """A real `celery worker` in a subprocess, on this test's database and a Redis database of its own, so
    that parallel test workers never take each other's messages. With `beat`, the periodic jobs run in it
    too (only for a test about a periodic job: otherwise they would run beside what the test watches)."""

    def __init__(self, tmp_path, *, fresh_broker: bool = True, beat: bool = False, **environment):
        import subprocess
        import sys

        import redis

        from foreign_affairs.celery import queues as celery_queues

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
            # The test run's audit keys, so that events the worker records verify in the test.
            "AUDIT_HMAC_KEY": settings.AUDIT_HMAC_KEY,
            "AUDIT_HMAC_KEYS": ",".join(settings.AUDIT_HMAC_KEYS),
            "AUDIT_CHECKPOINT_DIR": str(tmp_path / "audit-checkpoints"),
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
                *(["--beat"] if beat else []),
                "--queues",  # every queue a task may be routed to (CELERY_TASK_ROUTES)
                ",".join(celery_queues()),
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
    """Start real Celery workers: `celery_worker_process(beat=False, ENV=value, ...)`; all are stopped
    afterwards."""
    started = []

    def start(beat: bool = False, **environment):
        worker = WorkerProcess(tmp_path, fresh_broker=not started, beat=beat, **environment)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()
