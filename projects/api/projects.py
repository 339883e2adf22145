"""`/api/v1/projects/` (CONTRACT.md, area 3): cooperation projects.

Anyone, without an account, reads the published projects with their public fields only (`"shape":
"public"`): title and description in both languages and in the reader's (`?lang=` or Accept-Language),
channel, area, industries, mode, partner country and city, size, the public page's address and its public
files. Office staff read every project in full (`"shape": "full"`: the pipeline stage as `state`, the
publication, owner, next step, enterprises, contact, partner organisation, notes, every document, the
transitions they may run); the members of an enterprise involved read their own projects in full too (the
officers' notes excepted) beside the published ones. A project the caller may not see answers 404.

Officers enter projects from every channel (`POST`, source `api`) and enterprise users their own (the
enterprise fields; the enterprise is theirs); `PATCH` changes one (an enterprise's only while it is a
draft, else 409). `POST /{id}/<transition>/` runs the pipeline (contact, negotiate, sign, implement,
complete, drop, revive) or the publication (submit_for_review, publish, return_to_draft, archive,
republish); `GET /{id}/history/`, `POST /{id}/notes/` and `POST /{id}/documents/` as in other areas.
`POST /{id}/interest/` is the visitors' expression of interest (api/interest_door.py). Every write calls
projects.services; their refusals become the API's one error shape (400, 403, 409). Nothing is deleted.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import RequestDataTooBig
from django.db.models import F, Prefetch, Q
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
from foreign_affairs.accounts.roles import Role
from foreign_affairs.api.actions import add_transition_actions, history_action
from foreign_affairs.api.schema import conflict
from foreign_affairs.api.serializers import CaseAttachmentSerializer, TransitionSerializer

from ..filters import ProjectFilter
from ..models import (
    CURRENCIES,
    CooperationProject,
    Industry,
    ProjectDocument,
    ProjectDocumentKind,
    ProjectNote,
)
from ..services import projects as services
from ..workflow import PUBLICATION_TRANSITIONS, STAGE_TRANSITIONS, Channel, Mode, Publication, Source, Stage
from . import interest_door
from .common import (
    LANG,
    IdField,
    IdListField,
    ReaderLanguageMixin,
    country_label,
    is_office,
    person_name,
    public_url,
    shape_schema,
    shows_in_full,
    valid_country,
)

# The documents the public sees of a published project: those an officer marked public, of these kinds
# (the same as projects.views.catalogue.PUBLIC_KINDS).
PUBLIC_KINDS = (ProjectDocumentKind.IMAGE, ProjectDocumentKind.BROCHURE)


def projects_for(user):
    """The projects `user` may read, with what every row shows in a fixed number of queries: office staff
    all of them; everyone else the published ones, and an enterprise's members its own besides."""
    documents = ProjectDocument.objects.select_related("document").order_by("kind", "created_at", "pk")
    queryset = CooperationProject.objects.select_related("owner").prefetch_related(
        "industries", "enterprises", Prefetch("attachments", queryset=documents, to_attr="documents_shown")
    )
    if is_office(user):
        notes = ProjectNote.objects.select_related("author").order_by("at", "pk")
        return queryset.prefetch_related(Prefetch("notes", queryset=notes)).order_by("-created_at", "-pk")
    visible = Q(publication=Publication.PUBLISHED)
    organization = user.organization if user.is_authenticated else None
    if organization is not None:
        visible |= Q(pk__in=CooperationProject.objects.filter(enterprises=organization).values("pk"))
    return queryset.filter(visible).order_by(F("published_at").desc(nulls_last=True), "-pk")


def prepared(project):
    """Keep the enterprises involved on the row, so that the transitions' permission (workflow.is_involved)
    reads them from the prefetched list rather than one query per row."""
    project._enterprise_ids = {enterprise.pk for enterprise in project.enterprises.all()}
    return project


def is_public_file(document, project) -> bool:
    return project.is_public and document.public and document.kind in PUBLIC_KINDS


