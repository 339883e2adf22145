"""The card application queue of the office and an application's read-only page.

Nothing here writes to the database itself: the transition buttons, "Assign to me", reassigning and the
economies' pre-clearance answers post to small views that call apec_cards.services, which check the
role, lock the row, audit and notify. A refusal becomes a message on the page, never an error page.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from foreign_affairs import typography
from foreign_affairs.admin_queue import (
    REFUSALS,
    AssignedFilter,
    AssignMixin,
    QueueAdmin,
    audit_url,
    is_officer,
    report_refusal,
)

from .. import selectors, services
from ..filters import APPLICATION_SEARCH_HELP, application_search_q
from ..models import Card, CardApplication, Decision
from ..views.passports import passport_number_shown
from ..workflow import (
    FOLLOW_UP_KINDS,
    NEXT_STEP,
    OFFICE_STATES,
    OPEN_STATES,
    TRANSITIONS,
    Kind,
    State,
)
from .common import card_state_tag, name_with_pinyin, state_tag, timeline
from .filters import (
    AWAITING_ANSWER_STATES,
    EconomyPendingFilter,
    StateFilter,
    WaitingFilter,
)

DECISION_TONES = {Decision.PENDING: "progress", Decision.APPROVED: "success", Decision.REFUSED: "danger"}


class PreClearanceForm(forms.Form):
    """One economy's answer as the officer records it; services.preclearance_record checks it again."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(Decision.APPROVED, Decision.APPROVED.label), (Decision.REFUSED, Decision.REFUSED.label)],
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(
        label=_("Decided on"),
        help_text=_("The date of the economy's answer."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["decided_on"].initial = today
        self.fields["decided_on"].widget.attrs["max"] = today.isoformat()


@admin.register(CardApplication)
class CardApplicationAdmin(AssignMixin, QueueAdmin):
    list_display = [
        "reference",
        "holder",
        "organization_name",
        "kind",
        "state_label",
        "economy_counts",
        "waiting",
        "assigned_officer",
    ]
    list_display_links = ["reference"]
    list_filter = [
        StateFilter,
        "kind",
        EconomyPendingFilter,
        WaitingFilter,
        AssignedFilter,
        "organization__ftz_area",
    ]
    # The search itself is search_filter; this only turns the search box on.
    search_fields = ["reference"]
    search_q = staticmethod(application_search_q)
    search_help_text = APPLICATION_SEARCH_HELP
    list_select_related = ["organization", "person", "assigned_officer"]
    ordering = ["state_changed_at", "pk"]  # the longest waiting first
    # The page shows the application itself (its change_form.html); no field is editable.
    fields = ["reference"]
    readonly_fields = ["reference"]
    queue_title = _("APEC card applications: the office's queue")
    transitions = TRANSITIONS
    comment_session_key = "apec-admin-comment-%s"
    not_found = _("There is no such card application.")
    assign_service = staticmethod(services.application_assign)
    assigned_to_you = ngettext_lazy(
        "%(count)d card application is now assigned to you.",
        "%(count)d card applications are now assigned to you.",
        "count",
    )
    assigned_to_officer = ngettext_lazy(
        "%(count)d card application is now assigned to %(officer)s.",
        "%(count)d card applications are now assigned to %(officer)s.",
        "count",
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return selectors.with_preclearance_counts(queryset)

    def detail_queryset(self, queryset):
        return selectors.application_with_details(queryset)

    # Columns

    @admin.display(description=_("holder"), ordering="person__full_name")
    def holder(self, application):
        return name_with_pinyin(application.person)

    @admin.display(description=_("organisation"), ordering="organization__name_zh")
    def organization_name(self, application):
        return application.organization.name

    @admin.display(description=_("state"), ordering="state")
    def state_label(self, application):
        return state_tag(application.state)

    @admin.display(description=_("economies"), ordering="-economies_pending")
    def economy_counts(self, application):
        return economy_badges(
            application.economies_approved, application.economies_pending, application.economies_refused
        )

    @admin.display(description=_("days waiting"), ordering="state_changed_at")
    def waiting(self, application):
        if application.state not in OFFICE_STATES:
            return self.empty_value_display
        return application.days_waiting

    def changelist_view(self, request, extra_context=None):
        # The start page's link uses Django's own filter name; the queue's state filter is ?state=.
        if "state__exact" in request.GET:
            query = request.GET.copy()
            query.setlist("state", query.pop("state__exact"))
            return redirect(f"{request.path}?{query.urlencode()}")
        context = {"pending_by_economy_url": self._url("pending_by_economy"), **(extra_context or {})}
        return super().changelist_view(request, context)

    def admin_views(self) -> list[tuple]:
        return [
            ("pending-by-economy/", self.pending_by_economy_view, "pending_by_economy"),
            *super().admin_views(),
            ("<path:object_id>/preclearance/<str:economy>/", self.preclearance_view, "preclearance"),
        ]

    # The change page: the application, read-only, with its buttons

    def page_context(self, request, application) -> dict:
        officer = is_officer(request.user)
        names = services.available_transitions(application, request.user)
        card = Card.objects.filter(application=application).first()
        preclearances = list(application.preclearances.all())
        return {
            "application": application,
            "passport_number": passport_number_shown(request, application),
            "state_tag": state_tag(application.state),
            "next_step": NEXT_STEP.get(application.state, ""),
            "is_waiting": application.state in OFFICE_STATES,
            "organization_url": reverse(
                "admin:accounts_organization_change", args=[application.organization_id]
            ),
            "person_url": reverse("admin:accounts_person_change", args=[application.person_id]),
            "is_follow_up": application.kind in FOLLOW_UP_KINDS,
            "is_replacement": application.kind == Kind.REPLACEMENT,
            "replaces_card_url": reverse("admin:apec_cards_card_change", args=[application.replaces_card_id])
            if application.replaces_card_id
            else "",
            "economies": list(application.economies.all()),
            "preclearances": self._preclearance_rows(request, application, preclearances, officer),
            "preclearance_counts": {
                decision: sum(1 for row in preclearances if row.decision == decision)
                for decision in Decision.values
            },
            "awaits_note": _(
                "The card can be issued as soon as one economy has approved: record the answers below."
            )
            if application.state == State.PRE_CLEARANCE
            and not any(row.decision == Decision.APPROVED for row in preclearances)
            else "",
            "findings": services.precheck(application) if application.state in OPEN_STATES else None,
            "events": timeline(application, State),
            **self.transition_context(request, application, names, subject=application.reference),
            "card": card,
            "card_tag": card_state_tag(card.state) if card else "",
            "card_url": reverse("admin:apec_cards_card_change", args=[card.pk]) if card else "",
            **self.assignment_context(request, application),
            "audit_url": audit_url(application.reference),
        }

    def _preclearance_rows(self, request, application, preclearances, officer) -> list[dict]:
        may_record = officer and application.state in AWAITING_ANSWER_STATES
        rows = []
        for row in preclearances:
            pending = row.decision == Decision.PENDING
            rows.append(
                {
                    "row": row,
                    "economy": row.economy,
                    "tag": decision_tag(row.decision),
                    "form": PreClearanceForm(prefix=f"pc-{row.economy_id}")
                    if pending and may_record
                    else None,
                    "url": self._url("preclearance", application.pk, row.economy_id, request=request),
                }
            )
        return rows

    def run_transition(self, request, application, name, comment):
        return services.application_transition(
            application=application, actor=request.user, name=name, comment=comment
        )

    def transition_done(self, changed, name):
        if name != "issue":
            return super().transition_done(changed, name)
        card = Card.objects.get(application=changed)
        return gettext("Card %(number)s is issued to %(holder)s; it is valid until %(date)s.") % {
            "number": card.number,
            "holder": changed.person.full_name,
            "date": date_format(card.expires_on),
        }

    def preclearance_view(self, request, object_id, economy):
        """Record one economy's answer (services.preclearance_record)."""
        application = self._object_or_404(request, object_id)
        if request.method != "POST":
            return self._back(request, application, "preclearance")
        form = PreClearanceForm(request.POST, prefix=f"pc-{economy.upper()}")
        if not form.is_valid():
            errors = [
                f"{typography.label(form.fields[field].label)}{message}"
                for field, errs in form.errors.items()
                for message in errs
            ]
            messages.error(request, " ".join(errors))
            return self._back(request, application, "preclearance")
        data = form.cleaned_data
        try:
            row = services.preclearance_record(
                application=application,
                actor=request.user,
                economy=economy,
                decision=data["decision"],
                decided_on=data["decided_on"],
                note=data["note"],
            )
        except REFUSALS as error:
            report_refusal(request, error)
            return self._back(request, application, "preclearance")
        card = Card.objects.filter(application=application).first()
        values = {
            "economy": row.economy.name,
            "decision": row.get_decision_display(),
            "date": date_format(row.decided_on),
            "reference": application.reference,
        }
        if card is not None and row.decision == Decision.APPROVED:
            text = gettext(
                "%(economy)s: “%(decision)s” on %(date)s is recorded and the economy is added to card "
                "%(number)s; its decision letter is rendered again."
            ) % {**values, "number": card.number}
        else:
            text = gettext("%(economy)s: “%(decision)s” on %(date)s is recorded for %(reference)s.") % values
        messages.success(request, text)
        return self._back(request, application, "preclearance")

    # Pending pre-clearances by economy

    def pending_by_economy_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        queue = self._url("changelist")
        english = not (translation.get_language() or "zh").startswith("zh")
        rows = [
            {
                "code": row["economy_id"],
                "name": row["economy__name_en"] if english else row["economy__name_zh"],
                "count": row["count"],
                "oldest": row["oldest"],
                "days": (today - row["oldest"]).days,
                "url": f"{queue}?{urlencode({EconomyPendingFilter.parameter_name: row['economy_id']})}",
            }
            for row in selectors.pending_by_economy()
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Pending pre-clearances by economy"),
            **self.wide_pages,
            "opts": self.opts,
            "rows": rows,
            "total": sum(row["count"] for row in rows),
            "queue_url": queue,
            "economies_url": reverse("admin:apec_cards_economy_changelist"),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/apec_cards/cardapplication/pending_by_economy.html", context)


def decision_tag(decision: str):
    # "Pending" alone is translated for e-mails waiting to be sent; an economy's answer is awaited.
    label = gettext("Awaiting the answer") if decision == Decision.PENDING else Decision(decision).label
    return format_html(
        '<span class="state-tag state-{}" data-decision="{}">{}</span>',
        DECISION_TONES[decision],
        decision,
        label,
    )


def economy_badges(approved: int, pending: int, refused: int):
    """The economies' answers so far as three small tags; a dash before pre-clearance was asked."""
    parts = []
    if approved:
        parts.append(("success", "approved", ngettext("%(count)d approved", "%(count)d approved", approved)))
    if pending:
        parts.append(("progress", "pending", ngettext("%(count)d pending", "%(count)d pending", pending)))
    if refused:
        parts.append(("danger", "refused", ngettext("%(count)d refused", "%(count)d refused", refused)))
    if not parts:
        return "—"
    counts = {"approved": approved, "pending": pending, "refused": refused}
    return format_html_join(
        " ",
        '<span class="queue-badge state-{}" data-economies="{}">{}</span>',
        ((tone, key, label % {"count": counts[key]}) for tone, key, label in parts),
    )
