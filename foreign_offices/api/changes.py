"""`/api/v1/foreign-offices/change-requests/` (CONTRACT.md, area 2): change requests (变更申请) and closure
(注销) of the registered foreign organisations.

A member files a request for its own organisation (`{"kind", "proposed": {...}, "reason"}`; the keys of
`proposed` per kind are services.changes.PROPOSAL_FIELDS) and may withdraw it; office staff see all and
approve (the registry changes then, keeping the old values in its history) or reject (with the reason).
A closed organisation, a second waiting request of a kind, an approval already made or one that the
registry overtook since the filing answer 409. Writes call foreign_offices.services.changes.
"""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response

from foreign_affairs import fsm
from foreign_affairs.api.actions import add_transition_actions
from foreign_affairs.api.schema import conflict
from foreign_affairs.filters import IdFilter, ListFilterSet, Ordering

from .. import selectors
from ..models import ChangeRequest
from ..services import changes as services
from ..views.passports import proposed_passport_number
from ..workflow import CHANGE_TRANSITIONS, ChangeKind, ChangeState
from .common import is_office, organisation_for_filing, person_name

PROPOSED_HELP = "; ".join(
    f"`{kind.value}`: {', '.join(fields)}" for kind, fields in services.PROPOSAL_FIELDS.items()
)


class ChangeRequestFilter(ListFilterSet):
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=ChangeState.choices, empty_label=_("All states")
    )
    kind = django_filters.ChoiceFilter(
        label=_("What changes"), choices=ChangeKind.choices, empty_label=_("All kinds")
    )
    organisation = IdFilter(
        field_name="organisation_id", label=_("Organisation"), help_text="Office staff only."
    )
    ordering = Ordering(
        choices=[("-submitted_at", _("Filed, latest first")), ("submitted_at", _("Filed, earliest first"))]
    )

    class Meta(ListFilterSet.Meta):
        model = ChangeRequest
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if not is_office(getattr(request, "user", None)):
            del self.filters["organisation"]


class ChangeRequestSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    organisation_name_zh = serializers.CharField(source="organisation.name_zh", read_only=True)
    state = serializers.ChoiceField(choices=ChangeState.choices, read_only=True)
    available_transitions = serializers.SerializerMethodField()
    proposed = serializers.DictField(
        read_only=True, help_text=f"The proposed values by kind: {PROPOSED_HELP}."
    )
    current = serializers.DictField(
        read_only=True, help_text="The registry's values of the fields concerned when the request was filed."
    )
    submitted_by = serializers.SerializerMethodField()
    decided_by = serializers.SerializerMethodField()

    class Meta:
        model = ChangeRequest
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "organisation_name_zh",
            "kind",
            "proposed",
            "current",
            "reason",
            "effective_on",
            "state",
            "available_transitions",
            "submitted_at",
            "submitted_by",
            "decided_at",
            "decided_by",
            "comment",
            "updated_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if data["proposed"].get("passport_number"):
            # Masked in lists; whole in one request's answer, for the office and the organisation (recorded).
            view = self.context.get("view")
            listed = getattr(view, "action", None) == "list"
            data["proposed"] = {
                **data["proposed"],
                "passport_number": proposed_passport_number(self.context["request"], instance, listed=listed),
            }
        return data

    def get_available_transitions(self, request) -> list[str]:
        return fsm.available_transitions(request, self.context["request"].user)

    def get_submitted_by(self, request) -> str | None:
        return person_name(request.submitted_by)

    def get_decided_by(self, request) -> str | None:
        return person_name(request.decided_by)


class ChangeRequestSubmitSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Office staff: the organisation concerned (required). Members: their own (may be left out).",
    )
    kind = serializers.ChoiceField(choices=ChangeKind.choices)
    proposed = serializers.DictField(help_text=f"The new values by kind: {PROPOSED_HELP}.")
    reason = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default="", help_text="Required for a closure."
    )


class ChangeRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Change requests of the caller's organisation (office staff: all). `approve` and `reject` are the
    officers', `withdraw` the organisation's."""

    permission_classes = [permissions.IsAuthenticated]
    filterset_class = ChangeRequestFilter
    filter_backends = [DjangoFilterBackend]
    http_method_names = ["get", "post", "head", "options"]
    queryset = ChangeRequest.objects.none()

    def get_queryset(self):
        return selectors.change_requests_for(self.request.user)

    def get_serializer_class(self):
        return ChangeRequestSubmitSerializer if self.action == "create" else ChangeRequestSerializer

    def detail_response(self, change, status_code=status.HTTP_200_OK):
        change = self.get_queryset().get(pk=change.pk)
        return Response(
            ChangeRequestSerializer(change, context=self.get_serializer_context()).data, status=status_code
        )

    @extend_schema(
        request=ChangeRequestSubmitSerializer,
        responses={
            201: ChangeRequestSerializer,
            409: conflict("The organisation is closed, or a request of this kind is waiting already"),
        },
        summary="File a change request or the closure",
    )
    def create(self, request, *args, **kwargs):
        serializer = ChangeRequestSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        organisation = organisation_for_filing(request.user, data.get("organisation"))
        kind = data["kind"]
        try:
            change = services.change_submit(
                organisation=organisation,
                actor=request.user,
                kind=kind,
                proposed=data["proposed"],
                reason=data["reason"],
            )
        except DjangoValidationError as error:
            raise _under_proposed(error, kind) from None
        return self.detail_response(change, status.HTTP_201_CREATED)


def _under_proposed(error: DjangoValidationError, kind: str) -> serializers.ValidationError:
    """The proposal's field errors named as `proposed.<field>`, the others as they are."""
    if not hasattr(error, "error_dict"):
        return serializers.ValidationError(error.messages)
    fields = set(services.PROPOSAL_FIELDS.get(kind, ()))
    detail, proposed = {}, {}
    for field, messages in error.message_dict.items():
        (proposed if field in fields else detail)[field] = messages
    if proposed:
        detail["proposed"] = proposed
    return serializers.ValidationError(detail)


def _run_transition(request, change, name: str, data: dict):
    return services.change_transition(
        request=change, actor=request.user, name=name, comment=data.get("comment", "")
    )


add_transition_actions(
    ChangeRequestViewSet, CHANGE_TRANSITIONS, run=_run_transition, response=ChangeRequestSerializer
)

ROUTES = [("change-requests", ChangeRequestViewSet, "foreign-offices-change-request")]
