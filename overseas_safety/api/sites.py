"""`/api/v1/safety/sites/` and `/api/v1/safety/stationed-staff/` (CONTRACT.md): the overseas sites of the
caller's organisation (office staff: all) and the staff stationed there.

List (filters and pagination), detail, create and partial update; nothing is deleted — a site is closed by
setting `closed_on`, a stationing ended by setting `ends_on`. Writes go through overseas_safety.services.sites:
the organisation's liaison, or an officer (403 for others); another organisation's site or person in the body
is a 400 naming the field, another organisation's object in the URL a 404.
"""

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response

from foreign_affairs.accounts.models import Organization
from foreign_affairs.security.countries import country_name

from .. import selectors
from ..forms.sites import PERIOD_CHOICES, SiteFilter, StationingFilter
from ..models import Site, Stationing
from ..selectors import period_of, with_stationed_now
from ..services import sites as services
from ..workflow import SiteKind

SITE_STATUS = serializers.ChoiceField(choices=["open", "closed"])
STATIONING_STATUS = serializers.ChoiceField(choices=[value for value, _label in PERIOD_CHOICES])


# Sites -----------------------------------------------------------------------------------------------------


class OverseasSiteSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    country = serializers.SerializerMethodField()
    country_name = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    stationed_now = serializers.IntegerField(
        read_only=True, help_text="How many people are stationed at the site today (stationed-staff API)."
    )

    class Meta:
        model = Site
        fields = [
            "id",
            "organization",
            "organization_name",
            "name",
            "kind",
            "country",
            "country_name",
            "city",
            "address",
            "chinese_staff_count",
            "local_security_contact",
            "security_officer",
            "security_officer_phone",
            "emergency_phone",
            "opened_on",
            "closed_on",
            "status",
            "stationed_now",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_country(self, site) -> str:
        """ISO 3166-1 code, e.g. NG."""
        return site.country.code

    def get_country_name(self, site) -> str:
        """In the caller's language."""
        return country_name(site.country.code)

    @extend_schema_field(SITE_STATUS)
    def get_status(self, site) -> str:
        """`open`, or `closed` once `closed_on` is set."""
        return "closed" if site.closed_on else "open"


class OverseasSiteWriteSerializer(serializers.Serializer):
    organization = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Office staff: the organisation the site belongs to. Enterprise users: their own (default).",
    )
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=SiteKind.choices, default=SiteKind.PROJECT)
    country = serializers.CharField(
        max_length=2, help_text="ISO 3166-1 code of a country abroad (not CN, HK, MO, TW), e.g. NG."
    )
    city = serializers.CharField(max_length=100)
    address = serializers.CharField(max_length=300)
    chinese_staff_count = serializers.IntegerField(min_value=0, max_value=100000, default=0)
    local_security_contact = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    security_officer = serializers.CharField(max_length=100, help_text="Who answers for the site's security.")
    security_officer_phone = serializers.CharField(max_length=32)
    emergency_phone = serializers.CharField(
        max_length=32, help_text="Answers day and night; with the country code."
    )
    opened_on = serializers.DateField(required=False, allow_null=True, default=None)
    closed_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Set to close the site (today or earlier)."
    )


class OverseasSiteUpdateSerializer(OverseasSiteWriteSerializer):
    organization = None
    name = serializers.CharField(max_length=200, required=False)
    kind = serializers.ChoiceField(choices=SiteKind.choices, required=False)
    country = serializers.CharField(max_length=2, required=False)
    city = serializers.CharField(max_length=100, required=False)
    address = serializers.CharField(max_length=300, required=False)
    chinese_staff_count = serializers.IntegerField(min_value=0, max_value=100000, required=False)
    local_security_contact = serializers.CharField(max_length=200, required=False, allow_blank=True)
    security_officer = serializers.CharField(max_length=100, required=False)
    security_officer_phone = serializers.CharField(max_length=32, required=False)
    emergency_phone = serializers.CharField(max_length=32, required=False)
    opened_on = serializers.DateField(required=False, allow_null=True)
    closed_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="A date (today or earlier) closes the site and ends the stationings running past it; "
        "null reopens it.",
    )


class SiteViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Overseas sites (project sites, branches, representative offices) of the caller's organisation (office
    staff: all). The organisation's liaison registers and changes them, an officer may correct any; closing is
    `PATCH {"closed_on": "YYYY-MM-DD"}`."""

    permission_classes = [permissions.IsAuthenticated]
    filterset_class = SiteFilter
    filter_backends = [DjangoFilterBackend]
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = Site.objects.none()

    def get_queryset(self):
        return with_stationed_now(selectors.site_list_for(self.request.user))

    def get_serializer_class(self):
        if self.action == "create":
            return OverseasSiteWriteSerializer
        if self.action == "partial_update":
            return OverseasSiteUpdateSerializer
        return OverseasSiteSerializer

    def detail_response(self, site, status_code=status.HTTP_200_OK):
        site = self.get_queryset().get(pk=site.pk)
        return Response(
            OverseasSiteSerializer(site, context=self.get_serializer_context()).data, status=status_code
        )

    def _organization(self, data) -> Organization:
        user = self.request.user
        given = data.pop("organization", None)
        if not user.is_office_staff:
            if user.organization is None or (given is not None and given != user.organization.pk):
                raise serializers.ValidationError(
                    {"organization": _("You register the sites of your own organisation only.")}
                )
            return user.organization
        organization = Organization.objects.filter(pk=given).first() if given else None
        if organization is None:
            raise serializers.ValidationError(
                {"organization": _("Choose the organisation the site belongs to.")}
            )
        return organization

    @extend_schema(
        request=OverseasSiteWriteSerializer,
        responses={201: OverseasSiteSerializer},
        summary="Register a site",
    )
    def create(self, request, *args, **kwargs):
        serializer = OverseasSiteWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organization = self._organization(data)
        site = services.site_create(actor=request.user, organization=organization, data=data)
        return self.detail_response(site, status.HTTP_201_CREATED)

    @extend_schema(
        request=OverseasSiteUpdateSerializer,
        responses={200: OverseasSiteSerializer},
        summary="Change, close (closed_on) or reopen (closed_on null) a site",
    )
    def partial_update(self, request, *args, **kwargs):
        site = self.get_object()
        serializer = OverseasSiteUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        site = services.site_update(site=site, actor=request.user, data=dict(serializer.validated_data))
        return self.detail_response(site)


# Stationed staff -------------------------------------------------------------------------------------------


class StationingSerializer(serializers.ModelSerializer):
    site_name = serializers.CharField(source="site.name", read_only=True)
    organization = serializers.IntegerField(source="site.organization_id", read_only=True)
    organization_name = serializers.CharField(source="site.organization.name", read_only=True)
    country = serializers.SerializerMethodField()
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    person_pinyin_name = serializers.CharField(source="person.pinyin_name", read_only=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = Stationing
        fields = [
            "id",
            "site",
            "site_name",
            "organization",
            "organization_name",
            "country",
            "person",
            "person_name",
            "person_pinyin_name",
            "post",
            "starts_on",
            "ends_on",
            "status",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_country(self, stationing) -> str:
        """The site's country (ISO 3166-1 code)."""
        return stationing.site.country.code

    @extend_schema_field(STATIONING_STATUS)
    def get_status(self, stationing) -> str:
        """Today: `current` (stationed now), `upcoming` (starts later) or `past` (ended)."""
        return period_of(stationing)


class StationingWriteSerializer(serializers.Serializer):
    site = serializers.IntegerField(min_value=1, help_text="A site of your organisation (sites API).")
    person = serializers.IntegerField(
        min_value=1, help_text="A person of the site's organisation (people API)."
    )
    post = serializers.CharField(max_length=100, help_text="The person's job at the site.")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Null: open-ended."
    )


class StationingUpdateSerializer(serializers.Serializer):
    site = serializers.IntegerField(
        min_value=1, required=False, help_text="Another site of the same organisation."
    )
    post = serializers.CharField(max_length=100, required=False)
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(
        required=False, allow_null=True, help_text="Set to end the stationing (the person left)."
    )


class StationingViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Staff stationed at the caller's organisation's overseas sites (office staff: all). A person is not
    stationed twice at overlapping dates, and a stationing falls within its site's open period (400 naming
    the field). Ending is `PATCH {"ends_on": "YYYY-MM-DD"}`."""

    permission_classes = [permissions.IsAuthenticated]
    filterset_class = StationingFilter
    filter_backends = [DjangoFilterBackend]
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = Stationing.objects.none()

    def get_queryset(self):
        return selectors.stationing_list_for(self.request.user)

    def get_serializer_class(self):
        if self.action == "create":
            return StationingWriteSerializer
        if self.action == "partial_update":
            return StationingUpdateSerializer
        return StationingSerializer

    def detail_response(self, stationing, status_code=status.HTTP_200_OK):
        stationing = self.get_queryset().get(pk=stationing.pk)
        return Response(
            StationingSerializer(stationing, context=self.get_serializer_context()).data, status=status_code
        )

    @extend_schema(
        request=StationingWriteSerializer,
        responses={201: StationingSerializer},
        summary="Register a person as stationed at a site",
    )
    def create(self, request, *args, **kwargs):
        serializer = StationingWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        stationing = services.stationing_create(actor=request.user, data=dict(serializer.validated_data))
        return self.detail_response(stationing, status.HTTP_201_CREATED)

    @extend_schema(
        request=StationingUpdateSerializer,
        responses={200: StationingSerializer},
        summary="Change a stationing, or end it (ends_on)",
    )
    def partial_update(self, request, *args, **kwargs):
        stationing = self.get_object()
        serializer = StationingUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        stationing = services.stationing_update(
            stationing=stationing, actor=request.user, data=dict(serializer.validated_data)
        )
        return self.detail_response(stationing)


ROUTES = [
    ("sites", SiteViewSet, "safety-site"),
    ("stationed-staff", StationingViewSet, "safety-stationing"),
]
