"""Back office of travel applications: the officers' queue, the leaders' sign-off queue and the
office's configuration (rules, service levels).

The change page of an application is read-only. Everything that changes an application — the
transition buttons, "Assign to me", reassigning — calls the same services as the portal and the API
(approvals.services), which check the role, lock the row, audit (with "on behalf of" for substitutes)
and notify.
"""

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries import countries as country_names
from django_fsm import ConcurrentTransition

from foreign_affairs.accounts.models import Organization, User
from foreign_affairs.accounts.roles import Role
from foreign_affairs.accounts.selectors import scope_for_user
from foreign_affairs.accounts.validators import normalize_passport_number
from foreign_affairs.errors import RulesFailed, StateConflict

from . import configuration, rules, selectors, services
from .models import (
    DelegationMember,
    ItineraryLeg,
    RuleSetting,
    ServiceLevel,
    Severity,
    SignOffQueue,
    TravelApplication,
)
from .workflow import NEXT_STEP, STATE_TONES, TRANSITIONS, WAITING_STATES, State

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


# Filters ----------------------------------------------------------------------------------------------


class StateFilter(admin.SimpleListFilter):
    """The state, "in review" unless chosen otherwise: the officer's queue opens on what awaits them."""

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
        return self.everything if self.request.GET.get(SEARCH_VAR, "").strip() else self.default

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