# What is shown -----------------------------------------------------------------------------------------


class ProjectIndustryBriefSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The industry's code (industries API).")
    name = serializers.CharField(help_text="In the reader's language.")


class ProjectEnterpriseSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The organisation's id (organizations API).")
    name = serializers.CharField(help_text="In the reader's language.")


class ProjectPublicFileSerializer(serializers.Serializer):
    """A public file of a published project: an image or a brochure, at its public address."""

    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ProjectDocumentKind.choices)
    name = serializers.CharField(source="document.original_name")
    content_type = serializers.CharField(source="document.content_type")
    url = serializers.SerializerMethodField()

    def get_url(self, document) -> str:
        """The file's public address (no account needed)."""
        return public_url("projects:public_file", document.application.reference, document.pk)


class ProjectFileSerializer(CaseAttachmentSerializer):
    """A document of the project as its office and enterprise see it: downloaded through the documents API;
    `url` is its public address while it is shown on the published project's page."""

    url = serializers.SerializerMethodField()

    class Meta(CaseAttachmentSerializer.Meta):
        model = ProjectDocument
        fields = ["id", "kind", "name", "size", "public", "download_url", "url", "created_at"]
        read_only_fields = fields

    def get_url(self, document) -> str | None:
        """The public address, or null while the public does not see it."""
        if not is_public_file(document, document.application):
            return None
        return public_url("projects:public_file", document.application.reference, document.pk)


class ProjectNoteSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()

    class Meta:
        model = ProjectNote
        fields = ["id", "at", "author", "text"]
        read_only_fields = fields

    def get_author(self, note) -> str | None:
        return person_name(note.author)


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
    "industries",
    "mode",
    "partner_country",
    "partner_country_name",
    "partner_city",
    "amount",
    "currency",
    "published_at",
    "url",
    "documents",
]


class CooperationProjectPublicSerializer(serializers.ModelSerializer):
    """A published project as the catalogue shows it: its public fields only."""

    SHAPE = "public"

    shape = serializers.SerializerMethodField()
    title = serializers.CharField(read_only=True, help_text="In the reader's language (the other if empty).")
    description = serializers.CharField(
        read_only=True, help_text="In the reader's language (the other if empty)."
    )
    industries = ProjectIndustryBriefSerializer(many=True, read_only=True)
    partner_country = serializers.SerializerMethodField()
    partner_country_name = serializers.SerializerMethodField()
    currency = serializers.ChoiceField(
        choices=CURRENCIES, allow_blank=True, read_only=True, help_text="ISO 4217; empty without an amount."
    )
    url = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()

    class Meta:
        model = CooperationProject
        fields = PUBLIC_FIELDS
        read_only_fields = fields

    @extend_schema_field(shape_schema("project", "public"))
    def get_shape(self, project) -> str:
        """Which of the two shapes this is: `public` (the catalogue's fields) or `full`."""
        return self.SHAPE

    def get_partner_country(self, project) -> str:
        """ISO 3166-1 code, e.g. DE ("" when none is given)."""
        return project.partner_country.code or ""

    def get_partner_country_name(self, project) -> str:
        """In the reader's language."""
        return country_label(project.partner_country)

    def get_url(self, project) -> str:
        """The public page (its shareable link)."""
        return public_url("projects:detail", project.reference)

    @extend_schema_field(ProjectPublicFileSerializer(many=True))
    def get_documents(self, project):
        """The images and brochures the public sees."""
        shown = [d for d in project.documents_shown if is_public_file(d, project)]
        for document in shown:
            document.application = project
        return ProjectPublicFileSerializer(shown, many=True, context=self.context).data


