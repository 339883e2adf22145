"""`/api/v1/apec-cards/applications/` (CONTRACT.md): drafts, documents, pre-check, transitions,
pre-clearance decisions and history."""

import django_filters
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from foreign_affairs.accounts.models import Person
from foreign_affairs.accounts.selectors import scope_for_user
from foreign_affairs.api.actions import (
    add_transition_actions,
    assign_action,
    attachment_action,
    history_action,
)
from foreign_affairs.api.schema import conflict
from foreign_affairs.api.serializers import FindingSerializer, attachment_serializers

from .. import selectors, services
from ..filters import ApplicationFilter
from ..models import Card, CardApplication, CardAttachment, Decision, Economy, PreClearance
from ..views.passports import passport_number_shown
from ..workflow import TRANSITIONS, Kind


class PreClearanceSerializer(serializers.ModelSerializer):
    economy_name = serializers.CharField(source="economy.name", read_only=True)
    waiting_days = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = PreClearance
        fields = ["economy", "economy_name", "decision", "requested_on", "decided_on", "note", "waiting_days"]
        read_only_fields = fields


class CardApplicationListSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    available_transitions = serializers.SerializerMethodField()
    # Counted by selectors.with_preclearance_counts (lists, and the answers of actions); null elsewhere.
    economies_pending = serializers.IntegerField(read_only=True, default=None, allow_null=True)
    economies_approved = serializers.IntegerField(read_only=True, default=None, allow_null=True)

    class Meta:
        model = CardApplication
        fields = [
            "id",
            "reference",
            "organization",
            "organization_name",
            "kind",
            "person",
            "person_name",
            "state",
            "available_transitions",
            "economies_pending",
            "economies_approved",
            "submitted_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_available_transitions(self, application) -> list[str]:
        return services.available_transitions(application, self.context["request"].user)


class CardApplicationSerializer(CardApplicationListSerializer):
    economies = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    preclearances = PreClearanceSerializer(many=True, read_only=True)
    attachments = attachment_serializers(CardAttachment)[0](many=True, read_only=True)
    replaces_card = serializers.CharField(
        source="replaces_card.number", read_only=True, default=None, allow_null=True
    )
    card = serializers.SerializerMethodField()
    assigned_officer = serializers.CharField(
        source="assigned_officer.username", read_only=True, default=None, allow_null=True
    )
    passport_number = serializers.SerializerMethodField(
        help_text="Whole for the office and the applying organisation (each answer is an access record)."
    )

    class Meta(CardApplicationListSerializer.Meta):
        fields = [
            *CardApplicationListSerializer.Meta.fields,
            "passport_number",
            "passport_expiry",
            "economies",
            "justification",
            "travel_history",
            "replacement_reason",
            "replaces_card",
            "preclearances",
            "attachments",
            "card",
            "assigned_officer",
            "endorsed_at",
            "preclearance_requested_at",
            "decided_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_passport_number(self, application) -> str:
        return passport_number_shown(self.context["request"], application)

    def get_card(self, application) -> int | None:
        """The id of the card issued on this application (cards API), once issued."""
        return Card.objects.filter(application=application).values_list("pk", flat=True).first()


class CardApplicationWriteSerializer(serializers.Serializer):
    person = serializers.IntegerField(help_text="A traveller of your organisation (people API).")
    kind = serializers.ChoiceField(choices=Kind.choices, default=Kind.NEW)
    economies = serializers.ListField(
        child=serializers.CharField(max_length=2),
        required=False,
        help_text="Codes of the economies to ask for pre-clearance (full participants other than CN); "
        "default: all of them. Ignored for a replacement or new passport (the card's economies carry over).",
    )
    justification = serializers.CharField(help_text="The business need for frequent travel.")
    travel_history = serializers.CharField(required=False, allow_blank=True, default="")
    replacement_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    passport_number = serializers.CharField(
        required=False, max_length=20, help_text="Default: the traveller's passport on record."
    )
    passport_expiry = serializers.DateField(required=False)


class CardApplicationUpdateSerializer(CardApplicationWriteSerializer):
    person = serializers.IntegerField(required=False)
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    justification = serializers.CharField(required=False)
    travel_history = serializers.CharField(required=False, allow_blank=True)
    replacement_reason = serializers.CharField(required=False, allow_blank=True, max_length=200)


class PreClearanceWriteSerializer(serializers.Serializer):
    economy = serializers.CharField(max_length=2, help_text="Economy code, e.g. AU")
    decision = serializers.ChoiceField(choices=[Decision.APPROVED, Decision.REFUSED])
    decided_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class CardApplicationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """APEC card applications of the caller's organisation (office staff: all). Transitions are
    `POST /{id}/<transition>/`; 403 without the role, 409 when the state does not allow it, 400 when the
    application is incomplete or a required comment is missing."""

    permission_classes = [permissions.IsAuthenticated]
    filterset_class = ApplicationFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = CardApplication.objects.none()

    def get_queryset(self):
        if self.action == "list":
            return selectors.application_list_for(self.request.user)
        applications = scope_for_user(CardApplication.objects.all(), self.request.user)
        return selectors.application_with_details(selectors.with_preclearance_counts(applications))

    def get_serializer_class(self):
        if self.action == "list":
            return CardApplicationListSerializer
        if self.action == "create":
            return CardApplicationWriteSerializer
        if self.action == "partial_update":
            return CardApplicationUpdateSerializer
        return CardApplicationSerializer

    def detail_response(self, application, status_code=status.HTTP_200_OK):
        application = selectors.application_with_details(
            selectors.with_preclearance_counts(CardApplication.objects.all())
        ).get(pk=application.pk)
        return Response(
            CardApplicationSerializer(application, context=self.get_serializer_context()).data,
            status=status_code,
        )

    def _scoped_person(self, data):
        """Refuse a person outside the caller's organisation as if it did not exist."""
        if "person" in data and request_person(self.request, data["person"]) is None:
            raise serializers.ValidationError({"person": _("Choose a traveller of your organisation.")})

    @extend_schema(
        request=CardApplicationWriteSerializer,
        responses={201: CardApplicationSerializer},
        summary="Start a draft card application",
    )
    def create(self, request, *args, **kwargs):
        serializer = CardApplicationWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if request.user.organization is None:
            raise PermissionDenied(_("Only enterprise staff apply for APEC cards."))
        data = dict(serializer.validated_data)
        self._scoped_person(data)
        application = services.application_create(
            actor=request.user, organization=request.user.organization, data=data
        )
        return self.detail_response(application, status.HTTP_201_CREATED)

    @extend_schema(
        request=CardApplicationUpdateSerializer,
        responses={200: CardApplicationSerializer, 409: conflict("Changed only as a draft or when returned")},
        summary="Change a draft or returned application",
    )
    def partial_update(self, request, *args, **kwargs):
        application = self.get_object()
        serializer = CardApplicationUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        self._scoped_person(data)
        application = services.application_update(application=application, actor=request.user, data=data)
        return self.detail_response(application)

    attachments = attachment_action(
        add=services.attachment_add,
        model=CardAttachment,
        summary="Attach the passport page, a photograph, an endorsement letter or another document",
    )

    @extend_schema(
        responses={200: FindingSerializer(many=True)}, summary="What still stands in the way", filters=False
    )
    @action(detail=True, methods=["get"], pagination_class=None)  # a plain list, not a page of one
    def precheck(self, request, pk=None, format=None):
        return Response(services.precheck(self.get_object()))

    @extend_schema(
        request=PreClearanceWriteSerializer,
        responses={
            200: CardApplicationSerializer,
            409: conflict("Recorded only once the economies have been asked"),
        },
        summary="Record an economy's pre-clearance decision (officers)",
    )
    @action(detail=True, methods=["post"])
    def preclearances(self, request, pk=None, format=None):
        application = self.get_object()
        serializer = PreClearanceWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.preclearance_record(application=application, actor=request.user, **serializer.validated_data)
        return self.detail_response(application)

    assign = assign_action(assign=services.application_assign, response=CardApplicationSerializer)
    history = history_action()


def request_person(request, person_id):
    return scope_for_user(Person.objects.all(), request.user).filter(pk=person_id).first()


def _run_transition(request, application, name: str, data: dict):
    return services.application_transition(
        application=application, actor=request.user, name=name, comment=data["comment"]
    )


add_transition_actions(
    CardApplicationViewSet, TRANSITIONS, run=_run_transition, response=CardApplicationSerializer
)


class EconomySerializer(serializers.ModelSerializer):
    pre_clears = serializers.BooleanField(read_only=True)

    class Meta:
        model = Economy
        fields = ["code", "name_zh", "name_en", "participation", "is_home", "pre_clears"]
        read_only_fields = fields


class EconomyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The 21 APEC economies and how each takes part in the card scheme (public)."""

    permission_classes = [permissions.AllowAny]
    serializer_class = EconomySerializer
    queryset = Economy.objects.all()
    pagination_class = None
