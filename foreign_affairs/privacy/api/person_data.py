"""`/api/v1/privacy/people/{id}/export/` and `/api/v1/privacy/people/{id}/erase/`: a person's rights
(privacy.person_data), for office staff with privacy.export_person_data / privacy.erase_person. Anyone
else gets 403; an unknown person 404.

- `GET export/`: the ZIP (person.json, the files decrypted, README.txt); recorded as an access and in the
  audit log.
- `POST erase/` {"reason": "..."}: 204 when erased; 409 with the duties while the data must be kept.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from foreign_affairs.accounts.models import Person
from foreign_affairs.api.schema import conflict

from .. import person_data
from ..admin_person import may_erase, may_export, zip_response


class MayExportPersonData(permissions.BasePermission):
    message = "Only office staff with the permission export a person's data."

    def has_permission(self, request, view):
        return may_export(request.user)


class MayErasePeople(permissions.BasePermission):
    message = "Only office staff with the permission erase a person."

    def has_permission(self, request, view):
        return may_erase(request.user)


class EraseRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=1000, help_text="When and how the person asked; kept in the audit log, without their name."
    )


class PersonDataViewSet(viewsets.GenericViewSet):
    queryset = Person.objects.select_related("organization")
    serializer_class = EraseRequestSerializer
    permission_classes = [permissions.IsAuthenticated, MayExportPersonData]

    def get_permissions(self):
        if self.action == "erase":
            return [permissions.IsAuthenticated(), MayErasePeople()]
        return super().get_permissions()

    @extend_schema(
        responses={(200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY, description="The ZIP")},
        summary="Export everything the portal holds about the person",
    )
    @action(detail=True, methods=["get"])
    def export(self, request, pk=None, format=None):
        person = self.get_object()
        return zip_response(person, person_data.export(person, actor=request.user, request=request))

    @extend_schema(
        request=EraseRequestSerializer,
        responses={
            204: OpenApiResponse(description="Erased"),
            409: conflict(
                "The person's data must still be kept: each duty is an error (code `retention_duty`)"
            ),
        },
        summary="Erase the person on request",
    )
    @action(detail=True, methods=["post"])
    def erase(self, request, pk=None, format=None):
        person = self.get_object()
        serializer = EraseRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            person_data.erase(person, actor=request.user, reason=serializer.validated_data["reason"])
        except DjangoValidationError as error:
            return Response(
                {
                    "detail": gettext("The person's data must still be kept."),
                    "code": "retention_duty",
                    "errors": [{"code": "retention_duty", "message": duty} for duty in error.messages],
                    "state": "kept",
                    "available_transitions": [],
                    "duties": error.messages,
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(status=status.HTTP_204_NO_CONTENT)


ROUTES = [("people", PersonDataViewSet, "privacy-person-data")]
