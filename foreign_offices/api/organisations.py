"""`/api/v1/foreign-offices/organisations/` (CONTRACT.md, area 2): the registry of foreign organisations in
Henan (驻豫外国机构名录).

Anyone, without an account, reads the entries listed publicly (the organisation consented) and not
closed, with their public fields only; a member of a registered foreign organisation also reads its own
entry in full; office staff read every entry in full, with the report status of the current report
year, the registrations expiring soon, and more filters. Officers enter an organisation (`POST`),
correct it (`PATCH`) and suspend, reinstate or close it (`POST /{id}/<transition>/`); `GET
/{id}/history/` lists every change of a field (office staff and the organisation's own members). An
entry the caller may not see answers 404. Writes call foreign_offices.services.registry.
"""

from datetime import timedelta

import django_filters
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from foreign_affairs.accounts.models import FTZArea, Person
from foreign_affairs.api.actions import add_transition_actions
from foreign_affairs.api.schema import conflict
from foreign_affairs.api.serializers import TransitionSerializer
from foreign_affairs.filters import ListFilterSet, Ordering, SearchFilter

from .. import selectors
from ..models import FieldChange, ForeignOrganisation
from ..services import registry as services
from ..services.annual import current_report_year
from ..workflow import ORGANISATION_TRANSITIONS, Authority, OrganisationState, PresenceKind
from .common import CountryCodeFilter, CountryMixin, is_office, person_name

REGISTRY_SEARCH_HELP = gettext_lazy(
    "Words of the organisation's names or of its parent organisation, or a whole registration number."
)


def organisations_for(user):
    """The entries `user` may read: office staff all of them; everyone else those listed publicly and
    not closed, and a member its own. Each with `report_filed` and `report_overdue` for the current report
    year and `registration_expiring`, in the one query of the list."""
    today = timezone.localdate()
    queryset = ForeignOrganisation.objects.select_related("chief_representative")
    if not is_office(user):
        visible = Q(list_publicly=True) & ~Q(state=OrganisationState.CLOSED)
        organization = getattr(user, "organization", None) if user.is_authenticated else None
        if organization is not None:
            visible |= Q(account=organization)
        queryset = queryset.filter(visible)
    # selectors.registry_for annotates the report status for the office's registry; the same annotation
    # serves the member's own entry here.
    queryset = selectors.with_report_status(queryset, current_report_year(today), today)
    expiring = (
        Q(registration_valid_until__isnull=False)
        & Q(registration_valid_until__lte=today + timedelta(days=selectors.EXPIRING_DAYS))
        & ~Q(state=OrganisationState.CLOSED)
    )
    return queryset.annotate(
        registration_expiring=ExpressionWrapper(expiring, output_field=BooleanField())
    ).order_by("name_zh", "pk")


def shows_in_full(organisation, user) -> bool:
    """Office staff, and the organisation's own members, read the whole entry."""
    if is_office(user):
        return True
    organization = getattr(user, "organization", None) if user.is_authenticated else None
    return organization is not None and organisation.account_id == organization.pk


# The list's filters ------------------------------------------------------------------------------------


class OrganisationFilter(ListFilterSet):
    search = SearchFilter(selectors.registry_search_q, help_text=REGISTRY_SEARCH_HELP)
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Kind of presence"),
        choices=PresenceKind.choices,
        empty_label=gettext_lazy("All kinds"),
    )
    country = CountryCodeFilter(field_name="country")
    ftz_area = django_filters.ChoiceFilter(
        label=gettext_lazy("Area"), choices=FTZArea.choices, empty_label=gettext_lazy("All areas")
    )
    state = django_filters.ChoiceFilter(
        label=gettext_lazy("State"),
        choices=OrganisationState.choices,
        empty_label=gettext_lazy("All states"),
        help_text="Office staff only.",
    )
    report_overdue = django_filters.BooleanFilter(
        label=gettext_lazy("Annual report overdue"),
        help_text="Office staff only. true: the current report year's report is past due and not filed.",
    )
    expiring = django_filters.BooleanFilter(
        field_name="registration_expiring",
        label=gettext_lazy("Registration expiring"),
        help_text=f"Office staff only. true: the registration expires within {selectors.EXPIRING_DAYS} days "
        "(or has expired).",
    )
    ordering = Ordering(
        choices=[
            ("name_zh", gettext_lazy("Chinese name")),
            ("name", gettext_lazy("Original name")),
            ("-registered_on", gettext_lazy("Registered, latest first")),
            ("registration_valid_until", gettext_lazy("Registration valid until, soonest first")),
        ]
    )

    class Meta(ListFilterSet.Meta):
        model = ForeignOrganisation
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if not is_office(getattr(request, "user", None)):
            for name in ("state", "report_overdue", "expiring"):
                del self.filters[name]


# What is shown -----------------------------------------------------------------------------------------

PUBLIC_FIELDS = [
    "view",
    "id",
    "name",
    "name_zh",
    "kind",
    "country",
    "country_name",
    "ftz_area",
    "address",
    "registered_on",
    "opened_on",
    "website",
    "description",
    "description_zh",
    "state",
    "available_transitions",
]


