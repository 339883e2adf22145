"""`/api/v1/safety/incidents/` (CONTRACT.md, area 2): report, follow and handle incidents abroad.

List (filters of overseas_safety.filters.IncidentFilter), detail, `POST` a report, `PATCH` a correction,
`POST /{id}/<transition>/` (acknowledge, respond, resolve, reopen, close, merge), `GET/POST
/{id}/timeline/` (entries, with files), `POST /{id}/people/` (a person's status), `POST
/{id}/attachments/`, `GET/POST /{id}/plans/` (the plans that fit; attach one), `POST /{id}/checklist/`
(tick a step), `GET /{id}/history/`. Every write calls overseas_safety.services; their refusals become the
API's one error shape (400, 403, 404, 409). ROUTES: (prefix, viewset, basename).
"""

import django_filters
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from foreign_affairs.accounts.models import Organization
from foreign_affairs.accounts.selectors import scope_for_user
from foreign_affairs.api.actions import add_transition_actions, attachment_action, history_action
from foreign_affairs.api.schema import conflict
from foreign_affairs.api.serializers import TransitionSerializer, attachment_serializers

from ..filters import IncidentFilter
from ..models import ChecklistStep, EmergencyPlan, Incident, IncidentAttachment, TimelineEntry
from ..selectors import incident_list_for, with_list_details
from ..services import incidents as services
from ..services import plans
from ..workflow import TRANSITIONS, IncidentKind, Level, PersonStatus

AttachmentSerializer = attachment_serializers(IncidentAttachment)[0]


# What is shown -----------------------------------------------------------------------------------------


class AffectedPersonSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person_id")
    person_name = serializers.CharField(source="person.full_name")
    status = serializers.ChoiceField(choices=PersonStatus.choices)
    note = serializers.CharField()
    updated_at = serializers.DateTimeField()


class ChecklistStepSerializer(serializers.ModelSerializer):
    plan_title = serializers.CharField(source="plan.title", read_only=True)
    done_by = serializers.CharField(source="done_by.username", read_only=True, default=None, allow_null=True)

    class Meta:
        model = ChecklistStep
        fields = [
            "id",
            "plan",
            "plan_title",
            "position",
            "text",
            "responsible",
            "contacts",
            "done_at",
            "done_by",
        ]
        read_only_fields = fields


class TimelineEntrySerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = TimelineEntry
        fields = ["id", "at", "author", "text", "action", "attachments", "created_at"]
        read_only_fields = fields

    def get_author(self, entry) -> str | None:
        """Who did it (null for what the portal did itself, e.g. an escalation)."""
        if entry.author is None:
            return None
        return entry.author.get_full_name() or entry.author.username


class PlanSerializer(serializers.ModelSerializer):
    steps = serializers.SerializerMethodField()

    class Meta:
        model = EmergencyPlan
        fields = ["id", "title", "kind", "max_level", "summary", "steps"]
        read_only_fields = fields

    def get_steps(self, plan) -> list[str]:
        return [step.text for step in plan.steps.all()]


class IncidentListSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    country = serializers.CharField(source="country.code", read_only=True)
    available_transitions = serializers.SerializerMethodField()
    is_overdue_ack = serializers.BooleanField(read_only=True)
    duty_officer = serializers.CharField(
        source="duty_officer.username", read_only=True, default=None, allow_null=True
    )
    checklist_done = serializers.IntegerField(source="steps_done", read_only=True)
    checklist_total = serializers.IntegerField(source="steps_total", read_only=True)
    people_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "reference",
            "organization",
            "organization_name",
            "title",
            "kind",
            "level",
            "country",
            "city",
            "occurred_at",
            "reported_at",
            "source",
            "state",
            "available_transitions",
            "ack_due_at",
            "is_overdue_ack",
            "acknowledged_at",
            "duty_officer",
            "checklist_done",
            "checklist_total",
            "people_count",
        ]
        read_only_fields = fields

    def get_available_transitions(self, incident) -> list[str]:
        return services.available_transitions(incident, self.context["request"].user)


