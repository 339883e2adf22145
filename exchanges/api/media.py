"""`/api/v1/exchanges/media-requests/` (CONTRACT.md, area 4): foreign journalists' interview requests
(外国记者采访申请).

`POST` is public (no account, JSON): a journalist's request with the public form's fields, recorded by
services.media.media_request_submit (acknowledged by e-mail in the request's language, the officers told):
201 with its reference and state `requested`, nothing else, as nothing of it is read back without an
account. Rate-limited per client: EXCHANGES_MEDIA_REQUESTS_PER_HOUR an hour, counted together with the
public page's form (exchanges.limits.media_request_limited), then 429 with Retry-After.

Everything else is the office's: staff list and read the requests (filters state, outlet_country, search),
officers `PATCH` the arrangements (interviewees, sites, date, escort, activity, note), run `POST
/{id}/<transition>/` (arrange, hold, close, decline) and record coverage (`POST /{id}/coverage/`); the
list answers 403 to anyone else signed in, a request 404.
"""

from django.conf import settings
from django.utils import translation
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, throttling, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from foreign_affairs import fsm
from foreign_affairs.api.actions import add_transition_actions, history_action
from foreign_affairs.api.schema import conflict
from foreign_affairs.api.throttling import AnonRateThrottle, UserRateThrottle

from .. import limits, selectors
from ..models import MediaRequest
from ..services import activities as activity_services
from ..services import media as services
from ..workflow import MEDIA_TRANSITIONS, MediaState
from .activity_serializers import CoverageSerializer, CoverageWriteSerializer
from .common import IdField, IsOfficeStaffForList, LargeBodyMixin, country_label, person_name, valid_country
from .filters import MediaRequestFilter

LANGUAGES = {code for code, _name in settings.LANGUAGES}


class MediaRequestSubmitSerializer(serializers.Serializer):
    """What a journalist sends (services.media.PUBLIC_FIELDS)."""

    journalist_name = serializers.CharField(max_length=200, help_text="Your name.")
    email = serializers.EmailField(max_length=254, help_text="Where the acknowledgement and answers go.")
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    outlet = serializers.CharField(max_length=200, help_text="Your newspaper, agency, channel or site.")
    outlet_country = serializers.CharField(
        max_length=2, help_text="ISO 3166-1 code of the outlet's country or region, e.g. FR (not CN)."
    )
    press_card = serializers.CharField(
        max_length=100, help_text="The number and the issuing authority of your press card."
    )
    topic = serializers.CharField(max_length=4000)
    people_wished = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, help_text="People you wish to interview."
    )
    sites_wished = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, help_text="Sites you wish to visit."
    )
    wished_from = serializers.DateField(help_text="The first day you could come, from today on.")
    wished_until = serializers.DateField(help_text="The last day, not before `wished_from`.")
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        help_text="The language of the acknowledgement (default: Accept-Language, else English).",
    )

    def validate_outlet_country(self, value):
        return valid_country(value)


class MediaRequestReceivedSerializer(serializers.Serializer):
    reference = serializers.CharField(help_text="The request's reference, e.g. HNMR-2026-00012.")
    state = serializers.ChoiceField(choices=MediaState.choices, help_text="Always `requested`.")