class OfficerChoiceForm(forms.Form):
    officer = forms.ModelChoiceField(
        label=_("Officer"), queryset=User.objects.none(), empty_label=_("Choose an officer")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = office_officers()
        self.fields["officer"].label_from_instance = lambda user: f"{user} ({user.username})"


# The officers' queue ------------------------------------------------------------------------------------


@admin.register(TravelApplication)
class TravelApplicationAdmin(admin.ModelAdmin):
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
    ]
    # The search itself is get_search_results; this only turns the search box on.
    search_fields = ["reference"]
    search_help_text = _("Reference, organisation, member's name or whole passport number.")
    list_select_related = ["organization", "assigned_officer"]
    ordering = [F("due_on").asc(nulls_last=True), "created_at"]
    list_per_page = 50
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER  # one count query per filter choice is too much for this table
    empty_value_display = "—"
    actions = ["assign_to_me", "assign_to_officer"]
    change_list_template = "admin/approvals/travelapplication/change_list.html"
    change_form_template = "admin/approvals/travelapplication/change_form.html"
    # The page shows the application itself (change_form_template); no field is editable.
    fields = ["reference"]
    readonly_fields = ["reference"]
    queue_title = _("Travel applications: the review queue")
    # The queue's columns and the page's two columns need the width the admin's navigation takes;
    # the breadcrumbs lead back to the rest of the back office.
    wide_pages = {"is_nav_sidebar_enabled": False}

    # Access: applications come from enterprises and are never deleted; changes go through services.

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_assign_permission(self, request):
        return request.user.has_role(Role.OFFICER)

    def get_queryset(self, request):
        return scope_for_user(super().get_queryset(request), request.user)

    def get_object(self, request, object_id, from_field=None):
        queryset = selectors.with_details(self.get_queryset(request))
        field = self.opts.pk if from_field is None else self.opts.get_field(from_field)
        try:
            return queryset.get(**{field.name: field.to_python(object_id)})
        except (self.model.DoesNotExist, ValidationError, ValueError):
            return None

    def get_search_results(self, request, queryset, search_term):
        """Reference (whole), organisation name, a member's name, a member's whole passport number.
        Subqueries on the primary key keep one row per application without DISTINCT."""
        term = search_term.strip()
        if not term:
            return queryset, False
        organizations = Organization.objects.filter(Q(name_zh__icontains=term) | Q(name_en__icontains=term))
        members = DelegationMember.objects.filter(
            Q(person__full_name__icontains=term) | Q(person__passport_number=normalize_passport_number(term))
        )
        return (
            queryset.filter(
                Q(reference__iexact=term)
                | Q(organization__in=organizations.values("pk"))
                | Q(pk__in=members.values("application"))
            ),
            False,
        )

    # Columns

    @admin.display(description=_("organisation"), ordering="organization__name_zh")
    def organization_name(self, application):
        return application.organization.name

    @admin.display(description=_("countries"), ordering="countries")
    def country_list(self, application):
        separator = "、" if translation.get_language().startswith("zh") else ", "
        return separator.join(
            str(country_names.name(code) or code) for code in application.countries.split(",") if code
        )

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
        return state_tag(application.state)

    def changelist_view(self, request, extra_context=None):
        context = {**self.wide_pages, "title": self.queue_title, **(extra_context or {})}
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
        return TemplateResponse(request, "admin/approvals/travelapplication/assign.html", context)

    def _assign(self, request, applications, officer) -> int:
        done = 0
        for application in applications:
            try:
                services.application_assign(application=application, actor=request.user, officer=officer)
            except (PermissionDenied, ValidationError) as error:
                messages.error(request, _messages_of(error))
                return done
            done += 1
        if officer == request.user:
            text = ngettext(
                "%(count)d application is now assigned to you.",
                "%(count)d applications are now assigned to you.",
                done,
            ) % {"count": done}
        else:
            text = ngettext(
                "%(count)d application is now assigned to %(officer)s.",
                "%(count)d applications are now assigned to %(officer)s.",
                done,
            ) % {"count": done, "officer": officer}
        messages.success(request, text)
        return done

    # The change page: the application, read-only, with its buttons

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/transition/",
                self.admin_site.admin_view(self.transition_view),
                name="{}_{}_transition".format(*info),
            ),
            path(
                "<path:object_id>/assign/",
                self.admin_site.admin_view(self.assign_view),
                name="{}_{}_assign".format(*info),
            ),
            *super().get_urls(),
        ]

    def _url(self, name: str, *args, request=None) -> str:
        """An admin URL of this model; with `request`, carrying the queue's filters along
        (?_changelist_filters=... on the page and its buttons, the filters themselves on the list)."""
        url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}",
            args=args,
            current_app=self.admin_site.name,
        )
        filters = request.GET.get("_changelist_filters", "") if request is not None else ""
        if not filters:
            return url
        return (
            f"{url}?{filters}"
            if name == "changelist"
            else f"{url}?{urlencode({'_changelist_filters': filters})}"
        )

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
        language = translation.get_language()
        events = list(selectors.timeline(application))
        principals = {
            user.username: user
            for user in User.objects.filter(
                username__in={e.data["on_behalf_of"] for e in events if e.data.get("on_behalf_of")}
            )
        }
        for event in events:
            principal = event.data.get("on_behalf_of")
            event.on_behalf_of = principals.get(principal, principal) if principal else None
            event.from_label = State(event.from_state).label if event.from_state in State.values else ""
            event.to_label = State(event.to_state).label if event.to_state in State.values else ""
        names = sorted(services.available_transitions(application, request.user), key=_button_order)
        session_key = COMMENT_SESSION_KEY % application.pk
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
                    "passport_number": member.person.passport_number_for(request.user),
                }
                for member in application.members.all()
            ],
            "rule_results": [
                {
                    **result,
                    "label": rules.RULES[result["code"]].label if result.get("code") in rules.RULES else "",
                    "message": rules.stored_message(result, language),
                }
                for result in application.rule_results
            ],
            "events": events,
            "transitions": [
                {
                    "name": name,
                    "label": TRANSITIONS[name].label,
                    "style": TRANSITIONS[name].style,
                    "comment": TRANSITIONS[name].comment,
                    "destructive": TRANSITIONS[name].destructive,
                }
                for name in names
            ],
            "comment_required_for": [
                TRANSITIONS[name].label for name in names if TRANSITIONS[name].comment == "required"
            ],
            "signoff_needed": application.state == State.IN_REVIEW and application.requires_signoff,
            "signoff_message": _(
                "The rules send this trip to leader sign-off, so it cannot be approved here: send it to sign-off."
            ),
            "comment": request.session.pop(session_key, ""),
            "transition_url": self._url("transition", application.pk, request=request),
            "can_assign": self.has_assign_permission(request),
            "assign_url": self._url("assign", application.pk, request=request),
            "officer_form": OfficerChoiceForm() if self.has_assign_permission(request) else None,
            "audit_url": f"{reverse('admin:audit_auditevent_changelist')}?{urlencode({'q': application.reference})}",
        }

    def _after_change_url(self, request, application) -> str:
        """Back to the page, or to the queue when the application has left it (signed off, say)."""
        if self.get_queryset(request).filter(pk=application.pk).exists():
            return self._url("change", application.pk, request=request)
        return self._url("changelist", request=request)

    def _find(self, request, object_id):
        # The plain row (without the change page's details): the services load and lock their own copy.
        return admin.ModelAdmin.get_object(self, request, unquote(object_id))

    def transition_view(self, request, object_id):
        application = self._find(request, object_id)
        if application is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_permission(request, application):
            raise PermissionDenied
        if request.method != "POST":
            return redirect(self._url("change", application.pk, request=request))
        name = request.POST.get("transition", "")
        comment = request.POST.get("comment", "")
        try:
            changed = services.application_transition(
                application=application, actor=request.user, name=name, comment=comment
            )
        except (PermissionDenied, StateConflict, ConcurrentTransition, RulesFailed, ValidationError) as error:
            _report_refusal(request, error)
            if comment.strip():
                request.session[COMMENT_SESSION_KEY % application.pk] = comment
            return redirect(self._url("change", application.pk, request=request))
        messages.success(
            request,
            _gettext("“%(action)s” is done: %(reference)s is now “%(state)s”.")
            % {
                "action": TRANSITIONS[name].label,
                "reference": changed.reference,
                "state": changed.get_state_display(),
            },
        )
        return redirect(self._after_change_url(request, changed))

    def assign_view(self, request, object_id):
        application = self._find(request, object_id)
        if application is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
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
        return redirect(self._url("change", application.pk, request=request))


