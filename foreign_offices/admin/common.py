"""What the back-office pages of foreign organisations share: state tags, date badges, the value of a
registry field in words, the page of a form that calls one service, and the base of the read-only pages."""

from datetime import date

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from foreign_affairs import typography
from foreign_affairs.admin_queue import REFUSALS, QueueAdmin, is_officer, report_refusal
from foreign_affairs.forms import add_service_errors
from foreign_affairs.security.countries import country_name

from ..models import ForeignOrganisation


def tag(choices, tones: dict, value: str):
    """A state as a coloured tag, the same colours as everywhere (workflow.*_TONES)."""
    label = choices(value).label if value in choices.values else value
    return format_html(
        '<span class="state-tag state-{}" data-state="{}">{}</span>',
        tones.get(value, "neutral"),
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


def field_label(model, field: str) -> str:
    try:
        return str(model._meta.get_field(field).verbose_name)
    except FieldDoesNotExist:  # a field no longer on the model keeps its name in the history
        return field


def value_text(model, field: str, text: str) -> str:
    """A value as the registry's history stores it (services.registry.field_text) in the reader's words:
    a choice's label, a country's name, a date in the reader's format, a person's name, yes or no."""
    if text in ("", None):
        return "—"
    try:
        model_field = model._meta.get_field(field)
    except FieldDoesNotExist:
        return text
    if field == "country":
        return country_name(text)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(text, text))
    if isinstance(model_field, models.DateField):
        day = parse_date(text)
        return date_format(day) if day else text
    if isinstance(model_field, models.BooleanField):
        return gettext("yes") if text == "True" else gettext("no")
    if isinstance(model_field, models.ForeignKey):
        return text.partition(":")[2] or text
    return text


def registry_value(field: str, text: str) -> str:
    return value_text(ForeignOrganisation, field, text)


def form_error_messages(form) -> list[str]:
    """A form's errors as lines, each with its field's label: "登记证号：……"."""
    return [
        f"{typography.label(form.fields[field].label) if field in form.fields else ''}{message}"
        for field, errors in form.errors.items()
        for message in errors
    ]


def labelled(error: ValidationError, model) -> ValidationError:
    """A service's field errors with their fields' labels (the model's, or the registry's for an error the
    registry gives while a case runs), for a message above the page."""
    if not hasattr(error, "error_dict"):
        return error

    def prefix(field: str) -> str:
        for owner in (model, ForeignOrganisation):
            try:
                return typography.label(owner._meta.get_field(field).verbose_name)
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


class OfficePageAdmin(QueueAdmin):
    """A read-only page whose buttons and forms call the services: officers act; leaders and managers read
    (their roles hold the view permissions only, and the services check the roles again)."""

    form_page_template = "admin/foreign_offices/form_page.html"
    # A report's or a request's own page is the organisation's (404 for the office): no "view on site".
    view_on_site = False

    def has_change_permission(self, request, obj=None):
        return is_officer(request.user)

    def subject(self, obj) -> str:
        """What the messages and the confirmations call the object."""
        return obj.reference

    def transition_done(self, changed, name: str) -> str:
        return gettext("“%(action)s” is done: %(reference)s is now “%(state)s”.") % {
            "action": self.transitions[name].label,
            "reference": self.subject(changed),
            "state": changed.get_state_display(),
        }

    def may_act(self, request) -> bool:
        return self.has_change_permission(request)

    def _acting_object(self, request, object_id):
        """The object for a button's or a form's view: 404 outside the list, 403 for those who only read."""
        obj = self._object_or_404(request, object_id)
        if not self.may_act(request):
            raise PermissionDenied
        return obj

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

    def back_or_list(self, request, obj, anchor: str = ""):
        if obj is not None and self.get_queryset(request).filter(pk=obj.pk).exists():
            return self._back(request, obj, anchor)
        return redirect(self._url("changelist", request=request))


NOTHING_TO_DO = _("There is nothing for you to do here now.")
