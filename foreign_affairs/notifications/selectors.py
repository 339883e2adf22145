"""Reading a user's notifications."""

from django.db.models import QuerySet

from .models import Channel, Notification


def inbox_for(user, *, unread_only: bool = False) -> QuerySet:
    """The user's in-app notifications, newest first. Nobody sees another user's notifications."""
    if not user.is_authenticated:
        return Notification.objects.none()
    notifications = Notification.objects.filter(recipient=user, channel=Channel.IN_APP)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.order_by("-created_at", "-id")


def unread_count_for(user) -> int:
    return inbox_for(user, unread_only=True).count()
