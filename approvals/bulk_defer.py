"""pg_restore's order for a large `seed_bulk` on PostgreSQL: the tables it loads lose their secondary indexes
and foreign keys while the rows go in, and get them back afterwards.

Each row COPYed otherwise updates every index of its table one entry at a time (17 on the applications),
and queues a foreign-key check (a locked look-up of the parent row) that runs at COMMIT: at a million
applications, two thirds of the seeding time. Building an index once over the whole table, and checking a
foreign key with one join, is several times cheaper.

Crash-safe: the statements that give the indexes and keys back are stored in a table of their own
(seed_bulk_pending) in the transaction that drops them, and run, with that table dropped, in one
transaction at the end. A run that was killed in between leaves the table behind; the next seed_bulk (or
`restore()`) runs them first. Primary keys and unique indexes stay (they guard the data).
"""

from contextlib import contextmanager

from django.db import connection, transaction

from .models import DelegationMember, ItineraryLeg, StatePeriod, TravelApplication

SEED_BULK_PENDING = "seed_bulk_pending"
TABLES = [model._meta.db_table for model in (TravelApplication, ItineraryLeg, DelegationMember, StatePeriod)]
# Below this many new applications the rows are few next to those already there: indexes are kept.
DEFER_AT = 100_000
# Index builds sort in memory up to this much (this session only).
BUILD_MEMORY = "512MB"

_SECONDARY_INDEXES = """
SELECT pg_get_indexdef(i.indexrelid), quote_ident(n.nspname) || '.' || quote_ident(c.relname)
FROM pg_index i
JOIN pg_class c ON c.oid = i.indexrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_class t ON t.oid = i.indrelid
WHERE t.relname = ANY(%s) AND n.nspname = current_schema()
  AND NOT i.indisprimary AND NOT i.indisunique
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
ORDER BY 2
"""
_FOREIGN_KEYS = """
SELECT quote_ident(t.relname), quote_ident(k.conname), pg_get_constraintdef(k.oid)
FROM pg_constraint k
JOIN pg_class t ON t.oid = k.conrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE k.contype = 'f' AND t.relname = ANY(%s) AND n.nspname = current_schema()
ORDER BY 1, 2
"""


def pending() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [SEED_BULK_PENDING])
        return cursor.fetchone()[0]


def restore() -> int:
    """Give back what an earlier drop took (nothing when nothing is pending): the indexes, then the foreign
    keys, in one transaction. Returns how many statements ran."""
    if not pending():
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL maintenance_work_mem = '{BUILD_MEMORY}'")
        cursor.execute("SELECT statement FROM seed_bulk_pending ORDER BY position")
        statements = [row[0] for row in cursor.fetchall()]
        for statement in statements:
            cursor.execute(statement)
        cursor.execute("DROP TABLE seed_bulk_pending")
    return len(statements)


def _drop() -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_SECONDARY_INDEXES, [TABLES])
        indexes = cursor.fetchall()
        cursor.execute(_FOREIGN_KEYS, [TABLES])
        keys = cursor.fetchall()
        statements = [definition for definition, _name in indexes] + [
            f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}" for table, name, definition in keys
        ]
        cursor.execute(
            "CREATE TABLE seed_bulk_pending (position integer PRIMARY KEY, statement text NOT NULL)"
        )
        for position, statement in enumerate(statements):
            cursor.execute("INSERT INTO seed_bulk_pending VALUES (%s, %s)", [position, statement])
        for table, name, _definition in keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
        for _definition, name in indexes:
            cursor.execute(f"DROP INDEX {name}")


@contextmanager
def indexes_deferred(applications: int):
    """Around the batches of a seed of `applications`: on PostgreSQL and from DEFER_AT applications, the
    secondary indexes and foreign keys of the loaded tables are dropped first and given back at the end
    (also when a batch fails). Anything an interrupted run left pending is given back first."""
    restore()
    if connection.vendor != "postgresql" or applications < DEFER_AT:
        yield
        return
    _drop()
    try:
        yield
    finally:
        restore()
