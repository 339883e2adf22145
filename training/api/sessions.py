"""`/api/v1/training/sessions/` (CONTRACT.md, area 5): the calendar of training sessions (培训班次) with their
places.

Anyone, without an account, lists and reads sessions: the upcoming ones by default (`?when=upcoming|past|
all`), filtered by course, topic, mode, language, state, `open` (still taking enrolments) and the days they
start (`date_from`, `date_to`), each with `capacity`, `taken`, `free`, `waiting`, its `enrolment_deadline`
and `open_for_enrolment`. The meeting link of an online session is the office's and the trainees' (their
enrolment shows it), null here for everyone else.

Signed in:
- `POST /{id}/enrol/` {"people": [ids], "application": id?}: an organisation's liaison enrols colleagues, an
  applicant themself or the delegation of their travel application, an officer anyone
  (services.enrol_people): places while they last, then the waiting list; the answer says who got a place,
  who waits and who was enrolled already. After the deadline: 409 with the deadline in the message.
- `POST /{id}/enrol-self/`: the caller enrols themself (services.enrol_self).
- `POST /{id}/check-in/` {"code"}: an attendee checks in with the code shown at the venue
  (services.check_in); a wrong or stale code answers 400, outside the session's time 400 too. Throttled
  per user (CHECK_INS_PER_MINUTE), not per address: a venue's attendees share one.

Officers: `POST` and `PATCH` sessions (services.session_create, session_update), `POST /{id}/cancel/`
{"comment"} (required: every trainee is told why), `GET /{id}/check-in-code/` (the code shown at the venue
now, the address its QR code holds, and the QR code) and `POST /{id}/online-record/` {"record"} (the
meeting platform's list of participants: those on it are marked attended).
"""

from datetime import UTC, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, permissions, serializers, status, throttling, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from approvals.selectors import application_list_for
from foreign_affairs.accounts.models import Person
from foreign_affairs.api.schema import ErrorSerializer, conflict
from foreign_affairs.documents.qr import qr_svg_data_uri
from foreign_affairs.errors import StateConflict

from .. import services
from ..models import Session
from ..selectors import person_for_user, with_places
from ..services.attendance import check_in_limit_reached, check_in_window
from ..workflow import SessionState
from .common import LANG, LargeBodyMixin, ReaderLanguageMixin, is_officer, public_url, require_officer
from .enrolments import enrolments_shown
from .filters import SessionFilter
from .serializers import (
    TrainingCancelSessionSerializer,
    TrainingCheckInCodeSerializer,
    TrainingCheckInSerializer,
    TrainingEnrolmentSerializer,
    TrainingEnrolOutcomeSerializer,
    TrainingEnrolSerializer,
    TrainingOnlineRecordResultSerializer,
    TrainingOnlineRecordSerializer,
    TrainingSessionSerializer,
    TrainingSessionWriteSerializer,
)

PUBLIC_ACTIONS = ("list", "retrieve")


def sessions_shown():
    """Every session with its course and places (the filters choose which and their order)."""
    return with_places(Session.objects.select_related("course"))


class CheckInThrottle(throttling.BaseThrottle):
    """CHECK_INS_PER_MINUTE check-ins a minute per signed-in user: enough to retype a code, too few to guess
    one. Counted per user, as the attendees at a venue share its address."""

    def allow_request(self, request, view):
        if request.method != "POST" or not request.user.is_authenticated:
            return True
        return not check_in_limit_reached(request)

    def wait(self):
        return 60


def enrolments_response(request, enrolments, context) -> list:
    """The enrolments as the enrolments API shows them (read again with what their rows show)."""
    ids = [enrolment.pk for enrolment in enrolments]
    found = {e.pk: e for e in enrolments_shown(request.user).filter(pk__in=ids)}
    return TrainingEnrolmentSerializer(
        [found[pk] for pk in ids if pk in found], many=True, context=context
    ).data


