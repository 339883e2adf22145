"""The queue's list filters and small helpers shared by the back-office pages of applications."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries as country_names
from django_fsm import ConcurrentTransition

from foreign_affairs.accounts.models import User
from foreign_affairs.accounts.roles import Role
from foreign_affairs.errors import RulesFailed, StateConflict

from ..models import (
    ItineraryLeg,
    PassportHandover,
)
from ..workflow import STATE_TONES, WAITING_STATES, State

COMMENT_SESSION_KEY = "approvals-admin-comment-%s"


def office_officers():
    """Active users holding the Officer role in person: whom an application can be given to."""
    return User.objects.filter(is_active=True, groups__name=Role.OFFICER).order_by("last_name", "username")


def days_overdue(application) -> int:
    """Days past the service-level deadline while someone must act; 0 otherwise."""
    if application.state not in WAITING_STATES or application.due_on is None:
        return 0
    return max((timezone.localdate() - application.due_on).days, 0)


def state_tag(state: str):
    tone = STATE_TONES.get(state, "neutral")
    label = State(state).label if state in State.values else state
    return format_html('<span class="state-tag state-{}">{}</span>', tone, label)


def messages_of(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or gettext("Your role does not allow this action.")


def report_refusal(request, error) -> None:
    """Say why a service refused; nothing has changed."""
    if isinstance(error, StateConflict):
        messages.warning(request, error.message)
    elif isinstance(error, ConcurrentTransition):
        messages.warning(
            request, _("Someone else changed the application meanwhile; look at its state again.")
        )
    elif isinstance(error, RulesFailed):
        details = [
            finding["message"] for finding in error.findings if finding["message"] != str(error.message)
        ]
        if details:
            items = format_html_join("", "<li>{}</li>", ((message,) for message in details))
            messages.error(request, format_html("{}<ul>{}</ul>", error.message, items))
        else:
            messages.error(request, error.message)
    else:
        messages.error(request, messages_of(error))


# Filters ----------------------------------------------------------------------------------------------


class StateFilter(admin.SimpleListFilter):
    """The state, "in review" unless chosen otherwise: the officer's queue opens on what awaits them.

    A search, or one of the follow-up filters below (whose applications are never in review), looks
    through every state unless a state is chosen as well.
    """

    title = _("state")
    parameter_name = "state"
    default = State.IN_REVIEW
    everything = "all"

    def lookups(self, request, model_admin):
        return [(self.everything, _("All")), *State.choices]

    def value(self):
        if self.parameter_name in self.used_parameters:
            return self.used_parameters[self.parameter_name]
        # A search (a reference from a phone call, a traveller's name) looks through every state.
        if self.request.GET.get(SEARCH_VAR, "").strip():
            return self.everything
        if any(self.request.GET.get(name) == "yes" for name in FOLLOW_UP_PARAMETERS):
            return self.everything
        return self.default

    def choices(self, changelist):
        # Replaces SimpleListFilter's "All" (no parameter), which here means the default state.
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value()
        if value in State.values:
            return queryset.filter(state=value)
        return queryset


class CountryFilter(admin.SimpleListFilter):
    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        # One query over the indexed itinerary column: the countries that occur in some application.
        codes = ItineraryLeg.objects.order_by().values_list("country", flat=True).distinct()
        return sorted(((code, country_names.name(code) or code) for code in codes), key=lambda item: item[1])

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(
                pk__in=ItineraryLeg.objects.filter(country=self.value()).values("application")
            )
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        overdue = Q(due_on__lt=timezone.localdate(), state__in=WAITING_STATES)
        if self.value() == "yes":
            return queryset.filter(overdue)
        if self.value() == "no":
            return queryset.exclude(overdue)
        return queryset


class AssignedFilter(admin.SimpleListFilter):
    title = _("assigned to")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", _("Me")), ("nobody", _("Nobody"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assigned_officer=request.user)
        if self.value() == "nobody":
            return queryset.filter(assigned_officer__isnull=True)
        return queryset


# After approval: what the office must follow up. Each reads the application's own columns (or one
# subquery), so the list keeps its fixed number of queries.


class YesNoFilter(admin.SimpleListFilter):
    condition: Q

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def get_condition(self) -> Q:
        return self.condition

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(self.get_condition())
        if self.value() == "no":
            return queryset.exclude(self.get_condition())
        return queryset


class PermitProblemFilter(YesNoFilter):
    """Approved, but the permit task gave up (permit_error holds the reason)."""

    title = _("permit problem")
    parameter_name = "permit_problem"
    condition = Q(state=State.APPROVED) & ~Q(permit_error="")


class ReportOverdueFilter(YesNoFilter):
    title = _("report overdue")
    parameter_name = "report_overdue"

    def get_condition(self) -> Q:
        return Q(state=State.PERMIT_ISSUED, report_due_on__lt=timezone.localdate())


class PassportOverdueFilter(YesNoFilter):
    """A passport of the trip is out past its return date (a subquery on the primary key: no duplicates)."""

    title = _("passport overdue")
    parameter_name = "passport_overdue"

    def get_condition(self) -> Q:
        late = PassportHandover.objects.filter(returned_at__isnull=True, due_on__lt=timezone.localdate())
        return Q(pk__in=late.values("application"))


class ObjectionsPendingFilter(YesNoFilter):
    title = _("objections pending")
    parameter_name = "objections"
    condition = Q(pending_objections__gt=0)


FOLLOW_UP_PARAMETERS = tuple(
    f.parameter_name
    for f in (PermitProblemFilter, ReportOverdueFilter, PassportOverdueFilter, ObjectionsPendingFilter)
)


def report_days_overdue(application) -> int:
    """Days past the post-trip report's deadline while the report is still to come; 0 otherwise."""
    if application.state != State.PERMIT_ISSUED or application.report_due_on is None:
        return 0
    return max((timezone.localdate() - application.report_due_on).days, 0)


def has_permit_problem(application) -> bool:
    return application.state == State.APPROVED and bool(application.permit_error)


class OfficerChoiceForm(forms.Form):
    officer = forms.ModelChoiceField(
        label=_("Officer"), queryset=User.objects.none(), empty_label=_("Choose an officer")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = office_officers()
        self.fields["officer"].label_from_instance = lambda user: f"{user} ({user.username})"


# The officers' queue ------------------------------------------------------------------------------------
