"""`/api/v1/training/certificates/` (CONTRACT.md, area 5): certificates of completion (结业证书), each with the
`verification_code` anyone checks at /verify/<code>/ (`verify_url`).

Office staff read every certificate; the members of an organisation their organisation's; anyone else
signed in an empty list. A certificate the caller may not see answers 404, anonymous callers 401.
Filters: status (today's: valid, expired, revoked), person, course, organization, predeparture,
expiring_within (days), search.

`GET /{id}/pdf/` downloads the bilingual PDF (rendered once by a Celery task after the course is completed:
404 saying so until then). Officers `POST /{id}/revoke/` {"reason"} (services.certificate_revoke): the
verify page then says it is revoked; a second revocation is 409.
"""

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from foreign_affairs.api.schema import conflict

from .. import services
from ..documents import certificate_response
from ..models import Certificate
from ..selectors import certificates_for
from .common import LANG, LargeBodyMixin, ReaderLanguageMixin, require_officer
from .filters import CertificateFilter
from .serializers import TrainingCertificateSerializer, TrainingRevokeSerializer


class CertificateViewSet(
    ReaderLanguageMixin,
    LargeBodyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Training certificates: all of them for office staff, their organisation's for its members."""

    permission_classes = [permissions.IsAuthenticated]
    filterset_class = CertificateFilter
    filter_backends = [DjangoFilterBackend]
    parser_classes = [JSONParser]
    http_method_names = ["get", "post", "head", "options"]
    queryset = Certificate.objects.none()
    serializer_class = TrainingCertificateSerializer
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return certificates_for(self.request.user)

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    @extend_schema(
        parameters=[LANG], summary="Training certificates: all (office staff), or your organisation's"
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(parameters=[LANG], summary="A training certificate with its verification code and status")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The certificate PDF"),
        },
        summary="Download the certificate (404 while it is being rendered)",
        filters=False,
    )
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None, format=None):
        certificate = self.get_object()
        if not certificate.is_rendered:
            raise exceptions.NotFound(_("The certificate is still being prepared; try again in a minute."))
        return certificate_response(certificate)

    @extend_schema(
        request=TrainingRevokeSerializer,
        responses={
            200: TrainingCertificateSerializer,
            409: conflict("The certificate is revoked already"),
        },
        summary="Revoke the certificate (officers): the verify page says so",
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None, format=None):
        certificate = self.get_object()
        require_officer(request, _("Only approval officers revoke certificates."))
        serializer = TrainingRevokeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        certificate = services.certificate_revoke(
            certificate=certificate, actor=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(
            TrainingCertificateSerializer(
                self.get_queryset().get(pk=certificate.pk), context=self.get_serializer_context()
            ).data
        )
