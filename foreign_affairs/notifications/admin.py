from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Notification, Status
from .services import notification_retry


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The outbox, for finding out why an e-mail did not arrive and sending it again."""

    list_display = [
        "subject",
        "recipient",
        "channel",
        "status",
        "attempts",
        "created_at",
        "sent_at",
        "read_at",
    ]
    list_filter = ["status", "channel"]
    search_fields = ["subject", "recipient__username", "recipient__email"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    actions = ["retry"]
    readonly_fields = [
        "recipient",
        "channel",
        "subject",
        "body",
        "template",
        "link",
        "key",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "sent_at",
        "read_at",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the selected e-mails again"), permissions=["change"])
    def retry(self, request, queryset):
        count = 0
        for notification in queryset.exclude(status=Status.SENT):
            notification_retry(notification=notification, actor=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d e-mail was queued again.", "%(count)d e-mails were queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )
