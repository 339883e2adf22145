"""Change requests (变更申请) and closures in the back office: the queue of requests waiting for the office,
and a request's page with, for each field, the registry's value when the request was filed, today's, and
the one proposed, side by side. "Approve" changes the registry (services.changes.change_transition, which
refuses a request whose fields changed meanwhile: the refusal is a message, nothing changes); "reject"
needs a reason."""

from django.contrib import admin
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from foreign_affairs import typography
from foreign_affairs.admin_pages import field_label, short_date, tag
from foreign_affairs.admin_queue import audit_url

from .. import selectors
from ..filters import ORGANISATION_SEARCH_HELP, ChangeStateFilter, organisation_search_q
from ..models import ChangeRequest
from ..services import changes as services
from ..services.registry import field_text
from ..views.passports import proposed_passport_number
from ..workflow import CHANGE_STATE_TONES, CHANGE_TRANSITIONS, ChangeKind, ChangeState, OrganisationState
from .common import OfficePageAdmin, registry_value

CHANGE_NEXT_STEP = {
    ChangeState.SUBMITTED: _(
        "The office compares the proposal with the registry and approves it (the registry changes at once) "
        "or rejects it with the reason."
    ),
    ChangeState.APPROVED: _("The registry shows the change; its history keeps the previous values."),
    ChangeState.REJECTED: _("The registry is unchanged; the organisation may file a new request."),
    ChangeState.WITHDRAWN: _("The organisation withdrew the request; the registry is unchanged."),
}


def change_tag(state: str):
    return tag(ChangeState, CHANGE_STATE_TONES, state)


def _day(text: str) -> str:
    day = parse_date(text or "")
    return date_format(day) if day else (text or "—")


def proposed_text(change_request, field: str, request) -> str:
    """The value the request proposes for the registry's `field`, in words (the passport number as the
    request's user may see it, a look at it whole recorded)."""
    proposed = change_request.proposed
    if change_request.kind == ChangeKind.CHIEF_REPRESENTATIVE:
        name = typography.annotate(proposed.get("full_name", ""), proposed.get("position", ""))
        number = proposed_passport_number(request, change_request)
        passport = gettext("passport %(number)s, valid until %(date)s") % {
            "number": number,
            "date": _day(proposed.get("passport_expiry", "")),
        }
        return typography.clause(name, passport)
    if change_request.kind == ChangeKind.CLOSURE:
        if field == "state":
            return str(OrganisationState.CLOSED.label)
        return _day(proposed.get("closing_on", ""))
    return registry_value(field, field_text(proposed.get(field)))


def comparison(change_request, request) -> list[dict]:
    """One row per registry field the request changes: at filing, today, proposed; `stale` when the
    registry changed since filing (approving is then refused)."""
    organisation = change_request.organisation
    fields = list(services.REGISTRY_FIELDS[change_request.kind])
    if change_request.kind == ChangeKind.CLOSURE:
        fields.append("closed_on")
    rows = []
    for field in fields:
        today = field_text(getattr(organisation, field))
        filed = change_request.current.get(field, today)
        rows.append(
            {
                "field": field,
                "label": field_label(type(organisation), field),
                "filed": registry_value(field, filed),
                "today": registry_value(field, today),
                "proposed": proposed_text(change_request, field, request),
                "stale": field in change_request.current and filed != today,
            }
        )
    return rows


@admin.register(ChangeRequest)
class ChangeRequestAdmin(OfficePageAdmin):
    list_display = ["organisation_name", "kind", "submitted_at", "effective_on", "state_label"]
    list_display_links = ["organisation_name"]
    list_filter = [ChangeStateFilter, "kind"]
    search_fields = ["organisation__name_zh"]  # turns the search box on; the search itself is search_filter
    search_q = staticmethod(organisation_search_q)
    search_help_text = ORGANISATION_SEARCH_HELP
    ordering = ["submitted_at", "pk"]
    change_list_template = "admin/foreign_offices/changerequest/change_list.html"
    change_form_template = "admin/foreign_offices/changerequest/change_form.html"
    fields = ["kind"]
    readonly_fields = ["kind"]
    queue_title = _("Change requests: the office's queue")
    transitions = CHANGE_TRANSITIONS
    comment_session_key = "foreign-offices-change-comment-%s"
    not_found = _("There is no such change request.")

    def get_queryset(self, request):
        return selectors.change_requests_for(request.user)

    def subject(self, change_request) -> str:
        return typography.clause(change_request.organisation.display_name, change_request.get_kind_display())

    # Columns

    @admin.display(description=_("organisation"), ordering="organisation__name_zh")
    def organisation_name(self, change_request):
        return change_request.organisation.display_name

    @admin.display(description=_("state"), ordering="state")
    def state_label(self, change_request):
        return change_tag(change_request.state)

    @admin.display(description=_("takes effect on"), ordering="effective_on")
    def effective_on(self, change_request):
        return short_date(change_request.effective_on) or self.empty_value_display

    # The page

    def page_context(self, request, change_request) -> dict:
        organisation = change_request.organisation
        names = services.available_transitions(change_request, request.user)
        rows = comparison(change_request, request)
        stale = change_request.state == ChangeState.SUBMITTED and any(row["stale"] for row in rows)
        return {
            "change_request": change_request,
            "crumb": self.subject(change_request),
            "organisation": organisation,
            "state_tag": change_tag(change_request.state),
            "next_step": CHANGE_NEXT_STEP.get(change_request.state, ""),
            "rows": rows,
            "stale": stale,
            "registry_url": reverse(
                "admin:foreign_offices_foreignorganisation_change", args=[organisation.pk]
            ),
            **self.transition_context(request, change_request, names, subject=self.subject(change_request)),
            "audit_url": audit_url(organisation.registration_number),
        }

    def run_transition(self, request, change_request, name, comment):
        return services.change_transition(
            request=change_request, actor=request.user, name=name, comment=comment
        )