class CooperationProjectSerializer(CooperationProjectPublicSerializer):
    """The whole project (office staff, and the enterprises involved)."""

    SHAPE = "full"

    state = serializers.ChoiceField(
        source="stage", choices=Stage.choices, read_only=True, help_text="The pipeline's stage (`stage`)."
    )
    available_transitions = serializers.SerializerMethodField()
    owner = serializers.IntegerField(
        source="owner_id", read_only=True, allow_null=True, help_text="The owner officer's user id."
    )
    owner_name = serializers.SerializerMethodField()
    next_step_overdue = serializers.BooleanField(
        read_only=True, help_text="An open project whose next step is past its due date."
    )
    enterprises = ProjectEnterpriseSerializer(many=True, read_only=True)
    # Plain strings: "" when none is given, which is no "email" or "uri".
    contact_email = serializers.CharField(read_only=True)
    documents = ProjectFileSerializer(source="documents_shown", many=True, read_only=True)
    notes = serializers.SerializerMethodField()

    class Meta(CooperationProjectPublicSerializer.Meta):
        fields = [
            *PUBLIC_FIELDS,
            "state",
            "available_transitions",
            "stage",
            "publication",
            "source",
            "owner",
            "owner_name",
            "next_step",
            "next_step_due",
            "next_step_overdue",
            "signed_on",
            "enterprises",
            "partner_organisation",
            "friendship_city",
            "contact_name",
            "contact_email",
            "contact_phone",
            "created_at",
            "stage_changed_at",
            "updated_at",
            "notes",
        ]
        read_only_fields = fields

    @extend_schema_field(shape_schema("project", "full"))
    def get_shape(self, project) -> str:
        return self.SHAPE

    def get_url(self, project) -> str | None:
        """The public page once published; null before."""
        return public_url("projects:detail", project.reference) if project.is_public else None

    def get_available_transitions(self, project) -> list[str]:
        """Of both machines: the pipeline's and the publication's, those the caller may run now."""
        user = self.context["request"].user
        return fsm.available_transitions(project, user, "stage") + fsm.available_transitions(
            project, user, "publication"
        )

    def get_owner_name(self, project) -> str | None:
        return person_name(project.owner)

    @extend_schema_field(ProjectNoteSerializer(many=True))
    def get_notes(self, project):
        """The officers' notes, oldest first (office staff only; empty for others)."""
        if not is_office(self.context["request"].user):
            return []
        return ProjectNoteSerializer(project.notes.all(), many=True).data


ENTRY = PolymorphicProxySerializer(
    component_name="CooperationProjectEntry",
    serializers=[CooperationProjectSerializer, CooperationProjectPublicSerializer],
    resource_type_field_name=None,
)
ENTRIES = PolymorphicProxySerializer(
    component_name="CooperationProjectEntry",
    serializers=[CooperationProjectSerializer, CooperationProjectPublicSerializer],
    resource_type_field_name=None,
    many=True,
)


# What is written ---------------------------------------------------------------------------------------


class CooperationProjectWriteSerializer(serializers.Serializer):
    """A project as entered or changed (services.projects.ENTERPRISE_FIELDS; OFFICE_FIELDS for officers).
    Give the title and the description in at least one language; both are needed to publish."""

    title_zh = serializers.CharField(max_length=200, required=False, allow_blank=True)
    title_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description_zh = serializers.CharField(max_length=8000, required=False, allow_blank=True)
    description_en = serializers.CharField(max_length=8000, required=False, allow_blank=True)
    channel = serializers.ChoiceField(choices=Channel.choices)
    ftz_area = serializers.ChoiceField(choices=FTZArea.choices)
    industries = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Industry.objects.all(),
        many=True,
        required=False,
        help_text="Industries' codes (industries API).",
    )
    mode = serializers.ChoiceField(choices=Mode.choices)
    partner_country = serializers.CharField(
        max_length=2,
        required=False,
        allow_blank=True,
        help_text="ISO 3166-1 code of the partner's country or region, e.g. DE.",
    )
    partner_city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    partner_organisation = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="Not public."
    )
    amount = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    currency = serializers.ChoiceField(
        choices=CURRENCIES, required=False, allow_blank=True, help_text="Required with an amount."
    )
    contact_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    contact_email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    # The office's only; an enterprise's request leaves them as they are.
    enterprises = IdListField(
        max_length=50,
        required=False,
        help_text="Officers: the ids of the free trade zone's enterprises involved (organizations API). "
        "An enterprise's own project is its enterprise's.",
    )
    friendship_city = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="Officers only."
    )
    owner = IdField(
        required=False,
        allow_null=True,
        help_text="Officers only: the owner officer's user id (default: you).",
    )
    next_step = serializers.CharField(
        max_length=300, required=False, allow_blank=True, help_text="Officers only."
    )
    next_step_due = serializers.DateField(required=False, allow_null=True, help_text="Officers only.")
    signed_on = serializers.DateField(required=False, allow_null=True, help_text="Officers only.")

    def validate_partner_country(self, value):
        return valid_country(value)


