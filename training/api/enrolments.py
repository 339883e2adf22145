"""`/api/v1/training/enrolments/` (CONTRACT.md, area 5): enrolments in training sessions (报名), their
attendance, assessment attempts and certificate.

Office staff read every enrolment; the members of an organisation their organisation's (its learning
records); anyone else signed in an empty list. An enrolment the caller may not see answers 404, anonymous
callers 401. Filters: state, session, person, course, application, organization, search.

- `POST /{id}/cancel/` {"comment"?}: the trainee, whoever enrolled them, their liaison or an officer
  (services.enrolment_cancel); after the enrolment deadline only the office cancels a place (409 saying
  so). The freed place goes to the first on the waiting list.
- `POST /{id}/attend/`, `POST /{id}/absent/`: the officer's register (services.mark).
- `GET /{id}/assessment/`: the trainee's questions and their answers to choose from — never which one is
  right — once attendance is recorded and while attempts are left (409 otherwise; 403 to anyone but the
  trainee). `POST /{id}/assessment/` {"answers": {question id: answer id}} scores one attempt
  (services.assessment_submit): a pass completes the course and issues the certificate, the last attempt
  failed ends it as not passed; no attempts left 409.
"""

from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Q, Subquery, When
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from foreign_affairs.api.actions import add_transition_actions
from foreign_affairs.api.schema import ErrorSerializer, conflict
from foreign_affairs.errors import StateConflict

from .. import services
from ..models import Attempt, Certificate, Enrolment, Question
from ..selectors import enrolments_for, person_for_user
from ..workflow import ENROLMENT_TRANSITIONS, State
from .common import LANG, LargeBodyMixin, ReaderLanguageMixin, require_officer
from .filters import EnrolmentFilter
from .serializers import (
    TrainingAnswersSerializer,
    TrainingAssessmentSerializer,
    TrainingAttemptResultSerializer,
    TrainingCertificateBriefSerializer,
    TrainingCourseBriefSerializer,
    TrainingEnrolmentSerializer,
    TrainingQuestionSerializer,
)


def enrolments_shown(user):
    """selectors.enrolments_for with what each row shows, in a fixed number of queries: the travel
    application's reference, the attempts, and the place on the waiting list."""
    ahead = (
        Enrolment.objects.filter(session=OuterRef("session"), state=State.WAITING)
        .filter(
            Q(created_at__lt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__lte=OuterRef("pk"))
        )
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        enrolments_for(user)
        .select_related("application")
        .prefetch_related(Prefetch("attempts", queryset=Attempt.objects.order_by("number")))
        .annotate(
            waiting_position=Case(
                When(state=State.WAITING, then=Subquery(ahead, output_field=IntegerField())),
                default=None,
                output_field=IntegerField(),
            )
        )
        .order_by("-session__starts_at", "session_id", "created_at", "pk")
    )


