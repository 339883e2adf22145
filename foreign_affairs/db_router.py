"""The reports' reads on a PostgreSQL replica, everything else on the primary.

The dashboard and the exports aggregate whole tables; on a replica they take no CPU, memory or I/O from
the officers' and enterprises' pages. Code that reads for a report says so with `reading_reports()`
(reports.views, reports.services.job_run); the router then sends its reads to REPORTS_READ_DATABASE,
"replica" when DATABASE_REPLICA_URL is set, else "default", so that without a replica nothing changes.
Writes always go to the primary, and so do the reads of a transaction open on it: a replica does not
see what that transaction has written (and lags the primary by a little anyway, so only figures that may
be a moment old are read there).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

_reading_reports: ContextVar[bool] = ContextVar("reading_reports", default=False)


@contextmanager
def reading_reports() -> Iterator[None]:
    """Reads inside go to the reports' database (the replica, when there is one)."""
    token = _reading_reports.set(True)
    try:
        yield
    finally:
        _reading_reports.reset(token)


class ReportsReplicaRouter:
    def db_for_read(self, model, **hints):
        alias = settings.REPORTS_READ_DATABASE
        if (
            _reading_reports.get()
            and alias != DEFAULT_DB_ALIAS
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return alias
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: an object read there may be related to one read here.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary's schema by replication; migrations run on the primary only.
        return db == DEFAULT_DB_ALIAS
