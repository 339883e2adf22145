"""Migration 0003 re-chains the events hashed with plain SHA-256 (before the chain was keyed), once, and
refuses to re-sign a chain that was already altered."""

import hashlib
import importlib
import json

import pytest
from django.db import transaction
from django.db.migrations.loader import MigrationLoader

from foreign_affairs.audit.models import GENESIS_HASH, AuditEvent, ChainHead
from foreign_affairs.audit.selectors import verify_chain
from foreign_affairs.audit.signing import signing_key
from tests.foreign_affairs.audit.conftest import past_the_trigger, tamper

pytestmark = pytest.mark.django_db

rechain = importlib.import_module("foreign_affairs.audit.migrations.0003_rechain_with_hmac")


@pytest.fixture(scope="module")
def historical_apps():
    """The models as migration 0003 sees them."""
    return MigrationLoader(None).project_state(("audit", "0003_rechain_with_hmac")).apps


def _sha256_as_before(event) -> str:
    """The hash of audit/models.py before the chain was keyed: plain SHA-256 of the payload without key_id."""
    payload = json.loads(event.canonical_payload())
    del payload["key_id"]
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _as_before_the_key(events) -> None:
    """Turn the events into the chain the previous release wrote: no key id, plain SHA-256 hashes."""
    prev_hash = GENESIS_HASH
    for event in sorted(events, key=lambda event: event.pk):
        event.key_id, event.prev_hash = "", prev_hash
        event.hash = _sha256_as_before(event)
        tamper(
            "UPDATE audit_auditevent SET key_id = '', prev_hash = %s, hash = %s WHERE id = %s",
            [event.prev_hash, event.hash, event.pk],
        )
        prev_hash = event.hash
    tamper("UPDATE audit_chainhead SET last_hash = %s WHERE id = 1", [prev_hash])


def _run(function, historical_apps) -> None:
    # In a real migration 0003 runs before 0004 installs the trigger; here the trigger is there already.
    with transaction.atomic(), past_the_trigger():
        function(historical_apps, None)


def test_events_hashed_with_plain_sha256_are_rechained_with_the_key(chain, historical_apps):
    _as_before_the_key(chain)
    assert not verify_chain().ok

    _run(rechain.rechain_with_hmac, historical_apps)
    report = verify_chain()
    assert report.ok and report.checked == 5
    events = list(AuditEvent.objects.order_by("id"))
    assert {event.key_id for event in events} == {signing_key().id}
    assert [event.comment for event in events] == [f"step {i}" for i in range(5)]  # content untouched
    assert ChainHead.objects.get(pk=1).last_hash == events[-1].hash


def test_a_chain_altered_before_the_key_is_not_signed_as_intact(chain, historical_apps):
    _as_before_the_key(chain)
    tamper("UPDATE audit_auditevent SET comment = 'nothing happened' WHERE id = %s", [chain[3].pk])
    before = list(AuditEvent.objects.order_by("id").values_list("hash", flat=True))

    with pytest.raises(rechain.ChainBroken, match=f"broken at event #{chain[3].pk}"):
        _run(rechain.rechain_with_hmac, historical_apps)
    assert list(AuditEvent.objects.order_by("id").values_list("hash", flat=True)) == before


def test_a_chain_cut_at_the_end_before_the_key_is_not_signed_as_intact(chain, historical_apps):
    _as_before_the_key(chain)
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [chain[-1].pk])

    with pytest.raises(rechain.ChainBroken, match="events were removed from the end"):
        _run(rechain.rechain_with_hmac, historical_apps)


def test_reversing_restores_the_plain_sha256_chain(chain, historical_apps):
    _as_before_the_key(chain)
    old = list(AuditEvent.objects.order_by("id").values_list("prev_hash", "hash"))
    _run(rechain.rechain_with_hmac, historical_apps)
    _run(rechain.rechain_with_sha256, historical_apps)
    assert list(AuditEvent.objects.order_by("id").values_list("prev_hash", "hash")) == old
    assert set(AuditEvent.objects.values_list("key_id", flat=True)) == {""}
