"""`POST /api/v1/projects/{id}/interest/` (CONTRACT.md, area 3): a visitor's expression of interest (合作意向)
in a published project, without an account.

It is recorded by services.interest.interest_express (the owner officer is told; the visitor gets an
acknowledgement by e-mail in their language): 201 with the project's reference, the state `received` and
what happens next. No id is given back: nothing of it is read again without an account. A project that is
not published answers 404; a body that is not JSON 415.

Rate-limited per client: PROJECTS_INTEREST_PER_HOUR an hour, counted together with the public page's form
(foreign_affairs.ratelimit.exceeded, scope RATE_SCOPE, which the page uses too), then 429 with
Retry-After. A filled honeypot field (`website`) is answered like a real expression of interest and
stores nothing; it counts towards the limit.
"""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, serializers, status, throttling
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from foreign_affairs.api.throttling import AnonRateThrottle, UserRateThrottle
from foreign_affairs.errors import StateConflict
from foreign_affairs.ratelimit import exceeded

from ..models import CooperationProject
from ..services import interest as services
from ..workflow import InterestState, Publication
from .common import valid_country

# The same scope and window as the public page's form (projects.views.catalogue), so that a client's
# expressions of interest count once whichever door they come through.
RATE_SCOPE = "projects-interest"
RATE_WINDOW = 3600
LANGUAGES = {code for code, _name in settings.LANGUAGES}


class InterestExpressSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, help_text="Your name.")
    organisation = serializers.CharField(max_length=200, help_text="The organisation you speak for.")
    country = serializers.CharField(
        max_length=2, help_text="ISO 3166-1 code of your country or region, e.g. IT."
    )
    email = serializers.EmailField(max_length=254, help_text="Where the acknowledgement and answers go.")
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    message = serializers.CharField(
        max_length=services.MESSAGE_MAX, help_text=f"At most {services.MESSAGE_MAX} characters."
    )
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        help_text="The language of the acknowledgement (default: Accept-Language, else English).",
    )
    website = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Leave empty. (A trap for robots: a message that fills it is not stored.)",
    )

    def validate_country(self, value):
        return valid_country(value)


class InterestReceivedSerializer(serializers.Serializer):
    project = serializers.CharField(help_text="The project's reference, e.g. HNCP-2026-00012.")
    state = serializers.ChoiceField(choices=InterestState.choices, help_text="Always `received`.")
    message = serializers.CharField(help_text="What happens next, in the language of the acknowledgement.")


class InterestThrottle(throttling.BaseThrottle):
    """PROJECTS_INTEREST_PER_HOUR an hour per client, one count with the page's form. The count's window
    starts at the first request, so the wait given is at most the whole window."""

    def allow_request(self, request, view):
        if request.method != "POST":
            return True
        return not exceeded(
            request, RATE_SCOPE, limit=settings.PROJECTS_INTEREST_PER_HOUR, seconds=RATE_WINDOW
        )

    def wait(self):
        return RATE_WINDOW


def throttles() -> list:
    return [AnonRateThrottle(), UserRateThrottle(), InterestThrottle()]


def _language(request, given) -> str:
    """As given, else the client's Accept-Language, else English (the door is for foreigners)."""
    if isinstance(given, str) and given in LANGUAGES:
        return given
    if request.META.get("HTTP_ACCEPT_LANGUAGE"):
        language = translation.get_language_from_request(request, check_path=False)
        if language in LANGUAGES:
            return language
    return "en"


def _received(reference: str, language: str) -> dict:
    with translation.override(language):
        message = _(
            "Thank you for your interest in project %(reference)s. An acknowledgement is on its way to your "
            "e-mail address; the Foreign Affairs Office passes your message on to the enterprise involved, "
            "who will contact you."
        ) % {"reference": reference}
    return {"project": reference, "state": InterestState.RECEIVED.value, "message": message}


def interest_action():
    """The viewset's `POST /{id}/interest/`: anyone, JSON only, throttled (ProjectViewSet.get_throttles)."""

    def interest(self, request, pk=None, format=None, **kwargs):
        project = get_object_or_404(
            CooperationProject.objects.filter(publication=Publication.PUBLISHED), pk=pk
        )
        given = request.data if hasattr(request.data, "get") else {}
        language = _language(request, given.get("language"))
        if str(given.get("website") or "").strip():
            # A robot filled the trap: answer as if stored, store nothing.
            return Response(_received(project.reference, language), status=status.HTTP_201_CREATED)
        serializer = InterestExpressSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("website", None)
        data.pop("language", None)
        try:
            services.interest_express(project=project, data=data, language=language)
        except StateConflict as error:  # unpublished meanwhile
            raise exceptions.NotFound() from error
        return Response(_received(project.reference, language), status=status.HTTP_201_CREATED)

    return extend_schema(
        request=InterestExpressSerializer,
        responses={
            201: InterestReceivedSerializer,
            404: OpenApiResponse(description="No such project, or it is not published"),
        },
        summary="Express interest in a published project (no account; rate-limited)",
        filters=False,
    )(
        action(
            detail=True,
            methods=["post"],
            permission_classes=[permissions.AllowAny],
            parser_classes=[JSONParser],
        )(interest)
    )
