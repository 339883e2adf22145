"""`/api/v1/foreign-offices/cases/` (CONTRACT.md, area 2): the office's setting-up cases.

Office staff only: others get 403 for the list and 404 for a case. List (filters of CaseFilter, `search`
through selectors.case_search_q), detail (reference, state, available transitions, deadline, notes,
documents), `POST` a case from a call or a letter (officers), `PATCH` to complete it, `POST
/{id}/<transition>/` (consult, prepare, submit_to_authority, register with the registration, open with
the date, withdraw, decline), `POST /{id}/assign/`, `POST /{id}/notes/`, `POST /{id}/documents/`, `GET
/{id}/history/`. Every write calls foreign_offices.services.cases; its refusals become the API's one
error shape (400, 403, 409). ROUTES: (prefix, viewset, basename).
"""

import django_filters
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from foreign_affairs.accounts.models import FTZArea
from foreign_affairs.api.actions import add_transition_actions, assign_action, history_action
from foreign_affairs.api.schema import conflict
from foreign_affairs.api.serializers import TransitionSerializer, attachment_serializers
from foreign_affairs.filters import IdFilter, ListFilterSet, Ordering, SearchFilter

from .. import selectors
from ..models import CaseDocument, CaseNote, SetupCase
from ..services import cases as services
from ..workflow import CASE_TRANSITIONS, OPEN_CASE_STATES, Authority, CaseState, EnquirySource, PresenceKind
from .common import CountryCodeFilter, CountryMixin, is_office, person_name

CaseDocumentSerializer, CaseDocumentUploadSerializer = attachment_serializers(CaseDocument)

CASE_SEARCH_HELP = _(
    "A whole reference (HNFO-2026-00012) or registration number, words of the organisation's names or "
    "the contact's name, or the contact's whole e-mail address."
)


# The list's filters ------------------------------------------------------------------------------------


class CaseFilter(ListFilterSet):
    search = SearchFilter(selectors.case_search_q, help_text=CASE_SEARCH_HELP)
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=CaseState.choices, empty_label=_("All states")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind of presence"), choices=PresenceKind.choices, empty_label=_("All kinds")
    )
    country = CountryCodeFilter(field_name="country")
    assigned_officer = IdFilter(field_name="assigned_officer_id", label=_("Officer in charge"))
    overdue = django_filters.BooleanFilter(
        label=_("Overdue"),
        method="filter_overdue",
        help_text="true: open cases past their deadline; false: the others.",
    )
    ordering = Ordering(
        choices=[
            ("-created_at", _("Newest first")),
            ("created_at", _("Oldest first")),
            ("due_on", _("Deadline, soonest first")),
            ("reference", _("Reference")),
        ]
    )

    class Meta(ListFilterSet.Meta):
        model = SetupCase
        fields = []

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = {"state__in": OPEN_CASE_STATES, "due_on__lt": timezone.localdate()}
        return queryset.filter(**overdue) if value else queryset.exclude(**overdue)


# What is shown -----------------------------------------------------------------------------------------


class CaseNoteSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()

    class Meta:
        model = CaseNote
        fields = ["id", "at", "author", "action", "text"]
        read_only_fields = fields

    def get_author(self, note) -> str | None:
        """Who wrote it (null for the portal's record of a step, e.g. the enquiry received)."""
        return person_name(note.author)


class SetupCaseListSerializer(CountryMixin, serializers.ModelSerializer):
    state = serializers.ChoiceField(choices=CaseState.choices, read_only=True)
    available_transitions = serializers.SerializerMethodField()
    assigned_officer = serializers.IntegerField(
        source="assigned_officer_id", read_only=True, allow_null=True, help_text="The officer's user id."
    )
    assigned_officer_name = serializers.SerializerMethodField()
    is_overdue = serializers.BooleanField(read_only=True, help_text="Past its deadline (`due_on`).")
    organisation = serializers.IntegerField(
        source="organisation_id",
        read_only=True,
        allow_null=True,
        help_text="The registry entry (organisations API) once the case is registered.",
    )

    class Meta:
        model = SetupCase
        fields = [
            "id",
            "reference",
            "organisation_name",
            "organisation_name_zh",
            "country",
            "country_name",
            "kind",
            "preferred_area",
            "contact_name",
            "contact_email",
            "source",
            "state",
            "available_transitions",
            "assigned_officer",
            "assigned_officer_name",
            "created_at",
            "state_changed_at",
            "due_on",
            "is_overdue",
            "organisation",
        ]
        read_only_fields = fields

    def get_available_transitions(self, case) -> list[str]:
        return services.available_transitions(case, self.context["request"].user)

    def get_assigned_officer_name(self, case) -> str | None:
        return person_name(case.assigned_officer)


