"""`POST /api/v1/foreign-offices/enquiries/` (CONTRACT.md, area 2): a foreign organisation's first enquiry,
without an account.

It opens a setting-up case in state `enquiry` (services.cases.enquiry_create, source `api`): 201 with the
case's reference, which the enquirer also receives by e-mail. Rate-limited per client
(FOREIGN_OFFICES_ENQUIRIES_PER_HOUR an hour, counted by foreign_affairs.ratelimit.client_address; then 429
with Retry-After). A filled honeypot field (`website`) is answered like a real enquiry and stores
nothing. Nothing is listed or read back here (GET: 405).
"""

import secrets

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, serializers, status, viewsets
from rest_framework.response import Response

from foreign_affairs.api.throttling import AnonRateThrottle, ScopedRateThrottle

from ..services import cases as services
from ..workflow import CaseState, EnquirySource
from .cases import EnquiryFieldsSerializer

LANGUAGES = {code for code, _name in settings.LANGUAGES}


class EnquirySerializer(EnquiryFieldsSerializer):
    website = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Leave empty. (A trap for robots: an enquiry that fills it is not stored.)",
    )


class EnquiryReceivedSerializer(serializers.Serializer):
    reference = serializers.CharField(help_text="The case's reference, e.g. HNFO-2026-00012.")
    state = serializers.ChoiceField(choices=CaseState.choices, help_text="Always `enquiry`.")
    message = serializers.CharField(help_text="What happens next, in the enquiry's language.")


class EnquiryThrottle(ScopedRateThrottle):
    """FOREIGN_OFFICES_ENQUIRIES_PER_HOUR enquiries an hour per client (read at each request, so that
    the setting can change without a restart of the rates' table)."""

    def get_rate(self):
        return f"{settings.FOREIGN_OFFICES_ENQUIRIES_PER_HOUR}/hour"

    def allow_request(self, request, view):
        if request.method != "POST":
            return True
        return super().allow_request(request, view)


def _language(request, given: str | None) -> str:
    """The enquiry's language: as given, else the client's Accept-Language, else English (the door is
    for foreigners)."""
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
            "Thank you for your enquiry. Its reference is %(reference)s. A confirmation is on its way to "
            "your e-mail address, and an officer of the Foreign Affairs Office will contact you."
        ) % {"reference": reference}
    return {"reference": reference, "state": CaseState.ENQUIRY.value, "message": message}


class EnquiryViewSet(viewsets.GenericViewSet):
    """A foreign organisation's enquiry about setting up in Henan; no account needed."""

    permission_classes = [permissions.AllowAny]
    throttle_classes = [AnonRateThrottle, EnquiryThrottle]
    throttle_scope = "foreign_offices_enquiry"
    serializer_class = EnquirySerializer
    filter_backends = []
    pagination_class = None

    def handle_exception(self, exc):
        if isinstance(exc, RequestDataTooBig):
            # Django would answer its own HTML page; the API answers in its one error shape.
            exc = exceptions.ParseError(
                _("The enquiry is too large: its message holds at most %(max)d characters.")
                % {"max": services.MESSAGE_MAX}
            )
        return super().handle_exception(exc)

    @extend_schema(
        request=EnquirySerializer,
        responses={201: EnquiryReceivedSerializer},
        summary="Send an enquiry about setting up an office in Henan (no account; rate-limited)",
    )
    def create(self, request, *args, **kwargs):
        given = request.data if hasattr(request.data, "get") else {}
        language = _language(request, given.get("language"))
        if str(given.get("website") or "").strip():
            # A robot filled the trap: answer as if stored, store nothing.
            fake = f"HNFO-{timezone.localdate().year}-{secrets.randbelow(90000) + 10000:05d}"
            return Response(_received(fake, language), status=status.HTTP_201_CREATED)
        serializer = EnquirySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("website", None)
        data.pop("language", None)
        case = services.enquiry_create(
            data=data, language=language, source=EnquirySource.API, actor=request.user
        )
        return Response(_received(case.reference, case.language), status=status.HTTP_201_CREATED)


ROUTES = [("enquiries", EnquiryViewSet, "foreign-offices-enquiry")]
