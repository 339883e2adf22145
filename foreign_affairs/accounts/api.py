"""REST API for people (travellers), organisations and memberships (CONTRACT.md)."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets

from foreign_affairs.privacy import access

from . import services
from .filters import PersonFilter
from .models import Membership, Organization, Person
from .roles import Role
from .selectors import person_list_for, scope_for_user


class PortalModelPermissions(permissions.DjangoModelPermissions):
    """Django model permissions, reading included: GET needs the `view_` permission."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }


def listed_in(serializer) -> bool:
    """Whether `serializer` answers a list (passport numbers masked there: the minimum necessary)."""
    return getattr(serializer.context.get("view"), "action", None) == "list"


class PersonSerializer(serializers.ModelSerializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(),
        required=False,
        help_text="Office staff only: the organisation to add the person to. Others add to their own.",
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "organization",
            "full_name",
            "pinyin_name",
            "gender",
            "birth_date",
            "position",
            "passport_number",
            "passport_type",
            "passport_expiry",
            "phone",
            "email",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["organization"].read_only = True  # a person never moves to another organisation
        return fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["passport_number"] = access.passport_number_shown(
            self.context.get("request"), instance, listed=listed_in(self)
        )
        return data


@extend_schema_view(
    list=extend_schema(summary="Travellers of the caller's organisation (passport numbers masked)"),
    retrieve=extend_schema(summary="One traveller"),
    create=extend_schema(summary="Add a traveller"),
    partial_update=extend_schema(summary="Change a traveller"),
    update=extend_schema(summary="Replace a traveller's details"),
)
class PersonViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = PersonSerializer
    permission_classes = [permissions.IsAuthenticated, PortalModelPermissions]
    filterset_class = PersonFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]
    queryset = Person.objects.none()

    def get_queryset(self):
        return person_list_for(self.request.user)

    def perform_create(self, serializer):
        # The service decides which organisation the person joins (and refuses another one).
        serializer.instance = services.person_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k != "organization"}
        serializer.instance = services.person_update(
            person=serializer.instance, actor=self.request.user, data=data
        )


CONTACT_FIELDS = ["industry", "address", "contact_name", "contact_phone", "contact_email"]


class OrganizationSerializer(serializers.ModelSerializer):
    ftz_area_display = serializers.CharField(source="get_ftz_area_display", read_only=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "name_zh",
            "name_en",
            "uscc",
            "ftz_area",
            "ftz_area_display",
            "industry",
            "address",
            "contact_name",
            "contact_phone",
            "contact_email",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class OrganizationContactSerializer(OrganizationSerializer):
    """What an enterprise's liaison may change; the rest is kept by the office."""

    class Meta(OrganizationSerializer.Meta):
        read_only_fields = [f for f in OrganizationSerializer.Meta.fields if f not in CONTACT_FIELDS]


class CanChangeOrganization(permissions.BasePermission):
    """Writes: office staff with the permission, or the organisation's own liaison."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        if request.method == "POST":
            return request.user.is_office_staff and request.user.has_perm("accounts.add_organization")
        return request.user.has_perm("accounts.change_organization") and (
            request.user.is_office_staff or request.user.has_role(Role.LIAISON)
        )


class OrganizationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [permissions.IsAuthenticated, PortalModelPermissions, CanChangeOrganization]
    filterset_fields = ["ftz_area", "industry", "is_active"]
    search_fields = ["name_zh", "name_en", "=uscc"]
    ordering_fields = ["name_zh", "created_at"]
    ordering = ["name_zh"]
    queryset = Organization.objects.none()

    def get_queryset(self):
        return scope_for_user(Organization.objects.all(), self.request.user)

    def get_serializer_class(self):
        if self.request is not None and not getattr(self.request.user, "is_office_staff", False):
            return OrganizationContactSerializer
        return OrganizationSerializer

    def perform_create(self, serializer):
        serializer.instance = services.organization_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.organization_update(
            organization=serializer.instance, actor=self.request.user, data=serializer.validated_data
        )


class MembershipSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    full_name = serializers.CharField(source="user.get_full_name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "organization", "username", "full_name", "is_liaison", "job_title", "created_at"]
        read_only_fields = fields


class MembershipViewSet(viewsets.ReadOnlyModelViewSet):
    """Portal accounts of the caller's organisation (office staff: of every organisation)."""

    serializer_class = MembershipSerializer
    permission_classes = [permissions.IsAuthenticated, PortalModelPermissions]
    filterset_fields = ["organization", "is_liaison"]
    # Named, not derived from the serializer: its full_name is a method, which the database cannot order by.
    ordering_fields = ["id", "organization", "user__username", "is_liaison", "job_title", "created_at"]
    queryset = Membership.objects.none()

    def get_queryset(self):
        return scope_for_user(Membership.objects.select_related("user"), self.request.user).order_by("id")
