from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from foreign_affairs.accounts.selectors import scope_for_user

from .access import document_seen
from .models import Document
from .responses import document_download
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
        url = reverse("admin:documents_document_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))

    def get_urls(self):
        download = self.admin_site.admin_view(self.download_view)
        return [
            path("<uuid:pk>/download/", download, name="documents_document_download"),
            *super().get_urls(),
        ]

    def download_view(self, request, pk):
        """The back office's door to a stored file: whoever may download it from the documents page (the
        same check), and a passport scan or photograph is an access record of the back office."""
        document = get_object_or_404(scope_for_user(Document.objects.all(), request.user), pk=pk)
        if not self.has_view_permission(request, document):
            raise PermissionDenied
        response = document_download(document)
        document_seen(request, document)
        return response

    def delete_model(self, request, obj):
        document_delete(document=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for document in queryset:
            document_delete(document=document, actor=request.user)
