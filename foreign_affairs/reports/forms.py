"""The forms of the reports pages: the dashboard's filter bar and the export panel."""

from django import forms
from django.utils.translation import gettext_lazy as _

from foreign_affairs.forms import PortalForm, PortalFormMixin

from .filters import FiltersForm
from .models import Format
from .registry import REPORTS

# What each format is good for, shown under its name in the export panel.
FORMAT_HINTS = {
    Format.PDF: _("Figures, charts and the full list, ready to read and print."),
    Format.CSV: _("The list only, for any spreadsheet or database."),
    Format.XLSX: _("The list as an Excel workbook."),
}


class DashboardFiltersForm(PortalFormMixin, FiltersForm):
    """The period and area of the dashboard and of exports, with the portal's field styling."""


class ExportForm(PortalForm):
    report = forms.ChoiceField(label=_("Report"), widget=forms.RadioSelect)
    format = forms.ChoiceField(
        label=_("Format"), choices=Format.choices, widget=forms.RadioSelect, initial=Format.PDF
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The catalogue is filled by the areas' registrations, so it is read per form, never at import.
        self.fields["report"].choices = [(name, definition.title) for name, definition in REPORTS.items()]
        self.fields["report"].initial = next(iter(REPORTS), None)

    def catalogue(self) -> list[dict]:
        """The report choices with their descriptions, and which one is chosen."""
        chosen = self["report"].value() or self.fields["report"].initial
        return [
            {
                "name": name,
                "title": definition.title,
                "description": definition.description,
                "checked": name == chosen,
            }
            for name, definition in REPORTS.items()
        ]

    def formats(self) -> list[dict]:
        chosen = self["format"].value() or self.fields["format"].initial
        return [
            {"value": value, "label": label, "hint": FORMAT_HINTS.get(value, ""), "checked": value == chosen}
            for value, label in Format.choices
        ]
