"""`/api/v1/privacy/access/` and `/api/v1/privacy/unusual-access/`: the access records.

- `access/`: office staff with `privacy.view_personaldataaccess` read every record; the staff of an
  organisation read the looks office accounts took at their organisation's people (nothing else: another
  organisation's record answers 404); anyone else gets 403. Filters: person, user, organization, seen,
  door, case, date_from, date_to, month (privacy.filters.AccessFilter). Newest first.
- `unusual-access/` (office staff with the permission): the accounts that looked at
  settings.PRIVACY_UNUSUAL_PEOPLE_PER_DAY or more different people in one day, per account and day, from
  `date_from` to `date_to` (the last 30 days unless given; at most a year).
"""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, serializers, viewsets

from foreign_affairs.api.fields import person_name

from .. import selectors
from ..filters import AccessFilter, PeriodForm
from ..models import Door, PersonalDataAccess, Seen


class ReadsAccessRecords(permissions.BasePermission):
    """Office staff with the permission, or the staff of an organisation (their records only)."""

    message = "Only the office, or an organisation's staff for their own people, read access records."

    def has_permission(self, request, view):
        return selectors.reads_all_access(request.user) or selectors.reads_own_organization_access(
            request.user
        )


class ReadsAllAccessRecords(permissions.BasePermission):
    message = "Only office staff with the permission read the unusual-access report."

    def has_permission(self, request, view):
        return selectors.reads_all_access(request.user)


class AccessRecordSerializer(serializers.ModelSerializer):
    user_name = serializers.SerializerMethodField()
    person_name = serializers.SerializerMethodField()
    organization_name = serializers.SerializerMethodField()
    seen = serializers.ChoiceField(choices=Seen.choices, read_only=True)
    seen_label = serializers.CharField(source="get_seen_display", read_only=True)
    door = serializers.ChoiceField(choices=Door.choices, read_only=True)
    door_label = serializers.CharField(source="get_door_display", read_only=True)
    path = serializers.SerializerMethodField()

    class Meta:
        model = PersonalDataAccess
        fields = [
            "id",
            "at",
            "user",
            "user_name",
            "person",
            "person_name",
            "organization",
            "organization_name",
            "seen",
            "seen_label",
            "door",
            "door_label",
            "case",
            "path",
        ]
        read_only_fields = fields

    def get_user_name(self, record) -> str | None:
        """Who looked (null: an export run without an account)."""
        return person_name(record.user)

    def get_person_name(self, record) -> str | None:
        """Whose data (null: the person was erased since)."""
        return record.person.full_name if record.person is not None else None

    def get_organization_name(self, record) -> str | None:
        return record.organization.name if record.organization is not None else None

    def get_path(self, record) -> str | None:
        """The address it was seen at (office staff only; null for an organisation's staff)."""
        request = self.context.get("request")
        return record.path if selectors.reads_all_access(getattr(request, "user", None)) else None


@extend_schema_view(
    list=extend_schema(
        summary="Access records (office: all; an organisation: the office's looks at its people)"
    ),
    retrieve=extend_schema(summary="One access record"),
)
class PersonalDataAccessViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AccessRecordSerializer
    permission_classes = [permissions.IsAuthenticated, ReadsAccessRecords]
    filterset_class = AccessFilter
    filter_backends = [DjangoFilterBackend]
    queryset = PersonalDataAccess.objects.none()

    def get_queryset(self):
        return selectors.access_list_for(self.request.user)


class UnusualAccessSerializer(serializers.Serializer):
    day = serializers.DateField(help_text="The day, in the office's time zone.")
    user = serializers.IntegerField(help_text="The account's id.")
    username = serializers.CharField(source="user__username")
    user_name = serializers.SerializerMethodField()
    people = serializers.IntegerField(help_text="Different people whose data the account looked at that day.")
    looks = serializers.IntegerField(help_text="Access records of the account that day.")
    first_at = serializers.DateTimeField()
    last_at = serializers.DateTimeField()

    def get_user_name(self, row) -> str:
        return selectors.account_name(row)


@extend_schema_view(
    list=extend_schema(
        summary="Unusual access: accounts that looked at many different people in one day",
        parameters=[
            OpenApiParameter(
                "date_from",
                OpenApiTypes.DATE,
                description="The first day (default: 29 days before date_to; with date_from alone, a year "
                "from it, until today at most).",
            ),
            OpenApiParameter("date_to", OpenApiTypes.DATE, description="The last day (default: today)."),
        ],
    )
)
class UnusualAccessViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = UnusualAccessSerializer
    permission_classes = [permissions.IsAuthenticated, ReadsAllAccessRecords]
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema's generation
            return PersonalDataAccess.objects.none()
        form = PeriodForm(self.request.query_params)
        if not form.is_valid():
            raise exceptions.ValidationError(form.errors)
        first, last = form.period()
        return selectors.unusual_access(first, last)
