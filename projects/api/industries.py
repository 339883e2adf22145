"""`/api/v1/projects/industries/` (area 3): the industries projects are filed under (a taxonomy the office
edits, seeded with the industries of the free trade zone's overall plan).

Anyone reads the industries in use, the office's priority industries first; office staff read those no
longer in use too. Officers add one (`POST`) or change it (`PATCH`: names, area, priority, in use, order)
through projects.services.taxonomy.industry_save.
"""

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from foreign_affairs.accounts.models import FTZArea
from foreign_affairs.accounts.roles import Role

from .. import selectors
from ..filters import IndustryFilter
from ..models import Industry
from ..services import taxonomy as services
from .common import LANG, ReaderLanguageMixin, is_office


class ProjectIndustrySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text="In the reader's language.")
    area = serializers.ChoiceField(
        choices=FTZArea.choices,
        allow_blank=True,
        read_only=True,
        help_text="The area whose plan names the industry; empty for all areas.",
    )

    class Meta:
        model = Industry
        fields = ["id", "code", "name", "name_zh", "name_en", "area", "priority", "active", "order"]
        read_only_fields = fields


class ProjectIndustryWriteSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=40, help_text="Letters, digits, - and _; unique.")
    name_zh = serializers.CharField(max_length=100)
    name_en = serializers.CharField(max_length=100)
    area = serializers.ChoiceField(
        choices=FTZArea.choices,
        required=False,
        allow_blank=True,
        help_text="The area whose plan names the industry; empty for all areas.",
    )
    priority = serializers.BooleanField(required=False, help_text="One of the office's priority industries.")
    active = serializers.BooleanField(required=False, help_text="In use for new projects.")
    order = serializers.IntegerField(required=False, min_value=0, max_value=32767)


def _require_officer(user) -> None:
    if not user.has_role(Role.OFFICER):
        raise exceptions.PermissionDenied(_("Only approval officers edit the industries."))


class IndustryViewSet(
    ReaderLanguageMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The industries: those in use for everyone, all of them for office staff; officers edit them."""

    filterset_class = IndustryFilter
    filter_backends = [DjangoFilterBackend]
    parser_classes = [JSONParser]
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = Industry.objects.none()
    lookup_value_regex = r"[0-9]+"

    def get_permissions(self):
        if self.action in ("list", "retrieve"):
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    def get_queryset(self):
        return selectors.industries(active_only=not is_office(self.request.user))

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return ProjectIndustryWriteSerializer
        return ProjectIndustrySerializer

    @extend_schema(parameters=[LANG], summary="Industries: those in use, priority industries first")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(parameters=[LANG], summary="An industry")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=ProjectIndustryWriteSerializer,
        responses={201: ProjectIndustrySerializer},
        summary="Add an industry (officers)",
    )
    def create(self, request, *args, **kwargs):
        _require_officer(request.user)
        serializer = ProjectIndustryWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        industry = services.industry_save(actor=request.user, data=dict(serializer.validated_data))
        return Response(
            ProjectIndustrySerializer(industry, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=ProjectIndustryWriteSerializer,
        responses={200: ProjectIndustrySerializer},
        summary="Change an industry (officers)",
    )
    def partial_update(self, request, *args, **kwargs):
        industry = self.get_object()
        _require_officer(request.user)
        serializer = ProjectIndustryWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        industry = services.industry_save(
            actor=request.user, data=dict(serializer.validated_data), industry=industry
        )
        return Response(ProjectIndustrySerializer(industry, context=self.get_serializer_context()).data)
