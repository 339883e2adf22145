"""`/api/v1/training/courses/` (CONTRACT.md, area 5): the catalogue of training courses (培训课程).

Anyone, without an account, lists and reads the courses still offered: titles and descriptions in both
languages and the reader's (`?lang=` or Accept-Language), topic, audience, duration, the assessment
(`has_assessment`, `pass_mark`, `max_attempts`, `question_count`), how long the certificate stays valid
(`certificate_months`) and the course's materials (documents any signed-in user downloads). Office staff
read the courses no longer offered too. Filters: topic, audience, assessment, search.

Officers create (`POST`) and change (`PATCH`) courses through services.course_save; the questions and
materials are kept in the back office.
"""

from django.db.models import Count, Prefetch
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from .. import services
from ..models import Course, CourseMaterial
from .common import LANG, LargeBodyMixin, ReaderLanguageMixin, is_office, require_officer
from .filters import CourseFilter
from .serializers import TrainingCourseSerializer, TrainingCourseWriteSerializer


def courses_shown(user):
    """The courses offered (office staff: every course), with the number of their questions."""
    materials = CourseMaterial.objects.select_related("document").order_by("kind", "created_at", "pk")
    courses = Course.objects.annotate(question_count=Count("questions")).prefetch_related(
        Prefetch("attachments", queryset=materials)
    )
    if not is_office(user):
        courses = courses.filter(is_active=True)
    return courses.order_by("code", "pk")


class CourseViewSet(
    ReaderLanguageMixin,
    LargeBodyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The catalogue of courses: read by anyone, kept by the office."""

    permission_classes = [permissions.IsAuthenticated]
    filterset_class = CourseFilter
    filter_backends = [DjangoFilterBackend]
    parser_classes = [JSONParser]
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = Course.objects.none()
    serializer_class = TrainingCourseSerializer
    lookup_value_regex = r"[0-9]+"

    def get_permissions(self):
        if self.action in ("list", "retrieve"):
            return [permissions.AllowAny()]
        return super().get_permissions()

    def get_queryset(self):
        return courses_shown(self.request.user)

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return TrainingCourseWriteSerializer
        return TrainingCourseSerializer

    def detail_response(self, course, status_code=status.HTTP_200_OK):
        return Response(
            TrainingCourseSerializer(
                courses_shown(self.request.user).get(pk=course.pk), context=self.get_serializer_context()
            ).data,
            status=status_code,
        )

    @extend_schema(parameters=[LANG], summary="The courses offered (anyone; office staff: every course)")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(parameters=[LANG], summary="A course of the catalogue (anyone)")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=TrainingCourseWriteSerializer,
        responses={201: TrainingCourseSerializer},
        summary="Add a course to the catalogue (officers)",
    )
    def create(self, request, *args, **kwargs):
        require_officer(request, _("Only approval officers keep the catalogue of courses."))
        serializer = TrainingCourseWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        course = services.course_save(course=Course(**serializer.validated_data), actor=request.user)
        return self.detail_response(course, status.HTTP_201_CREATED)

    @extend_schema(
        request=TrainingCourseWriteSerializer,
        responses={200: TrainingCourseSerializer},
        summary="Change a course (officers)",
    )
    def partial_update(self, request, *args, **kwargs):
        course = self.get_object()
        require_officer(request, _("Only approval officers keep the catalogue of courses."))
        serializer = TrainingCourseWriteSerializer(course, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        for name, value in serializer.validated_data.items():
            setattr(course, name, value)
        course = services.course_save(course=course, actor=request.user)
        return self.detail_response(course)
