"""`/api/v1/passport-handovers/`: the custody ledger of official passports."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from foreign_affairs.accounts.api import listed_in
from foreign_affairs.accounts.models import Person
from foreign_affairs.accounts.selectors import scope_for_user

from .. import services
from ..models import PassportHandover, TravelApplication
from ..passports import handover_number_shown


class HandoverSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    application_reference = serializers.CharField(source="application.reference", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    passport_number = serializers.SerializerMethodField()

    class Meta:
        model = PassportHandover
        fields = [
            "id",
            "application",
            "application_reference",
            "person",
            "person_name",
            "passport_number",
            "handed_out_at",
            "handed_to",
            "due_on",
            "returned_at",
            "is_overdue",
            "notes",
        ]
        read_only_fields = fields

    def get_passport_number(self, handover) -> str:
        """Masked in the list; one handover's answer shows it whole to the office and the own
        organisation, and records the look (approvals.passports)."""
        return handover_number_shown(self.context.get("request"), handover, listed=listed_in(self))


class HandOutSerializer(serializers.Serializer):
    application = serializers.IntegerField()
    person = serializers.IntegerField()
    handed_to = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    notes = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ReturnSerializer(serializers.Serializer):
    returned_on = serializers.DateField(
        required=False,
        help_text="The day the passport came back into custody (YYYY-MM-DD); today when left out. Neither in "
        "the future nor before the day it was handed out.",
    )


class HandoverViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Passports of the caller's organisation handed out for trips (office staff: all)."""

    serializer_class = HandoverSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["application", "person"]
    queryset = PassportHandover.objects.none()

    def get_queryset(self):
        return scope_for_user(
            PassportHandover.objects.select_related("person", "application"), self.request.user
        ).order_by("-handed_out_at")

    @extend_schema(
        request=HandOutSerializer,
        responses={201: HandoverSerializer},
        summary="Hand out a member's official passport for an approved trip",
    )
    def create(self, request, *args, **kwargs):
        serializer = HandOutSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        application = (
            scope_for_user(TravelApplication.objects.all(), request.user)
            .filter(pk=data["application"])
            .first()
        )
        person = scope_for_user(Person.objects.all(), request.user).filter(pk=data["person"]).first()
        if application is None or person is None:
            raise serializers.ValidationError({"application": ["No such application or person."]})
        handover = services.passport_hand_out(
            application=application,
            person=person,
            actor=request.user,
            handed_to=data["handed_to"],
            notes=data["notes"],
        )
        return Response(self.get_serializer(handover).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ReturnSerializer,
        responses={200: HandoverSerializer},
        summary="Record the passport's return",
        description="Records the day the passport came back (`returned_on`, today by default). 400 with an "
        "error on `returned_on` for a day in the future or before the hand-out, or when the passport is "
        "back already; 403 for anyone but an officer or the organisation's liaison.",
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None, format=None):
        handover = self.get_object()  # 404 for other organisations' before anything is checked
        serializer = ReturnSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        handover = services.passport_return(
            handover=handover,
            actor=request.user,
            returned_on=serializer.validated_data.get("returned_on"),
        )
        return Response(self.get_serializer(handover).data)
