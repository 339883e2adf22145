"""Annual reports (年度报告) in the back office: the queue of reports waiting for the office (each with its
year, state, and whether it came on time), and a report's read-only page with "accept" and "return for
changes" (services.annual.report_transition; accepting brings the registry's staff numbers up to date)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from foreign_affairs import fsm
from foreign_affairs.admin_pages import badge
from foreign_affairs.admin_queue import audit_url

from .. import selectors
from ..filters import (
    ORGANISATION_SEARCH_HELP,
    OnTimeFilter,
    ReportStateFilter,
    ReportYearFilter,
    organisation_search_q,
)
from ..models import AnnualReport
from ..services import annual as services
from ..workflow import REPORT_TRANSITIONS, ReportState
from .common import OfficePageAdmin
from .registry import report_tag

REPORT_NEXT_STEP = {
    ReportState.SUBMITTED: _("The office reads the report and accepts it or returns it for changes."),
    ReportState.RETURNED: _("The organisation corrects the report and files it again."),
    ReportState.ACCEPTED: _("Nothing more: the report is in the registry's record."),
}


@admin.register(AnnualReport)
class AnnualReportAdmin(OfficePageAdmin):
    list_display = ["organisation_name", "year", "state_label", "timeliness", "submitted_at"]
    list_display_links = ["organisation_name"]
    list_filter = [ReportStateFilter, ReportYearFilter, OnTimeFilter]
    search_fields = ["organisation__name_zh"]  # turns the search box on; the search itself is search_filter
    search_q = staticmethod(organisation_search_q)
    search_help_text = ORGANISATION_SEARCH_HELP
    ordering = ["submitted_at", "pk"]
    change_list_template = "admin/foreign_offices/annualreport/change_list.html"
    change_form_template = "admin/foreign_offices/annualreport/change_form.html"
    fields = ["year"]
    readonly_fields = ["year"]
    queue_title = _("Annual reports: the office's queue")
    transitions = REPORT_TRANSITIONS
    comment_session_key = "foreign-offices-report-comment-%s"
    not_found = _("There is no such annual report.")

    def get_queryset(self, request):
        return selectors.reports_for(request.user)

    def detail_queryset(self, queryset):
        return queryset.select_related("organisation__chief_representative")

    def subject(self, report) -> str:
        return gettext("the annual report of %(name)s on %(year)d") % {
            "name": report.organisation.display_name,
            "year": report.year,
        }

    # Columns

    @admin.display(description=_("organisation"), ordering="organisation__name_zh")
    def organisation_name(self, report):
        return report.organisation.display_name

    @admin.display(description=_("state"), ordering="state")
    def state_label(self, report):
        return report_tag(report.state)

    @admin.display(description=_("filed on time"), ordering="on_time")
    def timeliness(self, report):
        if report.on_time:
            return gettext("on time")
        return badge("queue-rule-warning", gettext("late"), timeliness="late")

    # The page

    def page_context(self, request, report) -> dict:
        organisation = report.organisation
        names = fsm.available_transitions(report, request.user)
        return {
            "report": report,
            "crumb": self.subject(report),
            "organisation": organisation,
            "state_tag": report_tag(report.state),
            "next_step": REPORT_NEXT_STEP.get(report.state, ""),
            "registry_url": reverse(
                "admin:foreign_offices_foreignorganisation_change", args=[organisation.pk]
            ),
            "staff_differs": (report.staff_foreign, report.staff_local)
            != (organisation.staff_foreign, organisation.staff_local),
            **self.transition_context(request, report, names, subject=self.subject(report)),
            "audit_url": audit_url(organisation.registration_number),
        }

    def run_transition(self, request, report, name, comment):
        return services.report_transition(report=report, actor=request.user, name=name, comment=comment)
