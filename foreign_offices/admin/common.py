"""What the back-office pages of foreign organisations have of their own on top of
foreign_affairs.admin_pages: the value of a registry field in words, and the base of the read-only pages
with the template of their forms."""

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from foreign_affairs import admin_pages
from foreign_affairs.security.countries import country_name

from ..models import ForeignOrganisation


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


class OfficePageAdmin(admin_pages.OfficePageAdmin):
    """A read-only page whose buttons and forms call the services (foreign_affairs.admin_pages); its forms are
    on admin/foreign_offices/form_page.html."""

    form_page_template = "admin/foreign_offices/form_page.html"

    def transition_done(self, changed, name: str) -> str:
        return gettext("“%(action)s” is done: %(reference)s is now “%(state)s”.") % {
            "action": self.transitions[name].label,
            "reference": self.subject(changed),
            "state": changed.get_state_display(),
        }


NOTHING_TO_DO = _("There is nothing for you to do here now.")
