"""The industries projects are filed under (a taxonomy the office edits) in the back office.

Officers add industries, rename them, mark the office's priority ones, put them in order and take them out
of use — from the list itself (priority, in use, order) or an industry's page. Every save goes through
services.taxonomy.industry_save (officers only, locked, audited; renaming refreshes the catalogue's search
of the projects filed under it). Nothing is deleted: an industry no longer in use stays on old projects.
"""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from foreign_affairs.admin_queue import TermSearchMixin, is_officer

from ..models import Industry
from ..services import taxonomy as services
from .filters import INDUSTRY_SEARCH_HELP, AreaFilter, industry_search_q


class IndustryAreaFilter(AreaFilter):
    field = "area"


class IndustryForm(forms.ModelForm):
    class Meta:
        model = Industry
        fields = list(services.FIELDS)


def _adopt(obj, saved) -> None:
    """Make the admin's unsaved object stand for the row the service saved (for the redirect and the log)."""
    obj.pk = saved.pk
    obj._state.adding = False
    obj._state.db = saved._state.db


@admin.register(Industry)
class IndustryAdmin(TermSearchMixin, admin.ModelAdmin):
    form = IndustryForm
    list_display = ["name_zh", "name_en", "area_label", "priority", "active", "order", "project_count"]
    list_display_links = ["name_zh"]
    list_editable = ["priority", "active", "order"]
    list_filter = ["priority", "active", IndustryAreaFilter]
    search_fields = ["name_zh"]  # turns the search box on; the search itself is search_filter
    search_help_text = INDUSTRY_SEARCH_HELP
    ordering = ["-priority", "order", "code"]
    list_per_page = 100
    show_facets = admin.ShowFacets.NEVER
    change_list_template = "admin/projects/industry/change_list.html"
    fieldsets = [
        (None, {"fields": ["name_zh", "name_en", "code", "area"]}),
        (_("In the lists"), {"fields": ["priority", "active", "order"]}),
    ]

    def changelist_view(self, request, extra_context=None):
        # The list's columns need the width the admin's navigation takes.
        return super().changelist_view(request, {"is_nav_sidebar_enabled": False, **(extra_context or {})})

    def search_filter(self, term: str):
        return industry_search_q(term)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(projects_total=Count("projects"))

    def get_readonly_fields(self, request, obj=None):
        # The code is what links and filters name an industry by: fixed once given.
        return ["code"] if obj is not None else []

    def has_add_permission(self, request):
        return is_officer(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return is_officer(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # taken out of use instead ("in use")

    @admin.display(description=_("area"), ordering="area")
    def area_label(self, industry):
        return industry.get_area_display() or _("All areas")

    @admin.display(description=_("projects"), ordering="projects_total")
    def project_count(self, industry):
        return industry.projects_total

    def save_model(self, request, obj, form, change):
        """Through the service (officers only, locked, audited), from the page and from the list alike."""
        if change:
            data = {field: form.cleaned_data[field] for field in form.changed_data}
            if data:
                services.industry_save(actor=request.user, data=data, industry=obj)
        else:
            _adopt(obj, services.industry_save(actor=request.user, data=form.cleaned_data))
