"""What the back-office pages of the areas share, on top of foreign_affairs.admin_queue: the state tags and
the date badges of the lists, the transitions a user may press (and what their conditions still miss), the
timeline of an object, a form's and a service's errors as messages, the browser's date picker, the
enterprises' autocomplete, and `OfficePageAdmin`, the base of the read-only pages whose buttons and forms
call the services (officers act; leaders and managers read; the services check the roles again). A refusal
becomes a message, never an error page.

An area keeps its own: which choices and colours its tags take, the details of its own audit events
(`timeline`'s `detail`), its form page's template (`form_page_template`) and what its groups of transition
buttons add (a note, a form).
"""

from collections.abc import Callable
from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import get_language, ngettext

from foreign_affairs import typography
from foreign_affairs.accounts.models import Organization, OrganizationKind
from foreign_affairs.admin_queue import (
    REFUSALS,
    QueueAdmin,
    is_officer,
    report_refusal,
    timeline_events,
    transition_buttons,
)
from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.forms import add_service_errors

# The rows of one page of an autocomplete.
AUTOCOMPLETE_PAGE = 20

# Tags, badges and dates of the lists and the pages --------------------------------------------------------


def tag(choices, tones: dict, value: str, kind: str = "state"):
    """A state as a coloured tag, the same colours as everywhere (an area's workflow.*_TONES); `kind` names
    its data attribute (data-state, data-stage, data-health...) for the tests and the styles."""
    label = choices(value).label if value in choices.values else value
    return format_html(
        '<span class="state-tag state-{}" data-{}="{}">{}</span>',
        tones.get(value, "neutral"),
        kind,
        value,
        label,
    )


def badge(css: str, text, **data):
    attributes = format_html(" ".join(f'data-{name}="{{}}"' for name in data), *data.values())
    return format_html('<span class="queue-badge {}" {}>{}</span>', css, attributes, text)


def days_late(day: date | None, today: date | None = None) -> int:
    if day is None:
        return 0
    return max(((today or timezone.localdate()) - day).days, 0)


def overdue_badge(days: int):
    label = ngettext("%(days)d day overdue", "%(days)d days overdue", days) % {"days": days}
    return badge("queue-overdue", label, overdue=days)


def short_date(day) -> str:
    return date_format(day, "SHORT_DATE_FORMAT") if day else ""


def date_range(first: date | None, last: date | None) -> str:
    """The first and the last day in the reader's date format ("2026年5月3日 – 2026年5月5日"), one date
    for a single day."""
    if first is None:
        return ""
    if last is None or last == first:
        return date_format(first, "DATE_FORMAT")
    return f"{date_format(first, 'DATE_FORMAT')} – {date_format(last, 'DATE_FORMAT')}"


# Transitions ----------------------------------------------------------------------------------------------


def possible_transitions(obj, user, info: dict, field: str = "state") -> list[str]:
    """The transitions of `info` that `user` may run on `obj` in its current `field` state, their
    conditions aside. A button whose condition fails stays on the page: pressing it says what is missing
    (publishing without the English text, confirming without a programme), where a missing button would
    say nothing (foreign_affairs.fsm.available_transitions leaves such transitions out)."""
    state = getattr(obj, field)
    names = []
    for name in info:
        meta = getattr(getattr(type(obj), name, None), "_django_fsm", None)
        transition = meta.get_transition(state) if meta is not None else None
        if transition is not None and transition.has_perm(obj, user):
            names.append(name)
    return names


def unmet_conditions(obj, names, condition_errors: dict, field: str = "state") -> list[str]:
    """What the conditions of the transitions `names` still miss, as the services' own messages
    (`condition_errors`: a service's {condition's name: (code, message)})."""
    state = getattr(obj, field)
    found = []
    for name in names:
        transition = getattr(type(obj), name)._django_fsm.get_transition(state)
        for condition in transition.conditions:
            if not condition(obj) and condition.__name__ in condition_errors:
                message = str(condition_errors[condition.__name__][1])
                if message not in found:
                    found.append(message)
    return found


# The timeline ---------------------------------------------------------------------------------------------