class SetupCaseSerializer(SetupCaseListSerializer):
    notes = CaseNoteSerializer(many=True, read_only=True)
    documents = CaseDocumentSerializer(source="attachments", many=True, read_only=True)

    class Meta(SetupCaseListSerializer.Meta):
        fields = [
            *SetupCaseListSerializer.Meta.fields,
            "parent_organisation",
            "contact_phone",
            "message",
            "language",
            "address",
            "authority",
            "registration_number",
            "registered_on",
            "registration_valid_until",
            "submitted_on",
            "opened_on",
            "closed_at",
            "updated_at",
            "notes",
            "documents",
        ]
        read_only_fields = fields


# What is written ---------------------------------------------------------------------------------------


class EnquiryFieldsSerializer(serializers.Serializer):
    """What an enquiry gives (services.cases.ENQUIRY_FIELDS)."""

    organisation_name = serializers.CharField(
        max_length=200, help_text="The organisation's name in its own language."
    )
    organisation_name_zh = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="Its Chinese name, if any."
    )
    parent_organisation = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    country = serializers.CharField(
        max_length=2, help_text="ISO 3166-1 code of the country the organisation comes from, e.g. DE."
    )
    kind = serializers.ChoiceField(choices=PresenceKind.choices, help_text="The kind of presence planned.")
    preferred_area = serializers.ChoiceField(
        choices=FTZArea.choices, required=False, default=FTZArea.ZHENGZHOU
    )
    contact_name = serializers.CharField(max_length=100)
    contact_email = serializers.EmailField(max_length=254)
    contact_phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    message = serializers.CharField(
        max_length=services.MESSAGE_MAX, help_text=f"At most {services.MESSAGE_MAX} characters."
    )
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        help_text="The language of the answers by e-mail (default: English).",
    )

    def validate_country(self, value):
        return value.strip().upper()


class SetupCaseUpdateSerializer(serializers.Serializer):
    """The officer completes or corrects a case (services.cases.CASE_FIELDS); all optional."""

    organisation_name = serializers.CharField(max_length=200, required=False)
    organisation_name_zh = serializers.CharField(max_length=200, required=False, allow_blank=True)
    parent_organisation = serializers.CharField(max_length=200, required=False, allow_blank=True)
    country = serializers.CharField(max_length=2, required=False, help_text="ISO 3166-1 code, e.g. DE.")
    kind = serializers.ChoiceField(choices=PresenceKind.choices, required=False)
    preferred_area = serializers.ChoiceField(choices=FTZArea.choices, required=False)
    contact_name = serializers.CharField(max_length=100, required=False)
    contact_email = serializers.EmailField(max_length=254, required=False)
    contact_phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    message = serializers.CharField(max_length=services.MESSAGE_MAX, required=False)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    authority = serializers.ChoiceField(choices=Authority.choices, required=False, allow_blank=True)
    registration_number = serializers.CharField(
        max_length=18, required=False, allow_blank=True, help_text="The unified social credit code."
    )
    registered_on = serializers.DateField(required=False, allow_null=True)
    registration_valid_until = serializers.DateField(required=False, allow_null=True)
    opened_on = serializers.DateField(required=False, allow_null=True)

    def validate_country(self, value):
        return value.strip().upper()


class CaseRegisterSerializer(TransitionSerializer):
    """`register`: the registration, unless the case holds it already (PATCH)."""

    authority = serializers.ChoiceField(choices=Authority.choices, required=False)
    registration_number = serializers.CharField(
        max_length=18, required=False, help_text="The unified social credit code."
    )
    registered_on = serializers.DateField(required=False)
    registration_valid_until = serializers.DateField(
        required=False, allow_null=True, help_text="Null: the registration does not expire."
    )
    address = serializers.CharField(
        max_length=300, required=False, help_text="The office's address in Henan."
    )


class CaseOpenSerializer(TransitionSerializer):
    """`open`: the date the office opened (and its address, if it moved)."""

    opened_on = serializers.DateField(required=False)
    address = serializers.CharField(max_length=300, required=False)


class CaseNoteAddSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=services.MESSAGE_MAX)


