"""Reading and checking the audit log."""

from dataclasses import dataclass

from .models import GENESIS_HASH, AuditEvent, ChainHead


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None = None  # id of the first event whose link or content does not hold
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None and not self.reason


def verify_chain(*, chunk_size: int = 2000) -> ChainReport:
    """Walk the chain from the first event and report the first broken link.

    An event is broken when its `prev_hash` is not the hash of the event before it (a row was
    removed or inserted) or when its content no longer gives its `hash` (a row was altered).
    Finally the chain head must name the last event (the newest rows were not cut off).
    """
    expected_prev = GENESIS_HASH
    checked = 0
    last_id = None
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=chunk_size):
        if event.prev_hash != expected_prev:
            return ChainReport(checked, event.pk, "its previous-hash link does not match the event before it")
        if event.compute_hash() != event.hash:
            return ChainReport(checked, event.pk, "its content does not match its hash (the row was altered)")
        expected_prev = event.hash
        last_id = event.pk
        checked += 1
    head = ChainHead.objects.filter(pk=1).first()
    head_hash = head.last_hash if head else GENESIS_HASH
    if head_hash != expected_prev:
        return ChainReport(
            checked,
            None,
            f"the chain head names event {head.last_event_id if head else None}, "
            f"but the last event found is {last_id} (events were removed from the end)",
        )
    return ChainReport(checked)
