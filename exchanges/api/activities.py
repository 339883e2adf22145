"""`/api/v1/exchanges/activities/` (CONTRACT.md, area 4): exchange activities (外事活动), each with its `kind`
and `state`.

Office staff read every activity in full; the members of an enterprise read the activities that visit it,
from approval on, as a visit (activity_serializers: no checklist, outcomes, documents or travel
applications); anyone else 401/403 (the public calendar is the iCal feed). An activity the caller may not
see answers 404. Filters: state, kind, direction, area, country, focus, friendship_city, date_from and
date_to (the period the activity overlaps), search.

Officers propose (`POST`) and change (`PATCH`) activities and keep their parts: `PUT /{id}/agenda/` (the
whole agenda), `POST /{id}/checklist/` and `PATCH /{id}/checklist/{item_id}/` (assign, date, tick),
`POST /{id}/documents/`, `/agreements/`, `/follow-ups/`, `/coverage/` and `/travel-applications/`.
`POST /{id}/<transition>/` runs the lifecycle (approve: leaders; the others officers, and leaders may
postpone, cancel and close). `GET /{id}/programme/` is the bilingual programme as PDF (whoever reads
the activity), `GET /{id}/history/` its audit events (office staff: the enterprise visited gets 404).
Every write calls exchanges.services.activities; their refusals become the API's one error shape (400
with `errors`, 403, 409). Nothing is deleted.
"""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from approvals.models import TravelApplication
from foreign_affairs.accounts.models import Organization
from foreign_affairs.api.actions import add_transition_actions, history_action
from foreign_affairs.api.schema import conflict

from .. import programme, selectors
from ..models import Activity, ActivityDocument, AgendaItem, Agreement, ChecklistItem, FollowUp
from ..services import activities as services
from ..visits import visit_items
from ..workflow import ACTIVITY_TRANSITIONS
from .activity_serializers import (
    ACTIVITY_ENTRIES,
    ACTIVITY_ENTRY,
    ActivityAgreementSerializer,
    ActivityAgreementWriteSerializer,
    ActivityDocumentSerializer,
    ActivityDocumentUploadSerializer,
    AgendaWriteSerializer,
    ApplicationLinkSerializer,
    CoverageSerializer,
    CoverageWriteSerializer,
    ExchangeActivitySerializer,
    ExchangeActivityVisitSerializer,
    ExchangeActivityWriteSerializer,
    FollowUpSerializer,
    FollowUpWriteSerializer,
    ReceptionChecklistAddSerializer,
    ReceptionChecklistItemSerializer,
    ReceptionChecklistUpdateSerializer,
)
from .common import LANG, LargeBodyMixin, ReaderLanguageMixin, TwoShapesMixin, is_office, require_officer
from .filters import ActivityFilter


def activities_shown(user):
    """selectors.activities_for with what each row shows in a fixed number of queries: the agenda for
    everyone; the office's records besides for office staff."""
    agenda = AgendaItem.objects.order_by("day", "starts_at", "pk")
    # The enterprises visited: the office's list, and for an enterprise the names its agenda withholds.
    enterprises = Organization.objects.only("pk", "name_zh", "name_en").order_by("pk")
    queryset = selectors.activities_for(user).prefetch_related(
        Prefetch("agenda", queryset=agenda), Prefetch("enterprises_visited", queryset=enterprises)
    )
    if is_office(user):
        queryset = queryset.prefetch_related(
            Prefetch(
                "checklist",
                queryset=ChecklistItem.objects.select_related("assignee", "done_by").order_by("order", "pk"),
            ),
            Prefetch("agreements", queryset=Agreement.objects.order_by("signed_on", "pk")),
            Prefetch(
                "follow_ups", queryset=FollowUp.objects.select_related("owner").order_by("due_on", "pk")
            ),
            "coverage",
            Prefetch(
                "attachments",
                queryset=ActivityDocument.objects.select_related("document").order_by("created_at", "pk"),
            ),
            Prefetch(
                "travel_applications",
                queryset=TravelApplication.objects.only(
                    "pk", "reference", "title", "state", "departure_date", "return_date"
                ).order_by("pk"),
            ),
        )
    return queryset.order_by("-starts_on", "-pk")


def _agenda_errors(error) -> dict:
    """The service names an agenda item's field `agenda.<n>.<field>`; the API names it as its body does."""
    renamed = {}
    for key, messages in error.message_dict.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "agenda" and parts[1].isdigit():
            key = f"agenda[{parts[1]}].{parts[2]}"
        renamed[key] = messages
    return renamed


