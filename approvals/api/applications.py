"""`/api/v1/travel-applications/` (CONTRACT.md): drafts, attachments, rule pre-check, transitions, history."""

import django_filters
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries.serializer_fields import CountryField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from foreign_affairs.accounts.models import PassportType, Person
from foreign_affairs.accounts.services import suggested_pinyin_name
from foreign_affairs.api.actions import (
    add_transition_actions,
    assign_action,
    attachment_action,
    history_action,
)
from foreign_affairs.api.schema import conflict
from foreign_affairs.api.serializers import (
    FindingSerializer,
    attachment_serializers,
)
from foreign_affairs.privacy import access
from foreign_affairs.security.countries import not_destination_message

from .. import counting, rules, selectors, services
from ..filters import ApplicationFilter
from ..models import (
    Attachment,
    DelegationMember,
    Disclosure,
    ItineraryLeg,
    Permit,
    TravelApplication,
)
from ..permits import permit_response
from ..workflow import TRANSITIONS


class LegSerializer(serializers.ModelSerializer):
    country = CountryField(
        help_text="ISO 3166-1 code of a country abroad: not CN, and not HK, MO or TW (因公赴港澳台 is a "
        "separate procedure)."
    )

    class Meta:
        model = ItineraryLeg
        fields = ["country", "city", "arrive_on", "leave_on", "host_organization"]

    def validate_country(self, value):
        message = not_destination_message(value)
        if message:
            raise serializers.ValidationError(message, code="not_destination")
        return value

    def validate(self, attrs):
        if attrs["leave_on"] < attrs["arrive_on"]:
            raise serializers.ValidationError(
                {"leave_on": _("The date of leaving must be on or after the date of arrival.")}
            )
        return attrs


class MemberWriteSerializer(serializers.Serializer):
    person = serializers.IntegerField(
        required=False, help_text="A traveller of your organisation (people API)."
    )
    full_name = serializers.CharField(required=False, help_text="Or a person given by name and passport…")
    passport_number = serializers.CharField(required=False)
    passport_expiry = serializers.DateField(required=False)
    birth_date = serializers.DateField(required=False)
    gender = serializers.ChoiceField(choices=["male", "female"], required=False)
    pinyin_name = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="The new person's name as printed in the passport, family name first (ZHANG SAN); "
        "suggested from full_name when not given.",
    )
    passport_type = serializers.ChoiceField(
        choices=PassportType.choices,
        required=False,
        help_text="The new person's passport type; official_ordinary when not given.",
    )
    position_on_trip = serializers.CharField(required=False, allow_blank=True, default="")
    is_leader = serializers.BooleanField(required=False, default=False)

    def validate_pinyin_name(self, value):
        person = Person(pinyin_name=value)
        try:
            person.clean()
        except DjangoValidationError as error:
            if "pinyin_name" in error.message_dict:
                raise serializers.ValidationError(error.message_dict["pinyin_name"]) from error
        return person.pinyin_name

    def validate(self, attrs):
        if "person" not in attrs and not all(
            attrs.get(k) for k in ("full_name", "passport_number", "passport_expiry")
        ):
            raise serializers.ValidationError(
                _(
                    "Give either a person of your organisation, or a new person's name, passport number and expiry."
                )
            )
        if "person" not in attrs and not attrs.get("pinyin_name"):
            attrs["pinyin_name"] = suggested_pinyin_name(attrs["full_name"])
        return attrs


class MemberSerializer(serializers.ModelSerializer):
    """A member; the passport numbers come in the context, shown and recorded for the whole delegation at
    once (ApplicationSerializer.get_members)."""

    full_name = serializers.CharField(source="person.full_name")
    passport_number = serializers.SerializerMethodField()

    class Meta:
        model = DelegationMember
        fields = ["person", "full_name", "passport_number", "position_on_trip", "is_leader"]

    def get_passport_number(self, member) -> str:
        return self.context["passport_numbers"][member.person_id]


class ApplicationListSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    countries = serializers.SerializerMethodField()
    available_transitions = serializers.SerializerMethodField()
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = TravelApplication
        fields = [
            "id",
            "reference",
            "organization",
            "organization_name",
            "title",
            "mission_type",
            "belt_and_road",
            "state",
            "available_transitions",
            "departure_date",
            "return_date",
            "days_abroad",
            "countries",
            "member_count",
            "leader_name",
            "due_on",
            "is_overdue",
            "rule_errors",
            "rule_warnings",
            "created_at",
        ]
        read_only_fields = fields

    def get_countries(self, application) -> list[str]:
        return [code for code in application.countries.split(",") if code]

    def get_available_transitions(self, application) -> list[str]:
        return services.available_transitions(application, self.context["request"].user)


class PermitSerializer(serializers.ModelSerializer):
    verify_url = serializers.CharField(read_only=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = Permit
        fields = ["number", "verification_code", "verify_url", "issued_at", "valid_until", "status"]
        read_only_fields = fields

    def get_status(self, permit) -> str:
        return permit.status()


class DisclosureSummarySerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Disclosure
        fields = ["id", "kind", "published_at", "ends_on", "outcome", "url"]
        read_only_fields = fields

    def get_url(self, disclosure) -> str:
        return f"{settings.PORTAL_BASE_URL}{disclosure.get_absolute_url()}"


class ApplicationSerializer(ApplicationListSerializer):
    legs = LegSerializer(many=True, read_only=True)
    members = serializers.SerializerMethodField()
    attachments = attachment_serializers(Attachment)[0](many=True, read_only=True)
    rule_results = serializers.SerializerMethodField()
    assigned_officer = serializers.CharField(
        source="assigned_officer.username", read_only=True, default=None, allow_null=True
    )
    permit = serializers.SerializerMethodField()
    disclosures = DisclosureSummarySerializer(many=True, read_only=True)

    class Meta(ApplicationListSerializer.Meta):
        fields = [
            *ApplicationListSerializer.Meta.fields,
            "purpose",
            "budget_amount",
            "budget_currency",
            "funding_source",
            "contact_name",
            "contact_phone",
            "justification",
            "legs",
            "members",
            "attachments",
            "rule_results",
            "requires_signoff",
            "assigned_officer",
            "submitted_at",
            "decided_at",
            "permit",
            "disclosures",
            "pending_objections",
            "report_summary",
            "report_outcomes",
            "report_agreements",
            "actual_return_date",
            "actual_spending",
            "report_due_on",
            "report_submitted_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(MemberSerializer(many=True, read_only=True))
    def get_members(self, application):
        """Whole numbers for the office and the own organisation, each look recorded (privacy.access) in
        one statement for the delegation."""
        members = list(application.members.all())
        numbers = access.passport_numbers_shown(
            self.context.get("request"), [member.person for member in members], case=application.reference
        )
        return MemberSerializer(
            members, many=True, context={**self.context, "passport_numbers": numbers}
        ).data

    @extend_schema_field(PermitSerializer(allow_null=True))
    def get_permit(self, application):
        permit = Permit.objects.filter(application=application).first()
        return PermitSerializer(permit).data if permit else None

    @extend_schema_field(FindingSerializer(many=True))
    def get_rule_results(self, application):
        return rules.stored_as_api(application.rule_results, get_language())


class ApplicationWriteSerializer(serializers.ModelSerializer):
    legs = LegSerializer(many=True, required=False)
    members = MemberWriteSerializer(many=True, required=False)

    class Meta:
        model = TravelApplication
        fields = [*services.APPLICATION_FIELDS, "legs", "members"]


class ReportSerializer(serializers.Serializer):
    summary = serializers.CharField()
    outcomes = serializers.CharField(required=False, allow_blank=True, default="")
    agreements = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Agreements signed during the trip"
    )
    actual_return_date = serializers.DateField()
    actual_spending = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )


class TravelApplicationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Travel applications of the caller's organisation (office staff: all). Transitions are
    `POST /{id}/<transition>/`; 403 without the role, 409 when the state does not allow it, 400 when a
    rule or a required comment is missing."""

    permission_classes = [permissions.IsAuthenticated]
    filterset_class = ApplicationFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = TravelApplication.objects.none()

    def known_count(self, request) -> int | None:
        """The list's count from the kept counts (approvals.counting) when only the caller's scope, the state
        and the organisation narrow it; None to count the rows."""
        if self.action != "list":
            return None
        filters = self.filterset_class(request.query_params, queryset=self.get_queryset(), request=request)
        return counting.count_for_filters(request.user, filters)

    def get_queryset(self):
        applications = selectors.application_list_for(self.request.user)
        if self.action == "list":
            return applications
        return selectors.with_details(applications)

    def get_serializer_class(self):
        if self.action == "list":
            return ApplicationListSerializer
        if self.action in ("create", "partial_update"):
            return ApplicationWriteSerializer
        return ApplicationSerializer

    def detail_response(self, application, status_code=status.HTTP_200_OK):
        application = selectors.with_details(TravelApplication.objects.all()).get(pk=application.pk)
        return Response(
            ApplicationSerializer(application, context=self.get_serializer_context()).data, status=status_code
        )

    @extend_schema(
        request=ApplicationWriteSerializer,
        responses={201: ApplicationSerializer},
        summary="Start a draft application",
    )
    def create(self, request, *args, **kwargs):
        serializer = ApplicationWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        legs, members = data.pop("legs", []), data.pop("members", [])
        if request.user.organization is None:
            raise PermissionDenied(_("Only enterprise users apply for trips."))
        application = services.application_create(
            actor=request.user, organization=request.user.organization, data=data, legs=legs, members=members
        )
        return self.detail_response(application, status.HTTP_201_CREATED)

    @extend_schema(
        request=ApplicationWriteSerializer,
        responses={200: ApplicationSerializer, 409: conflict("Changed only as a draft or when returned")},
        summary="Change a draft or returned application (legs and members are replaced when given)",
    )
    def partial_update(self, request, *args, **kwargs):
        application = self.get_object()
        serializer = ApplicationWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        legs, members = data.pop("legs", None), data.pop("members", None)
        application = services.application_update(
            application=application, actor=request.user, data=data, legs=legs, members=members
        )
        return self.detail_response(application)

    attachments = attachment_action(
        add=services.attachment_add, model=Attachment, summary="Attach an invitation letter, agenda or other"
    )

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The permit PDF")
        },
        summary="Download the permit (404 until issued)",
    )
    @action(detail=True, methods=["get"])
    def permit(self, request, pk=None, format=None):
        permit = Permit.objects.filter(application=self.get_object()).first()
        if permit is None:
            raise Http404
        return permit_response(permit)

    @extend_schema(responses={200: FindingSerializer(many=True)}, summary="Run the rules now", filters=False)
    @action(detail=True, methods=["get"], pagination_class=None)  # a plain list, not a page of one
    def precheck(self, request, pk=None, format=None):
        application = self.get_object()
        findings = rules.check(rules.TripDraft.from_application(application))
        return Response([finding.as_dict() for finding in findings])

    assign = assign_action(assign=services.application_assign, response=ApplicationSerializer)
    history = history_action()


def _run_transition(request, application, name: str, data: dict):
    if name == "submit_report":  # its files are attached beforehand (attachments, kind "report")
        return services.report_submit(application=application, actor=request.user, report=data)
    return services.application_transition(
        application=application, actor=request.user, name=name, comment=data.get("comment", "")
    )


add_transition_actions(
    TravelApplicationViewSet,
    {name: info for name, info in TRANSITIONS.items() if name != "issue_permit"},
    run=_run_transition,
    response=ApplicationSerializer,
    bodies={"submit_report": ReportSerializer},
)