class StateLabels:
    """The labels of the states of several machines (a project's stage and publication), in the shape
    foreign_affairs.admin_queue.timeline_events asks of one TextChoices."""

    def __init__(self, *choices):
        self.labels = {}
        for states in choices:
            self.labels.update(dict(states.choices))
        self.values = list(self.labels)

    def __call__(self, value):
        return _Label(self.labels[value])


class _Label:
    def __init__(self, label):
        self.label = label


def field_label(model, field: str) -> str:
    try:
        return str(model._meta.get_field(field).verbose_name)
    except FieldDoesNotExist:  # a field no longer on the model keeps its name in the history
        return field


def timeline(obj, *states, detail: Callable | None = None) -> list:
    """The audit events about `obj`, oldest first, with the labels of their states among `states` and what
    each changed as `event.detail`: the fields of an update, a document's name, else what the area's
    `detail(event, data)` says of its own events (an item ticked, an agreement's title), else nothing."""
    events = timeline_events(AuditEvent.objects.timeline_for(obj), StateLabels(*states))
    for event in events:
        data = event.data or {}
        fields = data.get("fields") if event.action.endswith(".update") else None
        if fields:
            event.detail = typography.enumerate_items(field_label(type(obj), name) for name in fields)
        elif data.get("name") and event.action.endswith((".attach", ".detach")):
            event.detail = data["name"]
        else:
            event.detail = detail(event, data) if detail is not None else ""
    return events


# Errors, forms and autocompletes --------------------------------------------------------------------------


def form_error_messages(form) -> list[str]:
    """A form's errors as lines, each with its field's label: "标题（中文）：……"."""
    return [
        f"{typography.label(form.fields[field].label) if field in form.fields else ''}{message}"
        for field, errors in form.errors.items()
        for message in errors
    ]


def labelled(error: ValidationError, *models) -> ValidationError:
    """A service's field errors with their fields' labels, for a message above the page: the label of the
    first of `models` to have the field (a case's own, or the registry's for an error the registry gives
    while the case runs)."""
    if not hasattr(error, "error_dict"):
        return error

    def prefix(field: str) -> str:
        for model in models:
            try:
                return typography.label(model._meta.get_field(field).verbose_name)
            except FieldDoesNotExist:
                continue
        return ""

    return ValidationError(
        [
            f"{prefix(field)}{message}"
            for field, messages_ in error.message_dict.items()
            for message in messages_
        ]
    )


def enterprises():
    """The enterprises of the free trade zone, by their Chinese names: what the forms' fields of enterprises
    offer."""
    return Organization.objects.filter(kind=OrganizationKind.ENTERPRISE).order_by("name_zh")


def organization_label(organization) -> str:
    """An organisation as an autocomplete shows it: its Chinese name, or to an English reader its English
    name with the Chinese one beside it."""
    if organization.name_en and (get_language() or "").startswith("en"):
        return typography.annotate(organization.name_en, organization.name_zh)
    return organization.name_zh


def autocomplete_response(request, found, label: Callable) -> JsonResponse:
    """One page (?page=) of `found` for the admin's autocomplete (select2's JSON), each row as `label`
    says."""
    try:
        page = Paginator(found, AUTOCOMPLETE_PAGE).get_page(request.GET.get("page"))
    except (TypeError, ValueError) as error:
        raise Http404 from error
    return JsonResponse(
        {
            "results": [{"id": str(item.pk), "text": label(item)} for item in page.object_list],
            "pagination": {"more": page.has_next()},
        }
    )


def enterprise_search(request) -> JsonResponse:
    """The enterprises whose names hold the term (?term=) or whose credit code it is, for the autocomplete of
    an officer's form (403 for anyone else)."""
    if not is_officer(request.user):
        raise PermissionDenied
    term = request.GET.get("term", "").strip()[:100]
    found = enterprises()
    if term:
        found = found.filter(Q(name_zh__icontains=term) | Q(name_en__icontains=term) | Q(uscc__iexact=term))
    return autocomplete_response(request, found, organization_label)


