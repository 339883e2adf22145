"""What the office sets for foreign organisations: the annual report window of each year
(services.annual.window_set) and the working days a setting-up case may wait in each state."""

from django import forms
from django.contrib import admin
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from foreign_affairs.admin_queue import is_officer

from ..models import CaseServiceLevel, ReportingWindow
from ..services import annual, cases
from ..services.annual import current_report_year
from ..workflow import DEFAULT_SERVICE_LEVELS
from .forms import ReportingWindowForm


@admin.register(ReportingWindow)
class ReportingWindowAdmin(admin.ModelAdmin):
    """A year without a window of its own follows the default (ReportingWindow.default_for)."""

    form = ReportingWindowForm
    list_display = ["year", "opens", "due"]
    ordering = ["-year"]
    fieldsets = [
        (
            None,
            {
                "fields": ["year", "opens_on", "due_on"],
                "description": _(
                    "Organisations file their report on a year from the day filing opens; a report after the "
                    "due date is marked late, and reminders go out before and after it."
                ),
            },
        )
    ]

    def get_readonly_fields(self, request, obj=None):
        return ["year"] if obj is not None else []

    def get_changeform_initial_data(self, request):
        default = ReportingWindow.default_for(current_report_year() + 1)
        return {"year": default.year, "opens_on": default.opens_on, "due_on": default.due_on}

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("filing opens on"), ordering="opens_on")
    def opens(self, window):
        return date_format(window.opens_on)

    @admin.display(description=_("due on"), ordering="due_on")
    def due(self, window):
        return date_format(window.due_on)

    def save_model(self, request, obj, form, change):
        """Through the service (officers only, locked, audited)."""
        window = annual.window_set(
            actor=request.user, year=obj.year, opens_on=obj.opens_on, due_on=obj.due_on
        )
        obj.pk = window.pk


class CaseServiceLevelForm(forms.ModelForm):
    class Meta:
        model = CaseServiceLevel
        fields = ["working_days"]

    def clean_working_days(self):
        days = self.cleaned_data["working_days"]
        if not 1 <= days <= 250:
            raise forms.ValidationError(_("Give a number of working days between 1 and 250."))
        return days


@admin.register(CaseServiceLevel)
class CaseServiceLevelAdmin(admin.ModelAdmin):
    form = CaseServiceLevelForm
    list_display = ["state", "working_days", "default_days"]
    fieldsets = [
        (
            None,
            {
                "fields": ["state", "working_days"],
                "description": _(
                    "Deadlines count working days from the day a case enters the state. A change applies to "
                    "cases entering the state from now on."
                ),
            },
        )
    ]
    readonly_fields = ["state"]

    def has_add_permission(self, request):
        return False  # one row per open state, written by the data migration

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return is_officer(request.user)

    @admin.display(description=_("default"))
    def default_days(self, level):
        return DEFAULT_SERVICE_LEVELS.get(level.state, "—")

    def save_model(self, request, obj, form, change):
        cases.service_level_save(level=obj, actor=request.user)
