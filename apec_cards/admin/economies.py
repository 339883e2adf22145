"""The APEC economies: officers correct their names and record a change of participation (audited);
the list of economies itself comes from the migration, so nothing is added or deleted here."""

from django.contrib import admin

from .. import services
from ..models import Economy
from ..services.economies import ECONOMY_FIELDS

EDITABLE = list(ECONOMY_FIELDS)


@admin.register(Economy)
class EconomyAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "participation", "is_home", "position"]
    list_filter = ["participation"]
    search_fields = ["code", "name_zh", "name_en"]
    ordering = ["position", "code"]
    fields = ["code", *EDITABLE, "is_home", "position"]
    readonly_fields = ["code", "is_home", "position"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """Through the service: checked, saved and audited in one transaction."""
        services.economy_update(
            economy=obj, actor=request.user, data={field: form.cleaned_data[field] for field in EDITABLE}
        )
