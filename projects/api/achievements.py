"""`/api/v1/projects/achievements/` (CONTRACT.md, area 3): development achievements (发展成果), short
illustrated stories of what cooperation brought.

Anyone reads the published ones (`"shape": "public"`): title and story in both languages and in the
reader's, channel, area, date, the images' public addresses and the published projects they tell of.
Office staff read every one in full (`"shape": "full"`: publication as `state`, the transitions they may
run, every linked project). Officers write them (`POST`, `PATCH`), publish them (`POST
/{id}/<transition>/`: submit_for_review, publish, return_to_draft, archive, republish) and illustrate them
(`POST /{id}/images/`, JPEG or PNG) through projects.services.achievements.
"""

from django.core.exceptions import RequestDataTooBig
from django.db.models import F, Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from foreign_affairs import fsm
from foreign_affairs.accounts.models import FTZArea
from foreign_affairs.api.actions import add_transition_actions, history_action
from foreign_affairs.api.serializers import CaseAttachmentSerializer

from ..filters import AchievementFilter
from ..models import Achievement, AchievementImage, CooperationProject
from ..services import achievements as services
from ..workflow import PUBLICATION_TRANSITIONS, Channel, Publication
from .common import LANG, IdListField, ReaderLanguageMixin, is_office, person_name, public_url, shape_schema


def achievements_for(user):
    """Office staff read every achievement, everyone else the published ones; each with its images and
    projects in a fixed number of queries."""
    images = AchievementImage.objects.select_related("document").order_by("created_at", "pk")
    # Not the descriptions and search words: the list shows titles. (Deferring a state field would make
    # django-fsm load each row again.)
    projects = CooperationProject.objects.defer("description_zh", "description_en", "search_text").order_by(
        "reference"
    )
    queryset = Achievement.objects.select_related("created_by").prefetch_related(
        Prefetch("attachments", queryset=images, to_attr="images_shown"),
        Prefetch("projects", queryset=projects, to_attr="projects_shown"),
    )
    if is_office(user):
        return queryset.order_by("-happened_on", "-pk")
    return queryset.filter(publication=Publication.PUBLISHED).order_by(
        F("published_at").desc(nulls_last=True), "-pk"
    )


# What is shown -----------------------------------------------------------------------------------------


class AchievementProjectSerializer(serializers.Serializer):
    """A published project the story tells of."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    title = serializers.CharField(help_text="In the reader's language.")
    url = serializers.SerializerMethodField()

    def get_url(self, project) -> str:
        """The project's public page."""
        return public_url("projects:detail", project.reference)


class AchievementLinkSerializer(serializers.Serializer):
    """A project the story tells of, as the office sees it (published or not)."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    title = serializers.CharField(help_text="In the reader's language.")
    publication = serializers.ChoiceField(choices=Publication.choices)
    url = serializers.SerializerMethodField()

    def get_url(self, project) -> str | None:
        """The project's public page once published; null before."""
        return public_url("projects:detail", project.reference) if project.is_public else None


class AchievementImagePublicSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="document.original_name")
    url = serializers.SerializerMethodField()

    def get_url(self, image) -> str:
        """The image's public address (no account needed)."""
        return public_url("projects:achievement_image", image.application.reference, image.pk)


class AchievementImageSerializer(CaseAttachmentSerializer):
    """An image as the office sees it; `url` is its public address once the achievement is published."""

    url = serializers.SerializerMethodField()

    class Meta(CaseAttachmentSerializer.Meta):
        model = AchievementImage
        fields = ["id", "name", "size", "download_url", "url", "created_at"]
        read_only_fields = fields

    def get_url(self, image) -> str | None:
        """The public address, or null while the achievement is not published."""
        achievement = image.application
        if achievement.publication != Publication.PUBLISHED:
            return None
        return public_url("projects:achievement_image", achievement.reference, image.pk)