class EnrolmentViewSet(
    ReaderLanguageMixin,
    LargeBodyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Enrolments: all of them for office staff, their organisation's for its members."""

    permission_classes = [permissions.IsAuthenticated]
    filterset_class = EnrolmentFilter
    filter_backends = [DjangoFilterBackend]
    parser_classes = [JSONParser]
    http_method_names = ["get", "post", "head", "options"]
    queryset = Enrolment.objects.none()
    serializer_class = TrainingEnrolmentSerializer
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return enrolments_shown(self.request.user)

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def trainee_person(self):
        """The caller's own traveller record (who they are as a trainee), read once."""
        if not hasattr(self, "_trainee_person"):
            self._trainee_person = person_for_user(self.request.user)
        return self._trainee_person

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["trainee_person"] = self.trainee_person()
        return context

    def detail_response(self, enrolment, status_code=status.HTTP_200_OK):
        return Response(
            TrainingEnrolmentSerializer(
                self.get_queryset().get(pk=enrolment.pk), context=self.get_serializer_context()
            ).data,
            status=status_code,
        )

    @extend_schema(
        parameters=[LANG],
        summary="Enrolments: all (office staff), or your organisation's (its learning records)",
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(parameters=[LANG], summary="An enrolment with its attempts and certificate")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    def _mark(self, request, attended: bool):
        enrolment = self.get_object()
        require_officer(request, _("Only approval officers tick the register."))
        return self.detail_response(services.mark(enrolment=enrolment, actor=request.user, attended=attended))

    @extend_schema(
        request=None,
        responses={200: TrainingEnrolmentSerializer, 409: conflict()},
        summary="Attended: tick the register (officers); a course without an assessment is completed",
    )
    @action(detail=True, methods=["post"])
    def attend(self, request, pk=None, format=None):
        return self._mark(request, attended=True)

    @extend_schema(
        request=None,
        responses={200: TrainingEnrolmentSerializer, 409: conflict()},
        summary="Absent: tick the register (officers)",
    )
    @action(detail=True, methods=["post"])
    def absent(self, request, pk=None, format=None):
        return self._mark(request, attended=False)

    def _assessment_enrolment(self, request):
        """The enrolment of the assessment, for its trainee only: 403 to others, 409 without an assessment."""
        enrolment = self.get_object()
        if not services.may_take_assessment(enrolment, request.user):
            raise exceptions.PermissionDenied(_("Only the trainee takes the assessment."))
        if not enrolment.session.course.has_assessment:
            raise StateConflict(_("This course has no assessment."), state=enrolment.state, available=[])
        return enrolment

    @extend_schema(
        methods=["GET"],
        responses={
            200: TrainingAssessmentSerializer,
            403: OpenApiResponse(ErrorSerializer, description="Only the trainee takes the assessment"),
            409: conflict(
                "No assessment, attendance not recorded yet, the course finished, or no attempts left"
            ),
        },
        summary="The assessment's questions, without the right answers (the trainee)",
        parameters=[LANG],
        filters=False,
    )
    @extend_schema(
        methods=["POST"],
        request=TrainingAnswersSerializer,
        responses={
            201: TrainingAttemptResultSerializer,
            409: conflict(
                "No assessment, attendance not recorded yet, the course finished, or no attempts left"
            ),
        },
        summary="Submit the answers: one attempt, scored (the trainee)",
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def assessment(self, request, pk=None, format=None):
        enrolment = self._assessment_enrolment(request)
        if request.method == "POST":
            return self._submit(request, enrolment)
        course = enrolment.session.course
        used = len(enrolment.attempts.all())
        if enrolment.state != State.ATTENDED:
            raise StateConflict(
                _(
                    "The assessment opens once your attendance is recorded, and closes when the course is finished."
                ),
                state=enrolment.state,
                available=[],
            )
        if used >= course.max_attempts:
            raise StateConflict(_("You have used every attempt."), state=enrolment.state, available=[])
        questions = (
            Question.objects.filter(course=course).prefetch_related("choices").order_by("position", "pk")
        )
        context = self.get_serializer_context()
        return Response(
            {
                "enrolment": enrolment.pk,
                "course": TrainingCourseBriefSerializer(course, context=context).data,
                "pass_mark": course.pass_mark,
                "max_attempts": course.max_attempts,
                "attempts_used": used,
                "attempts_left": course.max_attempts - used,
                "questions": TrainingQuestionSerializer(questions, many=True, context=context).data,
            }
        )

    def _submit(self, request, enrolment):
        serializer = TrainingAnswersSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attempt = services.assessment_submit(
            enrolment=enrolment, actor=request.user, answers=serializer.validated_data["answers"]
        )
        enrolment = Enrolment.objects.select_related("session__course").get(pk=enrolment.pk)
        course = enrolment.session.course
        certificate = Certificate.objects.filter(enrolment=enrolment).first()
        return Response(
            {
                "number": attempt.number,
                "score": attempt.score,
                "passed": attempt.passed,
                "pass_mark": course.pass_mark,
                "attempts_left": max(0, course.max_attempts - attempt.number)
                if enrolment.state == State.ATTENDED
                else 0,
                "enrolment_state": enrolment.state,
                "certificate": TrainingCertificateBriefSerializer(certificate).data if certificate else None,
            },
            status=status.HTTP_201_CREATED,
        )


def _run(request, enrolment, name: str, data: dict):
    return services.enrolment_cancel(enrolment=enrolment, actor=request.user, comment=data.get("comment", ""))


add_transition_actions(
    EnrolmentViewSet,
    {"cancel": ENROLMENT_TRANSITIONS["cancel"]},
    run=_run,
    response=TrainingEnrolmentSerializer,
)
