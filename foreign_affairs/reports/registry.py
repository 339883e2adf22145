"""What reports and dashboard panels exist. Areas list theirs in their registration (foreign_affairs.areas):

    areas.register(areas.Area(..., reports=[ReportDefinition(name="travel_approvals", title=...,
                                                             columns=[...], rows=..., count=..., sections=...)],
                              panels=[travel_panels]))   # a function (filters) -> [Section], on the dashboard

A Section is what both the dashboard and a report's PDF front matter show: figures (each with a link to
the list behind it) and charts (each with its numbers, so that it can be read as a table too). Every
figure is computed in the database — aggregates and annotations, never a loop over rows.
"""

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from foreign_affairs.areas import all_areas
from foreign_affairs.db_router import reading_reports

from .filters import Filters


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: float = 1.0  # relative width in the PDF table
    kind: str = "text"  # "text", "date", "number"


@dataclass(frozen=True)
class Figure:
    label: str
    value: int | float | str | None
    url: str = ""  # the filtered list behind the figure
    hint: str = ""
    unit: str = ""  # shown after the value: "%", a word such as "days"
    tone: str = ""  # "", "warning", "danger"


@dataclass(frozen=True)
class Chart:
    """A bar chart ("bar", horizontal bars; good for countries and organisations), a column chart by
    period ("columns"), or a line chart ("line"). One label per point; one or more series of values."""

    kind: str
    title: str
    labels: list[str]
    series: list[tuple[str, list[float]]]
    urls: list[str] = field(default_factory=list)  # one per label, or empty
    unit: str = ""
    description: str = ""  # a sentence saying what the chart shows (its text alternative)

    @property
    def rows(self) -> list[tuple[str, list[float], str]]:
        """(label, values of each series, url) per point: the chart as a table."""
        urls = self.urls or [""] * len(self.labels)
        return [
            (label, [values[index] for _name, values in self.series], urls[index])
            for index, label in enumerate(self.labels)
        ]


@dataclass
class Section:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    note: str = ""


@dataclass(frozen=True)
class ReportDefinition:
    name: str
    title: str
    description: str
    columns: list[Column]
    rows: Callable[[Filters], Iterable[tuple]]  # the full list, one tuple per row in column order
    count: Callable[[Filters], int]
    sections: Callable[[Filters], list[Section]] = lambda filters: []  # summary and charts for the PDF
    landscape: bool = False
    # The list names people (travellers, trainees, contacts: names, passport numbers, birth dates, phones,
    # e-mails): the export says so on its cover and in its file name, and each is an access record
    # (exporters/personal.py).
    personal_data: bool = False


class _Catalogue(Mapping):
    """The registered areas' reports by name, in the order of the areas (a live, read-only view)."""

    def _reports(self) -> dict[str, ReportDefinition]:
        return {report.name: report for area in all_areas() for report in area.reports}

    def __getitem__(self, name: str) -> ReportDefinition:
        return self._reports()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._reports())

    def __len__(self) -> int:
        return len(self._reports())


REPORTS: Mapping[str, ReportDefinition] = _Catalogue()


def dashboard_sections(filters: Filters) -> list[Section]:
    """Each area's panels: `panel(filters)` returns its sections of the dashboard (possibly none), computed
    on the reports' replica when there is one (foreign_affairs.db_router), for the page and the API alike."""
    with reading_reports():
        return [section for area in all_areas() for panel in area.panels for section in panel(filters)]


# The dashboard as managers see it: the sections computed at most REPORTS_DASHBOARD_CACHE_SECONDS ago, per
# period, area and language (the sections hold translated text), shared by the page and the API and by every
# manager and worker process (the cache is Redis in production). Each view would otherwise run every area's
# queries again (about 50): managers reloading the page or looking at the same period at once reuse the
# first one's figures. The page says when they were computed. Bump the version when Section changes shape.
DASHBOARD_CACHE_VERSION = 2
logger = logging.getLogger(__name__)


@dataclass
class Dashboard:
    sections: list[Section]
    computed_at: datetime
    key: str = ""  # of these figures in the cache, and of their HTML ("" when not cached)


def _dashboard_key(filters: Filters) -> str:
    return ":".join(
        str(part)
        for part in (
            "reports-dashboard",
            DASHBOARD_CACHE_VERSION,
            translation.get_language(),
            timezone.localdate(),  # today's figures (planned trips, lapsing training) change at midnight
            filters.date_from,
            filters.date_to,
            filters.ftz_area or "-",
        )
    )


def cache_get(key: str):
    """The cached value of `key`; None when absent or when the cache does not answer (logged)."""
    try:
        return cache.get(key)
    except Exception:  # Redis down or timing out: the caller computes instead
        logger.warning("The dashboard cache did not answer; computed instead.", exc_info=True)
        return None


def cache_set(key: str, value) -> bool:
    """Keep `value` for REPORTS_DASHBOARD_CACHE_SECONDS; False when the cache did not keep it (logged)."""
    try:
        cache.set(key, value, settings.REPORTS_DASHBOARD_CACHE_SECONDS)
        return True
    except Exception:
        logger.warning("The dashboard cache did not keep the figures.", exc_info=True)
        return False


def cached_dashboard(filters: Filters) -> Dashboard:
    """The dashboard's sections for `filters`, from the cache when computed less than
    settings.REPORTS_DASHBOARD_CACHE_SECONDS ago (0: always computed). A cache that does not answer is
    passed by: the figures are computed, not refused."""
    if not settings.REPORTS_DASHBOARD_CACHE_SECONDS:
        return Dashboard(dashboard_sections(filters), timezone.now())
    key = _dashboard_key(filters)
    found = cache_get(key)
    if found is None:
        computed_at = timezone.now()
        found = Dashboard(dashboard_sections(filters), computed_at, f"{key}:{computed_at.timestamp()}")
        if not cache_set(key, found):
            found.key = ""  # nothing of it is cached: the page does not try to keep its HTML either
    return found
