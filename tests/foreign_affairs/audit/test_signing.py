"""The audit key comes from the environment and can be rotated: retired keys still verify what they signed."""

import pytest

from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.audit.selectors import verify_chain
from foreign_affairs.audit.services import checkpoint_write, record_event
from foreign_affairs.audit.signing import key_id_for, signing_key

pytestmark = pytest.mark.django_db

OLD_KEY = "old-audit-key-0123456789-0123456789-0123456789"
NEW_KEY = "new-audit-key-9876543210-9876543210-9876543210"


def test_each_event_names_the_key_that_signed_it_by_a_fingerprint(chain, settings):
    assert {event.key_id for event in chain} == {key_id_for(settings.AUDIT_HMAC_KEY)}
    assert len(signing_key().id) == 16 and signing_key().id not in settings.AUDIT_HMAC_KEY
    assert settings.AUDIT_HMAC_KEY not in repr(signing_key())


def test_after_rotation_events_and_checkpoints_signed_with_the_retired_key_still_verify(settings, officer):
    settings.AUDIT_HMAC_KEY, settings.AUDIT_HMAC_KEYS = OLD_KEY, []
    before = record_event(actor=officer, action="user.update_profile", obj=officer)
    checkpoint_write()

    settings.AUDIT_HMAC_KEY, settings.AUDIT_HMAC_KEYS = NEW_KEY, [OLD_KEY]
    after = record_event(actor=officer, action="user.update_profile", obj=officer)
    checkpoint_write()
    assert (before.key_id, after.key_id) == (key_id_for(OLD_KEY), key_id_for(NEW_KEY))
    report = verify_chain()
    assert report.ok and report.checked == 2 and report.checkpoints.checked == 2

    # A key dropped from AUDIT_HMAC_KEYS leaves what it signed unverifiable, and says so.
    settings.AUDIT_HMAC_KEYS = []
    report = verify_chain()
    assert report.broken_at == before.pk
    assert f"signing key '{key_id_for(OLD_KEY)}', which is neither AUDIT_HMAC_KEY" in report.reason
    assert report.checkpoints.problems[0].endswith(
        f"signed with key {key_id_for(OLD_KEY)}, which is neither AUDIT_HMAC_KEY nor one of AUDIT_HMAC_KEYS"
    )


def test_an_event_cannot_claim_a_retired_key_it_was_not_signed_with(settings, officer):
    settings.AUDIT_HMAC_KEY, settings.AUDIT_HMAC_KEYS = NEW_KEY, [OLD_KEY]
    event = record_event(actor=officer, action="user.update_profile", obj=officer)
    forged = AuditEvent.objects.get(pk=event.pk)
    forged.key_id = key_id_for(OLD_KEY)
    assert forged.compute_hash() != event.hash
