"""Authentication endpoints of the API: token and the signed-in user."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from foreign_affairs.accounts import throttling, two_factor
from foreign_affairs.api.throttling import ScopedRateThrottle


class TokenView(ObtainAuthToken):
    """POST {"username", "password"} (and "otp" for an account with two-step sign-in) → {"token"}; DELETE
    revokes the caller's token. The same lock and the same second step as the sign-in pages."""

    throttle_classes = [ScopedRateThrottle]  # ObtainAuthToken has none: password guessing is limited here
    throttle_scope = "token"

    @extend_schema(
        request=inline_serializer(
            "TokenRequest",
            {
                "username": serializers.CharField(),
                "password": serializers.CharField(),
                "otp": serializers.CharField(
                    required=False,
                    help_text="The code of the authenticator app (or a recovery code): required for accounts "
                    "with two-step sign-in.",
                ),
            },
        ),
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
        summary="Obtain an API token",
    )
    def post(self, request, *args, **kwargs):
        username = str(request.data.get("username", ""))
        if throttling.is_locked(username):
            raise exceptions.ValidationError({"username": [throttling.LOCKED_MESSAGE]}, code="locked")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        if two_factor.has_two_factor(user):
            if two_factor.verify(user, str(request.data.get("otp", ""))) is None:
                throttling.count(username)
                raise exceptions.ValidationError(
                    {"otp": [_("Type the authentication code your app shows now, or a recovery code.")]},
                    code="otp",
                )
        elif two_factor.required_for(user):
            raise exceptions.ValidationError(
                {
                    "otp": [
                        _("Set up two-step sign-in in the portal first (My profile), then ask for a token.")
                    ]
                },
                code="two_factor_required",
            )
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

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
