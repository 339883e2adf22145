from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only, so there is nothing to add, change or delete here."""

    list_display = ["id", "created_at", "actor_label", "action", "object_repr", "from_state", "to_state"]
    list_filter = ["action", "content_type"]
    search_fields = ["action", "object_repr", "actor_label", "object_id", "comment"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    list_select_related = ["content_type"]
    readonly_fields = [
        "created_at",
        "actor",
        "actor_label",
        "action",
        "content_type",
        "object_id",
        "object_repr",
        "from_state",
        "to_state",
        "comment",
        "data",
        "key_id",
        "prev_hash",
        "hash",
    ]
    fieldsets = [
        (None, {"fields": ["created_at", "actor", "actor_label", "action"]}),
        (_("Object"), {"fields": ["content_type", "object_id", "object_repr", "from_state", "to_state"]}),
        (_("Details"), {"fields": ["comment", "data"]}),
        (_("Chain"), {"fields": ["key_id", "prev_hash", "hash"], "classes": ["collapse"]}),
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