OFFICE_ONLY_FIELDS = ("enterprises", "friendship_city", "owner", "next_step", "next_step_due", "signed_on")


class ProjectStageTransitionSerializer(TransitionSerializer):
    """A step of the pipeline, with the next step to take (and the date of signing for `sign`)."""

    next_step = serializers.CharField(max_length=300, required=False, allow_blank=True)
    next_step_due = serializers.DateField(required=False, allow_null=True)
    signed_on = serializers.DateField(
        required=False, allow_null=True, help_text="`sign`: the date of signing (default: today)."
    )


class ProjectNoteAddSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000)


class ProjectFileUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ProjectDocumentKind.choices)
    file = serializers.FileField(help_text="PDF, JPEG or PNG (checked by content), at most 10 MB.")
    public = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Officers: show it on the published project's page (images and brochures).",
    )


# The viewset -------------------------------------------------------------------------------------------


def may_enter_projects(user) -> bool:
    """Officers, and the members of an enterprise of the zone (services.projects decides the rest)."""
    if user.has_role(Role.OFFICER):
        return True
    return user.enterprise is not None and (user.has_role(Role.APPLICANT) or user.has_role(Role.LIAISON))


def _owner(value):
    if value is None:
        return None
    owner = get_user_model().objects.filter(pk=value, is_active=True).first()
    if owner is None:
        raise serializers.ValidationError({"owner": [_("The owner must be an approval officer.")]})
    return owner


