from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Document
from .services import document_delete


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Documents arrive through uploads (services.document_create); the back office reads them."""

    list_display = [
        "__str__",
        "kind",
        "organization",
        "content_type",
        "size",
        "uploaded_by",
        "created_at",
        "download_link",
    ]
    list_filter = ["kind", "content_type"]
    search_fields = ["title", "original_name", "organization__name_zh", "=sha256"]
    list_select_related = ["organization", "uploaded_by"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    fields = [
        "shown_title",
        "reference",
        "kind",
        "organization",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
        "created_at",
        "download_link",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("title"))
    def shown_title(self, obj):
        return obj.display_title

    @admin.display(description=_("download"))
    def download_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("documents:download", args=[obj.pk]), _("Download"))

    def delete_model(self, request, obj):
        document_delete(document=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for document in queryset:
            document_delete(document=document, actor=request.user)
