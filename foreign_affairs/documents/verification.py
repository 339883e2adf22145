"""Verifying printed documents by their code (/verify/<code>/): permits now, certificates later.

An area registers a resolver that turns a code into a Verification, or None when the code is not one
of its documents. A verification shows no personal data: what the document is, its status and a few
facts (reference, organisation, destinations, dates).
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Verification:
    kind: str  # e.g. "Permit for official travel abroad"
    status: str  # "valid", "revoked" or "expired"
    status_label: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""


RESOLVERS: list[Callable[[str], Verification | None]] = []


def register(resolver: Callable[[str], Verification | None]) -> None:
    if resolver not in RESOLVERS:
        RESOLVERS.append(resolver)


def verify(code: str) -> Verification | None:
    for resolver in RESOLVERS:
        found = resolver(code)
        if found is not None:
            return found
    return None
