"""`/api/v1/reports/` (CONTRACT.md): start an export, follow its progress, download the file."""

from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from foreign_affairs.documents.responses import file_download

from . import services
from .exporters import personal
from .filters import filters_from
from .models import CONTENT_TYPES, Format, ReportJob
from .registry import REPORTS, cached_dashboard


class MayUseReports(permissions.BasePermission):
    message = "Only managers and office staff use reports."

    def has_permission(self, request, view):
        return services.may_use_reports(request.user)


class ReportJobSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()
    title = serializers.SerializerMethodField()

    class Meta:
        model = ReportJob
        fields = [
            "id",
            "report",
            "title",
            "format",
            "filters",
            "state",
            "progress",
            "rows",
            "size",
            "error",
            "created_at",
            "started_at",
            "finished_at",
            "expires_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_title(self, job) -> str:
        definition = REPORTS.get(job.report)
        return str(definition.title) if definition else job.report

    def get_download_url(self, job) -> str | None:
        if job.state != "done":
            return None
        return self.context["request"].build_absolute_uri(f"/api/v1/reports/{job.pk}/download/")


class ReportJobCreateSerializer(serializers.Serializer):
    report = serializers.ChoiceField(
        choices=[], help_text="The name of a report of the catalogue (GET /api/v1/reports/catalogue/)."
    )
    format = serializers.ChoiceField(choices=Format.choices)
    filters = serializers.DictField(
        required=False,
        default=dict,
        help_text='{"date_from": "YYYY-MM-DD", "date_to": "YYYY-MM-DD", "ftz_area": "zhengzhou"|"luoyang"|"kaifeng"|'
        '"outside"} or {"preset": "this_year"}; default: this year so far, all areas',
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].choices = sorted(REPORTS)


class CatalogueSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    formats = serializers.ListField(child=serializers.CharField())


class ReportJobViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Your report exports, newest first. `POST` starts one (a Celery job); `GET /{id}/` shows its `state`
    (queued, running, done, failed) and `progress` (0–100); `GET /{id}/download/` gives the file once done."""

    permission_classes = [permissions.IsAuthenticated, MayUseReports]
    serializer_class = ReportJobSerializer
    queryset = ReportJob.objects.none()

    def get_queryset(self):
        return ReportJob.objects.filter(created_by=self.request.user).order_by("-created_at")

    @extend_schema(
        request=ReportJobCreateSerializer, responses={202: ReportJobSerializer}, summary="Start an export"
    )
    def create(self, request, *args, **kwargs):
        serializer = ReportJobCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = services.job_start(actor=request.user, **serializer.validated_data)
        job.refresh_from_db()
        return Response(
            ReportJobSerializer(job, context=self.get_serializer_context()).data,
            status=status.HTTP_202_ACCEPTED,
        )

    @extend_schema(
        responses={
            (200, content_type): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF, CSV or XLSX file")
            for content_type in CONTENT_TYPES.values()
        },
        summary="Download the file of a finished export (404 before)",
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None, format=None):
        return job_download(request, self.get_object())

    @extend_schema(
        parameters=[
            OpenApiParameter("date_from", OpenApiTypes.DATE),
            OpenApiParameter("date_to", OpenApiTypes.DATE),
            OpenApiParameter("ftz_area", str, enum=["zhengzhou", "luoyang", "kaifeng", "outside"]),
            OpenApiParameter(
                "preset",
                str,
                description="this_month, last_month, this_quarter, this_year, "
                "last_year, last_12_months (instead of the dates)",
            ),
        ],
        responses={200: OpenApiTypes.OBJECT},
        summary="The dashboard's figures and charts for a period and area (default: this year so far)",
        filters=False,
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def dashboard(self, request, format=None):
        return Response(dashboard_data(request, filters_from(request.query_params)))

    @extend_schema(
        responses={200: CatalogueSerializer(many=True)},
        summary="The reports that can be exported",
        filters=False,
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def catalogue(self, request, format=None):
        return Response(
            [
                {
                    "name": name,
                    "title": str(d.title),
                    "description": str(d.description),
                    "formats": list(Format.values),
                }
                for name, d in sorted(REPORTS.items())
            ]
        )


def dashboard_data(request, filters) -> dict:
    """The dashboard's sections as JSON: each figure with the absolute address of the list behind it, each
    chart as labels and series (the numbers the SVG draws)."""

    def absolute(url: str) -> str:
        return request.build_absolute_uri(url) if url else ""

    found = cached_dashboard(filters)
    return {
        "filters": filters.as_dict(),
        "computed_at": found.computed_at.isoformat(),
        "sections": [
            {
                "key": section.key,
                "title": str(section.title),
                "note": str(section.note),
                "figures": [
                    {
                        "label": str(figure.label),
                        "value": figure.value,
                        "unit": str(figure.unit),
                        "hint": str(figure.hint),
                        "tone": figure.tone,
                        "url": absolute(figure.url),
                    }
                    for figure in section.figures
                ],
                "charts": [
                    {
                        "kind": chart.kind,
                        "title": str(chart.title),
                        "description": str(chart.description),
                        "unit": str(chart.unit),
                        "labels": [str(label) for label in chart.labels],
                        "series": [{"name": str(name), "values": values} for name, values in chart.series],
                        "urls": [absolute(url) for url in chart.urls],
                    }
                    for chart in section.charts
                ],
            }
            for section in found.sections
        ],
    }


def job_download(request, job: ReportJob) -> FileResponse:
    """The file of a finished job, as a download (the page and the API share this); one of a report with
    personal data is named so and recorded (exporters/personal.py)."""
    if job.state != "done":
        raise Http404
    definition = REPORTS.get(job.report)
    response = file_download(job.file, personal.file_name(job, definition), job.content_type)
    personal.record_downloaded(request, job, definition)
    return response
