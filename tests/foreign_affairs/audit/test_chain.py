"""The audit log is append-only and hash-chained; tampering anywhere is found."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from itertools import pairwise

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone

from foreign_affairs.accounts.roles import Role
from foreign_affairs.audit.models import GENESIS_HASH, AppendOnlyError, AuditEvent
from foreign_affairs.audit.selectors import verify_chain
from foreign_affairs.audit.services import record_event
from tests.conftest import on_postgresql
from tests.factories import office_user
from tests.foreign_affairs.audit.conftest import tamper

pytestmark = pytest.mark.django_db


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
        "key_id",
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
    tamper(
        f"UPDATE audit_auditevent SET {connection.ops.quote_name(column)} = %s WHERE id = %s",  # noqa: S608 (a column of the model)
        [value, event.pk],
    )
    tampered = AuditEvent.objects.get(pk=event.pk)
    assert getattr(tampered, field.attname) != getattr(event, field.attname), "the UPDATE changed nothing"
    report = verify_chain()
    assert report.broken_at == event.pk, f"changing {column} went unnoticed: {report}"
    assert ("previous-hash" if column == "prev_hash" else "altered") in report.reason


def test_a_removed_row_is_found_at_the_next_link(chain):
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [chain[1].pk])
    report = verify_chain()
    assert report.broken_at == chain[2].pk
    assert "previous-hash" in report.reason


def test_rows_cut_from_the_end_are_found(chain):
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [chain[-1].pk])
    report = verify_chain()
    assert not report.ok and report.broken_at is None
    assert "removed from the end" in report.reason


def test_the_hash_is_an_hmac_with_the_audit_key_not_a_plain_sha256(chain, settings):
    event = AuditEvent.objects.get(pk=chain[2].pk)
    payload = event.canonical_payload().encode()
    assert event.hash != hashlib.sha256(payload).hexdigest()
    assert event.hash == hmac.new(settings.AUDIT_HMAC_KEY.encode(), payload, hashlib.sha256).hexdigest()
    assert settings.AUDIT_HMAC_KEY not in json.dumps(list(AuditEvent.objects.values()), default=str)


def test_the_chain_does_not_verify_with_another_key(chain, settings):
    settings.AUDIT_HMAC_KEY = "another-key-0123456789-0123456789-0123456789"
    report = verify_chain()
    assert report.broken_at == chain[0].pk
    assert "neither AUDIT_HMAC_KEY nor one of AUDIT_HMAC_KEYS" in report.reason


def test_a_rewrite_with_recomputed_sha256_hashes_is_found(chain):
    """Someone with the database but without the key changes an event, recomputes every hash and link
    from the first event on and moves the chain head along, as the plain SHA-256 chain let anyone do."""
    prev_hash = GENESIS_HASH
    for event in AuditEvent.objects.order_by("id"):
        if event.pk == chain[2].pk:
            event.comment = "nothing happened"
        event.prev_hash = prev_hash
        event.hash = hashlib.sha256(event.canonical_payload().encode()).hexdigest()
        tamper(
            "UPDATE audit_auditevent SET comment = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [event.comment, event.prev_hash, event.hash, event.pk],
        )
        prev_hash = event.hash
    tamper("UPDATE audit_chainhead SET last_hash = %s WHERE id = 1", [prev_hash])

    assert AuditEvent.objects.get(pk=chain[2].pk).comment == "nothing happened"
    report = verify_chain()
    assert report.broken_at == chain[0].pk  # no hash of the rewritten chain is made with the key
    assert "altered" in report.reason
    with pytest.raises(CommandError, match=f"event #{chain[0].pk}"):
        call_command("audit_verify")


TRIGGER = "audit_auditevent_append_only"  # installed on PostgreSQL by audit migration 0004


def test_the_database_refuses_to_update_or_delete_events(chain):
    """Raw SQL, past the ORM, is refused by the trigger; the rows stay as they were."""
    if not on_postgresql():
        pytest.skip(
            "the append-only trigger is PostgreSQL's (migration 0004); SQLite has the ORM's guard only"
        )
    for statement in (
        "UPDATE audit_auditevent SET comment = 'rewritten' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [chain[1].pk])
    assert AuditEvent.objects.get(pk=chain[1].pk).comment == "step 1"
    assert verify_chain().ok
    # Inserting stays allowed (record_event, and the test suite's demo data, which writes rows raw).
    record_event(actor=None, action="organization.update", comment="after")
    assert verify_chain().ok and verify_chain().checked == 6


@pytest.mark.django_db(transaction=True)
def test_flushing_the_database_still_empties_the_audit_log(officer, organization):
    """Django's test flush (TRUNCATE on PostgreSQL) is neither UPDATE nor DELETE, so the trigger lets it
    through: transactional tests can clean up after writing events."""
    record_event(actor=officer, action="organization.update", obj=organization)
    if on_postgresql():
        with connection.cursor() as cursor:
            cursor.execute("SELECT tgenabled FROM pg_trigger WHERE tgname = %s", [TRIGGER])
            assert cursor.fetchall() == [("O",)]  # the trigger is installed and enabled
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()


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
