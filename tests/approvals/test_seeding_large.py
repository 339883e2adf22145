"""A large seed_bulk on PostgreSQL (bulk_defer): the loaded tables lose their secondary
indexes and foreign keys while the rows go in and get exactly the same back, also after a failure or a
killed run. DEFER_AT is lowered so that a few hundred
applications take the large path; the tests commit (transaction=True), as seed_bulk does."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from approvals import bulk_defer
from approvals.management.commands import seed_bulk
from approvals.models import DelegationMember, ItineraryLeg, StatePeriod, TravelApplication, TravelSummary
from approvals.summary import rebuild
from tests.approvals.test_seeding import assert_consistent
from tests.conftest import on_postgresql

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not on_postgresql(), reason="indexes are deferred on PostgreSQL only"),
]


@pytest.fixture
def large(monkeypatch, officer):
    monkeypatch.setattr(bulk_defer, "DEFER_AT", 100)


def schema() -> dict[str, set[str]]:
    """The loaded tables' index and constraint definitions."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ANY(%s)",
            [bulk_defer.TABLES],
        )
        indexes = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT conname || ' ' || pg_get_constraintdef(k.oid) FROM pg_constraint k "
            "JOIN pg_class t ON t.oid = k.conrelid WHERE t.relname = ANY(%s)",
            [bulk_defer.TABLES],
        )
        constraints = {row[0] for row in cursor.fetchall()}
    return {"indexes": indexes, "constraints": constraints}


def summary_rows() -> set[tuple]:
    return set(
        TravelSummary.objects.values_list(
            "metric", "grain", "day", "ftz_area", "state", "value", "hours", "n"
        )
    )


def test_a_large_seed_drops_and_rebuilds_the_indexes_and_keys(large, monkeypatch):
    before = schema()
    assert len(before["indexes"]) > 20 and any("FOREIGN KEY" in c for c in before["constraints"])
    seen = {}
    write = seed_bulk.batch_write

    def watching(batch, writer):
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_indexes WHERE tablename = ANY(%s)", [bulk_defer.TABLES])
            seen["indexes while loading"] = cursor.fetchone()[0]
        write(batch, writer)

    monkeypatch.setattr(seed_bulk, "batch_write", watching)
    call_command("seed_bulk", "--applications", "300", "--batch", "70", stdout=io.StringIO())
    assert seen["indexes while loading"] < len(before["indexes"])  # only primary keys and unique ones
    assert schema() == before
    assert not bulk_defer.pending()
    assert TravelApplication.objects.count() == 300
    assert_consistent(TravelApplication.objects.all())
    # The summary seed_bulk rebuilt offline (no key while writing) is the one a rebuild online writes.
    offline = summary_rows()
    assert len(offline) > 100 and rebuild() == len(offline)
    assert summary_rows() == offline
    applications = set(TravelApplication.objects.values_list("pk", flat=True))
    for model in (ItineraryLeg, DelegationMember, StatePeriod):
        assert set(model.objects.values_list("application", flat=True)) <= applications


def test_a_failing_batch_gives_the_indexes_back(large, monkeypatch):
    before = schema()

    def failing(batch, writer):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr("approvals.management.commands.seed_bulk.batch_write", failing)
    with pytest.raises(RuntimeError, match="disk is full"):
        call_command("seed_bulk", "--applications", "200", stdout=io.StringIO())
    assert schema() == before and not bulk_defer.pending()


def test_what_a_killed_run_left_pending_is_given_back_by_the_next(large):
    before = schema()
    bulk_defer._drop()  # as if the process had been killed after dropping
    assert bulk_defer.pending() and schema() != before
    call_command("seed_bulk", "--applications", "10", stdout=io.StringIO())  # small: restores, keeps
    assert schema() == before and not bulk_defer.pending()
