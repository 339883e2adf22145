"""The audit log is append-only and hash-chained; tampering anywhere is found."""

import json
import threading
from datetime import timedelta
from itertools import pairwise

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.utils import timezone

from foreign_affairs.accounts.roles import Role
from foreign_affairs.audit.models import GENESIS_HASH, AppendOnlyError, AuditEvent
from foreign_affairs.audit.selectors import verify_chain
from foreign_affairs.audit.services import record_event
from tests.conftest import on_postgresql
from tests.factories import office_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(officer, organization):
    events = [
        record_event(
            actor=officer,
            action="organization.update",
            obj=organization,
            comment=f"step {i}",
            data={"changed": {"address": ["旧地址", f"新地址 {i}"]}, "amount": "12.50"},
        )
        for i in range(5)
    ]
    return events


def test_events_link_to_the_previous_hash(chain):
    assert chain[0].prev_hash == GENESIS_HASH
    for before, after in pairwise(chain):
        assert after.prev_hash == before.hash
    report = verify_chain()
    assert report.ok and report.checked == 5


def test_values_survive_the_database_round_trip(chain):
    stored = AuditEvent.objects.get(pk=chain[2].pk)
    assert stored.compute_hash() == stored.hash
    assert stored.data["changed"]["address"] == ["旧地址", "新地址 2"]


def test_the_orm_refuses_to_change_or_delete_events(chain):
    event = chain[1]
    event.comment = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(comment="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert verify_chain().ok


def _sql(statement, params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_a_row_altered_behind_the_orms_back_is_found(chain, capsys):
    _sql("UPDATE audit_auditevent SET comment = %s WHERE id = %s", ["nothing happened", chain[2].pk])
    report = verify_chain()
    assert report.broken_at == chain[2].pk
    assert "altered" in report.reason
    with pytest.raises(CommandError, match=f"event #{chain[2].pk}"):
        call_command("audit_verify")


# Every column but the id and the hash itself is covered by the hash: a column added to AuditEvent is
# tampered with below as soon as it exists, and fails there until canonical_payload covers it.
HASHED_COLUMNS = [
    field.column for field in AuditEvent._meta.concrete_fields if field.column not in ("id", "hash")
]


def test_the_hash_covers_every_column_but_the_id_and_itself():
    payload = json.loads(AuditEvent(created_at=timezone.now()).canonical_payload())
    assert sorted(payload) == sorted(HASHED_COLUMNS)
    assert set(HASHED_COLUMNS) >= {
        "prev_hash",
        "created_at",
        "actor_id",
        "actor_label",
        "action",
        "content_type_id",
        "object_id",
        "object_repr",
        "from_state",
        "to_state",
        "comment",
        "data",
    }


def _another_value(event, field, officer):
    """A value of the column's type that differs from the event's and still fits the column."""
    value = getattr(event, field.attname)
    if field.column == "actor_id":
        return office_user(Role.LEADER).pk if value == officer.pk else officer.pk
    if field.column == "content_type_id":
        return ContentType.objects.exclude(pk=value).values_list("pk", flat=True).first()
    if field.get_internal_type() == "DateTimeField":
        return value + timedelta(seconds=1)
    if field.get_internal_type() == "JSONField":
        return {**value, "amount": "99.99"}
    if field.get_internal_type() in ("CharField", "TextField"):
        return (value[:-1] + ("1" if value[-1:] != "1" else "2")) if value else "x"
    raise AssertionError(
        f"no way to tamper with {field.column} ({field.get_internal_type()}) yet: add one here"
    )


@pytest.mark.parametrize("column", HASHED_COLUMNS)
def test_a_change_to_any_hashed_column_is_found(chain, officer, column):
    event = AuditEvent.objects.get(pk=chain[2].pk)
    field = next(field for field in AuditEvent._meta.concrete_fields if field.column == column)
    value = field.get_db_prep_save(_another_value(event, field, officer), connection)
    _sql(
        f"UPDATE audit_auditevent SET {connection.ops.quote_name(column)} = %s WHERE id = %s",  # noqa: S608 (a column of the model)
        [value, event.pk],
    )
    tampered = AuditEvent.objects.get(pk=event.pk)
    assert getattr(tampered, field.attname) != getattr(event, field.attname), "the UPDATE changed nothing"
    report = verify_chain()
    assert report.broken_at == event.pk, f"changing {column} went unnoticed: {report}"
    assert ("previous-hash" if column == "prev_hash" else "altered") in report.reason


def test_a_removed_row_is_found_at_the_next_link(chain):
    _sql("DELETE FROM audit_auditevent WHERE id = %s", [chain[1].pk])
    report = verify_chain()
    assert report.broken_at == chain[2].pk
    assert "previous-hash" in report.reason


def test_rows_cut_from_the_end_are_found(chain):
    _sql("DELETE FROM audit_auditevent WHERE id = %s", [chain[-1].pk])
    report = verify_chain()
    assert not report.ok and report.broken_at is None
    assert "removed from the end" in report.reason


def test_audit_verify_reports_an_intact_chain(chain, capsys):
    call_command("audit_verify")
    assert "5 events checked" in capsys.readouterr().out


def test_admin_shows_events_read_only(client, chain, officer):
    client.force_login(officer)
    response = client.get(f"/admin/audit/auditevent/{chain[0].pk}/change/")
    assert response.status_code == 200
    assert b'name="_save"' not in response.content
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    assert client.post(f"/admin/audit/auditevent/{chain[0].pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.count() == 5


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_form_one_chain(officer, organization):
    """Four threads write at once; the chain head lock orders them into one unbroken chain."""
    if not on_postgresql():
        pytest.skip("row locks need PostgreSQL (SQLite serialises writers by itself)")
    errors = []

    def write(n):
        try:
            for i in range(5):
                record_event(
                    actor=officer, action="organization.update", obj=organization, comment=f"{n}-{i}"
                )
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = verify_chain()
    assert report.ok and report.checked == 20
