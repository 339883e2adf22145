"""The pages of the reports area: the managers' dashboard with its export panel, an export's page (with the
fragment its progress bar polls), the download, and "My reports".

Only managers and office staff (services.may_use_reports) come in; a job is seen and downloaded by the one
who started it alone (404 for anyone else, never 403: nobody learns that someone else's export exists).
"""

from dataclasses import dataclass
from datetime import date
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from foreign_affairs.accounts.models import FTZArea
from foreign_affairs.forms import run_service

from . import services
from .api import job_download
from .filters import PRESETS, Filters, preset_period
from .forms import DashboardFiltersForm, ExportForm
from .models import JobState, ReportJob
from .registry import REPORTS, Chart, Figure, Section, cache_get, cache_set, cached_dashboard

PAGE_SIZE = 20
RECENT_JOBS = 3
FILTER_FIELDS = ("date_from", "date_to", "ftz_area")
JOB_TONES = {
    JobState.QUEUED: "neutral",
    JobState.RUNNING: "progress",
    JobState.DONE: "success",
    JobState.FAILED: "danger",
}


def reports_user(view):
    """Signed in (else the sign-in page, or a bare 401 for htmx, which then swaps nothing) and allowed to
    use the reports (else 403)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            if getattr(request, "htmx", False):
                return HttpResponse(status=401)
            return redirect_to_login(request.get_full_path())
        if not services.may_use_reports(request.user):
            return render(request, "reports/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


# What the templates show ---------------------------------------------------------------------------------


def display_number(value) -> str:
    """A figure's value as people read it: grouped by thousands in both languages (as the charts and the
    money amounts are), one decimal at most, "—" for none."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


@dataclass
class Tile:
    figure: Figure
    value: str

    @property
    def empty(self) -> bool:
        return not self.figure.value


@dataclass
class ChartPanel:
    chart: Chart

    @property
    def empty(self) -> bool:
        return not any(value for _name, values in self.chart.series for value in values)

    @property
    def rows(self) -> list[dict]:
        return [
            {"label": label, "values": [display_number(value) for value in values], "url": url}
            for label, values, url in self.chart.rows
        ]


@dataclass
class Panel:
    section: Section
    tiles: list[Tile]
    charts: list[ChartPanel]

    @property
    def empty(self) -> bool:
        return all(tile.empty for tile in self.tiles) and all(chart.empty for chart in self.charts)


def panels_for(sections: list[Section]) -> list[Panel]:
    return [
        Panel(
            section,
            [Tile(figure, display_number(figure.value)) for figure in section.figures],
            [ChartPanel(chart) for chart in section.charts],
        )
        for section in sections
    ]


def area_label(value: str) -> str:
    return str(dict(FTZArea.choices).get(value, value)) if value else _("All areas")


def presets_for(request, filters: Filters | None) -> list[dict]:
    """The period shortcuts, as links that keep the area; the one matching the period is marked."""
    area = filters.ftz_area if filters else request.GET.get("ftz_area", "")
    asked = request.GET.get("preset", "")
    if filters and asked not in PRESETS:
        period = (filters.date_from, filters.date_to)
        if not request.GET.get("date_from") and not request.GET.get("date_to"):
            asked = "this_year"  # the dashboard's default period
        else:
            asked = next((name for name in PRESETS if preset_period(name) == period), "")
    return [
        {
            "name": name,
            "label": label,
            "url": "?" + urlencode({"preset": name, **({"ftz_area": area} if area else {})}),
            "active": filters is not None and name == asked,
        }
        for name, label in PRESETS.items()
    ]


def describe(job: ReportJob) -> ReportJob:
    """Adds what the pages show of a job: its report's title and description, period and area."""
    definition = REPORTS.get(job.report)
    job.title = definition.title if definition else job.report
    job.description = definition.description if definition else ""
    job.date_from = _iso_date(job.filters.get("date_from"))
    job.date_to = _iso_date(job.filters.get("date_to"))
    job.area_label = area_label(job.filters.get("ftz_area", ""))
    job.tone = JOB_TONES.get(job.state, "neutral")
    return job