PUBLIC_FIELDS = [
    "shape",
    "id",
    "reference",
    "title",
    "title_zh",
    "title_en",
    "description",
    "description_zh",
    "description_en",
    "channel",
    "ftz_area",
    "happened_on",
    "published_at",
    "url",
    "images",
    "projects",
]


class AchievementPublicSerializer(serializers.ModelSerializer):
    """A published achievement as the public reads it."""

    shape = serializers.SerializerMethodField()
    title = serializers.CharField(read_only=True, help_text="In the reader's language (the other if empty).")
    description = serializers.CharField(
        read_only=True, help_text="The story in the reader's language (the other if empty)."
    )
    url = serializers.SerializerMethodField()
    images = serializers.SerializerMethodField()
    projects = serializers.SerializerMethodField()

    class Meta:
        model = Achievement
        fields = PUBLIC_FIELDS
        read_only_fields = fields

    @extend_schema_field(shape_schema("achievement", "public"))
    def get_shape(self, achievement) -> str:
        """Which of the two shapes this is: `public` or `full` (office staff)."""
        return "public"

    def get_url(self, achievement) -> str:
        """The public page (its shareable link)."""
        return public_url("projects:achievement", achievement.reference)

    @extend_schema_field(AchievementImagePublicSerializer(many=True))
    def get_images(self, achievement):
        for image in achievement.images_shown:
            image.application = achievement
        return AchievementImagePublicSerializer(achievement.images_shown, many=True).data

    @extend_schema_field(AchievementProjectSerializer(many=True))
    def get_projects(self, achievement):
        """The published projects the story tells of."""
        shown = [project for project in achievement.projects_shown if project.is_public]
        return AchievementProjectSerializer(shown, many=True).data


class AchievementSerializer(AchievementPublicSerializer):
    """The whole achievement (office staff)."""

    state = serializers.ChoiceField(
        source="publication",
        choices=Publication.choices,
        read_only=True,
        help_text="The publication's state (`publication`).",
    )
    available_transitions = serializers.SerializerMethodField()
    created_by = serializers.SerializerMethodField()

    class Meta(AchievementPublicSerializer.Meta):
        fields = [
            *PUBLIC_FIELDS,
            "state",
            "available_transitions",
            "publication",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(shape_schema("achievement", "full"))
    def get_shape(self, achievement) -> str:
        return "full"

    def get_url(self, achievement) -> str | None:
        """The public page once published; null before."""
        if achievement.publication != Publication.PUBLISHED:
            return None
        return public_url("projects:achievement", achievement.reference)

    @extend_schema_field(AchievementImageSerializer(many=True))
    def get_images(self, achievement):
        for image in achievement.images_shown:
            image.application = achievement
        return AchievementImageSerializer(achievement.images_shown, many=True, context=self.context).data

    @extend_schema_field(AchievementLinkSerializer(many=True))
    def get_projects(self, achievement):
        """Every project the story tells of."""
        return AchievementLinkSerializer(achievement.projects_shown, many=True).data

    def get_available_transitions(self, achievement) -> list[str]:
        return fsm.available_transitions(achievement, self.context["request"].user, "publication")

    def get_created_by(self, achievement) -> str | None:
        """Who wrote it."""
        return person_name(achievement.created_by)


ENTRY = PolymorphicProxySerializer(
    component_name="AchievementEntry",
    serializers=[AchievementSerializer, AchievementPublicSerializer],
    resource_type_field_name=None,
)
ENTRIES = PolymorphicProxySerializer(
    component_name="AchievementEntry",
    serializers=[AchievementSerializer, AchievementPublicSerializer],
    resource_type_field_name=None,
    many=True,
)


# What is written ---------------------------------------------------------------------------------------


class AchievementWriteSerializer(serializers.Serializer):
    """An achievement as written (services.achievements.FIELDS): the title and the story in at least one
    language (both are needed to publish)."""

    title_zh = serializers.CharField(max_length=200, required=False, allow_blank=True)
    title_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description_zh = serializers.CharField(
        max_length=8000, required=False, allow_blank=True, help_text="The story in Chinese."
    )
    description_en = serializers.CharField(
        max_length=8000, required=False, allow_blank=True, help_text="The story in English."
    )
    channel = serializers.ChoiceField(choices=Channel.choices)
    ftz_area = serializers.ChoiceField(choices=FTZArea.choices)
    happened_on = serializers.DateField(required=False, help_text="Default: today; not in the future.")
    projects = IdListField(
        max_length=50,
        required=False,
        help_text="The ids of the projects the story tells of.",
    )


class AchievementImageUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="JPEG or PNG (checked by content), at most 10 MB.")


