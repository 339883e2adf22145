"""Back office of travel applications: the officers' queue, the leaders' sign-off queue and the
office's configuration (rules, service levels).

The change page of an application is read-only. Everything that changes an application — the
transition buttons, "Assign to me", reassigning — calls the same services as the portal and the API
(approvals.services), which check the role, lock the row, audit (with "on behalf of" for substitutes)
and notify.
"""

from django.contrib import admin
from django.db.models import F
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from foreign_affairs.accounts.roles import Role
from foreign_affairs.admin_queue import AssignedFilter, AssignMixin, QueueAdmin, audit_url, timeline_events
from foreign_affairs.paginators import CountedPaginator
from foreign_affairs.privacy import access
from foreign_affairs.security.countries import join_names

from .. import counting, rules, selectors, services
from ..filters import SEARCH_HELP, search_q
from ..models import (
    SignOffQueue,
    TravelApplication,
)
from ..workflow import NEXT_STEP, TRANSITIONS, WAITING_STATES, State
from .filters import (
    CountryFilter,
    ObjectionsPendingFilter,
    OverdueFilter,
    PassportOverdueFilter,
    PermitProblemFilter,
    ReportOverdueFilter,
    StateFilter,
    days_overdue,
    has_permit_problem,
    report_days_overdue,
    state_tag,
)
from .followup import AfterApprovalMixin


