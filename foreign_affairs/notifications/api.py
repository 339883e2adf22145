"""REST API for the caller's in-app notifications."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .models import Notification
from .selectors import inbox_for, unread_count_for
from .services import mark_read


class NotificationSerializer(serializers.ModelSerializer):
    # In the caller's language (Notification.texts), whatever language the recipient had when it was made.
    subject = serializers.CharField(source="display_subject", read_only=True)
    body = serializers.CharField(source="display_body", read_only=True)
    unread = serializers.BooleanField(source="is_unread", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "subject", "body", "link", "created_at", "read_at", "unread"]
        read_only_fields = fields


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = NotificationSerializer
    filterset_fields = []
    queryset = Notification.objects.none()

    def get_queryset(self):
        unread_only = self.request.query_params.get("unread") in ("1", "true")
        return inbox_for(self.request.user, unread_only=unread_only)

    @extend_schema(request=None, responses={204: None}, summary="Mark one notification read")
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None, format=None):
        mark_read(user=request.user, notification_ids=[self.get_object().pk])
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=None,
        responses={200: inline_serializer("MarkedRead", {"marked": serializers.IntegerField()})},
        summary="Mark all notifications read",
    )
    @action(detail=False, methods=["post"])
    def read_all(self, request, format=None):
        return Response({"marked": mark_read(user=request.user)})

    @extend_schema(
        responses={200: inline_serializer("UnreadCount", {"unread": serializers.IntegerField()})},
        summary="Number of unread notifications",
    )
    @action(detail=False, methods=["get"])
    def unread_count(self, request, format=None):
        return Response({"unread": unread_count_for(request.user)})
