"""How `seed_bulk` writes a planned batch (bulk_seed.Batch): COPY on PostgreSQL, bulk_create elsewhere.

A writer has two steps. `prepare` touches no database, so the command runs it in a second thread for
the next batch while the database takes the current one. `write` runs in the batch's transaction, after
the references are numbered from ReferenceCounter (locked, so that a concurrent submission never takes
the same number). Both writers store the same rows.

COPY is the only way to reach a million applications in minutes (bulk_create builds a model instance and
an INSERT parameter per value). It bypasses Django, so the columns the plan does not fill get their model
defaults here, and a column without one fails loudly rather than being left out.
"""

import io
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from .bulk_seed import APPLICATION_COLUMNS, LEG_COLUMNS, MEMBER_COLUMNS, PERIOD_COLUMNS, Batch
from .models import DelegationMember, ItineraryLeg, ReferenceCounter, StatePeriod, TravelApplication

# COPY's text format: these four characters are escaped, NULL is \N.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NULL = "\\N"
# Bytes handed to the server per call: large, so that the planning thread (holding the GIL between
# calls) delays the sending rarely.
_COPY_CHUNK = 1 << 20


def batch_write(batch: Batch, writer) -> None:
    """Number the batch's references and write it with `writer`, in one transaction."""
    if batch.prepared is None:
        writer.prepare(batch)
    with transaction.atomic():
        references_take(batch)
        writer.write(batch)


def references_take(batch: Batch) -> None:
    """Give each application the next reference of its year (HNFA-<year>-<number>) and move the year's
    counter past them. A reference already in the table makes the insert fail (its unique index)."""
    following = {}
    for year, count in sorted(Counter(batch.years).items()):
        counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
        following[year] = counter.last + 1
        counter.last += count
        counter.save(update_fields=["last"])
    references = []
    for year in batch.years:
        references.append(f"HNFA-{year}-{following[year]:06d}")
        following[year] += 1
    batch.references = references


def writer_for_database():
    return CopyWriter() if connection.vendor == "postgresql" else OrmWriter()


def after_seed() -> None:
    """Runs once after the last batch of `seed_bulk` (any database), outside its transactions: what is
    cheaper once over the whole table than per batch. The rows bypassed the services, so the dashboard's
    daily summary is rebuilt from them (the counts per state follow by the database's triggers); then the
    planner's statistics and the visibility map (index-only counts) are refreshed for the grown tables."""
    from approvals import summary

    summary.rebuild(offline=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # VACUUM cannot run in a transaction (a test's): statistics only there.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


@dataclass
class _Table:
    """One table of a batch as COPY text, but for the leading columns only known in the transaction
    (the application's id, and its reference)."""

    model: type
    columns: tuple[str, ...]  # all of them, the leading ones first
    keys: list[int]  # each row's application, by its index in the batch
    tails: list[str]  # each row's text after the leading columns, with its newline


class CopyWriter:
    """PostgreSQL: the applications' ids are drawn from their sequence in one query, then each table is
    loaded with one COPY."""

    def prepare(self, batch: Batch) -> None:
        batch.prepared = [
            _table(
                TravelApplication,
                ("id", "reference"),
                APPLICATION_COLUMNS,
                range(len(batch.applications)),
                batch.applications,
            ),
            *(
                _table(model, columns[:1], columns[1:], [row[0] for row in rows], [row[1:] for row in rows])
                for model, columns, rows in _children(batch)
            ),
        ]

    def write(self, batch: Batch) -> None:
        applications, *children = batch.prepared
        with connection.cursor() as cursor:
            ids = _next_ids(cursor, TravelApplication, len(batch.applications))
            _copy(
                cursor,
                applications,
                [f"{pk}\t{reference}\t" for pk, reference in zip(ids, batch.references, strict=True)],
            )
            for table in children:
                _copy(cursor, table, [f"{ids[key]}\t" for key in table.keys])


class OrmWriter:
    """Any database: the same rows through bulk_create (about ten times slower than COPY)."""

    def prepare(self, batch: Batch) -> None:
        batch.prepared = [
            TravelApplication(**dict(zip(APPLICATION_COLUMNS, row, strict=True)))
            for row in batch.applications
        ]

    def write(self, batch: Batch) -> None:
        applications = batch.prepared
        for application, reference in zip(applications, batch.references, strict=True):
            application.reference = reference
        ids = [application.pk for application in TravelApplication.objects.bulk_create(applications, 2000)]
        for model, columns, rows in _children(batch):
            model.objects.bulk_create(
                [model(**dict(zip(columns, (ids[row[0]], *row[1:]), strict=True))) for row in rows],
                batch_size=5000,
            )


def _children(batch: Batch):
    return (
        (ItineraryLeg, LEG_COLUMNS, batch.legs),
        (DelegationMember, MEMBER_COLUMNS, batch.members),
        (StatePeriod, PERIOD_COLUMNS, batch.periods),
    )


def _next_ids(cursor, model, count: int) -> list[int]:
    table, column = model._meta.db_table, model._meta.pk.column
    cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
    (sequence,) = cursor.fetchone()
    cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count])
    return [pk for (pk,) in cursor.fetchall()]


def _table(
    model, leading: tuple[str, ...], columns: tuple[str, ...], keys, rows: Iterable[Sequence]
) -> _Table:
    """The COPY text of `rows` (values of `columns`), followed by every other column of the table but an
    auto-generated primary key, at its model default."""
    rest = _defaults(model, (*leading, *columns))
    suffix = "".join("\t" + _text(value) for value in rest.values()) + "\n"
    tails = [
        "\t".join(
            [
                _NULL if value is None else value.translate(_ESCAPES) if type(value) is str else str(value)
                for value in row
            ]
        )
        + suffix
        for row in rows
    ]
    return _Table(model, (*leading, *columns, *rest), list(keys), tails)


def _copy(cursor, table: _Table, heads: list[str]) -> None:
    """The one COPY of seed_bulk."""
    names = ", ".join(connection.ops.quote_name(name) for name in table.columns)
    text = "".join([head + tail for head, tail in zip(heads, table.tails, strict=True)])
    with connection.wrap_database_errors:  # a duplicate raises Django's IntegrityError, as the ORM's would
        cursor.copy_expert(
            f"COPY {connection.ops.quote_name(table.model._meta.db_table)} ({names}) FROM STDIN",
            io.StringIO(text),
            _COPY_CHUNK,  # size, positional: Django's debug cursor passes no keywords on
        )


def _defaults(model, columns: Sequence[str]) -> dict:
    """{column: value} of the model's other columns, as a new instance would have them."""
    now = timezone.now()
    values = {}
    for model_field in model._meta.concrete_fields:
        if model_field.attname in columns or model_field.primary_key:
            continue
        if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
            value = now
        else:
            value = model_field.get_default()
        if value is None and not model_field.null:
            raise ValueError(
                f"seed_bulk does not fill {model._meta.db_table}.{model_field.column}, which has no default."
            )
        values[model_field.column] = value
    return values


def _text(value) -> str:
    """A value in COPY's text format (for the defaults; the rows take an inline fast path)."""
    if value is None:
        return _NULL
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dict | list):
        value = json.dumps(value)
    return str(value).translate(_ESCAPES)