def _button_order(name: str):
    """The deciding button first, then the others, those needing a reason after, destructive ones last."""
    info = TRANSITIONS[name]
    return (
        info.destructive,
        info.comment == "required",
        info.style != "success",
        list(TRANSITIONS).index(name),
    )


def _messages_of(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _gettext("Your role does not allow this action.")


def _report_refusal(request, error) -> None:
    """Say why a transition did not happen; nothing has changed."""
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
        messages.error(request, _messages_of(error))


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


class RuleSettingForm(forms.ModelForm):
    class Meta:
        model = RuleSetting
        fields = ["enabled", "severity", "parameters"]

    def clean_parameters(self):
        try:
            return configuration.validate_rule_parameters(
                self.instance.code, self.cleaned_data.get("parameters")
            )
        except ValidationError as error:
            raise ValidationError(error.message_dict.get("parameters", error.messages)) from error


@admin.register(RuleSetting)
class RuleSettingAdmin(admin.ModelAdmin):
    """The set of rules is fixed by the code (rules.RULES); the office switches them and tunes them."""

    form = RuleSettingForm
    list_display = ["code", "rule_label", "enabled", "severity", "parameter_summary"]
    list_filter = ["enabled", "severity"]
    search_fields = ["code"]
    fields = ["code", "rule_label", "enabled", "severity", "parameters"]
    readonly_fields = ["code", "rule_label"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        rule = rules.RULES.get(obj.code) if obj is not None else None
        if rule is not None:
            # The form class is made afresh for each request, so its fields can carry this rule's defaults.
            form.base_fields["severity"].help_text = _("Default: %(severity)s.") % {
                "severity": Severity(rule.severity).label
            }
            form.base_fields["parameters"].help_text = (
                _("A JSON object; parameters left out keep their default. Defaults: %(defaults)s")
                % {"defaults": json.dumps(rule.parameters, ensure_ascii=False)}
                if rule.parameters
                else _("This rule has no parameters.")
            )
        return form

    @admin.display(description=_("rule"))
    def rule_label(self, setting):
        rule = rules.RULES.get(setting.code)
        return rule.label if rule else _("(no longer in the code)")

    @admin.display(description=_("parameters"))
    def parameter_summary(self, setting):
        return ", ".join(f"{key}={value}" for key, value in sorted(setting.parameters.items())) or "—"

    def save_model(self, request, obj, form, change):
        configuration.rule_setting_save(setting=obj, actor=request.user)


class ServiceLevelForm(forms.ModelForm):
    class Meta:
        model = ServiceLevel
        fields = ["state", "working_days", "escalate_after"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "state" in self.fields:
            self.fields["state"].choices = [(state.value, state.label) for state in WAITING_STATES]

    def clean(self):
        cleaned = super().clean()
        try:
            configuration.validate_service_level(
                state=cleaned.get("state", self.instance.state), working_days=cleaned.get("working_days")
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        return cleaned


@admin.register(ServiceLevel)
class ServiceLevelAdmin(admin.ModelAdmin):
    form = ServiceLevelForm
    list_display = ["state", "working_days", "escalate_after"]
    fieldsets = [
        (
            None,
            {
                "fields": ["state", "working_days", "escalate_after"],
                "description": _(
                    "Deadlines count working days from the day an application enters the state. A change "
                    "applies to applications entering the state from now on."
                ),
            },
        )
    ]

    def get_readonly_fields(self, request, obj=None):
        return ["state"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        configuration.service_level_save(level=obj, actor=request.user)