@admin.register(TravelApplication)
class TravelApplicationAdmin(AfterApprovalMixin, AssignMixin, QueueAdmin):
    list_display = [
        "reference",
        "organization_name",
        "leader_name",
        "country_list",
        "departure_date",
        "waiting",
        "deadline",
        "rule_counts",
        "signoff_marker",
        "assigned_officer",
        "state_label",
    ]
    list_display_links = ["reference"]
    list_filter = [
        StateFilter,
        "organization__ftz_area",
        CountryFilter,
        OverdueFilter,
        "belt_and_road",
        AssignedFilter,
        PermitProblemFilter,
        ReportOverdueFilter,
        PassportOverdueFilter,
        ObjectionsPendingFilter,
    ]
    # The search itself is search_filter; this only turns the search box on.
    search_fields = ["reference"]
    search_q = staticmethod(search_q)
    search_help_text = SEARCH_HELP
    list_select_related = ["organization", "assigned_officer"]
    ordering = [F("due_on").asc(nulls_last=True), "created_at"]
    change_list_template = "admin/approvals/travelapplication/change_list.html"
    change_form_template = "admin/approvals/travelapplication/change_form.html"
    # The page shows the application itself (change_form_template); no field is editable.
    fields = ["reference"]
    readonly_fields = ["reference"]
    queue_title = _("Travel applications: the review queue")
    transitions = TRANSITIONS
    comment_session_key = "approvals-admin-comment-%s"
    not_found = _("There is no such application.")
    assign_service = staticmethod(services.application_assign)

    # The managers' dashboard links its figures here, narrowed by these related lookups as well.
    REPORT_LOOKUPS = ("state_periods__", "organization__id__", "organization__ftz_area__")

    # The parameters a page of the list can be counted for from the kept counts (approvals.counting).
    COUNTED_PARAMETERS = frozenset({"state", "o", "p"})

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        return CountedPaginator(
            queryset, per_page, orphans, allow_empty_first_page, count=self.kept_count(request)
        )

    def kept_count(self, request) -> int | None:
        """The list's count when only the state narrows it (in review by default): read from the kept counts,
        not counted over the table. None when another filter or a search narrows it."""
        if not set(request.GET) <= self.COUNTED_PARAMETERS:
            return None
        state = request.GET.get("state", StateFilter.default)
        if state == StateFilter.everything:
            return counting.count_for(request.user)
        return counting.count_for(request.user, state=state) if state in State.values else None

    def lookup_allowed(self, lookup, value, request=None):
        return lookup.startswith(self.REPORT_LOOKUPS) or super().lookup_allowed(lookup, value, request)

    def detail_queryset(self, queryset):
        return selectors.with_details(queryset)

    # Columns

    @admin.display(description=_("organisation"), ordering="organization__name_zh")
    def organization_name(self, application):
        return application.organization.name

    @admin.display(description=_("countries"), ordering="countries")
    def country_list(self, application):
        return join_names(code for code in application.countries.split(",") if code)

    @admin.display(description=_("days waiting"), ordering="-state_changed_at")
    def waiting(self, application):
        return application.days_waiting

    @admin.display(description=_("due"), ordering=F("due_on").asc(nulls_last=True))
    def deadline(self, application):
        if application.state not in WAITING_STATES or application.due_on is None:
            return self.empty_value_display
        due = format_html(
            '<span class="queue-due">{}</span>', date_format(application.due_on, "SHORT_DATE_FORMAT")
        )
        overdue = days_overdue(application)
        if not overdue:
            return due
        label = ngettext("%(days)d day overdue", "%(days)d days overdue", overdue) % {"days": overdue}
        return format_html('{} <span class="queue-badge queue-overdue">{}</span>', due, label)

    @admin.display(description=_("rule check"), ordering="-rule_errors")
    def rule_counts(self, application):
        parts = []
        if application.rule_errors:
            label = ngettext("%(count)d error", "%(count)d errors", application.rule_errors)
            parts.append(("queue-rule-error", label % {"count": application.rule_errors}))
        if application.rule_warnings:
            label = ngettext("%(count)d warning", "%(count)d warnings", application.rule_warnings)
            parts.append(("queue-rule-warning", label % {"count": application.rule_warnings}))
        if not parts:
            return format_html('<span class="queue-rule-ok">{}</span>', _("no findings"))
        return format_html_join(" ", '<span class="queue-badge {}">{}</span>', parts)

    @admin.display(description=_("sign-off"), ordering="requires_signoff")
    def signoff_marker(self, application):
        if not application.requires_signoff:
            return ""
        return format_html(
            '<span class="queue-badge queue-signoff" title="{}">{}</span>',
            _("The rules send this application to leader sign-off."),
            _("leader"),
        )

    @admin.display(description=_("state"), ordering="state")
    def state_label(self, application):
        """The state, and under it what needs following up after approval — from the row's own columns
        (a late passport only as a filter: it would cost a query per row)."""
        badges = []
        if has_permit_problem(application):
            badges.append(("queue-permit-problem", application.permit_error, gettext("permit problem")))
        overdue = report_days_overdue(application)
        if overdue:
            label = ngettext("report %(days)d day overdue", "report %(days)d days overdue", overdue)
            badges.append(("queue-overdue", "", label % {"days": overdue}))
        if application.pending_objections:
            label = ngettext(
                "%(count)d objection pending", "%(count)d objections pending", application.pending_objections
            )
            badges.append(("queue-objections", "", label % {"count": application.pending_objections}))
        if not badges:
            return state_tag(application.state)
        return format_html(
            '{}<span class="queue-followup">{}</span>',
            state_tag(application.state),
            format_html_join(" ", '<span class="queue-badge {}" title="{}">{}</span>', badges),
        )

    # The change page: the application, read-only, with its buttons

    def page_context(self, request, application) -> dict:
        language = translation.get_language()
        names = services.available_transitions(application, request.user)
        reopen = gettext(
            "Reopen the review of %(reference)s? The approval is withdrawn, an open public notice is closed, "
            "and the application goes back to review."
        ) % {"reference": application.reference}
        members = list(application.members.all())
        # Whole for the office, each look recorded (privacy.access): one statement for the delegation.
        numbers = access.passport_numbers_shown(
            request, [member.person for member in members], case=application.reference
        )
        return {
            "application": application,
            "state_tag": state_tag(application.state),
            "next_step": NEXT_STEP.get(application.state, ""),
            "overdue_days": days_overdue(application),
            "is_waiting": application.state in WAITING_STATES,
            "organization_url": reverse(
                "admin:accounts_organization_change", args=[application.organization_id]
            ),
            "members": [
                {
                    "member": member,
                    "url": reverse("admin:accounts_person_change", args=[member.person_id]),
                    "passport_number": numbers[member.person_id],
                }
                for member in members
            ],
            "rule_results": [
                {
                    **result,
                    "label": rules.RULES[result["code"]].label if result.get("code") in rules.RULES else "",
                    "message": rules.stored_message(result, language),
                }
                for result in application.rule_results
            ],
            "events": timeline_events(selectors.timeline(application), State),
            **self.transition_context(
                request, application, names, subject=application.reference, confirm={"reopen": reopen}
            ),
            "signoff_note": _(
                "The rules send this trip to leader sign-off, so it cannot be approved here: send it to sign-off."
            )
            if application.state == State.IN_REVIEW and application.requires_signoff
            else "",
            **self.assignment_context(request, application),
            "audit_url": audit_url(application.reference),
            **self.after_approval_context(request, application),
        }

    def run_transition(self, request, application, name, comment):
        return services.application_transition(
            application=application, actor=request.user, name=name, comment=comment
        )


# The leaders' queue -------------------------------------------------------------------------------------


@admin.register(SignOffQueue)
class SignOffQueueAdmin(TravelApplicationAdmin):
    """What awaits a leader's sign-off, nearest deadline first.

    The proxy model has permissions of its own (approvals.view_signoffqueue, ...), which the role groups
    do not hold: the queue belongs to whoever holds the Leader role now — in person or as a leader's
    substitute (User.has_role) — which a group permission cannot express. The proxy permissions still
    count, for a superuser to grant them to someone else.
    """

    # Everything here awaits sign-off: no state column or filter.
    list_display = [name for name in TravelApplicationAdmin.list_display if name != "state_label"]
    list_filter = ["organization__ftz_area", CountryFilter, OverdueFilter, "belt_and_road"]
    actions = []
    queue_title = _("Awaiting leader sign-off")

    def _signs_off(self, request) -> bool:
        return request.user.is_active and request.user.is_staff and request.user.has_role(Role.LEADER)

    def has_module_permission(self, request):
        return self._signs_off(request) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._signs_off(request) or super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._signs_off(request) or super().has_change_permission(request, obj)

    def has_assign_permission(self, request):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(state=State.PENDING_SIGNOFF)


# Configuration ------------------------------------------------------------------------------------------