def _iso_date(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


# The dashboard and starting an export ------------------------------------------------------------------


@reports_user
@require_GET
def dashboard(request):
    return _dashboard(request, DashboardFiltersForm(request.GET), ExportForm())


@reports_user
@require_POST
def export(request):
    """Start an export of the chosen report for the period and area of the dashboard (or of a failed job
    tried again), then follow it on its page."""
    form = ExportForm(request.POST)
    filters = {name: request.POST.get(name, "") for name in FILTER_FIELDS}
    if form.is_valid():
        job = run_service(
            form,
            lambda: services.job_start(
                actor=request.user,
                report=form.cleaned_data["report"],
                format=form.cleaned_data["format"],
                filters=filters,
            ),
        )
        if job is not None:
            return redirect(job)
    return _dashboard(request, DashboardFiltersForm(filters), form)


def panels_html(panels: list[Panel], key: str) -> str:
    """The panels' HTML (hundreds of kilobytes of charts), kept in the cache beside the figures it shows
    (`key`, "" when they are not cached) and as long; a cache that fails is passed by."""
    key = key and f"{key}:html"
    found = cache_get(key) if key else None
    if found is None:
        found = render_to_string("reports/includes/panels.html", {"panels": panels})
        if key:
            cache_set(key, found)
    return mark_safe(found)  # noqa: S308 - rendered here by the template engine, which escaped the data


def _dashboard(request, filters_form: DashboardFiltersForm, export_form: ExportForm):
    filters, panels, shown, computed_at = None, [], filters_form, None
    if filters_form.is_valid():
        filters = filters_form.filters()
        found = cached_dashboard(filters)
        panels, computed_at = panels_for(found.sections), found.computed_at
        # The bar shows the period in force (a preset resolved to its dates), ready to adjust.
        shown = DashboardFiltersForm(
            initial={"date_from": filters.date_from, "date_to": filters.date_to, "ftz_area": filters.ftz_area}
        )
    return render(
        request,
        "reports/dashboard.html",
        {
            "filters_form": shown,
            "filters": filters,
            "area_label": area_label(filters.ftz_area) if filters else "",
            "presets": presets_for(request, filters),
            "panels": panels,
            "computed_at": computed_at,
            "panels_html": panels_html(panels, found.key if filters else ""),
            "nothing": bool(panels) and all(panel.empty for panel in panels),
            "export_form": export_form,
            "recent_jobs": [
                describe(job) for job in ReportJob.objects.filter(created_by=request.user)[:RECENT_JOBS]
            ],
            "retention_days": settings.REPORT_RETENTION_DAYS,
        },
    )


# An export's page, its progress and its file -----------------------------------------------------------


def _own_job(request, pk) -> ReportJob:
    return describe(get_object_or_404(ReportJob, pk=pk, created_by=request.user))


@never_cache
@reports_user
@require_GET
def job_detail(request, pk):
    job = _own_job(request, pk)
    return render(request, "reports/job.html", {"job": job, "dashboard_query": _job_query(job)})


@never_cache
@reports_user
@require_GET
def job_status(request, pk):
    """The status panel alone, polled every second by the job page until the job is finished. The state
    is announced to screen readers once, when it changes (not each second with the percentage)."""
    job = _own_job(request, pk)
    return render(
        request,
        "reports/includes/job_status.html",
        {"job": job, "announce": request.GET.get("seen") != job.state},
    )


@reports_user
@require_GET
def download(request, pk):
    return job_download(request, _own_job(request, pk))


def _job_query(job: ReportJob) -> str:
    return urlencode({name: job.filters[name] for name in FILTER_FIELDS if job.filters.get(name)})


@never_cache
@reports_user
@require_GET
def jobs(request):
    """My reports: the user's exports, newest first, with their files while they are kept."""
    page = Paginator(
        ReportJob.objects.filter(created_by=request.user).order_by("-created_at", "-pk"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    page.object_list = [describe(job) for job in page.object_list]
    return render(
        request,
        "reports/jobs.html",
        {
            "page": page,
            "working": any(not job.is_finished for job in page.object_list),
            "retention_days": settings.REPORT_RETENTION_DAYS,
        },
    )