class ForeignOrganisationPublicSerializer(CountryMixin, serializers.ModelSerializer):
    """An entry as the public directory shows it: no people, no staff, no registration details."""

    state = serializers.ChoiceField(choices=OrganisationState.choices, read_only=True)
    # A plain string: the address as entered, or "" when there is none (not a "uri", which "" is not).
    website = serializers.CharField(read_only=True)
    view = serializers.SerializerMethodField()
    available_transitions = serializers.SerializerMethodField()

    # Which of the two shapes an entry has: "public" (the directory's fields) or "full" (office staff and the
    # organisation's own members); it tells them apart, in the schema too.
    VIEW = "public"

    class Meta:
        model = ForeignOrganisation
        fields = PUBLIC_FIELDS
        read_only_fields = fields

    @extend_schema_field({"type": "string", "enum": ["public"]})
    def get_view(self, organisation) -> str:
        return self.VIEW

    def get_available_transitions(self, organisation) -> list[str]:
        return services.available_transitions(organisation, self.context["request"].user)


class ForeignOrganisationSerializer(ForeignOrganisationPublicSerializer):
    """The whole entry (office staff, and the organisation's own members)."""

    VIEW = "full"

    chief_representative = serializers.IntegerField(
        source="chief_representative_id",
        read_only=True,
        allow_null=True,
        help_text="A person of the organisation's account (people API).",
    )
    chief_representative_name = serializers.CharField(
        source="chief_representative.full_name", read_only=True, default=None, allow_null=True
    )
    account = serializers.IntegerField(
        source="account_id",
        read_only=True,
        allow_null=True,
        help_text="The organisation's portal account (null until the office opens).",
    )
    report_filed = serializers.BooleanField(
        read_only=True, help_text="The annual report on the current report year (last year) is filed."
    )
    report_overdue = serializers.BooleanField(
        read_only=True, help_text="That report is past due and not filed."
    )
    registration_expiring = serializers.BooleanField(
        read_only=True,
        help_text=f"The registration expires within {selectors.EXPIRING_DAYS} days (or has expired).",
    )

    class Meta(ForeignOrganisationPublicSerializer.Meta):
        fields = [
            *PUBLIC_FIELDS,
            "parent_organisation",
            "authority",
            "registration_number",
            "registration_valid_until",
            "closed_on",
            "chief_representative",
            "chief_representative_name",
            "staff_foreign",
            "staff_local",
            "list_publicly",
            "consent_changed_at",
            "account",
            "report_filed",
            "report_overdue",
            "registration_expiring",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "enum": ["full"]})
    def get_view(self, organisation) -> str:
        return self.VIEW


ENTRY = PolymorphicProxySerializer(
    component_name="ForeignOrganisationEntry",
    serializers=[ForeignOrganisationSerializer, ForeignOrganisationPublicSerializer],
    resource_type_field_name=None,
)
ENTRIES = PolymorphicProxySerializer(
    component_name="ForeignOrganisationEntry",
    serializers=[ForeignOrganisationSerializer, ForeignOrganisationPublicSerializer],
    resource_type_field_name=None,
    many=True,
)


class FieldChangeSerializer(serializers.ModelSerializer):
    changed_by = serializers.SerializerMethodField()
    change_request = serializers.IntegerField(
        source="change_request_id",
        read_only=True,
        allow_null=True,
        help_text="The approved change request that made it (change-requests API), if any.",
    )

    class Meta:
        model = FieldChange
        fields = ["id", "field", "old_value", "new_value", "changed_at", "changed_by", "change_request"]
        read_only_fields = fields

    def get_changed_by(self, change) -> str | None:
        return person_name(change.changed_by)


# What is written ---------------------------------------------------------------------------------------


class OrganisationUpdateSerializer(serializers.Serializer):
    """What an officer corrects (services.registry.OFFICE_FIELDS); all optional."""

    name = serializers.CharField(max_length=200, required=False)
    name_zh = serializers.CharField(max_length=200, required=False)
    kind = serializers.ChoiceField(choices=PresenceKind.choices, required=False)
    country = serializers.CharField(max_length=2, required=False, help_text="ISO 3166-1 code, e.g. DE.")
    parent_organisation = serializers.CharField(max_length=200, required=False, allow_blank=True)
    address = serializers.CharField(max_length=300, required=False)
    ftz_area = serializers.ChoiceField(choices=FTZArea.choices, required=False)
    authority = serializers.ChoiceField(choices=Authority.choices, required=False)
    registration_number = serializers.CharField(
        max_length=18, required=False, help_text="The unified social credit code."
    )
    registered_on = serializers.DateField(required=False)
    registration_valid_until = serializers.DateField(
        required=False, allow_null=True, help_text="Null: the registration does not expire."
    )
    opened_on = serializers.DateField(required=False, allow_null=True)
    chief_representative = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="A person of the organisation's portal account (people API).",
    )
    staff_foreign = serializers.IntegerField(required=False, min_value=0, max_value=100000)
    staff_local = serializers.IntegerField(required=False, min_value=0, max_value=100000)
    list_publicly = serializers.BooleanField(
        required=False, help_text="The organisation's consent to the public directory."
    )
    website = serializers.URLField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    description_zh = serializers.CharField(max_length=2000, required=False, allow_blank=True)

    def validate_country(self, value):
        return value.strip().upper()