class MediaRequestSerializer(serializers.ModelSerializer):
    """A request as the office reads it."""

    state = serializers.ChoiceField(choices=MediaState.choices, read_only=True)
    available_transitions = serializers.SerializerMethodField()
    # Plain strings, as entered (checked when it was sent).
    email = serializers.CharField(read_only=True)
    outlet_country = serializers.SerializerMethodField()
    outlet_country_name = serializers.SerializerMethodField()
    escort = serializers.IntegerField(
        source="escort_id", read_only=True, allow_null=True, help_text="The escort's user id."
    )
    escort_name = serializers.SerializerMethodField()
    activity = serializers.IntegerField(
        source="activity_id", read_only=True, allow_null=True, help_text="The activity's id."
    )
    activity_reference = serializers.SerializerMethodField()
    coverage = CoverageSerializer(many=True, read_only=True)

    class Meta:
        model = MediaRequest
        fields = [
            "id",
            "reference",
            "state",
            "available_transitions",
            "journalist_name",
            "email",
            "phone",
            "outlet",
            "outlet_country",
            "outlet_country_name",
            "press_card",
            "topic",
            "people_wished",
            "sites_wished",
            "wished_from",
            "wished_until",
            "language",
            "arranged_interviewees",
            "arranged_sites",
            "arranged_on",
            "escort",
            "escort_name",
            "activity",
            "activity_reference",
            "office_note",
            "coverage",
            "created_at",
            "state_changed_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_available_transitions(self, request) -> list[str]:
        """The transitions the caller may run now (`POST /{id}/<transition>/`)."""
        return fsm.available_transitions(request, self.context["request"].user)

    def get_outlet_country(self, request) -> str:
        """ISO 3166-1 code, e.g. FR."""
        return request.outlet_country.code or ""

    def get_outlet_country_name(self, request) -> str:
        """In the reader's language."""
        return country_label(request.outlet_country)

    def get_escort_name(self, request) -> str | None:
        return person_name(request.escort)

    def get_activity_reference(self, request) -> str | None:
        return request.activity.reference if request.activity_id else None


class MediaRequestUpdateSerializer(serializers.Serializer):
    """The office's arrangements (services.media.OFFICE_FIELDS); only what is given changes."""

    arranged_interviewees = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    arranged_sites = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    arranged_on = serializers.DateField(required=False, allow_null=True, help_text="The interview's date.")
    escort = IdField(
        required=False, allow_null=True, help_text="The user id of the escort, a member of the office."
    )
    activity = IdField(required=False, allow_null=True, help_text="The id of the activity it belongs to.")
    office_note = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class MediaRequestThrottle(throttling.BaseThrottle):
    """EXCHANGES_MEDIA_REQUESTS_PER_HOUR requests an hour per client, one count with the page's form. The
    count's window starts at the first request, so the wait given is at most the whole window."""

    def allow_request(self, request, view):
        if request.method != "POST":
            return True
        return not limits.media_request_limited(request)

    def wait(self):
        return limits.RATE_WINDOW


def _language(request, given) -> str:
    """As given, else the client's Accept-Language, else English (the door is for foreigners)."""
    if isinstance(given, str) and given in LANGUAGES:
        return given
    if request.META.get("HTTP_ACCEPT_LANGUAGE"):
        language = translation.get_language_from_request(request, check_path=False)
        if language in LANGUAGES:
            return language
    return "en"


class MediaRequestViewSet(
    LargeBodyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Interview requests: sent by anyone, read and arranged by the office."""

    permission_classes = [IsOfficeStaffForList]
    filterset_class = MediaRequestFilter
    filter_backends = [DjangoFilterBackend]
    parser_classes = [JSONParser]
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = MediaRequest.objects.none()
    serializer_class = MediaRequestSerializer
    lookup_value_regex = r"[0-9]+"

    def get_permissions(self):
        if self.action == "create":
            return [permissions.AllowAny()]
        return super().get_permissions()

    def get_throttles(self):
        if self.action == "create":
            return [AnonRateThrottle(), UserRateThrottle(), MediaRequestThrottle()]
        return super().get_throttles()

    def get_queryset(self):
        return selectors.media_requests_for(self.request.user).prefetch_related("coverage")

    def get_serializer_class(self):
        if self.action == "create":
            return MediaRequestSubmitSerializer
        if self.action == "partial_update":
            return MediaRequestUpdateSerializer
        return MediaRequestSerializer

    def detail_response(self, request_):
        return Response(
            MediaRequestSerializer(
                self.get_queryset().get(pk=request_.pk), context=self.get_serializer_context()
            ).data
        )

    @extend_schema(summary="Interview requests (office staff)")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="An interview request (office staff)")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=MediaRequestSubmitSerializer,
        responses={201: MediaRequestReceivedSerializer},
        summary="Request an interview, as a foreign journalist (no account; rate-limited)",
    )
    def create(self, request, *args, **kwargs):
        given = request.data if hasattr(request.data, "get") else {}
        language = _language(request, given.get("language"))
        serializer = MediaRequestSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("language", None)
        sent = services.media_request_submit(data=data, language=language)
        return Response({"reference": sent.reference, "state": sent.state}, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=MediaRequestUpdateSerializer,
        responses={200: MediaRequestSerializer, 409: conflict("A closed or declined request is not changed")},
        summary="Change the arrangements (officers)",
    )
    def partial_update(self, request, *args, **kwargs):
        media_request = self.get_object()
        serializer = MediaRequestUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        media_request = services.media_request_update(
            request=media_request, actor=request.user, data=dict(serializer.validated_data)
        )
        return self.detail_response(media_request)

    @extend_schema(
        request=CoverageWriteSerializer,
        responses={201: CoverageSerializer},
        summary="Record the coverage the interview brought (officers)",
    )
    @action(detail=True, methods=["post"])
    def coverage(self, request, pk=None, format=None):
        media_request = self.get_object()
        serializer = CoverageWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        coverage = activity_services.coverage_add(
            actor=request.user, data=dict(serializer.validated_data), media_request=media_request
        )
        return Response(CoverageSerializer(coverage).data, status=status.HTTP_201_CREATED)

    history = history_action()


def _run(request, media_request, name: str, data: dict):
    return services.media_request_run(
        request=media_request, actor=request.user, name=name, comment=data.get("comment", "")
    )


add_transition_actions(MediaRequestViewSet, MEDIA_TRANSITIONS, run=_run, response=MediaRequestSerializer)
