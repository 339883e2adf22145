"""The registry of areas (see the package docstring). One Area per app; a second one of the same name is
refused, as Django's admin refuses a model registered twice."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured


class AlreadyRegistered(ImproperlyConfigured):
    """An area, report or verification kind of this name is registered already."""


# Where a navigation item stands: the shared items sit at 0 (home), 10 (start page), 40-42 (the
# organisation's travellers, documents and profile), 80-95 (reports, back office, API). Areas put the
# enterprise's work after the start page and public pages after the organisation's.
NAV_WORK = 20
NAV_PUBLIC = 60


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    # Who sees the item: "all", "anonymous", "user", "enterprise", "liaison", "office", or "foreign" (the
    # members of a foreign organisation's office in Henan, who see neither "enterprise" nor "liaison").
    audience: str
    # The path prefix of the pages the item stands for (the current page marks its item).
    prefix: str = ""
    order: int = NAV_WORK


@dataclass(frozen=True)
class DemoData:
    """`seed()` creates the area's demo records if they are missing and returns how many it created;
    areas are seeded after the shared demo data (organisations, accounts, travellers), by `order`."""

    seed: Callable[[], int]
    label: str  # what seed() counts, for the command's summary: "travel applications"
    order: int = 100


@dataclass(frozen=True)
class VerificationKind:
    """A kind of printed document that /verify/<code>/ answers for: `resolve(code)` returns a
    foreign_affairs.documents.verification.Verification, or None when the code is not one of these."""

    name: str
    resolve: Callable[[str], Any]


@dataclass(frozen=True)
class PeriodicJob:
    """A Celery beat entry: `task` (a task name) runs on `schedule` (seconds or a crontab); `why` says
    when and why, as a comment in settings would."""

    name: str
    task: str
    schedule: Any
    why: str = ""


@dataclass(frozen=True)
class ServiceLink:
    """A way into the area from its policy area's card on the home page."""

    label: str
    url_name: str


@dataclass(frozen=True)
class RetentionKind:
    """A kind of record kept only for a while after its case closed (foreign_affairs.privacy.retention).
    `due(cutoff)` lists the records whose case closed before `cutoff` (a datetime) and that still hold the
    data, never one whose case is open: privacy.retention.Due objects. `purge(due)` removes the data of
    one of them, in the caller's transaction, and returns what it removed as counts ({"files": 2}), which
    the audit event keeps instead of the data. The office sets the months; `months` is the default."""

    name: str
    label: str
    months: int
    due: Callable[[Any], Sequence[Any]]
    purge: Callable[[Any], Mapping[str, int]]


@dataclass(frozen=True)
class PersonalDataSource:
    """What an area holds about one person (foreign_affairs.accounts.Person), for the person's data export
    and erasure (foreign_affairs.privacy.person_data). `collect(person)` returns JSON-ready records
    ({"travel_applications": [...]}); `files(person)` yields (name in the ZIP, FieldFile); `duties(person)`
    lists why the data must still be kept (open cases, records under retention: translated sentences,
    empty when none); `erase(person)` removes what the area holds about the person (called only when no
    source has a duty) and returns counts."""

    name: str
    collect: Callable[[Any], Mapping[str, Any]]
    duties: Callable[[Any], Sequence[str]]
    erase: Callable[[Any], Mapping[str, int]]
    files: Callable[[Any], Sequence[Any]] = lambda person: ()


@dataclass(frozen=True)
class Area:
    """Everything an area adds to the shared portal. `name` is the app's label."""

    name: str
    title: str
    policy_area: int  # 1-5, the office's service area it belongs to (DESIGN.md)
    nav: Sequence[NavItem] = ()
    links: Sequence[ServiceLink] = ()
    # Start page: functions (user, foreign_affairs.dashboard.Dashboard) -> None adding tasks and tiles,
    # each in a fixed number of queries.
    start_page: Sequence[Callable] = ()
    # foreign_affairs.reports.registry.ReportDefinition objects, and panels: (Filters) -> [Section].
    reports: Sequence[Any] = ()
    panels: Sequence[Callable] = ()
    demo: DemoData | None = None
    verification: Sequence[VerificationKind] = ()
    # {role: {"<this app's label>.<codename>", ...}}: added to the role groups after every migrate.
    permissions: Mapping[str, set[str]] = field(default_factory=dict)
    # Plain-language labels of the area's audit actions, for timelines: {"action": label}.
    audit_labels: Mapping[str, str] = field(default_factory=dict)
    periodic: Sequence[PeriodicJob] = ()
    # Names of the OpenAPI enums of the area's choices, where two choice sets share a field name:
    # {"TravelApplicationStateEnum": State}.
    api_enums: Mapping[str, Any] = field(default_factory=dict)
    # URL names of the area's sitemaps, listed in /robots.txt.
    sitemaps: Sequence[str] = ()
    # Personal information (foreign_affairs.privacy): retention of the area's records, a person's data.
    retention: Sequence[RetentionKind] = ()
    personal_data: Sequence[PersonalDataSource] = ()
    # Run after every `migrate` (post_migrate of the area's app): reference data the area needs.
    after_migrate: Callable[..., None] | None = None


_areas: dict[str, Area] = {}


def register(area: Area) -> Area:
    """Add an area. Refuses a second area of the same name, a report or verification kind whose name
    another area uses, and permissions of another app."""
    if area.name in _areas:
        raise AlreadyRegistered(f"The area {area.name!r} is already registered.")
    foreign = sorted(
        name for names in area.permissions.values() for name in names if name.split(".")[0] != area.name
    )
    if foreign:
        raise ImproperlyConfigured(
            f"The area {area.name!r} may grant only its own permissions, not {', '.join(foreign)}."
        )
    for kind, names in (
        ("report", lambda a: [report.name for report in a.reports]),
        ("verification kind", lambda a: [item.name for item in a.verification]),
        ("periodic job", lambda a: [job.name for job in a.periodic]),
        ("retention kind", lambda a: [rule.name for rule in a.retention]),
    ):
        taken = {name: other.name for other in _areas.values() for name in names(other)}
        mine = names(area)
        for name in mine:
            if name in taken or mine.count(name) > 1:
                raise AlreadyRegistered(
                    f"The {kind} {name!r} of the area {area.name!r} is already registered"
                    + (f" by {taken[name]!r}." if name in taken else ".")
                )
    _areas[area.name] = area
    return area


def unregister(name: str) -> None:
    """Remove an area (tests register areas of their own and remove them again)."""
    _areas.pop(name, None)


def get(name: str) -> Area:
    return _areas[name]


def all_areas() -> list[Area]:
    """The registered areas, in the order of INSTALLED_APPS (the order of registration)."""
    return list(_areas.values())
