"""`/api/v1/apec-cards/cards/` (CONTRACT.md): the cards, their economies and decision letter; report lost
and cancel."""

import django_filters
from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from foreign_affairs.accounts.selectors import scope_for_user
from foreign_affairs.api.actions import add_transition_actions

from .. import selectors, services
from ..filters import CardFilter
from ..letters import letter_response
from ..models import Card, CardEconomy
from ..views.passports import passport_number_shown
from ..workflow import CARD_TRANSITIONS


class CardEconomySerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="economy_id")
    name = serializers.CharField(source="economy.name")

    class Meta:
        model = CardEconomy
        fields = ["code", "name", "approved_on"]
        read_only_fields = fields


class HolderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    pinyin_name = serializers.CharField()


class CardListSerializer(serializers.ModelSerializer):
    holder = HolderSerializer(read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    available_transitions = serializers.SerializerMethodField()

    class Meta:
        model = Card
        fields = [
            "id",
            "number",
            "holder",
            "organization",
            "organization_name",
            "issued_on",
            "expires_on",
            "state",
            "available_transitions",
        ]
        read_only_fields = fields

    def get_available_transitions(self, card) -> list[str]:
        return services.available_card_transitions(card, self.context["request"].user)


class CardSerializer(CardListSerializer):
    economies = CardEconomySerializer(source="card_economies", many=True, read_only=True)
    decision_letter_url = serializers.SerializerMethodField()
    verify_url = serializers.CharField(read_only=True)
    application = serializers.IntegerField(source="application_id", read_only=True)
    replaces = serializers.CharField(source="replaces.number", read_only=True, default=None, allow_null=True)
    passport_number = serializers.SerializerMethodField(
        help_text="Whole for the office and the holder's organisation (each answer is an access record)."
    )

    class Meta(CardListSerializer.Meta):
        fields = [
            *CardListSerializer.Meta.fields,
            "passport_number",
            "passport_expiry",
            "term_started_on",
            "economies",
            "decision_letter_url",
            "verification_code",
            "verify_url",
            "application",
            "replaces",
            "ended_at",
            "end_reason",
        ]
        read_only_fields = fields

    def get_passport_number(self, card) -> str:
        return passport_number_shown(self.context["request"], card)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_decision_letter_url(self, card) -> str | None:
        """The decision letter PDF, once rendered (null until the background task has made it)."""
        if not card.letter:
            return None
        return self.context["request"].build_absolute_uri(reverse("api:apec-card-letter", args=[card.pk]))


class CardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """APEC cards of the caller's organisation (office staff: all). `POST /{id}/report_lost/` (the
    organisation or an officer) and `POST /{id}/cancel/` (the liaison when the holder left, or an officer;
    `comment` required)."""

    permission_classes = [permissions.IsAuthenticated]
    filterset_class = CardFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]
    queryset = Card.objects.none()

    def get_queryset(self):
        if self.action == "list":
            return selectors.card_list_for(self.request.user)
        return selectors.card_with_details(scope_for_user(Card.objects.all(), self.request.user))

    def get_serializer_class(self):
        return CardListSerializer if self.action == "list" else CardSerializer

    def detail_response(self, card):
        card = selectors.card_with_details(Card.objects.all()).get(pk=card.pk)
        return Response(CardSerializer(card, context=self.get_serializer_context()).data)

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The decision letter PDF"
            )
        },
        summary="Download the decision letter (404 until rendered)",
    )
    @action(detail=True, methods=["get"])
    def letter(self, request, pk=None, format=None):
        card = self.get_object()
        if not card.letter:
            raise Http404
        return letter_response(card)


def _run_card_transition(request, card, name: str, data: dict):
    return services.card_transition(card=card, actor=request.user, name=name, comment=data["comment"])


add_transition_actions(
    CardViewSet,
    {name: CARD_TRANSITIONS[name] for name in services.USER_CARD_TRANSITIONS},
    run=_run_card_transition,
    response=CardSerializer,
)
