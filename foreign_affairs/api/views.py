"""Authentication endpoints of the API: token and the signed-in user."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from foreign_affairs.accounts import throttling


class TokenView(ObtainAuthToken):
    """POST {"username", "password"} → {"token"}; DELETE revokes the caller's token."""

    throttle_classes = [ScopedRateThrottle]  # ObtainAuthToken has none: password guessing is limited here
    throttle_scope = "token"

    @extend_schema(
        request=inline_serializer(
            "TokenRequest", {"username": serializers.CharField(), "password": serializers.CharField()}
        ),
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
        summary="Obtain an API token",
    )
    def post(self, request, *args, **kwargs):
        if throttling.is_locked(str(request.data.get("username", ""))):
            raise exceptions.ValidationError(
                {
                    "username": [
                        _(
                            "Too many failed sign-ins for this account. Wait 15 minutes, or reset your password."
                        )
                    ]
                },
                code="locked",
            )
        return super().post(request, *args, **kwargs)

    @extend_schema(
        request=None,
        responses={204: OpenApiResponse(description="Token revoked")},
        summary="Revoke the caller's API token",
    )
    def delete(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "DELETE" else []


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField(source="get_full_name")
    email = serializers.EmailField()
    preferred_language = serializers.CharField()
    roles = serializers.SerializerMethodField()
    is_office_staff = serializers.BooleanField()
    organization = serializers.SerializerMethodField()

    def get_roles(self, user) -> list[str]:
        return sorted(user.roles)

    def get_organization(self, user) -> dict | None:
        organization = user.organization
        if organization is None:
            return None
        return {"id": organization.pk, "name_zh": organization.name_zh, "name_en": organization.name_en}


class MeView(APIView):
    """The signed-in user, their roles and organisation."""

    @extend_schema(responses=MeSerializer, summary="The signed-in user")
    def get(self, request):
        return Response(MeSerializer(request.user).data)