# The viewset -------------------------------------------------------------------------------------------


class IsOfficeStaffForList(permissions.IsAuthenticated):
    """Signed in; the list and new cases are the office's (others get 403, and 404 for a case)."""

    message = _("Setting-up cases are the office's.")

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        return view.action not in ("list", "create") or is_office(request.user)


class SetupCaseViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Setting-up cases of foreign organisations, from the enquiry to the opening (office staff).
    Transitions are `POST /{id}/<transition>/` (officers): 403 without the role, 409 when the state does
    not allow it, 400 when the registration or the opening date is missing or a required comment is."""

    permission_classes = [IsOfficeStaffForList]
    filterset_class = CaseFilter
    filter_backends = [DjangoFilterBackend]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = SetupCase.objects.none()

    def get_queryset(self):
        if not is_office(self.request.user):
            return SetupCase.objects.none()
        return selectors.case_list_for(self.request.user)

    def get_serializer_class(self):
        if self.action == "list":
            return SetupCaseListSerializer
        if self.action == "create":
            return EnquiryFieldsSerializer
        if self.action == "partial_update":
            return SetupCaseUpdateSerializer
        return SetupCaseSerializer

    def detail_response(self, case, status_code=status.HTTP_200_OK):
        case = (
            SetupCase.objects.select_related("assigned_officer")
            .prefetch_related("notes__author", "attachments__document")
            .get(pk=case.pk)
        )
        return Response(
            SetupCaseSerializer(case, context=self.get_serializer_context()).data, status=status_code
        )

    def retrieve(self, request, *args, **kwargs):
        return self.detail_response(self.get_object())

    @extend_schema(
        request=EnquiryFieldsSerializer,
        responses={201: SetupCaseSerializer},
        summary="Open a case from a call or a letter (officers)",
    )
    def create(self, request, *args, **kwargs):
        serializer = EnquiryFieldsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        language = data.pop("language", "en")
        case = services.enquiry_create(
            data=data, language=language, source=EnquirySource.OFFICE, actor=request.user
        )
        return self.detail_response(case, status.HTTP_201_CREATED)

    @extend_schema(
        request=SetupCaseUpdateSerializer,
        responses={200: SetupCaseSerializer, 409: conflict("A closed case is no longer changed")},
        summary="Complete or correct the case (officers)",
    )
    def partial_update(self, request, *args, **kwargs):
        case = self.get_object()
        serializer = SetupCaseUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        case = services.case_update(case=case, actor=request.user, data=dict(serializer.validated_data))
        return self.detail_response(case)

    assign = assign_action(
        assign=lambda application, actor, officer: services.case_assign(
            case=application, actor=actor, officer=officer
        ),
        response=SetupCaseSerializer,
    )

    @extend_schema(
        request=CaseNoteAddSerializer, responses={201: CaseNoteSerializer}, summary="Add a note (officers)"
    )
    @action(detail=True, methods=["post"])
    def notes(self, request, pk=None, format=None, **kwargs):
        case = self.get_object()
        serializer = CaseNoteAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        note = services.note_add(case=case, actor=request.user, text=serializer.validated_data["text"])
        note = CaseNote.objects.select_related("author").get(pk=note.pk)
        return Response(CaseNoteSerializer(note).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request={"multipart/form-data": CaseDocumentUploadSerializer},
        responses={201: CaseDocumentSerializer},
        summary="Attach a document: a letter, the parent's registration, a lease, an appointment (officers)",
    )
    @action(detail=True, methods=["post"])
    def documents(self, request, pk=None, format=None, **kwargs):
        case = self.get_object()
        form = CaseDocumentUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        document = services.document_add(
            case=case,
            actor=request.user,
            kind=form.validated_data["kind"],
            uploaded_file=form.validated_data["file"],
        )
        return Response(
            CaseDocumentSerializer(document, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    history = history_action()


def _run_transition(request, case, name: str, data: dict):
    data = dict(data)
    comment = data.pop("comment", "")
    return services.case_transition(
        case=case, actor=request.user, name=name, comment=comment, data=data or None
    )


add_transition_actions(
    SetupCaseViewSet,
    CASE_TRANSITIONS,
    run=_run_transition,
    response=SetupCaseSerializer,
    bodies={"register": CaseRegisterSerializer, "open": CaseOpenSerializer},
)

ROUTES = [("cases", SetupCaseViewSet, "foreign-offices-case")]