class IncidentSerializer(IncidentListSerializer):
    merged_into = serializers.CharField(
        source="merged_into.reference", read_only=True, default=None, allow_null=True
    )
    site_name = serializers.CharField(source="site.name", read_only=True, default=None, allow_null=True)
    trip_reference = serializers.CharField(
        source="trip.reference", read_only=True, default=None, allow_null=True
    )
    people = AffectedPersonSerializer(many=True, read_only=True)
    checklist = ChecklistStepSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta(IncidentListSerializer.Meta):
        fields = [
            *IncidentListSerializer.Meta.fields,
            "description",
            "site",
            "site_name",
            "trip",
            "trip_reference",
            "reporter_name",
            "reporter_phone",
            "merged_into",
            "escalated_at",
            "resolved_at",
            "closed_at",
            "people",
            "checklist",
            "attachments",
            "updated_at",
        ]
        read_only_fields = fields


# What is written ---------------------------------------------------------------------------------------


class PersonStatusSerializer(serializers.Serializer):
    person = serializers.IntegerField(help_text="A person of the incident's organisation (people API).")
    status = serializers.ChoiceField(choices=PersonStatus.choices, default=PersonStatus.UNKNOWN)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class IncidentUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    kind = serializers.ChoiceField(choices=IncidentKind.choices, required=False)
    level = serializers.ChoiceField(
        choices=Level.choices, required=False, help_text="1 (especially major) to 4 (general)."
    )
    country = serializers.CharField(
        max_length=2, required=False, help_text="ISO 3166-1 code of the country abroad, e.g. NG."
    )
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    occurred_at = serializers.DateTimeField(required=False, help_text="Not in the future.")
    description = serializers.CharField(required=False)
    site = serializers.IntegerField(
        required=False, allow_null=True, help_text="A site of the organisation (sites API)."
    )
    trip = serializers.IntegerField(
        required=False, allow_null=True, help_text="A travel application of the organisation."
    )
    reporter_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    reporter_phone = serializers.CharField(max_length=32, required=False, allow_blank=True)

    def validate_country(self, value):
        return value.upper()


class IncidentReportSerializer(IncidentUpdateSerializer):
    organization = serializers.IntegerField(
        required=False,
        help_text="Office staff: the organisation concerned (required). Enterprise staff: their own "
        "(may be left out).",
    )
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=IncidentKind.choices)
    level = serializers.ChoiceField(choices=Level.choices, help_text="1 (especially major) to 4 (general).")
    country = serializers.CharField(max_length=2, help_text="ISO 3166-1 code of the country abroad, e.g. NG.")
    occurred_at = serializers.DateTimeField(help_text="Not in the future.")
    description = serializers.CharField()
    people = PersonStatusSerializer(
        many=True, required=False, help_text="The people affected, with a status each."
    )
    allow_duplicate = serializers.BooleanField(
        default=False,
        help_text="Officers: record the report although an open one of the same organisation, kind and "
        "country exists within a day (otherwise 409 naming it).",
    )


class TimelineAddSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000, help_text="What was done or learnt.")
    at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="When it was done (default now); not in the future."
    )
    files = serializers.ListField(
        child=serializers.FileField(), required=False, help_text="PDF, JPEG or PNG, at most 10 MB each."
    )


class MergeSerializer(TransitionSerializer):
    merged_into = serializers.CharField(
        max_length=20, help_text="The id or the reference of the report this one duplicates."
    )


class PlanAttachSerializer(serializers.Serializer):
    plan = serializers.IntegerField(
        help_text="An emergency plan in force that fits the incident (GET plans/)."
    )


class StepTickSerializer(serializers.Serializer):
    step = serializers.IntegerField(help_text="A step of the incident's checklist.")
    done = serializers.BooleanField(default=True, help_text="false: not done after all.")


