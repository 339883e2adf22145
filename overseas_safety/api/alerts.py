"""`/api/v1/safety/alerts/` (CONTRACT.md): safety alerts. Office staff read every alert and officers prepare
and send them; enterprise users read the alerts that concern their organisation's people, with those
people's answers, and answer for them (the liaison, or the person with their own account).

One implementation underneath: overseas_safety.services.alerts (the same as the back office and the
one-click answer page).
"""

from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from foreign_affairs.api.schema import conflict
from foreign_affairs.security.countries import country_name

from ..models import AlertRecipient, Answer, SafetyAlert
from ..services import alerts as services


class AlertRecipientSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = AlertRecipient
        fields = [
            "id",
            "person",
            "person_name",
            "organization",
            "organization_name",
            "source",
            "city",
            "notified_at",
            "answer",
            "answered_at",
        ]
        read_only_fields = fields


class SafetyAlertSerializer(serializers.ModelSerializer):
    country = serializers.SerializerMethodField()
    country_name = serializers.SerializerMethodField()
    answers = serializers.SerializerMethodField()

    class Meta:
        model = SafetyAlert
        fields = [
            "id",
            "reference",
            "country",
            "country_name",
            "city",
            "title",
            "message",
            "state",
            "recipient_count",
            "sent_count",
            "answers",
            "answers_expire_at",
            "created_at",
            "sent_at",
        ]
        read_only_fields = fields

    def get_country(self, alert) -> str:
        """ISO 3166-1 code, e.g. NG."""
        return alert.country.code

    def get_country_name(self, alert) -> str:
        return country_name(alert.country.code)

    def get_answers(self, alert) -> dict[str, int]:
        """{"safe", "need_help", "none", "total"} among the people the caller may see."""
        return {
            "safe": alert.n_safe,
            "need_help": alert.n_help,
            "none": alert.n_total - alert.n_safe - alert.n_help,
            "total": alert.n_total,
        }


class AlertWriteSerializer(serializers.Serializer):
    country = serializers.CharField(max_length=2, help_text="ISO 3166-1 code of a country abroad, e.g. NG.")
    city = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    title = serializers.CharField(max_length=200)
    message = serializers.CharField()


class AnswerSerializer(serializers.Serializer):
    recipient = serializers.IntegerField(help_text="The id of a recipient of this alert (`recipients/`).")
    answer = serializers.ChoiceField(choices=[Answer.SAFE.value, Answer.NEED_HELP.value])


class SafetyAlertViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Safety alerts: `POST` prepares a draft (officers), `POST /{id}/send/` sends it once (409 when it is
    already sending or sent), `GET /{id}/recipients/` lists the people and their answers,
    `POST /{id}/answer/` answers for one of them."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = SafetyAlertSerializer
    queryset = SafetyAlert.objects.none()

    def _organization_id(self):
        user = self.request.user
        return None if user.is_office_staff else getattr(user.organization, "pk", -1)

    def recipients_of(self, alert):
        rows = alert.recipients.all()
        organization = self._organization_id()
        return rows if organization is None else rows.filter(organization_id=organization)

    def get_queryset(self):
        """The alerts with their answer counts (among the caller's people), in one query."""
        organization = self._organization_id()
        mine = Q() if organization is None else Q(recipients__organization_id=organization)
        alerts = SafetyAlert.objects.annotate(
            n_total=Count("recipients", filter=mine),
            n_safe=Count("recipients", filter=mine & Q(recipients__answer=Answer.SAFE)),
            n_help=Count("recipients", filter=mine & Q(recipients__answer=Answer.NEED_HELP)),
        ).order_by("-created_at", "-pk")
        if organization is not None:
            concerned = AlertRecipient.objects.filter(alert=OuterRef("pk"), organization_id=organization)
            alerts = alerts.filter(Exists(concerned))
        return alerts

    def _detail(self, alert, status_code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=alert.pk)).data, status=status_code)

    @extend_schema(
        request=AlertWriteSerializer, responses={201: SafetyAlertSerializer}, summary="Prepare an alert"
    )
    def create(self, request, *args, **kwargs):
        serializer = AlertWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        alert = services.alert_create(actor=request.user, data=dict(serializer.validated_data))
        return self._detail(alert, status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={200: SafetyAlertSerializer, 409: conflict("The alert is already being sent, or was sent")},
        summary="Send the alert (once)",
    )
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None, **kwargs):
        return self._detail(services.alert_send(alert=self.get_object(), actor=request.user))

    @extend_schema(
        responses={200: AlertRecipientSerializer(many=True)}, summary="The people and their answers"
    )
    @action(detail=True, methods=["get"])
    def recipients(self, request, pk=None, **kwargs):
        rows = self.recipients_of(self.get_object()).select_related("person", "organization")
        page = self.paginate_queryset(rows.order_by("organization__name_zh", "person__full_name", "pk"))
        return self.get_paginated_response(AlertRecipientSerializer(page, many=True).data)

    @extend_schema(
        request=AnswerSerializer, responses={200: AlertRecipientSerializer}, summary="Answer for a person"
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None, **kwargs):
        serializer = AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        recipient = get_object_or_404(
            self.recipients_of(self.get_object()).select_related("person"),
            pk=serializer.validated_data["recipient"],
        )
        recipient = services.alert_answer(
            recipient=recipient, answer=serializer.validated_data["answer"], actor=request.user
        )
        return Response(AlertRecipientSerializer(recipient).data)


ROUTES = [("alerts", SafetyAlertViewSet, "safety-alert")]
