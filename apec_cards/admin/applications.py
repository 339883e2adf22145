"""The card application queue of the office and an application's read-only page.

Nothing here writes to the database itself: the transition buttons, "Assign to me", reassigning and the
economies' pre-clearance answers post to small views that call apec_cards.services, which check the
role, lock the row, audit and notify. A refusal becomes a message on the page, never an error page.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransition

from approvals.admin.filters import OfficerChoiceForm, messages_of, report_refusal
from foreign_affairs.accounts.models import Organization
from foreign_affairs.accounts.selectors import scope_for_user
from foreign_affairs.accounts.validators import normalize_passport_number
from foreign_affairs.errors import RulesFailed, StateConflict

from .. import selectors, services
from ..models import Card, CardApplication, Decision
from ..workflow import (
    FOLLOW_UP_KINDS,
    NEXT_STEP,
    OFFICE_STATES,
    OPEN_STATES,
    TRANSITIONS,
    Kind,
    State,
)
from .common import card_state_tag, is_officer, state_tag, timeline_events, transition_buttons
from .filters import (
    AWAITING_ANSWER_STATES,
    AssignedFilter,
    EconomyPendingFilter,
    StateFilter,
    WaitingFilter,
)

# What the officer typed as a comment, kept for the next try after a refusal.
COMMENT_SESSION_KEY = "apec-admin-comment-%s"
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
class CardApplicationAdmin(admin.ModelAdmin):
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
    # The search itself is get_search_results; this only turns the search box on.
    search_fields = ["reference"]
    search_help_text = _("Reference, holder's name or pinyin, whole passport number, or organisation.")
    list_select_related = ["organization", "person", "assigned_officer"]
    ordering = ["state_changed_at", "pk"]  # the longest waiting first
    list_per_page = 50
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER  # a count query per filter choice is too much for a queue
    empty_value_display = "—"
    actions = ["assign_to_me", "assign_to_officer"]
    change_list_template = "admin/apec_cards/cardapplication/change_list.html"
    change_form_template = "admin/apec_cards/cardapplication/change_form.html"
    # The page shows the application itself (change_form_template); no field is editable.
    fields = ["reference"]
    readonly_fields = ["reference"]
    # The queue's columns and the page's two columns need the width the admin's navigation takes.
    wide_pages = {"is_nav_sidebar_enabled": False}

    # Access: applications come from enterprises and are never added or deleted here.

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_assign_permission(self, request):
        return is_officer(request.user)

    def get_queryset(self, request):
        queryset = scope_for_user(super().get_queryset(request), request.user)
        return selectors.with_preclearance_counts(queryset)

    def get_object(self, request, object_id, from_field=None):
        queryset = selectors.application_with_details(scope_for_user(self.model.objects.all(), request.user))
        try:
            return queryset.get(pk=self.opts.pk.to_python(object_id))
        except (self.model.DoesNotExist, ValidationError, ValueError):
            return None

    def get_search_results(self, request, queryset, search_term):
        """Reference (whole), the holder's name or pinyin, a whole passport number, the organisation's
        name. Only single-valued relations and a subquery: one row per application."""
        term = search_term.strip()
        if not term:
            return queryset, False
        organizations = Organization.objects.filter(Q(name_zh__icontains=term) | Q(name_en__icontains=term))
        return (
            queryset.filter(
                Q(reference__iexact=term)
                | Q(person__full_name__icontains=term)
                | Q(person__pinyin_name__icontains=term)
                | Q(passport_number=normalize_passport_number(term))
                | Q(organization__in=organizations.values("pk"))
            ),
            False,
        )

    # Columns

    @admin.display(description=_("holder"), ordering="person__full_name")
    def holder(self, application):
        person = application.person
        if not person.pinyin_name:
            return person.full_name
        return format_html('{} <span class="app-muted">{}</span>', person.full_name, person.pinyin_name)

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
        context = {
            **self.wide_pages,
            "title": _("APEC card applications: the office's queue"),
            "pending_by_economy_url": self._url("pending_by_economy"),
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    # Actions on the list

    @admin.action(description=_("Assign to me"), permissions=["assign"])
    def assign_to_me(self, request, queryset):
        self._assign(request, queryset, request.user)

    @admin.action(description=_("Assign to another officer…"), permissions=["assign"])
    def assign_to_officer(self, request, queryset):
        form = OfficerChoiceForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self._assign(request, queryset, form.cleaned_data["officer"])
            return None  # back to the list
        context = {
            **self.admin_site.each_context(request),
            "title": _("Assign to another officer"),
            "opts": self.opts,
            "applications": queryset.select_related("organization", "assigned_officer"),
            "form": form,
            "action": "assign_to_officer",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        request.current_app = self.admin_site.name
        # The travel applications' confirmation page fits: reference, organisation, assigned officer.
        return TemplateResponse(request, "admin/approvals/travelapplication/assign.html", context)

    def _assign(self, request, applications, officer) -> int:
        done = 0
        for application in applications:
            try:
                services.application_assign(application=application, actor=request.user, officer=officer)
            except (PermissionDenied, ValidationError) as error:
                messages.error(request, messages_of(error))
                return done
            done += 1
        if officer == request.user:
            text = ngettext(
                "%(count)d card application is now assigned to you.",
                "%(count)d card applications are now assigned to you.",
                done,
            ) % {"count": done}
        else:
            text = ngettext(
                "%(count)d card application is now assigned to %(officer)s.",
                "%(count)d card applications are now assigned to %(officer)s.",
                done,
            ) % {"count": done, "officer": officer}
        messages.success(request, text)
        return done

    # URLs

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        views = [
            ("pending-by-economy/", self.pending_by_economy_view, "pending_by_economy"),
            ("<path:object_id>/transition/", self.transition_view, "transition"),
            ("<path:object_id>/assign/", self.assign_view, "assign"),
            ("<path:object_id>/preclearance/<str:economy>/", self.preclearance_view, "preclearance"),
        ]
        return [
            *(
                path(route, self.admin_site.admin_view(view), name="{}_{}_{}".format(*info, name))
                for route, view, name in views
            ),
            *super().get_urls(),
        ]

    def _url(self, name: str, *args, request=None) -> str:
        """An admin URL of this model; with `request`, carrying the queue's filters along."""
        url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}",
            args=args,
            current_app=self.admin_site.name,
        )
        filters = request.GET.get("_changelist_filters", "") if request is not None else ""
        if not filters:
            return url
        return f"{url}?{urlencode({'_changelist_filters': filters})}"

    # The change page: the application, read-only, with its buttons

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            # The page has no form of its own: changes go through the buttons and their services.
            return redirect(request.path)
        return super().change_view(request, object_id, form_url, {**self.wide_pages, **(extra_context or {})})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(self.application_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def application_context(self, request, application) -> dict:
        officer = is_officer(request.user)
        names = services.available_transitions(application, request.user)
        buttons = transition_buttons(names, TRANSITIONS)
        card = Card.objects.filter(application=application).first()
        preclearances = list(application.preclearances.all())
        return {
            "application": application,
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
            "awaits_first_approval": application.state == State.PRE_CLEARANCE
            and not any(row.decision == Decision.APPROVED for row in preclearances),
            "findings": services.precheck(application) if application.state in OPEN_STATES else None,
            "events": timeline_events(application, State),
            "transitions": buttons,
            "comment_required_for": [b["label"] for b in buttons if b["comment"] == "required"],
            "comment_possible": any(b["comment"] != "none" for b in buttons),
            "comment": request.session.pop(COMMENT_SESSION_KEY % application.pk, ""),
            "transition_url": self._url("transition", application.pk, request=request),
            "card": card,
            "card_tag": card_state_tag(card.state) if card else "",
            "card_url": reverse("admin:apec_cards_card_change", args=[card.pk]) if card else "",
            "can_assign": officer,
            "assign_url": self._url("assign", application.pk, request=request),
            "officer_form": OfficerChoiceForm() if officer else None,
            "audit_url": f"{reverse('admin:audit_auditevent_changelist')}?{urlencode({'q': application.reference})}",
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

    def _find(self, request, object_id):
        # The plain row: the services load and lock their own copy.
        return admin.ModelAdmin.get_object(self, request, unquote(object_id))

    def _application_or_404(self, request, object_id):
        application = self._find(request, object_id)
        if application is None:
            raise Http404(gettext("There is no such card application."))
        if not self.has_view_permission(request, application):
            raise PermissionDenied
        return application

    def _back(self, request, application, anchor: str = ""):
        url = self._url("change", application.pk, request=request)
        return redirect(f"{url}#{anchor}" if anchor else url)

    def transition_view(self, request, object_id):
        application = self._application_or_404(request, object_id)
        if request.method != "POST":
            return self._back(request, application)
        name = request.POST.get("transition", "")
        comment = request.POST.get("comment", "")
        try:
            changed = services.application_transition(
                application=application, actor=request.user, name=name, comment=comment
            )
        except (PermissionDenied, StateConflict, ConcurrentTransition, RulesFailed, ValidationError) as error:
            report_refusal(request, error)
            if comment.strip():
                request.session[COMMENT_SESSION_KEY % application.pk] = comment
            return self._back(request, application)
        if name == "issue":
            card = Card.objects.get(application=changed)
            text = gettext("Card %(number)s is issued to %(holder)s; it is valid until %(date)s.") % {
                "number": card.number,
                "holder": changed.person.full_name,
                "date": date_format(card.expires_on),
            }
        else:
            text = gettext("“%(action)s” is done: %(reference)s is now “%(state)s”.") % {
                "action": TRANSITIONS[name].label,
                "reference": changed.reference,
                "state": changed.get_state_display(),
            }
        messages.success(request, text)
        return self._back(request, changed)

    def assign_view(self, request, object_id):
        application = self._application_or_404(request, object_id)
        if request.method == "POST":
            if not self.has_assign_permission(request):
                messages.error(request, _("Only approval officers assign applications."))
            elif request.POST.get("officer") == "me":
                self._assign(request, [application], request.user)
            else:
                form = OfficerChoiceForm(request.POST)
                if form.is_valid():
                    self._assign(request, [application], form.cleaned_data["officer"])
                else:
                    messages.error(request, _("Choose the officer to give the application to."))
        return self._back(request, application, "assignment")

    def preclearance_view(self, request, object_id, economy):
        """Record one economy's answer (services.preclearance_record)."""
        application = self._application_or_404(request, object_id)
        if request.method != "POST":
            return self._back(request, application, "preclearance")
        form = PreClearanceForm(request.POST, prefix=f"pc-{economy.upper()}")
        if not form.is_valid():
            errors = [
                f"{form.fields[field].label}: {message}"
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
        except (PermissionDenied, StateConflict, RulesFailed, ValidationError) as error:
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
