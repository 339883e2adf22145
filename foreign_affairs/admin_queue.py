"""What the back offices of travel applications and APEC cards share.

An application's or a card's change page is read-only: its buttons post to small views that call one
service, which checks the role, locks the row, audits and notifies. A refusal becomes a message on the
page, never an error page. `QueueAdmin` is such a list with its pages and transition view, `AssignMixin`
adds "Assign to me" and reassigning; the filters and the officer form serve the queues of both areas.
The templates are admin/queue_change_list.html, admin/queue_change_form.html, admin/queue_assign.html and
admin/includes/.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransition

from foreign_affairs import typography

from .accounts.models import User
from .accounts.roles import Role
from .accounts.selectors import scope_for_user
from .distinct_values import distinct_values
from .errors import RulesFailed, StateConflict
from .security.countries import country_name

# What a transition service refuses with; each becomes a message (report_refusal).
REFUSALS = (PermissionDenied, StateConflict, ConcurrentTransition, RulesFailed, ValidationError)


def is_officer(user) -> bool:
    """Officers act (in person or as a substitute); leaders and managers only read."""
    return user.is_authenticated and user.has_role(Role.OFFICER)


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


def audit_url(term: str) -> str:
    """The audit log searched for a reference or a card number."""
    return f"{reverse('admin:audit_auditevent_changelist')}?{urlencode({'q': term})}"


def transition_buttons(names, info, *, subject: str, confirm: dict | None = None) -> list[dict]:
    """The buttons of the transitions `names` (a workflow's TransitionInfo by name): the deciding one first,
    those needing a reason after, destructive ones last. Destructive ones ask before they post, about
    `subject` (a reference, a card number), unless `confirm` holds their own question."""
    order = list(info)
    names = sorted(
        names,
        key=lambda name: (
            info[name].destructive,
            info[name].comment == "required",
            info[name].style != "success",
            order.index(name),
        ),
    )
    confirm = confirm or {}
    undone = gettext("“%(action)s” %(subject)s? This cannot be undone.")
    return [
        {
            "name": name,
            "label": info[name].label,
            "style": info[name].style,
            "comment": info[name].comment,
            "destructive": info[name].destructive,
            "confirm": confirm.get(name)
            or (undone % {"action": info[name].label, "subject": subject} if info[name].destructive else ""),
        }
        for name in names
    ]


def timeline_events(events, states) -> list:
    """Audit events (an area's selectors.timeline) with the labels of their states among `states` and the
    user behind any "on behalf of"."""
    events = list(events)
    usernames = {event.data["on_behalf_of"] for event in events if (event.data or {}).get("on_behalf_of")}
    principals = (
        {user.username: user for user in User.objects.filter(username__in=usernames)} if usernames else {}
    )
    for event in events:
        principal = (event.data or {}).get("on_behalf_of")
        event.on_behalf_of = principals.get(principal, principal) if principal else None
        event.from_label = states(event.from_state).label if event.from_state in states.values else ""
        event.to_label = states(event.to_state).label if event.to_state in states.values else ""
    return events


# Filters and forms ----------------------------------------------------------------------------------------


class QueueStateFilter(admin.SimpleListFilter):
    """The state, `default` unless chosen otherwise: a queue opens on what awaits the office. A search (a
    reference from a phone call, a name) looks through every state, and so do the other filters for which
    `widened` says so, unless a state is chosen as well."""

    title = _("state")
    parameter_name = "state"
    everything = "all"
    states: type  # the model's State choices
    default: str

    def widened(self) -> bool:
        """Whether a filter chosen besides this one looks through every state."""
        return False

    def value(self):
        if self.parameter_name in self.used_parameters:
            return self.used_parameters[self.parameter_name]
        if self.request.GET.get(SEARCH_VAR, "").strip() or self.widened():
            return self.everything
        return self.default

    def choices(self, changelist):
        # Replaces SimpleListFilter's own "All" (no parameter), which here means the default.
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value()
        if value in self.states.values:
            return queryset.filter(state=value)
        return queryset


class ChoicesFilter(admin.SimpleListFilter):
    """One of a field's choices (`choices_class`, TextChoices), in the reader's words."""

    field: str
    choices_class: type

    def lookups(self, request, model_admin):
        return self.choices_class.choices

    def queryset(self, request, queryset):
        if self.value() in self.choices_class.values:
            return queryset.filter(**{self.field: self.value()})
        return queryset


class CountryInUseFilter(admin.SimpleListFilter):
    """The countries that occur in the list's `field` (a loose index scan where an index leads with it), by
    name in the reader's language."""

    field = "country"

    def lookups(self, request, model_admin):
        found = distinct_values(model_admin.model, self.field)
        return sorted(((str(code), country_name(code)) for code in found if code), key=lambda row: row[1])

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.field: self.value().upper()})
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