class SessionViewSet(
    ReaderLanguageMixin,
    LargeBodyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Training sessions: read by anyone, scheduled by the office; enrolling and checking in."""

    permission_classes = [permissions.IsAuthenticated]
    filterset_class = SessionFilter
    filter_backends = [DjangoFilterBackend]
    parser_classes = [JSONParser]
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = Session.objects.none()
    serializer_class = TrainingSessionSerializer
    lookup_value_regex = r"[0-9]+"

    def get_permissions(self):
        if self.action in PUBLIC_ACTIONS:
            return [permissions.AllowAny()]
        return super().get_permissions()

    def get_throttles(self):
        if self.action == "check_in":
            return [*super().get_throttles(), CheckInThrottle()]
        return super().get_throttles()

    def get_queryset(self):
        return sessions_shown()

    def filter_queryset(self, queryset):
        # The list's filters (and its default, the upcoming sessions) choose among sessions, not which one a
        # detail or an action names.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return TrainingSessionWriteSerializer
        return TrainingSessionSerializer

    def enrolments_context(self) -> dict:
        """The context of enrolments in an action's answer: who the caller is as a trainee."""
        return {**self.get_serializer_context(), "trainee_person": person_for_user(self.request.user)}

    def detail_response(self, session, status_code=status.HTTP_200_OK):
        return Response(
            TrainingSessionSerializer(
                sessions_shown().get(pk=session.pk), context=self.get_serializer_context()
            ).data,
            status=status_code,
        )

    @extend_schema(
        parameters=[LANG],
        summary="Training sessions with their free places: upcoming (default), past or all (anyone)",
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(parameters=[LANG], summary="A training session with its free places (anyone)")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=TrainingSessionWriteSerializer,
        responses={201: TrainingSessionSerializer},
        summary="Schedule a session of a course (officers)",
    )
    def create(self, request, *args, **kwargs):
        require_officer(request, _("Only approval officers schedule training sessions."))
        serializer = TrainingSessionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = services.session_create(actor=request.user, **serializer.validated_data)
        return self.detail_response(session, status.HTTP_201_CREATED)

    @extend_schema(
        request=TrainingSessionWriteSerializer,
        responses={
            200: TrainingSessionSerializer,
            409: conflict("A cancelled session is not changed"),
        },
        summary="Change a session (officers); more places go to the waiting list",
    )
    def partial_update(self, request, *args, **kwargs):
        session = self.get_object()
        require_officer(request, _("Only approval officers change training sessions."))
        serializer = TrainingSessionWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if session.state != SessionState.SCHEDULED:
            raise StateConflict(_("A cancelled session is not changed."), state=session.state, available=[])
        session = services.session_update(
            session=session, actor=request.user, data=dict(serializer.validated_data)
        )
        return self.detail_response(session)

    @extend_schema(
        request=TrainingCancelSessionSerializer,
        responses={200: TrainingSessionSerializer, 409: conflict("The session is cancelled already")},
        summary="Cancel the session: every enrolment is cancelled and the trainees told why (officers)",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None, format=None):
        session = self.get_object()
        require_officer(request, _("Only approval officers cancel training sessions."))
        serializer = TrainingCancelSessionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = services.session_cancel(
            session=session, actor=request.user, comment=serializer.validated_data["comment"]
        )
        return self.detail_response(session)

    @extend_schema(
        request=TrainingEnrolSerializer,
        responses={
            200: TrainingEnrolOutcomeSerializer,
            409: conflict("The session is cancelled, has started, or its enrolment deadline has passed"),
        },
        summary="Enrol people, or a travel application's delegation: places while they last, then the "
        "waiting list (liaisons, applicants for themselves and their delegation, officers)",
    )
    @action(detail=True, methods=["post"])
    def enrol(self, request, pk=None, format=None):
        session = self.get_object()
        user = request.user
        officer = is_officer(user)
        organization = None if officer else getattr(user, "organization", None)
        if not officer and (organization is None or user.is_office_staff):
            raise exceptions.PermissionDenied(
                _("Only approval officers and the members of an organisation enrol people in training.")
            )
        serializer = TrainingEnrolSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ids = list(dict.fromkeys(serializer.validated_data["people"]))
        found = Person.objects.filter(pk__in=ids)
        if not officer:
            found = found.filter(organization=organization)
        by_id = {person.pk: person for person in found}
        unknown = [pk for pk in ids if pk not in by_id]
        if unknown:
            # Another organisation's traveller is as unknown as one that does not exist.
            message = (
                _("No traveller has the id %(ids)s.")
                if officer
                else _("No traveller of your organisation has the id %(ids)s.")
            )
            raise serializers.ValidationError(
                {"people": message % {"ids": ", ".join(str(pk) for pk in unknown)}}
            )
        application = None
        if serializer.validated_data.get("application"):
            application = (
                application_list_for(user).filter(pk=serializer.validated_data["application"]).first()
            )
            if application is None:
                raise serializers.ValidationError(
                    {"application": _("There is no travel application of yours with this id.")}
                )
        outcome = services.enrol_people(
            session=session, actor=user, people=[by_id[pk] for pk in ids], application=application
        )
        context = self.enrolments_context()
        return Response(
            {
                "enrolled": enrolments_response(request, outcome.enrolled, context),
                "waiting": enrolments_response(request, outcome.waiting, context),
                "already": [{"id": person.pk, "full_name": person.full_name} for person in outcome.already],
            }
        )

    @extend_schema(
        request=None,
        responses={
            201: TrainingEnrolmentSerializer,
            409: conflict("The session is cancelled, has started, or its enrolment deadline has passed"),
        },
        summary="Enrol yourself: a place, or the waiting list when the session is full",
    )
    @action(detail=True, methods=["post"], url_path="enrol-self", url_name="enrol-self")
    def enrol_self(self, request, pk=None, format=None):
        session = self.get_object()
        enrolment = services.enrol_self(session=session, actor=request.user)
        data = enrolments_response(request, [enrolment], self.enrolments_context())
        return Response(data[0], status=status.HTTP_201_CREATED)

    @extend_schema(
        request=TrainingCheckInSerializer,
        responses={
            200: TrainingEnrolmentSerializer,
            409: conflict("The session is cancelled, or you are on its waiting list"),
        },
        summary="Check in at the venue with the code shown there (the attendee, signed in; throttled)",
    )
    @action(detail=True, methods=["post"], url_path="check-in", url_name="check-in")
    def check_in(self, request, pk=None, format=None):
        session = self.get_object()
        serializer = TrainingCheckInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        enrolment = services.check_in(
            session=session, actor=request.user, code=serializer.validated_data["code"]
        )
        return Response(enrolments_response(request, [enrolment], self.enrolments_context())[0])

    @extend_schema(
        responses={
            200: TrainingCheckInCodeSerializer,
            403: OpenApiResponse(ErrorSerializer, description="Only approval officers show the code"),
            409: conflict("The session is cancelled"),
        },
        summary="The check-in code to show at the venue now, and its QR code (officers)",
        filters=False,
    )
    @action(detail=True, methods=["get"], url_path="check-in-code", url_name="check-in-code")
    def check_in_code(self, request, pk=None, format=None):
        session = self.get_object()
        require_officer(request, _("Only approval officers show the check-in code."))
        if session.state != SessionState.SCHEDULED:
            raise StateConflict(_("This session was cancelled."), state=session.state, available=[])
        now = timezone.now()
        code = services.code_for(session, now)
        url = public_url("training:check_in", session.pk, code)
        opens, closes = check_in_window(session)
        minute = int(now.timestamp() // 60)
        return Response(
            {
                "code": code,
                "url": url,
                "qr": qr_svg_data_uri(url),
                "changes_at": datetime.fromtimestamp((minute + 1) * 60, tz=UTC),
                "opens_at": opens,
                "closes_at": closes,
                "open_now": opens <= now <= closes,
            }
        )

    @extend_schema(
        request=TrainingOnlineRecordSerializer,
        responses={200: TrainingOnlineRecordResultSerializer},
        summary="Mark attended those on the online session's list of participants (officers)",
    )
    @action(detail=True, methods=["post"], url_path="online-record", url_name="online-record")
    def online_record(self, request, pk=None, format=None):
        session = self.get_object()
        require_officer(request, _("Only approval officers record attendance."))
        serializer = TrainingOnlineRecordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        marked, unmatched = services.online_record(
            session=session, actor=request.user, text=serializer.validated_data["record"]
        )
        return Response(
            {
                "marked": enrolments_response(request, marked, self.enrolments_context()),
                "unmatched": unmatched,
            }
        )
