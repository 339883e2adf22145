"""The registered organisation's annual reports (年度报告) under /foreign-offices/my/reports/: the list,
filing this year's report once its window has opened, a report's page with the office's decision, and
filing a returned report again.

The organisation's members only (anyone else: 404). services.annual decides: the window, one report per
year (a second is a StateConflict, shown as a message with nothing stored), the confirmations.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from foreign_affairs import fsm
from foreign_affairs.errors import StateConflict
from foreign_affairs.forms import add_service_errors

from .. import selectors
from ..forms.reports import ReportForm
from ..models import AnnualReport
from ..services import annual
from ..workflow import REPORT_STATE_TONES, ReportState
from .office import own_organisation, refused, report_due

PAGE_SIZE = 20

NEXT_STEP = {
    ReportState.SUBMITTED: gettext_lazy(
        "The office reads the report. It accepts it, or returns it to you with what to correct."
    ),
    ReportState.RETURNED: gettext_lazy(
        "The office returned the report: correct what its comment asks and file it again below."
    ),
    ReportState.ACCEPTED: gettext_lazy(
        "The office accepted the report. Nothing more is needed for this year."
    ),
}


def _get_report(request, organisation, pk) -> AnnualReport:
    """The organisation's report; another organisation's is 404."""
    return get_object_or_404(selectors.reports_for(request.user).filter(organisation=organisation), pk=pk)


def _url(report) -> str:
    return reverse("foreign_offices:report_detail", args=[report.pk])


@login_required
@require_GET
def report_list(request):
    organisation = own_organisation(request)
    reports = selectors.reports_for(request.user).filter(organisation=organisation).order_by("-year", "-pk")
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    for report in page.object_list:
        report.tone = REPORT_STATE_TONES.get(report.state, "neutral")
    return render(
        request,
        "foreign_offices/office/report_list.html",
        {"organisation": organisation, "page": page, "due": report_due(organisation)},
    )


def _create_page(request, organisation, due, form, *, status=200):
    return render(
        request,
        "foreign_offices/office/report_form.html",
        {"organisation": organisation, "due": due, "form": form},
        status=status,
    )


@login_required
def report_create(request):
    """File the report on the current report year (last year's), from the day its window opens."""
    organisation = own_organisation(request)
    due = report_due(organisation)
    if request.method != "POST":
        return _create_page(request, organisation, due, ReportForm.for_organisation(organisation))
    form = ReportForm(request.POST)
    if due["status"] in ("not_open", "not_owed"):
        # The page explains when filing opens (or why nothing is owed); nothing to send to the service.
        return _create_page(request, organisation, due, form, status=409)
    if form.is_valid():
        try:
            report = annual.report_submit(
                organisation=organisation, actor=request.user, year=due["year"], data=form.service_data()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except StateConflict as error:
            messages.error(request, str(error.message))
            return _create_page(request, organisation, report_due(organisation), form, status=409)
        except PermissionDenied as error:
            return refused(request, error)
        else:
            if report.on_time:
                text = _("Your report on %(year)d was filed. The office will read it and tell you.")
            else:
                text = _(
                    "Your report on %(year)d was filed after the due date. The office will read it and tell you."
                )
            messages.success(request, text % {"year": report.year})
            return redirect(_url(report))
    return _create_page(request, organisation, due, form, status=400)


def _detail_page(request, report, *, form=None, status=200):
    organisation = report.organisation
    may_resubmit = "resubmit" in fsm.available_transitions(report, request.user)
    return render(
        request,
        "foreign_offices/office/report_detail.html",
        {
            "organisation": organisation,
            "report": report,
            "tone": REPORT_STATE_TONES.get(report.state, "neutral"),
            "next_step": NEXT_STEP.get(report.state, ""),
            "form": (form or ReportForm.for_report(report)) if may_resubmit else None,
        },
        status=status,
    )


@login_required
@require_GET
def report_detail(request, pk):
    organisation = own_organisation(request)
    return _detail_page(request, _get_report(request, organisation, pk))


@login_required
@require_POST
def report_resubmit(request, pk):
    """A returned report, corrected and filed again."""
    organisation = own_organisation(request)
    report = _get_report(request, organisation, pk)
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            report = annual.report_transition(
                report=report, actor=request.user, name="resubmit", data=form.service_data()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except StateConflict as error:
            messages.error(request, str(error.message))
            return redirect(_url(report))
        except PermissionDenied as error:
            return refused(request, error, back=_url(report), back_label=str(report.year))
        else:
            messages.success(request, _("Your report on %(year)d was filed again.") % {"year": report.year})
            return redirect(_url(report))
    return _detail_page(request, report, form=form, status=400)


urlpatterns = [
    path("my/reports/", report_list, name="report_list"),
    path("my/reports/new/", report_create, name="report_create"),
    path("my/reports/<int:pk>/", report_detail, name="report_detail"),
    path("my/reports/<int:pk>/resubmit/", report_resubmit, name="report_resubmit"),
]
