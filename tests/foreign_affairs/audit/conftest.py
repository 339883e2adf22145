from contextlib import contextmanager

import pytest
from django.db import connection

from foreign_affairs.audit.services import record_event
from tests.conftest import on_postgresql


@pytest.fixture(autouse=True)
def checkpoint_dir(tmp_path, settings):
    """Each test keeps its audit checkpoints in a directory of its own."""
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"
    return settings.AUDIT_CHECKPOINT_DIR


@pytest.fixture
def chain(officer, organization):
    """Five events about one organisation, with Chinese text and a decimal-looking amount in their data."""
    return [
        record_event(
            actor=officer,
            action="organization.update",
            obj=organization,
            comment=f"step {i}",
            data={"changed": {"address": ["旧地址", f"新地址 {i}"]}, "amount": "12.50"},
        )
        for i in range(5)
    ]


@contextmanager
def past_the_trigger():
    """A cursor that gets past every guard of the portal, as a superuser of the database can: the ORM is
    not involved, and on PostgreSQL triggers (the append-only one of audit migration 0004) do not fire.
    SET LOCAL: nothing outlasts the test's transaction."""
    with connection.cursor() as cursor:
        if on_postgresql():
            cursor.execute("SET LOCAL session_replication_role = replica")
        try:
            yield cursor
        finally:
            if on_postgresql():
                cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def tamper(statement: str, params: list) -> None:
    """Run one SQL statement past the trigger (see past_the_trigger)."""
    with past_the_trigger() as cursor:
        cursor.execute(statement, params)