def office_officers():
    """Active users holding the Officer role in person: whom an application can be given to."""
    return User.objects.filter(is_active=True, groups__name=Role.OFFICER).order_by("last_name", "username")


class OfficerChoiceForm(forms.Form):
    officer = forms.ModelChoiceField(
        label=_("Officer"), queryset=User.objects.none(), empty_label=_("Choose an officer")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = office_officers()
        self.fields["officer"].label_from_instance = lambda user: typography.annotate(user, user.username)


# The admins -----------------------------------------------------------------------------------------------


class TermSearchMixin:
    """The search box looks for `search_filter(term)` with the whole term (an exact reference or number, a
    name, a whole passport number) rather than the admin's words, and without DISTINCT."""

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        return queryset.filter(self.search_filter(term)), False


class QueueAdmin(TermSearchMixin, admin.ModelAdmin):
    """A list whose rows are changed only by services, and its read-only page with the transition buttons.

    Subclasses set `queue_title`, `transitions` (TransitionInfo by name), `comment_session_key`, `not_found`,
    `search_q` (the list's search, a staticmethod), and implement `detail_queryset`, `page_context` (with
    `transition_context`) and `run_transition`.
    """

    list_per_page = 50
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER  # a count query per filter choice is too much for these lists
    empty_value_display = "—"
    # The lists' columns and the pages' two columns need the width the admin's navigation takes.
    wide_pages = {"is_nav_sidebar_enabled": False}
    queue_title: str
    transitions: dict
    comment_session_key: str  # what the officer typed, kept for the next try after a refusal
    not_found: str

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def action_checkbox(self, obj):
        """Django's own checkbox, written out: its widget renders through the template engine, about 1.4 ms a
        row on a 50-row page."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(gettext("Select this object for an action - {}"), str(obj)),
        )

    def get_queryset(self, request):
        return scope_for_user(super().get_queryset(request), request.user)

    def detail_queryset(self, queryset):
        """What a case's page shows, in a fixed number of queries (an area's admin adds its relations)."""
        return queryset

    def get_object(self, request, object_id, from_field=None):
        """The case with its details, or None (the admin's 404) for an id that is not one of the list's."""
        queryset = self.detail_queryset(self.get_queryset(request))
        field = self.opts.pk if from_field is None else self.opts.get_field(from_field)
        try:
            return queryset.get(**{field.name: field.to_python(object_id)})
        except (self.model.DoesNotExist, ValidationError, ValueError):
            return None

    def search_filter(self, term: str):
        """The list's one search (the area's filters module), as on the page and in the API."""
        return self.search_q(term)

    def changelist_view(self, request, extra_context=None):
        context = {**self.wide_pages, "title": self.queue_title, **(extra_context or {})}
        return super().changelist_view(request, context)

    # URLs

    def admin_views(self) -> list[tuple]:
        """The page's own views as (route, view, URL name after "<app>_<model>_")."""
        return [("<path:object_id>/transition/", self.transition_view, "transition")]

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            *(
                path(route, self.admin_site.admin_view(view), name="{}_{}_{}".format(*info, name))
                for route, view, name in self.admin_views()
            ),
            *super().get_urls(),
        ]

    def _url(self, name: str, *args, request=None) -> str:
        """An admin URL of this model; with `request`, carrying the list's filters along
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

    # The page

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            # The page has no form of its own: changes go through the buttons and their services.
            return redirect(request.path)
        return super().change_view(request, object_id, form_url, {**self.wide_pages, **(extra_context or {})})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(self.page_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def page_context(self, request, obj) -> dict:
        raise NotImplementedError

    def transition_context(self, request, obj, names, *, subject: str, confirm: dict | None = None) -> dict:
        """What admin/includes/transitions.html needs for the buttons of `names`."""
        buttons = transition_buttons(names, self.transitions, subject=subject, confirm=confirm)
        return {
            "transitions": buttons,
            "comment_required_for": [b["label"] for b in buttons if b["comment"] == "required"],
            "comment": request.session.pop(self.comment_session_key % obj.pk, ""),
            "transition_url": self._url("transition", obj.pk, request=request),
        }

    # The buttons' views

    def _object_or_404(self, request, object_id):
        # The plain row (without the page's details): the services load and lock their own copy.
        obj = admin.ModelAdmin.get_object(self, request, unquote(object_id))
        if obj is None:
            raise Http404(self.not_found)
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        return obj

    def _back(self, request, obj, anchor: str = ""):
        url = self._url("change", obj.pk, request=request)
        return redirect(f"{url}#{anchor}" if anchor else url)

    def run_transition(self, request, obj, name: str, comment: str):
        """Run the transition `name` through the area's service; returns the changed object."""
        raise NotImplementedError

    def transition_done(self, changed, name: str) -> str:
        return gettext("“%(action)s” is done: %(reference)s is now “%(state)s”.") % {
            "action": self.transitions[name].label,
            "reference": changed.reference,
            "state": changed.get_state_display(),
        }

    def transition_view(self, request, object_id):
        obj = self._object_or_404(request, object_id)
        if request.method != "POST":
            return self._back(request, obj)
        name = request.POST.get("transition", "")
        comment = request.POST.get("comment", "")
        try:
            changed = self.run_transition(request, obj, name, comment)
        except REFUSALS as error:
            report_refusal(request, error)
            if comment.strip():
                request.session[self.comment_session_key % obj.pk] = comment
            return self._back(request, obj)
        messages.success(request, self.transition_done(changed, name))
        if self.get_queryset(request).filter(pk=changed.pk).exists():
            return self._back(request, changed)
        return redirect(self._url("changelist", request=request))  # it has left this list (signed off, say)


