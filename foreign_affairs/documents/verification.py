"""Verifying printed documents by their code (/verify/<code>/): permits, card letters, certificates.

Each area registers its kinds of document (`verification` of its foreign_affairs.areas registration):
a resolver that turns a code into a Verification, or None when the code is not one of its documents.
A verification shows no personal data: what the document is, its status and a few facts (reference,
organisation, destinations, dates).
"""

import secrets
from dataclasses import dataclass, field

from foreign_affairs.areas import all_areas

# Crockford's base32: no I, L, O or U, so a code read aloud or typed from paper is hard to get wrong.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_verification_code() -> str:
    """Eight random characters (40 bits), shown as XXXX-XXXX; unguessable behind a rate limit."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def normalize_code(value: str) -> str:
    """What a person typed (any case, with or without the dash, O for 0, I or L for 1) as a stored code."""
    raw = "".join(char for char in (value or "").upper() if char.isalnum())
    raw = raw.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == 8 else raw


@dataclass(frozen=True)
class Verification:
    kind: str  # e.g. "Permit for official travel abroad"
    status: str  # "valid", "revoked" or "expired"
    status_label: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""


def verify(code: str) -> Verification | None:
    for area in all_areas():
        for kind in area.verification:
            found = kind.resolve(code)
            if found is not None:
                return found
    return None
