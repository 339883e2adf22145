"""Back office of travel applications: the officers' queue, the leaders' sign-off queue and the
office's configuration (rules, service levels).

The change page of an application is read-only. Everything that changes an application — the
transition buttons, "Assign to me", reassigning — calls the same services as the portal and the API
(approvals.services), which check the role, lock the row, audit (with "on behalf of" for substitutes)
and notify.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries as country_names
from django_fsm import ConcurrentTransition

from foreign_affairs.accounts.models import Organization, User
from foreign_affairs.accounts.roles import Role
from foreign_affairs.accounts.selectors import scope_for_user
from foreign_affairs.accounts.validators import normalize_passport_number
from foreign_affairs.errors import RulesFailed, StateConflict

from .. import rules, selectors, services
from ..models import (
    DelegationMember,
    SignOffQueue,
    TravelApplication,
)
from ..workflow import NEXT_STEP, TRANSITIONS, WAITING_STATES, State
from .filters import (
    COMMENT_SESSION_KEY,
    AssignedFilter,
    CountryFilter,
    ObjectionsPendingFilter,
    OfficerChoiceForm,
    OverdueFilter,
    PassportOverdueFilter,
    PermitProblemFilter,
    ReportOverdueFilter,
    StateFilter,
    days_overdue,
    has_permit_problem,
    messages_of,
    report_days_overdue,
    report_refusal,
    state_tag,
)
from .followup import AfterApprovalMixin


@admin.register(TravelApplication)
class TravelApplicationAdmin(AfterApprovalMixin, admin.ModelAdmin):
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
                messages.error(request, messages_of(error))
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
            *self.after_approval_urls(),
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
            context.update(self.after_approval_context(request, obj))
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
            report_refusal(request, error)
            if comment.strip():
                request.session[COMMENT_SESSION_KEY % application.pk] = comment
            return redirect(self._url("change", application.pk, request=request))
        messages.success(
            request,
            gettext("“%(action)s” is done: %(reference)s is now “%(state)s”.")
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
