"""The incident queue and the incident page of the back office."""

from django.contrib import admin

from ..models import Incident


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "level", "state", "organization", "reported_at"]
    list_select_related = ["organization"]