class DateInput(forms.DateInput):
    """The browser's own date picker (the value as YYYY-MM-DD)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


# The pages ------------------------------------------------------------------------------------------------


class OfficePageAdmin(QueueAdmin):
    """A read-only page whose buttons and forms call the services: officers act; leaders and managers read
    (their roles hold the view permissions only, and the services check the roles again). An area sets
    `form_page_template`, the page of `render_form_page`."""

    form_page_template: str
    view_on_site = False

    def has_change_permission(self, request, obj=None):
        return is_officer(request.user)

    def may_act(self, request) -> bool:
        return self.has_change_permission(request)

    def subject(self, obj) -> str:
        """What the messages and the confirmations call the object."""
        return obj.reference

    def _acting_object(self, request, object_id):
        """The object for a button's or a form's view: 404 outside the list, 403 for those who only read."""
        obj = self._object_or_404(request, object_id)
        if not self.may_act(request):
            raise PermissionDenied
        return obj

    def comment_key(self, obj, key: str = "") -> str:
        """Where the session keeps what was typed in a comment box of the page (`key` tells apart the boxes
        of a page with two state machines)."""
        base = self.comment_session_key % obj.pk
        return f"{base}-{key}" if key else base

    def keep_comment(self, request, obj, comment: str, *, key: str = "") -> None:
        """What the user typed, for the next try after a refusal."""
        if comment.strip():
            request.session[self.comment_key(obj, key)] = comment

    def transition_group(
        self, request, obj, names, *, info: dict | None = None, key: str = "", url_name: str = "transition"
    ) -> dict:
        """The buttons of the transitions `names` (of `info`, the page's own `transitions` unless said) with
        their comment box, kept from a refused try; `key` sets one machine's box apart from another's."""
        buttons = transition_buttons(
            names, self.transitions if info is None else info, subject=self.subject(obj)
        )
        return {
            "key": key,
            "buttons": buttons,
            "comment_required_for": [
                button["label"] for button in buttons if button["comment"] == "required"
            ],
            "comment": request.session.pop(self.comment_key(obj, key), ""),
            "url": self._url(url_name, obj.pk, request=request),
        }

    def render_form_page(self, request, form, *, title, intro="", submit, cancel_url, obj=None, **extra):
        """One form on a page of its own (what was typed stays after an error)."""
        context = {
            **self.admin_site.each_context(request),
            **self.wide_pages,
            "title": title,
            "intro": intro,
            "opts": self.opts,
            "original": obj,
            "form": form,
            "submit_label": submit,
            "cancel_url": cancel_url,
            "media": self.media + form.media,
            **extra,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.form_page_template, context)

    def run_form_service(self, request, form, call):
        """Call the service with the valid form and return what it returns. Its field errors go beside the
        fields (None: the page is shown again); any other refusal becomes a message (False: back to the
        object's page, nothing changed)."""
        try:
            return call()
        except ValidationError as error:
            add_service_errors(form, error)
            return None
        except REFUSALS as error:
            report_refusal(request, error)
            return False

    def run_small_form(self, request, form, call, *, done: str, model=None) -> bool:
        """A small form of the page (a note, a file, a link): its errors and the service's refusals as
        messages (the service's field errors with the labels of `model`'s fields). True when the service
        did it."""
        if not form.is_valid():
            messages.error(request, " ".join(form_error_messages(form)))
            return False
        return self.run_small_service(request, call, done=done, model=model)

    def run_small_service(self, request, call, *, done: str, model=None) -> bool:
        """A button of the page without a form (remove, tick, unlink): the service's refusal as a message,
        `done` once it did it. True when it did."""
        try:
            call()
        except REFUSALS as error:
            if isinstance(error, ValidationError) and model is not None:
                error = labelled(error, model)
            report_refusal(request, error)
            return False
        messages.success(request, done)
        return True

    def back_or_list(self, request, obj, anchor: str = ""):
        """Back to the object's page, or to the list when the object has left it (closed, say)."""
        if obj is not None and self.get_queryset(request).filter(pk=obj.pk).exists():
            return self._back(request, obj, anchor)
        return redirect(self._url("changelist", request=request))