class ProjectViewSet(
    ReaderLanguageMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Cooperation projects: the published ones for everyone (public fields), every one for office staff,
    an enterprise's own for its members (in full). Officers and enterprises write."""

    permission_classes = [permissions.IsAuthenticated]
    filterset_class = ProjectFilter
    filter_backends = [DjangoFilterBackend]
    parser_classes = [JSONParser]
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = CooperationProject.objects.none()
    lookup_value_regex = r"[0-9]+"

    def get_permissions(self):
        # Reads are public (what is shown depends on the caller); `interest` says AllowAny on its route.
        if self.action in ("list", "retrieve"):
            return [permissions.AllowAny()]
        return super().get_permissions()

    def get_throttles(self):
        if self.action == "interest":
            return interest_door.throttles()
        return super().get_throttles()

    def get_queryset(self):
        return projects_for(self.request.user)

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return CooperationProjectWriteSerializer
        return CooperationProjectSerializer

    def get_object(self):
        project = prepared(super().get_object())
        if self.action == "history" and not shows_in_full(project, self.request.user):
            raise Http404
        return project

    def handle_exception(self, exc):
        if isinstance(exc, RequestDataTooBig):
            # Django would answer its own HTML page; the API answers in its one error shape.
            exc = exceptions.ParseError(_("The request is too large."))
        return super().handle_exception(exc)

    def shown(self, project) -> dict:
        serializer = (
            CooperationProjectSerializer
            if shows_in_full(project, self.request.user)
            else CooperationProjectPublicSerializer
        )
        return serializer(project, context=self.get_serializer_context()).data

    def detail_response(self, project, status_code=status.HTTP_200_OK):
        return Response(self.shown(prepared(self.get_queryset().get(pk=project.pk))), status=status_code)

    @extend_schema(
        parameters=[LANG],
        responses={200: ENTRIES},
        summary="Cooperation projects: the published ones (public fields), yours, or all (office staff)",
    )
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response([self.shown(prepared(project)) for project in page])

    @extend_schema(
        parameters=[LANG],
        responses={200: ENTRY},
        summary="A project (public fields unless it is your enterprise's or you are office staff)",
    )
    def retrieve(self, request, *args, **kwargs):
        return Response(self.shown(self.get_object()))

    def _written(self, data: dict) -> dict:
        """The validated body as the services take it: office-only fields for officers only, the owner as
        a user."""
        data = dict(data)
        if not self.request.user.has_role(Role.OFFICER):
            for name in OFFICE_ONLY_FIELDS:
                data.pop(name, None)
        elif "owner" in data:
            data["owner"] = _owner(data["owner"])
        return data

    @extend_schema(
        request=CooperationProjectWriteSerializer,
        responses={201: CooperationProjectSerializer},
        summary="Enter a project: officers from any channel, enterprises their own (a lead and a draft)",
    )
    def create(self, request, *args, **kwargs):
        if not may_enter_projects(request.user):
            raise exceptions.PermissionDenied(
                _("Only approval officers and the enterprises of the free trade zone enter projects.")
            )
        serializer = CooperationProjectWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        project = services.project_create(
            actor=request.user, data=self._written(serializer.validated_data), source=Source.API
        )
        return self.detail_response(project, status.HTTP_201_CREATED)

    @extend_schema(
        request=CooperationProjectWriteSerializer,
        responses={
            200: CooperationProjectSerializer,
            409: conflict("An enterprise changes its project only while it is a draft"),
        },
        summary="Change a project (officers any time; the enterprise its own while it is a draft)",
    )
    def partial_update(self, request, *args, **kwargs):
        project = self.get_object()
        serializer = CooperationProjectWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        project = services.project_update(
            project=project, actor=request.user, data=self._written(serializer.validated_data)
        )
        return self.detail_response(project)

    history = history_action()

    @extend_schema(
        request=ProjectNoteAddSerializer,
        responses={201: ProjectNoteSerializer},
        summary="Add a note (officers)",
    )
    @action(detail=True, methods=["post"])
    def notes(self, request, pk=None, format=None, **kwargs):
        project = self.get_object()
        serializer = ProjectNoteAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        note = services.note_add(project=project, actor=request.user, text=serializer.validated_data["text"])
        note = ProjectNote.objects.select_related("author").get(pk=note.pk)
        return Response(ProjectNoteSerializer(note).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request={"multipart/form-data": ProjectFileUploadSerializer},
        responses={
            201: ProjectFileSerializer,
            409: conflict("An enterprise changes its project only as a draft"),
        },
        summary="Attach a document or image (officers; the enterprise to its draft)",
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def documents(self, request, pk=None, format=None, **kwargs):
        project = self.get_object()
        form = ProjectFileUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        document = services.document_add(
            project=project,
            actor=request.user,
            kind=form.validated_data["kind"],
            uploaded_file=form.validated_data["file"],
            public=form.validated_data["public"],
        )
        document = ProjectDocument.objects.select_related("document", "application").get(pk=document.pk)
        return Response(
            ProjectFileSerializer(document, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    interest = interest_door.interest_action()


def _run_stage(request, project, name: str, data: dict):
    data = dict(data)
    comment = data.pop("comment", "")
    return services.stage_run(
        project=project, actor=request.user, name=name, comment=comment, data=data or None
    )


def _run_publication(request, project, name: str, data: dict):
    return services.publication_run(
        project=project, actor=request.user, name=name, comment=data.get("comment", "")
    )


add_transition_actions(
    ProjectViewSet,
    STAGE_TRANSITIONS,
    run=_run_stage,
    response=CooperationProjectSerializer,
    bodies=dict.fromkeys(STAGE_TRANSITIONS, ProjectStageTransitionSerializer),
)
add_transition_actions(
    ProjectViewSet, PUBLICATION_TRANSITIONS, run=_run_publication, response=CooperationProjectSerializer
)
