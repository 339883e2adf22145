"""`/api/v1/foreign-offices/annual-reports/` (CONTRACT.md, area 2): the annual reports (年度报告) of the
registered foreign organisations.

A member of a foreign organisation lists its organisation's reports and files the report on a year (the
organisation is the member's own); a second report on the same year answers 409. Office staff list all,
may file on an organisation's behalf (naming it), and decide: `POST /{id}/accept/`,
`/{id}/return_for_changes/` (with the reason); the organisation `POST /{id}/resubmit/`s with its
corrections. Writes call foreign_offices.services.annual. ROUTES: (prefix, viewset, basename).
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response

from foreign_affairs import fsm
from foreign_affairs.api.actions import add_transition_actions
from foreign_affairs.api.schema import conflict
from foreign_affairs.api.serializers import TransitionSerializer
from foreign_affairs.filters import IdFilter, ListFilterSet, Ordering

from .. import selectors
from ..models import AnnualReport
from ..services import annual as services
from ..workflow import REPORT_TRANSITIONS, ReportState
from .common import is_office, organisation_for_filing, person_name


class AnnualReportFilter(ListFilterSet):
    year = IdFilter(field_name="year", label=_("Year reported on"), min_value=2000, max_value=2100)
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=ReportState.choices, empty_label=_("All states")
    )
    on_time = django_filters.BooleanFilter(label=_("Filed on time"))
    organisation = IdFilter(
        field_name="organisation_id", label=_("Organisation"), help_text="Office staff only."
    )
    ordering = Ordering(
        choices=[
            ("-year", _("Year, latest first")),
            ("-submitted_at", _("Filed, latest first")),
            ("submitted_at", _("Filed, earliest first")),
        ]
    )

    class Meta(ListFilterSet.Meta):
        model = AnnualReport
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if not is_office(getattr(request, "user", None)):
            del self.filters["organisation"]


class AnnualReportSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    organisation_name_zh = serializers.CharField(source="organisation.name_zh", read_only=True)
    state = serializers.ChoiceField(choices=ReportState.choices, read_only=True)
    available_transitions = serializers.SerializerMethodField()
    submitted_by = serializers.SerializerMethodField()
    decided_by = serializers.SerializerMethodField()

    class Meta:
        model = AnnualReport
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "organisation_name_zh",
            "year",
            "activities",
            "staff_foreign",
            "staff_local",
            "address_confirmed",
            "representative_confirmed",
            "state",
            "available_transitions",
            "due_on",
            "on_time",
            "submitted_at",
            "submitted_by",
            "decided_at",
            "decided_by",
            "comment",
            "updated_at",
        ]
        read_only_fields = fields

    def get_available_transitions(self, report) -> list[str]:
        return fsm.available_transitions(report, self.context["request"].user)

    def get_submitted_by(self, report) -> str | None:
        return person_name(report.submitted_by)

    def get_decided_by(self, report) -> str | None:
        return person_name(report.decided_by)


class ReportFieldsSerializer(serializers.Serializer):
    activities = serializers.CharField(max_length=10000, help_text="What the office did in the year.")
    staff_foreign = serializers.IntegerField(min_value=0, max_value=100000)
    staff_local = serializers.IntegerField(min_value=0, max_value=100000)
    address_confirmed = serializers.BooleanField(
        default=False, help_text="The address in the registry is current (required: true)."
    )
    representative_confirmed = serializers.BooleanField(
        default=False, help_text="The chief representative in the registry is current (required: true)."
    )


class AnnualReportSubmitSerializer(ReportFieldsSerializer):
    organisation = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Office staff: the organisation the report is filed for (required). Members: their own "
        "(may be left out).",
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="The year reported on.")


class AnnualReportResubmitSerializer(TransitionSerializer):
    """`resubmit`: the corrected report (the fields given replace the report's)."""

    activities = serializers.CharField(max_length=10000, required=False)
    staff_foreign = serializers.IntegerField(min_value=0, max_value=100000, required=False)
    staff_local = serializers.IntegerField(min_value=0, max_value=100000, required=False)
    address_confirmed = serializers.BooleanField(required=False)
    representative_confirmed = serializers.BooleanField(required=False)


class AnnualReportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Annual reports of the caller's organisation (office staff: all). A report is filed once per year
    (409 for a second); the office accepts it or returns it for changes, the organisation resubmits."""

    permission_classes = [permissions.IsAuthenticated]
    filterset_class = AnnualReportFilter
    filter_backends = [DjangoFilterBackend]
    http_method_names = ["get", "post", "head", "options"]
    serializer_class = AnnualReportSerializer
    queryset = AnnualReport.objects.none()

    def get_queryset(self):
        return selectors.reports_for(self.request.user)

    def get_serializer_class(self):
        return AnnualReportSubmitSerializer if self.action == "create" else AnnualReportSerializer

    def detail_response(self, report, status_code=status.HTTP_200_OK):
        report = self.get_queryset().get(pk=report.pk)
        return Response(
            AnnualReportSerializer(report, context=self.get_serializer_context()).data, status=status_code
        )

    @extend_schema(
        request=AnnualReportSubmitSerializer,
        responses={
            201: AnnualReportSerializer,
            409: conflict("The report on this year is filed already, or the organisation is closed"),
        },
        summary="File the annual report on a year",
    )
    def create(self, request, *args, **kwargs):
        serializer = AnnualReportSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organisation = organisation_for_filing(request.user, data.pop("organisation", None))
        report = services.report_submit(
            organisation=organisation, actor=request.user, year=data.pop("year"), data=data
        )
        return self.detail_response(report, status.HTTP_201_CREATED)


def _run_transition(request, report, name: str, data: dict):
    data = dict(data)
    comment = data.pop("comment", "")
    return services.report_transition(
        report=report, actor=request.user, name=name, comment=comment, data=data or None
    )


add_transition_actions(
    AnnualReportViewSet,
    REPORT_TRANSITIONS,
    run=_run_transition,
    response=AnnualReportSerializer,
    bodies={"resubmit": AnnualReportResubmitSerializer},
)

ROUTES = [("annual-reports", AnnualReportViewSet, "foreign-offices-annual-report")]