class ActivityViewSet(
    TwoShapesMixin,
    ReaderLanguageMixin,
    LargeBodyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Exchange activities: all of them for office staff, the visits of their enterprise for its members.
    Officers write; leaders approve."""

    full_serializer = ExchangeActivitySerializer
    outside_serializer = ExchangeActivityVisitSerializer

    permission_classes = [permissions.IsAuthenticated]
    filterset_class = ActivityFilter
    filter_backends = [DjangoFilterBackend]
    parser_classes = [JSONParser]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    queryset = Activity.objects.none()
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return activities_shown(self.request.user)

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return ExchangeActivityWriteSerializer
        return ExchangeActivitySerializer

    def get_object(self):
        activity = super().get_object()
        if self.action == "history" and not is_office(self.request.user):
            raise Http404  # the office's own record: comments, checklist and outcome changes
        return activity

    def get_serializer_context(self):
        context = super().get_serializer_context()
        user = self.request.user
        if user.is_authenticated and not is_office(user) and not hasattr(self, "_organization"):
            self._organization = user.organization
        context["organization"] = getattr(self, "_organization", None)
        return context

    @extend_schema(
        parameters=[LANG],
        responses={200: ACTIVITY_ENTRIES},
        summary="Exchange activities: all (office staff), or those visiting your enterprise",
    )
    def list(self, request, *args, **kwargs):
        return self.shaped_page()

    @extend_schema(
        parameters=[LANG],
        responses={200: ACTIVITY_ENTRY},
        summary="An activity (in full for office staff; as a visit for the enterprise visited)",
    )
    def retrieve(self, request, *args, **kwargs):
        return Response(self.shown(self.get_object()))

    @extend_schema(
        request=ExchangeActivityWriteSerializer,
        responses={201: ExchangeActivitySerializer},
        summary="Propose an activity (officers); an incoming visit gets the reception checklist",
    )
    def create(self, request, *args, **kwargs):
        require_officer(request, _("Only approval officers propose exchange activities."))
        serializer = ExchangeActivityWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        activity = services.activity_create(actor=request.user, data=dict(serializer.validated_data))
        return self.detail_response(activity, status.HTTP_201_CREATED)

    @extend_schema(
        request=ExchangeActivityWriteSerializer,
        responses={
            200: ExchangeActivitySerializer,
            409: conflict("A closed or cancelled activity is not changed"),
        },
        summary="Change an activity (officers)",
    )
    def partial_update(self, request, *args, **kwargs):
        activity = self.get_object()
        require_officer(request, _("Only approval officers change exchange activities."))
        serializer = ExchangeActivityWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        activity = services.activity_update(
            activity=activity, actor=request.user, data=dict(serializer.validated_data)
        )
        return self.detail_response(activity)

    @extend_schema(
        request=AgendaWriteSerializer,
        responses={200: ExchangeActivitySerializer},
        summary="Replace the agenda (officers)",
    )
    @action(detail=True, methods=["put"])
    def agenda(self, request, pk=None, format=None):
        activity = self.get_object()
        require_officer(request, _("Only approval officers change the agenda."))
        serializer = AgendaWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.agenda_set(
                activity=activity, actor=request.user, items=serializer.validated_data["agenda"]
            )
        except ValidationError as error:
            raise serializers.ValidationError(_agenda_errors(error)) from error
        return self.detail_response(activity)

    @extend_schema(
        request=ReceptionChecklistAddSerializer,
        responses={201: ReceptionChecklistItemSerializer},
        summary="Add an item of your own to the reception checklist (officers)",
    )
    @action(detail=True, methods=["post"], url_path="checklist")
    def checklist_add(self, request, pk=None, format=None):
        activity = self.get_object()
        require_officer(request, _("Only approval officers change the reception checklist."))
        serializer = ReceptionChecklistAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.checklist_add(
            activity=activity, actor=request.user, label=serializer.validated_data["label"]
        )
        return Response(ReceptionChecklistItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter("item_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The item's id.")
        ],
        request=ReceptionChecklistUpdateSerializer,
        responses={200: ReceptionChecklistItemSerializer},
        summary="Assign an item of the reception checklist, date it, or tick it (officers)",
    )
    @action(detail=True, methods=["patch"], url_path=r"checklist/(?P<item_id>[0-9]+)")
    def checklist_item(self, request, pk=None, item_id=None, format=None):
        activity = self.get_object()
        item = get_object_or_404(ChecklistItem.objects.filter(activity=activity), pk=item_id)
        require_officer(request, _("Only approval officers change the reception checklist."))
        serializer = ReceptionChecklistUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.checklist_update(item=item, actor=request.user, data=dict(serializer.validated_data))
        item = ChecklistItem.objects.select_related("assignee", "done_by").get(pk=item.pk)
        return Response(ReceptionChecklistItemSerializer(item).data)

    @extend_schema(
        request={"multipart/form-data": ActivityDocumentUploadSerializer},
        responses={201: ActivityDocumentSerializer},
        summary="Attach a document: an agreement, an invitation letter, a photograph (officers)",
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def documents(self, request, pk=None, format=None):
        activity = self.get_object()
        require_officer(request, _("Only approval officers attach documents to activities."))
        form = ActivityDocumentUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        document = services.document_add(
            activity=activity,
            actor=request.user,
            kind=form.validated_data["kind"],
            uploaded_file=form.validated_data["file"],
        )
        document = ActivityDocument.objects.select_related("document").get(pk=document.pk)
        return Response(
            ActivityDocumentSerializer(document, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=ActivityAgreementWriteSerializer,
        responses={
            201: ActivityAgreementSerializer,
            409: conflict("Outcomes are recorded once it is confirmed"),
        },
        summary="Record an agreement or memorandum signed (officers)",
    )
    @action(detail=True, methods=["post"])
    def agreements(self, request, pk=None, format=None):
        activity = self.get_object()
        require_officer(request, _("Only approval officers record agreements."))
        serializer = ActivityAgreementWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        agreement = services.agreement_add(
            activity=activity, actor=request.user, data=dict(serializer.validated_data)
        )
        return Response(ActivityAgreementSerializer(agreement).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=FollowUpWriteSerializer,
        responses={201: FollowUpSerializer, 409: conflict("Outcomes are recorded once it is confirmed")},
        summary="Add a follow-up task with its owner and due date (officers)",
    )
    @action(detail=True, methods=["post"], url_path="follow-ups")
    def follow_ups(self, request, pk=None, format=None):
        activity = self.get_object()
        require_officer(request, _("Only approval officers add follow-up tasks."))
        serializer = FollowUpWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        follow_up = services.follow_up_add(
            activity=activity, actor=request.user, data=dict(serializer.validated_data)
        )
        follow_up = FollowUp.objects.select_related("owner").get(pk=follow_up.pk)
        return Response(FollowUpSerializer(follow_up).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=CoverageWriteSerializer,
        responses={201: CoverageSerializer},
        summary="Record coverage: a report in the press or online (officers)",
    )
    @action(detail=True, methods=["post"])
    def coverage(self, request, pk=None, format=None):
        activity = self.get_object()
        require_officer(request, _("Only approval officers record coverage."))
        serializer = CoverageWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        coverage = services.coverage_add(
            actor=request.user, data=dict(serializer.validated_data), activity=activity
        )
        return Response(CoverageSerializer(coverage).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ApplicationLinkSerializer,
        responses={200: ExchangeActivitySerializer},
        summary="Link (or unlink) a travel application of the delegation (officers)",
    )
    @action(detail=True, methods=["post"], url_path="travel-applications")
    def travel_applications(self, request, pk=None, format=None):
        activity = self.get_object()
        require_officer(request, _("Only approval officers link travel applications."))
        serializer = ApplicationLinkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = TravelApplication.objects.filter(pk=serializer.validated_data["application"]).first()
        if application is None:
            raise serializers.ValidationError({"application": [_("Choose from the list.")]})
        services.application_link(
            activity=activity,
            actor=request.user,
            application=application,
            linked=serializer.validated_data["linked"],
        )
        return self.detail_response(activity)

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The programme, Chinese and English side by side"
            )
        },
        summary="Download the bilingual programme (PDF): office staff always, the enterprise visited once "
        "it is confirmed (its own part)",
        filters=False,
    )
    @action(detail=True, methods=["get"])
    def programme(self, request, pk=None, format=None):
        activity = self.get_object()
        if is_office(request.user):
            pdf = programme.render_programme(activity)
        else:
            # As the enterprise's visit page gives it: once confirmed, the agenda of its own day(s).
            if activity.state not in programme.SHARED_STATES:
                raise Http404
            items, own_days = visit_items(activity, self.get_serializer_context()["organization"])
            pdf = programme.render_programme(activity, items=items, partial=own_days)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(False, programme.file_name(activity))
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response

    history = history_action()


def _run(request, activity, name: str, data: dict):
    return services.activity_run(
        activity=activity, actor=request.user, name=name, comment=data.get("comment", "")
    )


add_transition_actions(ActivityViewSet, ACTIVITY_TRANSITIONS, run=_run, response=ExchangeActivitySerializer)
