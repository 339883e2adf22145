"""What the back-office pages of cooperation projects share: the state tags, the due-date badges, the
transitions a user may press, the timeline, and the base of the read-only pages whose buttons and forms
call the services (officers act; leaders and managers read)."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext

from foreign_affairs import typography
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

from ..workflow import (
    INTEREST_TONES,
    PUBLICATION_TONES,
    STAGE_TONES,
    InterestState,
    Publication,
    Stage,
)


def tag(choices, tones: dict, value: str, kind: str = "state"):
    """A state as a coloured tag, the same colours as everywhere (workflow.*_TONES)."""
    label = choices(value).label if value in choices.values else value
    return format_html(
        '<span class="state-tag state-{}" data-{}="{}">{}</span>',
        tones.get(value, "neutral"),
        kind,
        value,
        label,
    )


def stage_tag(value: str):
    return tag(Stage, STAGE_TONES, value, "stage")


def publication_tag(value: str):
    return tag(Publication, PUBLICATION_TONES, value, "publication")


def interest_tag(value: str):
    return tag(InterestState, INTEREST_TONES, value)


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


def possible_transitions(obj, user, info: dict, field: str) -> list[str]:
    """The transitions of `info` that `user` may run on `obj` in its current `field` state, their
    conditions aside. A button whose condition fails stays on the page: pressing it says what is missing
    (publishing without the English text, forwarding without an enterprise), where a missing button would
    say nothing (foreign_affairs.fsm.available_transitions leaves such transitions out)."""
    state = getattr(obj, field)
    names = []
    for name in info:
        meta = getattr(getattr(type(obj), name, None), "_django_fsm", None)
        transition = meta.get_transition(state) if meta is not None else None
        if transition is not None and transition.has_perm(obj, user):
            names.append(name)
    return names


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


def timeline(obj, *states) -> list:
    """The audit events about `obj`, oldest first, with the labels of their states among `states` and the
    fields an update changed."""
    events = timeline_events(AuditEvent.objects.timeline_for(obj), StateLabels(*states))
    for event in events:
        data = event.data or {}
        fields = data.get("fields") if event.action.endswith(".update") else None
        if fields:
            event.detail = typography.enumerate_items(field_label(type(obj), name) for name in fields)
        elif data.get("name") and event.action.endswith((".attach", ".detach")):
            event.detail = data["name"]
        elif "public" in data and "document" in data:
            event.detail = (
                gettext("a document is shown on the public page")
                if data["public"]
                else gettext("a document is no longer shown on the public page")
            )
        else:
            event.detail = ""
    return events


def field_label(model, field: str) -> str:
    try:
        return str(model._meta.get_field(field).verbose_name)
    except FieldDoesNotExist:  # a field no longer on the model keeps its name in the history
        return field


def form_error_messages(form) -> list[str]:
    """A form's errors as lines, each with its field's label: "标题（中文）：……"."""
    return [
        f"{typography.label(form.fields[field].label) if field in form.fields else ''}{message}"
        for field, errors in form.errors.items()
        for message in errors
    ]


def labelled(error: ValidationError, model) -> ValidationError:
    """A service's field errors with their fields' labels, for a message above the page."""
    if not hasattr(error, "error_dict"):
        return error

    def prefix(field: str) -> str:
        try:
            return typography.label(model._meta.get_field(field).verbose_name)
        except FieldDoesNotExist:
            return ""

    return ValidationError(
        [
            f"{prefix(field)}{message}"
            for field, messages_ in error.message_dict.items()
            for message in messages_
        ]
    )


class OfficePageAdmin(QueueAdmin):
    """A read-only page whose buttons and forms call the services: officers act; leaders and managers read
    (their roles hold the view permissions only, and the services check the roles again)."""

    form_page_template = "admin/projects/form_page.html"
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

    def transition_group(self, request, obj, names, *, info: dict, key: str, url_name: str = "transition"):
        """The buttons of one state machine on the page (admin/projects/includes/transitions.html): `key`
        sets the comment box apart from the other machine's."""
        buttons = transition_buttons(names, info, subject=self.subject(obj))
        return {
            "key": key,
            "buttons": buttons,
            "comment_required_for": [
                button["label"] for button in buttons if button["comment"] == "required"
            ],
            "comment": request.session.pop(f"{self.comment_session_key % obj.pk}-{key}", ""),
            "url": self._url(url_name, obj.pk, request=request),
        }

    def keep_comment(self, request, obj, key: str, comment: str) -> None:
        """What the officer typed, for the next try after a refusal."""
        if comment.strip():
            request.session[f"{self.comment_session_key % obj.pk}-{key}"] = comment

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

    def run_small_form(self, request, obj, form, call, *, done: str, model=None) -> None:
        """A small form of the page (a note, a file): its errors and the service's refusals as messages."""
        if not form.is_valid():
            messages.error(request, " ".join(form_error_messages(form)))
            return
        try:
            call()
        except REFUSALS as error:
            if isinstance(error, ValidationError) and model is not None:
                error = labelled(error, model)
            report_refusal(request, error)
        else:
            messages.success(request, done)

    def back_or_list(self, request, obj, anchor: str = ""):
        if obj is not None and self.get_queryset(request).filter(pk=obj.pk).exists():
            return self._back(request, obj, anchor)
        return redirect(self._url("changelist", request=request))
