"""Checkpoints: the newest event's id and hash, signed with the audit key, kept outside the database.

A beat job (audit.write_checkpoint, hourly) appends one JSON line per new head to
`AUDIT_CHECKPOINT_DIR/checkpoints.jsonl` and writes the same object to the log. Whoever holds the key
and the database could rewrite the chain and recompute every hash, and whoever holds the database
could cut its newest rows and move the chain head back; neither can reach the file or the log archive,
so `audit_verify` compares each checkpoint with the event it names and reports the difference.

One line:
    {"event_id": 41, "hash": "…", "key_id": "…", "kind": "audit.checkpoint", "mac": "…",
     "written_at": "2026-11-26T09:07:00.123456+00:00"}
`mac` is the HMAC-SHA256 of the line's other fields as canonical JSON (sorted keys, no spaces).
"""

import fcntl
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from . import signing

FILE_NAME = "checkpoints.jsonl"
KIND = "audit.checkpoint"
_TAIL_BYTES = 4096  # far more than one line


@dataclass(frozen=True)
class Checkpoint:
    event_id: int
    hash: str
    written_at: str  # ISO 8601 in UTC
    key_id: str
    mac: str

    @classmethod
    def sign(cls, *, event_id: int, hash: str, written_at: datetime | None = None) -> "Checkpoint":
        key = signing.signing_key()
        unsigned = cls(
            event_id=event_id,
            hash=hash,
            written_at=(written_at or datetime.now(UTC)).astimezone(UTC).isoformat(),
            key_id=key.id,
            mac="",
        )
        return cls(**{**asdict(unsigned), "mac": key.mac(unsigned.payload())})

    @classmethod
    def from_json(cls, text: str) -> "Checkpoint":
        """Raises ValueError for anything but a checkpoint object."""
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("kind") != KIND:
            raise ValueError("not an audit checkpoint")
        try:
            checkpoint = cls(**{name: data[name] for name in cls.__dataclass_fields__})
        except KeyError as missing:
            raise ValueError(f"no {missing}") from None
        if not isinstance(checkpoint.event_id, int) or not all(
            isinstance(value, str)
            for value in (checkpoint.hash, checkpoint.written_at, checkpoint.key_id, checkpoint.mac)
        ):
            raise ValueError("a field of the wrong type")
        return checkpoint

    def payload(self) -> str:
        """What the MAC covers: every field but the MAC itself, as canonical JSON."""
        fields = {name: value for name, value in asdict(self).items() if name != "mac"}
        return json.dumps({**fields, "kind": KIND}, sort_keys=True, separators=(",", ":"))

    def as_dict(self) -> dict:
        return {**asdict(self), "kind": KIND}

    def as_json(self) -> str:
        return json.dumps(self.as_dict(), sort_keys=True, separators=(",", ":"))

    def signature_holds(self, keys: dict[str, signing.AuditKey]) -> bool:
        """Raises UnknownKey when the key that signed it is not configured."""
        key = keys.get(self.key_id)
        if key is None:
            raise signing.UnknownKey(self.key_id)
        return signing.macs_match(key.mac(self.payload()), self.mac)


def default_path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR) / FILE_NAME


def read(path: Path) -> Iterator[tuple[int, str]]:
    """The file's non-empty lines with their numbers (from 1); nothing when there is no file yet."""
    try:
        handle = path.open(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return
    with handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                yield number, line.strip()


def append(path: Path, *, event_id: int, hash: str) -> tuple[Checkpoint, bool]:
    """Append a signed checkpoint of (event_id, hash) unless the file's last line names them already.

    Returns the checkpoint (the existing one when nothing was appended) and whether a line was added.
    An exclusive lock on the file keeps two runs of the job from interleaving.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o640)
    with os.fdopen(fd, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        handle.seek(max(0, size - _TAIL_BYTES))
        tail = handle.read()
        last = _last_checkpoint(tail)
        if last is not None and (last.event_id, last.hash) == (event_id, hash):
            return last, False
        checkpoint = Checkpoint.sign(event_id=event_id, hash=hash)
        # A line cut short by a crash stays on its own line (and is reported as unreadable).
        separator = b"\n" if tail and not tail.endswith(b"\n") else b""
        handle.write(separator + checkpoint.as_json().encode() + b"\n")
        handle.flush()
        os.fsync(handle.fileno())
    return checkpoint, True


def _last_checkpoint(tail: bytes) -> Checkpoint | None:
    """The last line, if it is a checkpoint whose signature holds."""
    lines = tail.decode("utf-8", errors="replace").splitlines()
    try:
        checkpoint = Checkpoint.from_json(lines[-1]) if lines else None
        return checkpoint if checkpoint and checkpoint.signature_holds(signing.verification_keys()) else None
    except (ValueError, signing.UnknownKey):
        return None
