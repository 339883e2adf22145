"""Reading and checking the audit log."""

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from . import checkpoints, signing
from .checkpoints import Checkpoint
from .models import GENESIS_HASH, AuditEvent, ChainHead


@dataclass(frozen=True)
class CheckpointReport:
    """How the checkpoints kept outside the database compare with the events in it."""

    path: str = ""
    checked: int = 0  # checkpoints whose signature holds and whose event was compared
    latest: Checkpoint | None = None  # the last one in the file whose signature holds
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None = None  # id of the first event whose link or content does not hold
    reason: str = ""
    checkpoints: CheckpointReport = field(default_factory=CheckpointReport)

    @property
    def chain_ok(self) -> bool:
        return self.broken_at is None and not self.reason

    @property
    def ok(self) -> bool:
        return self.chain_ok and self.checkpoints.ok


def verify_chain(*, chunk_size: int = 2000, checkpoint_path: Path | None = None) -> ChainReport:
    """Walk the chain from the first event, report the first broken link and compare the checkpoints.

    An event is broken when its `prev_hash` is not the hash of the event before it (a row was
    removed or inserted) or when its HMAC, with the key it names, is not its `hash` (a row was
    altered, or its hashes were recomputed by someone without the key). The chain head must name the
    last event (the newest rows were not cut off). Then every checkpoint in `checkpoint_path`
    (AUDIT_CHECKPOINT_DIR's file by default) must be signed with an audit key and name an event that
    still has the hash it had then: this finds a rewrite made with the key, and a chain cut below a
    checkpoint together with its head.
    """
    keys = signing.verification_keys()
    path = checkpoint_path or checkpoints.default_path()
    anchored, problems = _signed_checkpoints(path, keys)
    pending = defaultdict(list)
    for checkpoint in anchored:
        pending[checkpoint.event_id].append(checkpoint)

    expected_prev, checked, last_id = GENESIS_HASH, 0, None
    broken_at, reason = None, ""
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=chunk_size):
        if broken_at is None:
            reason = _link_problem(event, expected_prev, keys)
            if reason:
                broken_at = event.pk
            else:
                checked += 1
        problems.extend(
            f"event #{event.pk} no longer has the hash the checkpoint of {checkpoint.written_at} "
            "recorded (it was changed after that checkpoint)"
            for checkpoint in pending.pop(event.pk, [])
            if checkpoint.hash != event.hash
        )
        expected_prev, last_id = event.hash, event.pk
    problems.extend(
        f"event #{event_id}, named by the checkpoint of {found[0].written_at}, is missing "
        "(the chain was cut or rows removed below a checkpoint)"
        for event_id, found in sorted(pending.items())
    )
    report = CheckpointReport(
        path=str(path),
        checked=len(anchored) - sum(len(found) for found in pending.values()),
        latest=anchored[-1] if anchored else None,
        problems=tuple(problems),
    )
    if broken_at is not None:
        return ChainReport(checked, broken_at, reason, report)
    head = ChainHead.objects.filter(pk=1).first()
    head_hash = head.last_hash if head else GENESIS_HASH
    if head_hash != expected_prev:
        return ChainReport(
            checked,
            None,
            f"the chain head names event {head.last_event_id if head else None}, "
            f"but the last event found is {last_id} (events were removed from the end)",
            report,
        )
    return ChainReport(checked, checkpoints=report)


def _link_problem(event: AuditEvent, expected_prev: str, keys: dict[str, signing.AuditKey]) -> str:
    if event.prev_hash != expected_prev:
        return "its previous-hash link does not match the event before it"
    key = keys.get(event.key_id)
    if key is None:
        return (
            f"it names the signing key {event.key_id!r}, which is neither AUDIT_HMAC_KEY nor one of "
            "AUDIT_HMAC_KEYS (the row was altered, or a retired key is missing from AUDIT_HMAC_KEYS)"
        )
    if not signing.macs_match(key.mac(event.canonical_payload()), event.hash):
        return (
            "its content does not match its hash (the row was altered, "
            "or its hash was recomputed without the audit key)"
        )
    return ""


def _signed_checkpoints(path: Path, keys: dict[str, signing.AuditKey]) -> tuple[list[Checkpoint], list[str]]:
    """The checkpoints of the file whose signatures hold, in file order, and what is wrong with the rest."""
    found, problems = [], []
    for number, line in checkpoints.read(path):
        try:
            checkpoint = Checkpoint.from_json(line)
            if checkpoint.signature_holds(keys):
                found.append(checkpoint)
            else:
                problems.append(
                    f"checkpoint line {number} of {path}: its signature does not hold (it was altered)"
                )
        except signing.UnknownKey as unknown:
            problems.append(
                f"checkpoint line {number} of {path}: signed with key {unknown}, which is neither "
                "AUDIT_HMAC_KEY nor one of AUDIT_HMAC_KEYS"
            )
        except ValueError as error:
            problems.append(f"checkpoint line {number} of {path}: not a checkpoint ({error})")
    return found, problems
