from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .models import ReportJob
from .registry import REPORTS


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    """Every export, for superusers finding out why one failed or who exports what. Read-only: exports are
    started on the reports page or through the API (services.job_start), and the beat job removes them.
    Other staff do not see it, although their role may view their own jobs: an export is its owner's."""

    list_display = [
        "title",
        "format",
        "state",
        "progress_percent",
        "created_by",
        "created_at",
        "finished_at",
        "file_size",
        "expires_at",
    ]
    list_filter = ["state", "format", "report"]
    search_fields = ["created_by__username", "created_by__last_name", "report", "error"]
    list_select_related = ["created_by"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    fields = [
        "id",
        "report",
        "format",
        "filters",
        "state",
        "progress",
        "rows",
        "size",
        "error",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
        "expires_at",
        "attempts",
    ]
    readonly_fields = fields

    @admin.display(description=_("report"), ordering="report")
    def title(self, job):
        definition = REPORTS.get(job.report)
        return definition.title if definition else job.report

    @admin.display(description=_("progress"), ordering="progress")
    def progress_percent(self, job):
        return f"{job.progress}%"

    @admin.display(description=_("size"), ordering="size")
    def file_size(self, job):
        return filesizeformat(job.size) if job.size is not None else "—"

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
