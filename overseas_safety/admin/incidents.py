"""The office's incident queue and an incident's page in the back office.

The queue opens on the open incidents, the most urgent first (open, the gravest level, the oldest), each
row with its level, age, state, an "unacknowledged" badge (red once the deadline has passed), the plan's
checklist progress and the officer in charge, in a fixed number of queries. The page is read-only: its
buttons (transitions, merge, the timeline, a person's status, a plan, a checklist step) post to small
views that call overseas_safety.services, which check the role, lock the row, audit and notify; a refusal
becomes a message on the page. Officers also enter an incident reported by telephone ("add").
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from foreign_affairs import typography
from foreign_affairs.accounts.selectors import scope_for_user
from foreign_affairs.admin_queue import (
    REFUSALS,
    QueueAdmin,
    QueueStateFilter,
    audit_url,
    is_officer,
    report_refusal,
)
from foreign_affairs.security.countries import country_name

from ..filters import INCIDENT_SEARCH_HELP, incident_search_q
from ..forms.incidents import CallReportForm, PersonStatusForm, PlanChoiceForm, TimelineEntryForm
from ..models import ChecklistStep, Incident, TimelineEntry
from ..selectors import URGENT_ORDER, with_list_details
from ..services import incidents as services
from ..services import plans
from ..tags import level_tag, state_tag
from ..workflow import (
    ACTIVE_STATES,
    NEXT_STEP,
    OPEN_STATES,
    TRANSITIONS,
    State,
)

PERSON_TONES = {
    "safe": "success",
    "injured": "attention",
    "detained": "attention",
    "missing": "danger",
    "deceased": "danger",
    "unknown": "neutral",
}


def age_text(since, now=None) -> str:
    """How long ago, in the unit that matters: minutes in the first hour, hours in the first two days."""
    minutes = max(int(((now or timezone.now()) - since).total_seconds() // 60), 0)
    if minutes < 60:
        return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    hours = minutes // 60
    if hours < 48:
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    days = hours // 24
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}


# Filters ----------------------------------------------------------------------------------------------


class StateFilter(QueueStateFilter):
    """The state; by default the open ones (reported, acknowledged, responding). A search (a reference
    from a call) looks through every state."""

    states = State
    default = "open"

    def lookups(self, request, model_admin):
        return [
            (self.default, _("Open (reported, acknowledged, responding)")),
            (self.everything, _("All")),
            *State.choices,
        ]

    def queryset(self, request, queryset):
        if self.value() == self.default:
            return queryset.filter(state__in=OPEN_STATES)
        return super().queryset(request, queryset)


class AcknowledgementFilter(admin.SimpleListFilter):
    title = _("acknowledgement")
    parameter_name = "ack"

    def lookups(self, request, model_admin):
        return [("unacknowledged", _("Not yet acknowledged")), ("overdue", _("Overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "unacknowledged":
            return queryset.filter(state=State.REPORTED)
        if self.value() == "overdue":
            return queryset.filter(state=State.REPORTED, ack_due_at__lt=timezone.now())
        return queryset


class CountryFilter(admin.SimpleListFilter):
    """The countries of the list's records (one query), by name in the reader's language (incidents, alerts)."""

    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = model_admin.model.objects.order_by().values_list("country", flat=True).distinct()
        return sorted(((code, country_name(code)) for code in codes), key=lambda row: row[1])

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(country=self.value().upper())
        return queryset


# The queue and the page --------------------------------------------------------------------------------


@admin.register(Incident)
class IncidentAdmin(QueueAdmin):
    list_display = [
        "reference",
        "level_label",
        "summary",
        "organization_name",
        "where",
        "age",
        "state_label",
        "acknowledgement",
        "checklist_progress",
        "duty_officer",
    ]
    list_display_links = ["reference"]
    list_filter = [
        StateFilter,
        "level",
        "kind",
        CountryFilter,
        ("organization", admin.RelatedOnlyFieldListFilter),
        AcknowledgementFilter,
    ]
    search_fields = ["reference"]  # turns the search box on; the search itself is search_filter
    search_q = staticmethod(incident_search_q)
    search_help_text = INCIDENT_SEARCH_HELP
    list_select_related = ["organization", "duty_officer"]
    fields = ["reference"]
    readonly_fields = ["reference"]
    queue_title = _("Incidents abroad: the office's queue")
    transitions = TRANSITIONS
    comment_session_key = "safety-incident-comment-%s"
    not_found = _("There is no such incident.")

    def get_queryset(self, request):
        # Annotated before ordering: the most urgent order sorts on `open_rank`.
        incidents = scope_for_user(Incident.objects.all(), request.user)
        return with_list_details(incidents).order_by(*URGENT_ORDER)

    def get_ordering(self, request):
        return list(URGENT_ORDER)

    def detail_queryset(self, queryset):
        return queryset.select_related("site", "trip", "merged_into", "reported_by", "acknowledged_by")

    def has_add_permission(self, request):
        return is_officer(request.user)

    # Columns

    @admin.display(description=pgettext_lazy("incident", "level"), ordering="level")
    def level_label(self, incident):
        return level_tag(incident.level)

    @admin.display(description=_("what happened"), ordering="title")
    def summary(self, incident):
        return incident.title

    @admin.display(description=_("organisation"), ordering="organization__name_zh")
    def organization_name(self, incident):
        return incident.organization.name

    @admin.display(description=_("where"), ordering="country")
    def where(self, incident):
        return typography.clause(country_name(incident.country), incident.city)

    @admin.display(description=_("age"), ordering="reported_at")
    def age(self, incident):
        return format_html(
            '<time datetime="{}" title="{}">{}</time>',
            incident.reported_at.isoformat(),
            incident.reported_at.strftime("%Y-%m-%d %H:%M"),
            age_text(incident.reported_at),
        )

    @admin.display(description=_("state"), ordering="state")
    def state_label(self, incident):
        return state_tag(incident.state)

    @admin.display(description=_("unacknowledged"), ordering="ack_due_at")
    def acknowledgement(self, incident):
        """Unacknowledged: a badge, red with how late once the deadline has passed."""
        if incident.state != State.REPORTED:
            return self.empty_value_display
        if incident.is_overdue_ack:
            return format_html(
                '<span class="queue-badge queue-overdue" data-ack="overdue">{}</span>',
                gettext("%(late)s late") % {"late": age_text(incident.ack_due_at)},
            )
        return format_html(
            '<span class="queue-badge queue-rule-warning" data-ack="due">{}</span>',
            gettext("due in %(left)s") % {"left": age_text(timezone.now(), incident.ack_due_at)},
        )

    @admin.display(description=_("plan"))
    def checklist_progress(self, incident):
        if not incident.steps_total:
            return self.empty_value_display
        return format_html(
            '<span class="queue-badge {}" data-progress="{}/{}">{}/{}</span>',
            "state-success" if incident.steps_done == incident.steps_total else "state-progress",
            incident.steps_done,
            incident.steps_total,
            incident.steps_done,
            incident.steps_total,
        )

    def changelist_view(self, request, extra_context=None):
        context = {
            "call_url": self._url("add") if self.has_add_permission(request) else "",
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    # Entering an incident from a call

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = CallReportForm(request.POST or None)
        duplicate = None
        if request.method == "POST" and form.is_valid():
            try:
                incident = services.incident_report(
                    actor=request.user,
                    organization=form.cleaned_data["organization"],
                    data=form.service_data(),
                    source="call",
                )
            except services.DuplicateIncident as error:
                duplicate = error.existing
                form.add_error(None, str(error.message))
            except REFUSALS as error:
                report_refusal(request, error)
                if hasattr(error, "error_dict"):
                    for field, errors in error.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    gettext("Incident %(reference)s is recorded; the duty officer is told.")
                    % {"reference": incident.reference},
                )
                return redirect(self._url("change", incident.pk))
        context = {
            **self.admin_site.each_context(request),
            **self.wide_pages,
            "title": _("Enter an incident from a call"),
            "opts": self.opts,
            "form": form,
            "duplicate": duplicate,
            "duplicate_url": self._url("change", duplicate.pk) if duplicate else "",
            "media": self.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/overseas_safety/incident/call_form.html", context)

    # The page

    def page_context(self, request, incident) -> dict:
        officer = is_officer(request.user)
        active = incident.state in ACTIVE_STATES
        names = services.available_transitions(incident, request.user)
        may_merge = officer and incident.state in OPEN_STATES
        steps = list(incident.checklist.select_related("plan", "done_by").order_by("plan_id", "position"))
        done = sum(1 for step in steps if step.done_at)
        fitting = plans.plans_for(incident).exclude(pk__in={step.plan_id for step in steps})
        resolve_blocked = (
            officer and incident.state in (State.ACKNOWLEDGED, State.RESPONDING) and done < len(steps)
        )
        return {
            "incident": incident,
            "state_tag": state_tag(incident.state),
            "level_tag": level_tag(incident.level),
            "where": typography.clause(country_name(incident.country), incident.city),
            "age": age_text(incident.reported_at),
            "next_step": NEXT_STEP.get(incident.state, ""),
            "ack_limit": services.ack_limit_text(incident.level),
            "organization_url": reverse(
                "admin:accounts_organization_change", args=[incident.organization_id]
            ),
            "page_url": incident.get_absolute_url(),
            "timeline": list(
                TimelineEntry.objects.filter(incident=incident)
                .select_related("author")
                .prefetch_related("attachments__document")
                .order_by("at", "pk")
            ),
            "people": [
                {"row": row, "tone": PERSON_TONES.get(row.status, "neutral")}
                for row in incident.people.select_related("person").order_by("person__full_name", "pk")
            ],
            "documents": list(incident.attachments.filter(entry__isnull=True).select_related("document")),
            "duplicates": list(incident.duplicates.order_by("reported_at")),
            "steps": [
                {"step": step, "url": self._url("step", incident.pk, step.pk, request=request)}
                for step in steps
            ],
            "steps_done": done,
            "steps_total": len(steps),
            "may_tick": officer and active,
            "plan_form": PlanChoiceForm(plans=fitting) if officer and incident.state in OPEN_STATES else None,
            "has_fitting_plans": fitting.exists() if officer else False,
            "entry_form": TimelineEntryForm() if officer and active else None,
            "person_form": PersonStatusForm(incident=incident) if officer and active else None,
            "may_merge": may_merge,
            "resolve_blocked": resolve_blocked,
            "urls": {
                name: self._url(name, incident.pk, request=request) for name in ("timeline", "person", "plan")
            },
            **self.transition_context(request, incident, names, subject=incident.reference),
            "audit_url": audit_url(incident.reference),
        }

    def admin_views(self) -> list[tuple]:
        return [
            *super().admin_views(),
            ("<path:object_id>/timeline/", self.timeline_view, "timeline"),
            ("<path:object_id>/person/", self.person_view, "person"),
            ("<path:object_id>/plan/", self.plan_view, "plan"),
            ("<path:object_id>/step/<int:step_id>/", self.step_view, "step"),
        ]

    def run_transition(self, request, incident, name, comment):
        return services.incident_transition(
            incident=incident,
            actor=request.user,
            name=name,
            comment=comment,
            merged_into=request.POST.get("merged_into", "").strip() if name == "merge" else None,
        )

    # The page's other buttons: each calls one service and comes back to the page

    def _form_errors(self, request, form) -> None:
        errors = [
            f"{typography.label(form.fields[field].label) if field in form.fields else ''}{message}"
            for field, messages_ in form.errors.items()
            for message in messages_
        ]
        messages.error(request, " ".join(errors))

    def timeline_view(self, request, object_id):
        incident = self._object_or_404(request, object_id)
        if request.method == "POST":
            form = TimelineEntryForm(request.POST, request.FILES)
            if not form.is_valid():
                self._form_errors(request, form)
            else:
                try:
                    services.timeline_add(
                        incident=incident,
                        actor=request.user,
                        text=form.cleaned_data["text"],
                        at=form.cleaned_data.get("at"),
                        files=form.cleaned_data.get("files") or (),
                    )
                except REFUSALS as error:
                    report_refusal(request, error)
                else:
                    messages.success(request, gettext("Added to the timeline."))
        return self._back(request, incident, "timeline")

    def person_view(self, request, object_id):
        incident = self._object_or_404(request, object_id)
        if request.method == "POST":
            form = PersonStatusForm(request.POST, incident=incident)
            if not form.is_valid():
                self._form_errors(request, form)
            else:
                try:
                    row = services.person_set(
                        incident=incident,
                        actor=request.user,
                        person=form.cleaned_data["person"],
                        status=form.cleaned_data["status"],
                        note=form.cleaned_data.get("note", ""),
                    )
                except REFUSALS as error:
                    report_refusal(request, error)
                else:
                    messages.success(
                        request,
                        gettext("%(person)s: “%(status)s” is recorded.")
                        % {"person": row.person.full_name, "status": row.get_status_display()},
                    )
        return self._back(request, incident, "people")

    def plan_view(self, request, object_id):
        incident = self._object_or_404(request, object_id)
        if request.method == "POST":
            form = PlanChoiceForm(request.POST, plans=plans.plans_for(incident))
            if not form.is_valid():
                self._form_errors(request, form)
            else:
                plan = form.cleaned_data["plan"]
                try:
                    steps = plans.plan_attach(incident=incident, actor=request.user, plan=plan)
                except REFUSALS as error:
                    report_refusal(request, error)
                else:
                    messages.success(
                        request,
                        ngettext(
                            "The plan “%(plan)s” is attached: %(count)d step to tick.",
                            "The plan “%(plan)s” is attached: %(count)d steps to tick.",
                            len(steps),
                        )
                        % {"plan": plan.title, "count": len(steps)},
                    )
        return self._back(request, incident, "plan")

    def step_view(self, request, object_id, step_id):
        incident = self._object_or_404(request, object_id)
        if request.method == "POST":
            step = ChecklistStep.objects.filter(pk=step_id, incident=incident).first()
            if step is None:
                messages.error(request, gettext("There is no such step on this incident."))
            else:
                try:
                    plans.step_tick(step=step, actor=request.user, done=request.POST.get("done") != "0")
                except REFUSALS as error:
                    report_refusal(request, error)
        return self._back(request, incident, "plan")