DUPLICATE = conflict(
    "A report of the same incident is open (same organisation, kind and country within a day): `detail` "
    "names it, and `errors` holds one item with field `duplicate_of` whose message is its reference."
)


class IncidentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Incidents abroad of the caller's organisation (office staff: all; by default the open ones).
    Transitions are `POST /{id}/<transition>/` (officers): 403 without the role, 409 when the state does
    not allow it, 400 when the plan's checklist is open or a required comment is missing."""

    permission_classes = [permissions.IsAuthenticated]
    filterset_class = IncidentFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = Incident.objects.none()

    def get_queryset(self):
        if self.action == "list":
            return incident_list_for(self.request.user)
        return scope_for_user(Incident.objects.all(), self.request.user)

    def get_serializer_class(self):
        if self.action == "list":
            return IncidentListSerializer
        if self.action == "create":
            return IncidentReportSerializer
        if self.action == "partial_update":
            return IncidentUpdateSerializer
        return IncidentSerializer

    def _detail(self, pk):
        return (
            with_list_details(Incident.objects.filter(pk=pk))
            .select_related("site", "trip", "merged_into")
            .prefetch_related(
                "people__person", "checklist__plan", "checklist__done_by", "attachments__document"
            )
            .get()
        )

    def detail_response(self, incident, status_code=status.HTTP_200_OK):
        return Response(
            IncidentSerializer(self._detail(incident.pk), context=self.get_serializer_context()).data,
            status=status_code,
        )

    def retrieve(self, request, *args, **kwargs):
        return self.detail_response(self.get_object())

    @extend_schema(
        request=IncidentReportSerializer,
        responses={201: IncidentSerializer, 409: DUPLICATE},
        summary="Report an incident (officers: from a call, naming the organisation)",
    )
    def create(self, request, *args, **kwargs):
        serializer = IncidentReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organization = self._organization(data.pop("organization", None))
        rows = data.pop("people", None) or []
        data["people"] = [row["person"] for row in rows]
        data["statuses"] = {row["person"]: row["status"] for row in rows}
        try:
            incident = services.incident_report(actor=request.user, organization=organization, data=data)
        except services.DuplicateIncident as error:
            return Response(
                {
                    "detail": str(error.message),
                    "code": "conflict",
                    "errors": [
                        {"field": "duplicate_of", "code": "duplicate", "message": error.existing.reference}
                    ],
                    "state": error.existing.state,
                    "available_transitions": [],
                },
                status=status.HTTP_409_CONFLICT,
            )
        return self.detail_response(incident, status.HTTP_201_CREATED)

    def _organization(self, organization_id):
        user = self.request.user
        if user.is_office_staff:
            if organization_id is None:
                raise serializers.ValidationError({"organization": _("Choose the organisation concerned.")})
            organization = Organization.objects.filter(pk=organization_id).first()
            if organization is None:
                raise serializers.ValidationError({"organization": _("There is no such organisation.")})
            return organization
        organization = user.organization
        if organization is None:
            raise PermissionDenied(_("Only the staff of a registered organisation report incidents."))
        if organization_id is not None and organization_id != organization.pk:
            raise serializers.ValidationError({"organization": _("Report for your own organisation.")})
        return organization

    @extend_schema(
        request=IncidentUpdateSerializer,
        responses={
            200: IncidentSerializer,
            409: conflict("The organisation corrects its report only until the office acknowledges it"),
        },
        summary="Correct the report",
    )
    def partial_update(self, request, *args, **kwargs):
        incident = self.get_object()
        serializer = IncidentUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        incident = services.incident_update(
            incident=incident, actor=request.user, data=dict(serializer.validated_data)
        )
        return self.detail_response(incident)

    # The timeline

    @extend_schema(
        methods=["GET"],
        responses={200: TimelineEntrySerializer(many=True)},
        summary="The timeline, oldest first",
        filters=False,
    )
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": TimelineAddSerializer, "application/json": TimelineAddSerializer},
        responses={201: TimelineEntrySerializer, 409: conflict("The incident is closed or merged")},
        summary="Add to the timeline (the organisation or an officer), with files",
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def timeline(self, request, pk=None, format=None):
        incident = self.get_object()
        if request.method == "GET":
            entries = (
                TimelineEntry.objects.filter(incident=incident)
                .select_related("author")
                .prefetch_related("attachments__document")
                .order_by("at", "pk")
            )
            return Response(
                TimelineEntrySerializer(entries, many=True, context=self.get_serializer_context()).data
            )
        serializer = TimelineAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        entry = services.timeline_add(
            incident=incident,
            actor=request.user,
            text=data["text"],
            at=data.get("at"),
            files=data.get("files") or (),
        )
        entry = (
            TimelineEntry.objects.select_related("author")
            .prefetch_related("attachments__document")
            .get(pk=entry.pk)
        )
        return Response(
            TimelineEntrySerializer(entry, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=PersonStatusSerializer,
        responses={200: IncidentSerializer, 409: conflict("The incident is closed or merged")},
        summary="Add a person affected or change their status",
    )
    @action(detail=True, methods=["post"])
    def people(self, request, pk=None, format=None):
        incident = self.get_object()
        serializer = PersonStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.person_set(
            incident=incident,
            actor=request.user,
            person=data["person"],
            status=data["status"],
            note=data["note"],
        )
        return self.detail_response(incident)

    attachments = attachment_action(
        add=lambda application, **kwargs: services.attachment_add(incident=application, **kwargs),
        model=IncidentAttachment,
        summary="Attach a photograph, a written report, a medical or police document",
    )

    # The emergency plan

    @extend_schema(
        methods=["GET"],
        responses={200: PlanSerializer(many=True)},
        summary="The emergency plans in force that fit the incident (office staff)",
        filters=False,
    )
    @extend_schema(
        methods=["POST"],
        request=PlanAttachSerializer,
        responses={200: IncidentSerializer},
        summary="Attach an emergency plan: its steps become the incident's checklist (officers)",
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def plans(self, request, pk=None, format=None):
        incident = self.get_object()
        if not request.user.is_office_staff:
            raise Http404
        fitting = plans.plans_for(incident).prefetch_related("steps")
        if request.method == "GET":
            return Response(PlanSerializer(fitting, many=True).data)
        serializer = PlanAttachSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = fitting.filter(pk=serializer.validated_data["plan"]).first()
        if plan is None:
            raise serializers.ValidationError({"plan": _("Choose a plan in force that fits the incident.")})
        plans.plan_attach(incident=incident, actor=request.user, plan=plan)
        return self.detail_response(incident)

    @extend_schema(
        request=StepTickSerializer,
        responses={200: IncidentSerializer, 409: conflict("The incident is closed or merged")},
        summary="Tick a step of the checklist, or untick it (officers)",
    )
    @action(detail=True, methods=["post"])
    def checklist(self, request, pk=None, format=None):
        incident = self.get_object()
        serializer = StepTickSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        step = get_object_or_404(ChecklistStep, pk=serializer.validated_data["step"], incident=incident)
        plans.step_tick(step=step, actor=request.user, done=serializer.validated_data["done"])
        return self.detail_response(incident)

    history = history_action()


def _run_transition(request, incident, name: str, data: dict):
    return services.incident_transition(
        incident=incident,
        actor=request.user,
        name=name,
        comment=data.get("comment", ""),
        merged_into=data.get("merged_into"),
    )


add_transition_actions(
    IncidentViewSet,
    TRANSITIONS,
    run=_run_transition,
    response=IncidentSerializer,
    bodies={"merge": MergeSerializer},
)

ROUTES = [("incidents", IncidentViewSet, "safety-incident")]