class AssignMixin:
    """The actions "Assign to me" and "Assign to another officer…" and the page's assignment form, for a
    QueueAdmin of applications: `assign_service` is the area's application_assign; the two messages say
    what was done."""

    actions = ["assign_to_me", "assign_to_officer"]
    assign_service: staticmethod  # staticmethod(<the area's services>.application_assign)
    assigned_to_you = ngettext_lazy(
        "%(count)d application is now assigned to you.",
        "%(count)d applications are now assigned to you.",
        "count",
    )
    assigned_to_officer = ngettext_lazy(
        "%(count)d application is now assigned to %(officer)s.",
        "%(count)d applications are now assigned to %(officer)s.",
        "count",
    )

    def has_assign_permission(self, request):
        return is_officer(request.user)

    def admin_views(self) -> list[tuple]:
        return [*super().admin_views(), ("<path:object_id>/assign/", self.assign_view, "assign")]

    def assignment_context(self, request, application) -> dict:
        """What admin/includes/assignment.html needs."""
        may_assign = self.has_assign_permission(request)
        return {
            "can_assign": may_assign,
            "assign_url": self._url("assign", application.pk, request=request),
            "officer_form": OfficerChoiceForm() if may_assign else None,
        }

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
        return TemplateResponse(request, "admin/queue_assign.html", context)

    def _assign(self, request, applications, officer) -> int:
        done = 0
        for application in applications:
            try:
                self.assign_service(application=application, actor=request.user, officer=officer)
            except (PermissionDenied, ValidationError) as error:
                messages.error(request, messages_of(error))
                return done
            done += 1
        text = self.assigned_to_you if officer == request.user else self.assigned_to_officer
        messages.success(request, text % {"count": done, "officer": officer})
        return done

    def assign_view(self, request, object_id):
        application = self._object_or_404(request, object_id)
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
