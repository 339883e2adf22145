"""Retention: each kind of record is kept for the months the office sets after its case closed, then its
personal data is purged by the nightly job (a dry run lists what would go). Skeleton: filled in by the
retention work (services, job, command, back office)."""

from dataclasses import dataclass, field

from foreign_affairs.areas.registry import RetentionKind, all_areas


@dataclass
class Due:
    """One record whose retention has run out: `case` names it for people (a reference), `closed_at` is
    when its case closed, `target` is what the kind's purge() needs."""

    kind: str
    case: str
    closed_at: object
    target: object = None
    detail: dict = field(default_factory=dict)


def shared_kinds() -> list[RetentionKind]:
    return []


def kinds() -> list[RetentionKind]:
    return [*shared_kinds(), *(kind for area in all_areas() for kind in area.retention)]


def kind_label(name: str) -> str:
    for kind in kinds():
        if kind.name == name:
            return str(kind.label)
    return name
