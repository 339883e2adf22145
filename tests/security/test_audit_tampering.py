"""Row 6: the audit log finds tampering. Each way of tampering is tried on the demo data's chain, past every
guard of the portal (raw SQL; on PostgreSQL past the append-only trigger, as the database's superuser can),
in a savepoint that is rolled back; verify_chain() (what `audit_verify` and the nightly job run) must report
each one."""

import hashlib
import time

import pytest
from django.db import transaction

from foreign_affairs.audit.models import GENESIS_HASH, AuditEvent
from foreign_affairs.audit.selectors import verify_chain
from foreign_affairs.audit.services import checkpoint_write
from foreign_affairs.audit.signing import signing_key
from tests.foreign_affairs.audit.conftest import tamper

pytestmark = pytest.mark.django_db


def _rewrite(events, *, start, mac, comment="nothing happened") -> str:
    """Change the comment of events[start], recompute every hash and link after it with `mac` and move the
    chain head along; return the new head hash."""
    prev_hash = events[start - 1].hash if start else GENESIS_HASH
    for index, event in enumerate(events[start:]):
        if index == 0:
            event.comment = comment
        event.prev_hash = prev_hash
        event.hash = mac(event.canonical_payload())
        tamper(
            "UPDATE audit_auditevent SET comment = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [event.comment, event.prev_hash, event.hash, event.pk],
        )
        prev_hash = event.hash
    tamper("UPDATE audit_chainhead SET last_hash = %s WHERE id = 1", [prev_hash])
    return prev_hash


def naive_edit(events):
    """An event's comment changed in place."""
    tamper("UPDATE audit_auditevent SET comment = %s WHERE id = %s", ["nothing happened", events[2].pk])


def delete_one(events):
    """An event in the middle of the chain deleted."""
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])


def rewrite_with_sha256(events):
    """The whole chain rewritten from the first event with plain SHA-256 hashes (without the key)."""
    _rewrite(events, start=0, mac=lambda payload: hashlib.sha256(payload.encode()).hexdigest())


def rewrite_with_the_key_after_a_checkpoint(events):
    """With the key: an event changed and the chain re-signed after it, after a checkpoint was written."""
    checkpoint_write()
    _rewrite(events, start=2, mac=signing_key().mac)


def truncate(events):
    """The newest events deleted."""
    tamper("DELETE FROM audit_auditevent WHERE id >= %s", [events[-2].pk])


def truncate_and_move_the_head_back(events):
    """The newest events deleted and the chain head moved back to the last one left, after a checkpoint."""
    checkpoint_write()
    tamper("DELETE FROM audit_auditevent WHERE id >= %s", [events[-2].pk])
    tamper(
        "UPDATE audit_chainhead SET last_hash = %s, last_event_id = %s WHERE id = 1",
        [events[-3].hash, events[-3].pk],
    )


TAMPERING = [
    naive_edit,
    delete_one,
    rewrite_with_sha256,
    rewrite_with_the_key_after_a_checkpoint,
    truncate,
    truncate_and_move_the_head_back,
]


def test_every_way_of_tampering_is_found(demo, figures, settings, tmp_path):
    started = time.monotonic()
    assert AuditEvent.objects.count() >= 5, "the demo data should leave a chain of events"
    assert verify_chain().ok, "the untouched chain must verify"
    for way in TAMPERING:
        settings.AUDIT_CHECKPOINT_DIR = tmp_path / way.__name__
        with transaction.atomic():
            way(list(AuditEvent.objects.order_by("id")))
            report = verify_chain()
            transaction.set_rollback(True)
        figures.add("audit.total")
        if report.ok:
            figures.note("audit.undetected", f"{way.__name__}: {way.__doc__}")
        else:
            figures.add("audit.detected")
            figures.note(
                "audit.found",
                {"tampering": way.__name__, "report": report.reason or report.checkpoints.problems[0]},
            )
    assert verify_chain().ok, "every tampering was rolled back"
    figures.timed("audit", time.monotonic() - started)