class OrganisationCreateSerializer(OrganisationUpdateSerializer):
    """An organisation that set up before the portal (the others enter the registry from their case)."""

    name = serializers.CharField(max_length=200)
    name_zh = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=PresenceKind.choices)
    country = serializers.CharField(max_length=2, help_text="ISO 3166-1 code, e.g. DE.")
    address = serializers.CharField(max_length=300)
    ftz_area = serializers.ChoiceField(choices=FTZArea.choices)
    authority = serializers.ChoiceField(choices=Authority.choices)
    registration_number = serializers.CharField(max_length=18, help_text="The unified social credit code.")
    registered_on = serializers.DateField()
    chief_representative = None  # named once the organisation has its portal account (PATCH)


class OrganisationCloseSerializer(TransitionSerializer):
    closed_on = serializers.DateField(required=False, allow_null=True, help_text="Default: today.")


# The viewset -------------------------------------------------------------------------------------------


class ForeignOrganisationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """The registry of foreign organisations in Henan. Everyone reads the publicly listed entries (public
    fields); a member reads its own entry in full; office staff read all. Officers write."""

    filterset_class = OrganisationFilter
    filter_backends = [DjangoFilterBackend]
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = ForeignOrganisation.objects.none()

    def get_permissions(self):
        if self.action in ("list", "retrieve"):
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    def get_queryset(self):
        return organisations_for(self.request.user)

    def get_serializer_class(self):
        if self.action == "create":
            return OrganisationCreateSerializer
        if self.action == "partial_update":
            return OrganisationUpdateSerializer
        return ForeignOrganisationSerializer

    def shown(self, organisation) -> dict:
        serializer = (
            ForeignOrganisationSerializer
            if shows_in_full(organisation, self.request.user)
            else ForeignOrganisationPublicSerializer
        )
        return serializer(organisation, context=self.get_serializer_context()).data

    def detail_response(self, organisation, status_code=status.HTTP_200_OK):
        return Response(self.shown(self.get_queryset().get(pk=organisation.pk)), status=status_code)

    @extend_schema(
        responses={200: ENTRIES},
        summary="The registry: publicly listed entries (public fields), your own, or all (office staff)",
    )
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response([self.shown(organisation) for organisation in page])

    @extend_schema(
        responses={200: ENTRY}, summary="An entry (public fields unless it is yours or you are office staff)"
    )
    def retrieve(self, request, *args, **kwargs):
        return Response(self.shown(self.get_object()))

    def _chief_representative(self, data: dict, organisation=None) -> None:
        if "chief_representative" not in data or data["chief_representative"] is None:
            return
        account_id = organisation.account_id if organisation is not None else None
        person = Person.objects.filter(pk=data["chief_representative"], organization_id=account_id).first()
        if account_id is None or person is None:
            raise serializers.ValidationError(
                {"chief_representative": _("Choose a person of this organisation.")}
            )
        data["chief_representative"] = person

    @extend_schema(
        request=OrganisationCreateSerializer,
        responses={201: ForeignOrganisationSerializer},
        summary="Enter an organisation in the registry (officers)",
    )
    def create(self, request, *args, **kwargs):
        serializer = OrganisationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = services.organisation_create(actor=request.user, data=dict(serializer.validated_data))
        return self.detail_response(organisation, status.HTTP_201_CREATED)

    @extend_schema(
        request=OrganisationUpdateSerializer,
        responses={
            200: ForeignOrganisationSerializer,
            409: conflict("A closed organisation's entry is kept as it was"),
        },
        summary="Correct the entry (officers); every changed field is kept in its history",
    )
    def partial_update(self, request, *args, **kwargs):
        organisation = self.get_object()
        serializer = OrganisationUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        self._chief_representative(data, organisation)
        organisation = services.organisation_update(organisation=organisation, actor=request.user, data=data)
        return self.detail_response(organisation)

    @extend_schema(
        responses={200: FieldChangeSerializer(many=True)},
        summary="Every change of the entry's fields, latest first (office staff and the organisation)",
        filters=False,
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None, format=None, **kwargs):
        organisation = self.get_object()
        if not shows_in_full(organisation, request.user):
            raise Http404
        return Response(FieldChangeSerializer(selectors.history_of(organisation), many=True).data)


def _run_transition(request, organisation, name: str, data: dict):
    return services.organisation_transition(
        organisation=organisation,
        actor=request.user,
        name=name,
        comment=data.get("comment", ""),
        closed_on=data.get("closed_on"),
    )


add_transition_actions(
    ForeignOrganisationViewSet,
    ORGANISATION_TRANSITIONS,
    run=_run_transition,
    response=ForeignOrganisationSerializer,
    bodies={"close": OrganisationCloseSerializer},
)

ROUTES = [("organisations", ForeignOrganisationViewSet, "foreign-offices-organisation")]