# The viewset -------------------------------------------------------------------------------------------


class AchievementViewSet(
    ReaderLanguageMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Development achievements: the published ones for everyone, every one for office staff; officers
    write and publish them."""

    filterset_class = AchievementFilter
    filter_backends = [DjangoFilterBackend]
    parser_classes = [JSONParser]
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = Achievement.objects.none()
    lookup_value_regex = r"[0-9]+"

    def get_permissions(self):
        if self.action in ("list", "retrieve"):
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    def get_queryset(self):
        return achievements_for(self.request.user)

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return AchievementWriteSerializer
        return AchievementSerializer

    def get_object(self):
        achievement = super().get_object()
        if self.action == "history" and not is_office(self.request.user):
            raise Http404
        return achievement

    def handle_exception(self, exc):
        if isinstance(exc, RequestDataTooBig):
            exc = exceptions.ParseError(_("The request is too large."))
        return super().handle_exception(exc)

    def shown(self, achievement) -> dict:
        serializer = AchievementSerializer if is_office(self.request.user) else AchievementPublicSerializer
        return serializer(achievement, context=self.get_serializer_context()).data

    def detail_response(self, achievement, status_code=status.HTTP_200_OK):
        return Response(self.shown(self.get_queryset().get(pk=achievement.pk)), status=status_code)

    @extend_schema(
        parameters=[LANG],
        responses={200: ENTRIES},
        summary="Development achievements: the published ones (public fields), or all (office staff)",
    )
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response([self.shown(achievement) for achievement in page])

    @extend_schema(parameters=[LANG], responses={200: ENTRY}, summary="A development achievement")
    def retrieve(self, request, *args, **kwargs):
        return Response(self.shown(self.get_object()))

    @extend_schema(
        request=AchievementWriteSerializer,
        responses={201: AchievementSerializer},
        summary="Write a development achievement (officers; a draft)",
    )
    def create(self, request, *args, **kwargs):
        serializer = AchievementWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        achievement = services.achievement_create(actor=request.user, data=dict(serializer.validated_data))
        return self.detail_response(achievement, status.HTTP_201_CREATED)

    @extend_schema(
        request=AchievementWriteSerializer,
        responses={200: AchievementSerializer},
        summary="Change a development achievement (officers)",
    )
    def partial_update(self, request, *args, **kwargs):
        achievement = self.get_object()
        serializer = AchievementWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        achievement = services.achievement_update(
            achievement=achievement, actor=request.user, data=dict(serializer.validated_data)
        )
        return self.detail_response(achievement)

    history = history_action()

    @extend_schema(
        request={"multipart/form-data": AchievementImageUploadSerializer},
        responses={201: AchievementImageSerializer},
        summary="Add an image (officers; JPEG or PNG)",
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def images(self, request, pk=None, format=None, **kwargs):
        achievement = self.get_object()
        form = AchievementImageUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        image = services.image_add(
            achievement=achievement, actor=request.user, uploaded_file=form.validated_data["file"]
        )
        image = AchievementImage.objects.select_related("document", "application").get(pk=image.pk)
        return Response(
            AchievementImageSerializer(image, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


def _run_publication(request, achievement, name: str, data: dict):
    return services.achievement_publication_run(
        achievement=achievement, actor=request.user, name=name, comment=data.get("comment", "")
    )


add_transition_actions(
    AchievementViewSet, PUBLICATION_TRANSITIONS, run=_run_publication, response=AchievementSerializer
)
