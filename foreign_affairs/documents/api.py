"""REST API for documents: upload (multipart), list, detail and download."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from foreign_affairs.accounts.api import PortalModelPermissions
from foreign_affairs.accounts.models import Organization
from foreign_affairs.accounts.selectors import scope_for_user

from .access import document_seen
from .models import Document, DocumentKind
from .responses import document_download
from .services import document_create
from .validators import ALLOWED_TYPES

DOWNLOAD_TYPES = [file_type.content_type for file_type in ALLOWED_TYPES]


class DocumentSerializer(serializers.ModelSerializer):
    # A title the portal made ("<reference> <kind>") in the caller's language; a typed one as typed.
    title = serializers.CharField(source="display_title", read_only=True)
    download_url = serializers.HyperlinkedIdentityField(view_name="api:document-download")

    class Meta:
        model = Document
        fields = [
            "id",
            "organization",
            "kind",
            "title",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "created_at",
            "download_url",
        ]
        read_only_fields = fields


class DocumentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    file = serializers.FileField(help_text="PDF, JPEG or PNG (checked by content), at most 10 MB.")
    organization = serializers.IntegerField(
        required=False, help_text="Office staff only; others upload to their own."
    )


class DocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = DocumentSerializer
    permission_classes = [permissions.IsAuthenticated, PortalModelPermissions]
    filterset_fields = ["kind", "organization"]
    search_fields = ["title", "original_name"]
    ordering = ["-created_at"]
    parser_classes = [MultiPartParser, FormParser]
    queryset = Document.objects.none()

    def get_queryset(self):
        return scope_for_user(Document.objects.all(), self.request.user)

    @extend_schema(
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer},
        summary="Upload a document",
    )
    def create(self, request, *args, **kwargs):
        upload = DocumentUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        if request.user.is_office_staff:
            organization = None
            if data.get("organization"):
                organization = Organization.objects.filter(pk=data["organization"]).first()
                if organization is None:
                    raise ValidationError({"organization": [_("There is no such organisation.")]})
        else:
            organization = request.user.organization
            if organization is None:
                raise ValidationError(
                    {"organization": [_("Your account does not belong to an organisation.")]}
                )
        document = document_create(
            uploaded_file=data["file"],
            kind=data["kind"],
            title=data["title"],
            organization=organization,
            uploaded_by=request.user,
        )
        return Response(self.get_serializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        # The document's own type (its `content_type`): one of the types uploads are accepted in.
        responses={
            (200, content_type): OpenApiResponse(OpenApiTypes.BINARY, description="The file, as uploaded")
            for content_type in DOWNLOAD_TYPES
        },
        summary="Download the stored file",
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None, format=None):
        document = self.get_object()
        response = document_download(document)
        document_seen(request, document)
        return response
