from django.contrib import admin

from .models import CountryAdvisory
from .services import advisory_save


@admin.register(CountryAdvisory)
class CountryAdvisoryAdmin(admin.ModelAdmin):
    list_display = ["country", "level", "updated_at", "updated_by"]
    list_filter = ["level"]
    search_fields = ["country", "summary"]
    readonly_fields = ["updated_at", "updated_by"]

    def save_model(self, request, obj, form, change):
        advisory_save(advisory=obj, actor=request.user)
