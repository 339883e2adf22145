"""`/api/v1/exchanges/friendship-cities/` (CONTRACT.md, area 4): the province's friendship cities (友好城市),
each with its health.

Anyone, without an account, reads the pairs shown on the public site (`"shape": "public"`): names in both
languages and the reader's (`?lang=` or Accept-Language), country, kind, established date, description,
the agreements and their renewal dates, and the health (exchanges.health): its level as `health` and its
reasons as `health_reasons` (sentences in the reader's language), with the figures behind them
(`last_exchange`, `exchanges_3y`, `active_projects`, `next_renewal`). Office staff read every pair in full
(`"shape": "full"`: the contacts of both sides, the office's notes, whether it is public). A pair the
caller may not see answers 404. Filters: health, country, kind, search.

Officers register pairs (`POST`), change them (`PATCH`) and record their agreements (`POST
/{id}/agreements/`, JSON or multipart with the document) through exchanges.services.cities.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from .. import selectors
from ..health import Health
from ..models import FriendshipAgreement, FriendshipCity, RelationshipKind
from ..services import cities as services
from .common import (
    LANG,
    CountryMixin,
    LargeBodyMixin,
    ReaderLanguageMixin,
    TwoShapesMixin,
    public_url,
    require_officer,
    shape_schema,
    valid_country,
)
from .filters import CityFilter


def cities_shown(user):
    """selectors.cities_with_health (the public pairs for anyone but office staff), with their agreements."""
    agreements = FriendshipAgreement.objects.order_by("-signed_on", "-pk")
    return selectors.cities_with_health(user).prefetch_related(Prefetch("agreements", queryset=agreements))


class FriendshipAgreementSerializer(serializers.ModelSerializer):
    class Meta:
        model = FriendshipAgreement
        fields = ["id", "title", "signed_on", "renew_by"]
        read_only_fields = fields


PUBLIC_FIELDS = [
    "shape",
    "id",
    "slug",
    "henan_name",
    "henan_name_zh",
    "henan_name_en",
    "foreign_name",
    "foreign_name_zh",
    "foreign_name_en",
    "country",
    "country_name",
    "kind",
    "established_on",
    "description",
    "description_zh",
    "description_en",
    "health",
    "health_label",
    "health_reasons",
    "last_exchange",
    "exchanges_3y",
    "active_projects",
    "next_renewal",
    "agreements",
    "url",
]


class FriendshipCityPublicSerializer(CountryMixin, serializers.ModelSerializer):
    """A pair as the public site shows it."""

    SHAPE = "public"

    shape = serializers.SerializerMethodField()
    henan_name = serializers.CharField(read_only=True, help_text="In the reader's language.")
    foreign_name = serializers.CharField(read_only=True, help_text="In the reader's language.")
    kind = serializers.ChoiceField(choices=RelationshipKind.choices, read_only=True)
    description = serializers.CharField(
        read_only=True, help_text="In the reader's language (the other if empty)."
    )
    health = serializers.SerializerMethodField()
    health_label = serializers.SerializerMethodField()
    health_reasons = serializers.SerializerMethodField()
    last_exchange = serializers.DateField(
        read_only=True, allow_null=True, help_text="The last day of the last exchange held; null: none."
    )
    exchanges_3y = serializers.IntegerField(
        read_only=True, help_text="Exchanges held in the last three years."
    )
    active_projects = serializers.IntegerField(
        read_only=True, help_text="Cooperation projects of the pair still open."
    )
    next_renewal = serializers.DateField(
        read_only=True, allow_null=True, help_text="The earliest date an agreement is to be renewed by."
    )
    agreements = FriendshipAgreementSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = FriendshipCity
        fields = PUBLIC_FIELDS
        read_only_fields = fields

    def _assessment(self, city):
        if not hasattr(city, "_assessment"):
            city._assessment = selectors.city_assessment(city)
        return city._assessment

    @extend_schema_field(shape_schema("friendship-city", "public"))
    def get_shape(self, city) -> str:
        """Which of the two shapes this is: `public` (the public site's fields) or `full`."""
        return self.SHAPE

    @extend_schema_field(serializers.ChoiceField(choices=Health.choices))
    def get_health(self, city) -> str:
        """The relationship's health: active, needs attention, dormant."""
        return self._assessment(city).level

    def get_health_label(self, city) -> str:
        """The level in the reader's language."""
        return self._assessment(city).label

    def get_health_reasons(self, city) -> list[str]:
        """Why, in the reader's language: the last exchange, the exchanges of the last three years, the
        active projects, an agreement to renew."""
        return [str(reason) for reason in self._assessment(city).reasons]

    def get_url(self, city) -> str | None:
        """The pair's page on the public site; null while it is not shown there."""
        return public_url("exchanges:city_detail", city.slug) if city.public else None


class FriendshipCitySerializer(FriendshipCityPublicSerializer):
    """The whole pair (office staff)."""

    SHAPE = "full"

    class Meta(FriendshipCityPublicSerializer.Meta):
        fields = [
            *PUBLIC_FIELDS,
            "public",
            "henan_contact",
            "foreign_contact",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(shape_schema("friendship-city", "full"))
    def get_shape(self, city) -> str:
        return self.SHAPE


CITY_ENTRY = PolymorphicProxySerializer(
    component_name="FriendshipCityEntry",
    serializers=[FriendshipCitySerializer, FriendshipCityPublicSerializer],
    resource_type_field_name=None,
)
CITY_ENTRIES = PolymorphicProxySerializer(
    component_name="FriendshipCityEntry",
    serializers=[FriendshipCitySerializer, FriendshipCityPublicSerializer],
    resource_type_field_name=None,
    many=True,
)


class FriendshipCityWriteSerializer(serializers.Serializer):
    """A pair as registered or changed (services.cities.FIELDS)."""

    henan_name_zh = serializers.CharField(max_length=100)
    henan_name_en = serializers.CharField(max_length=100)
    foreign_name_zh = serializers.CharField(max_length=100)
    foreign_name_en = serializers.CharField(max_length=100)
    country = serializers.CharField(max_length=2, help_text="ISO 3166-1 code, e.g. FR (not CN).")
    kind = serializers.ChoiceField(choices=RelationshipKind.choices)
    established_on = serializers.DateField()
    description_zh = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    description_en = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    henan_contact = serializers.CharField(
        max_length=1000, required=False, allow_blank=True, help_text="Name, office, phone, e-mail."
    )
    foreign_contact = serializers.CharField(
        max_length=1000, required=False, allow_blank=True, help_text="Name, office, phone, e-mail."
    )
    public = serializers.BooleanField(required=False, help_text="Shown on the public site (default: true).")
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True)

    def validate_country(self, value):
        return valid_country(value)


class FriendshipAgreementWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    signed_on = serializers.DateField()
    renew_by = serializers.DateField(
        required=False, allow_null=True, help_text="After the signing; empty for an agreement without a term."
    )
    file = serializers.FileField(
        required=False, help_text="Multipart only: the document, PDF, JPEG or PNG, at most 10 MB."
    )


class FriendshipCityViewSet(
    TwoShapesMixin,
    ReaderLanguageMixin,
    LargeBodyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Friendship cities with their health: the public ones for everyone, all of them for office staff.
    Officers keep the registry."""

    full_serializer = FriendshipCitySerializer
    outside_serializer = FriendshipCityPublicSerializer

    permission_classes = [permissions.IsAuthenticated]
    filterset_class = CityFilter
    filter_backends = [DjangoFilterBackend]
    parser_classes = [JSONParser]
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = FriendshipCity.objects.none()
    lookup_value_regex = r"[0-9]+"

    def get_permissions(self):
        if self.action in ("list", "retrieve"):
            return [permissions.AllowAny()]
        return super().get_permissions()

    def get_queryset(self):
        return cities_shown(self.request.user)

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return FriendshipCityWriteSerializer
        return FriendshipCitySerializer

    @extend_schema(
        parameters=[LANG],
        responses={200: CITY_ENTRIES},
        summary="Friendship cities with their health: the public ones, or all (office staff)",
    )
    def list(self, request, *args, **kwargs):
        return self.shaped_page()

    @extend_schema(
        parameters=[LANG],
        responses={200: CITY_ENTRY},
        summary="A friendship city with its health and reasons",
    )
    def retrieve(self, request, *args, **kwargs):
        return Response(self.shown(self.get_object()))

    @extend_schema(
        request=FriendshipCityWriteSerializer,
        responses={201: FriendshipCitySerializer},
        summary="Register a friendship city (officers)",
    )
    def create(self, request, *args, **kwargs):
        require_officer(request, _("Only approval officers keep the friendship-city registry."))
        serializer = FriendshipCityWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        city = services.city_create(actor=request.user, data=dict(serializer.validated_data))
        return self.detail_response(city, status.HTTP_201_CREATED)

    @extend_schema(
        request=FriendshipCityWriteSerializer,
        responses={200: FriendshipCitySerializer},
        summary="Change a friendship city (officers)",
    )
    def partial_update(self, request, *args, **kwargs):
        city = self.get_object()
        require_officer(request, _("Only approval officers keep the friendship-city registry."))
        serializer = FriendshipCityWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        city = services.city_update(city=city, actor=request.user, data=dict(serializer.validated_data))
        return self.detail_response(city)

    @extend_schema(
        request={
            "application/json": FriendshipAgreementWriteSerializer,
            "multipart/form-data": FriendshipAgreementWriteSerializer,
        },
        responses={201: FriendshipAgreementSerializer},
        summary="Record an agreement of the pair and its renewal date (officers)",
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, MultiPartParser, FormParser])
    def agreements(self, request, pk=None, format=None):
        city = self.get_object()
        require_officer(request, _("Only approval officers keep the friendship-city registry."))
        serializer = FriendshipAgreementWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        uploaded_file = data.pop("file", None)
        agreement = services.agreement_add(
            city=city, actor=request.user, data=data, uploaded_file=uploaded_file
        )
        return Response(FriendshipAgreementSerializer(agreement).data, status=status.HTTP_201_CREATED)
