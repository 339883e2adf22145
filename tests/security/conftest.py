"""`make verify`: the security figures (issue "Security to ASVS level 2").

This directory runs only when it is named on the command line (`pytest tests/security`, as `make verify`
does): `make test` and a bare `pytest` leave it out, without a skip for each test. Its tests measure (see
figures.py); when the session ends the figures are added up over the xdist workers, printed as one table,
written to tests/artifacts/verify.json, and compared with baseline.json: a figure worse than its threshold
fails the run.

Nothing here touches a real database or cache: the test databases get a suffix of their own
(test_<name>_verify, next to the test suite's test_<name>), each test runs in a transaction that is rolled
back, and the cache keys have a prefix of their own.
"""

import json
import os
import platform
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import override_settings

from .figures import Records, describe, load_baseline, report, rows, table

HERE = Path(__file__).resolve().parent
ARTIFACT = HERE.parent / "artifacts" / "verify.json"
RECORDS = pytest.StashKey[Records]()
STARTED = pytest.StashKey[float]()
OUTCOME = pytest.StashKey[tuple]()


def _named(config) -> bool:
    """Whether this run asked for this directory (or a file in it) by path."""
    for argument in config.args:
        path = Path(config.invocation_params.dir, argument.split("::", 1)[0]).resolve()
        if path == HERE or HERE in path.parents:
            return True
    return False


def pytest_ignore_collect(collection_path, config):
    if HERE in Path(collection_path).resolve().parents and not _named(config):
        return True
    return None


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.verify)


def _records(config) -> Records:
    if RECORDS not in config.stash:
        config.stash[RECORDS] = Records()
    return config.stash[RECORDS]


@pytest.fixture
def figures(request):
    """Where a check adds its counters and details (figures.Records)."""
    return _records(request.config)


# Databases and cache of their own ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """test_<name>_verify (per xdist worker: test_<name>_gw0_verify): never the test suite's database, so
    `make verify` may run beside or after `make test` on one server. SQLite tests run in memory anyway."""
    from pytest_django.fixtures import _set_suffix_to_test_databases

    _set_suffix_to_test_databases(suffix="verify")


@pytest.fixture(scope="session", autouse=True)
def _cache_of_its_own():
    """Cache keys under a prefix of this run's own, and cache.clear() removing only those keys (on Redis,
    Django's clear() would empty the whole database); they are removed at the end."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    caches = {
        alias: {**options, "KEY_PREFIX": f"verify-{worker}"}
        for alias, options in django_settings.CACHES.items()
    }
    with override_settings(CACHES=caches), pytest.MonkeyPatch.context() as patch:
        from django.core.cache.backends.redis import RedisCache

        def clear_own_keys(self):
            client = self._cache.get_client(write=True)
            for key in client.scan_iter(match=f"{self.key_prefix}:*", count=1000):
                client.delete(key)

        patch.setattr(RedisCache, "clear", clear_own_keys)
        yield
        cache.clear()


# Adding up, printing and judging -------------------------------------------------------------------------


def pytest_sessionstart(session):
    session.config.stash[STARTED] = time.monotonic()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """xdist: the controller takes the figures a worker recorded."""
    dumped = getattr(node, "workeroutput", {}).get("verify_figures")
    if dumped:
        _records(node.config).merge(dumped)


def pytest_sessionfinish(session, exitstatus):
    config = session.config
    if not _named(config):
        return
    if hasattr(config, "workerinput"):  # an xdist worker: hand the figures to the controller
        config.workeroutput["verify_figures"] = _records(config).dump()
        return
    records = _records(config)
    built = rows(records, load_baseline())
    environment = {
        "database": "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite",
        "cache": "Redis" if os.environ.get("REDIS_URL") else "local memory",
        "python": platform.python_version(),
        "workers": int(getattr(config.option, "numprocesses", 0) or 0),
        "seconds": round(time.monotonic() - config.stash[STARTED], 1),
    }
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    ARTIFACT.write_text(
        json.dumps(report(built, records, environment), ensure_ascii=False, indent=1, default=str) + "\n",
        encoding="utf-8",
    )
    worse = [row for row in built if row.status == "WORSE"]
    config.stash[OUTCOME] = (built, worse, environment)
    if worse and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if OUTCOME not in config.stash:
        return
    built, worse, environment = config.stash[OUTCOME]
    write = terminalreporter.write_line
    write("")
    for line in table(built).splitlines():
        write(line)
    for row in worse:
        write("")
        write(f"WORSE than baseline.json: {row.check} ({row.figure}; expected {row.expected}). First cases:")
        for problem in row.problems[:10]:
            write(f"  {describe(problem)}")
    write("")
    if worse:
        write(f"FAILED: {len(worse)} figure(s) worse than tests/security/baseline.json.")
    write(
        f"{environment['database']}, {environment['cache']} cache; {environment['seconds']} s. "
        f"Thresholds and accepted failures: tests/security/baseline.json. Written to "
        f"{ARTIFACT.relative_to(HERE.parent.parent)}."
    )
