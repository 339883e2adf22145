"""`/api/v1/projects/interests/` (area 3): the expressions of interest (合作意向) visitors sent.

Office staff read all of them (filters `state`, `project`); the members of an enterprise read the leads
forwarded to their enterprise (selectors.interest_list_for); others 401/403, and 404 for a lead that is
not theirs. Officers `POST /{id}/forward/` a lead to the enterprises involved, or `POST /{id}/close/` it
with a reason (projects.services.interest.interest_run). Visitors send them through `POST
/api/v1/projects/{id}/interest/`.
"""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from foreign_affairs import fsm
from foreign_affairs.api.actions import add_transition_actions

from .. import selectors
from ..filters import InterestFilter
from ..models import Interest
from ..services import interest as services
from ..workflow import INTEREST_TRANSITIONS, InterestState
from .common import country_label, person_name


class ProjectInterestSerializer(serializers.ModelSerializer):
    state = serializers.ChoiceField(choices=InterestState.choices, read_only=True)
    available_transitions = serializers.SerializerMethodField()
    project = serializers.IntegerField(source="project_id", read_only=True, help_text="The project's id.")
    project_reference = serializers.CharField(source="project.reference", read_only=True)
    project_title = serializers.CharField(
        source="project.title", read_only=True, help_text="In the reader's language."
    )
    country = serializers.SerializerMethodField()
    country_name = serializers.SerializerMethodField()
    # A plain string, as entered (checked when it was sent).
    email = serializers.CharField(read_only=True)
    forwarded_by = serializers.SerializerMethodField()

    class Meta:
        model = Interest
        fields = [
            "id",
            "project",
            "project_reference",
            "project_title",
            "name",
            "organisation",
            "country",
            "country_name",
            "email",
            "phone",
            "message",
            "language",
            "state",
            "available_transitions",
            "created_at",
            "forwarded_at",
            "forwarded_by",
        ]
        read_only_fields = fields

    def get_available_transitions(self, interest) -> list[str]:
        return fsm.available_transitions(interest, self.context["request"].user)

    def get_country(self, interest) -> str:
        """ISO 3166-1 code, e.g. IT."""
        return interest.country.code or ""

    def get_country_name(self, interest) -> str:
        """In the reader's language."""
        return country_label(interest.country)

    def get_forwarded_by(self, interest) -> str | None:
        """The officer who forwarded it."""
        return person_name(interest.forwarded_by)


class InterestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Expressions of interest: all of them for office staff, the leads forwarded to an enterprise for its
    members. Officers forward or close them."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ProjectInterestSerializer
    filterset_class = InterestFilter
    filter_backends = [DjangoFilterBackend]
    parser_classes = [JSONParser]
    queryset = Interest.objects.none()
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        # The project's enterprises are prefetched for `forward`'s condition (workflow.has_enterprise),
        # which available_transitions checks on every row.
        return (
            selectors.interest_list_for(self.request.user)
            .select_related("project", "forwarded_by")
            .prefetch_related("project__enterprises")
        )

    def detail_response(self, interest):
        return Response(
            ProjectInterestSerializer(
                self.get_queryset().get(pk=interest.pk), context=self.get_serializer_context()
            ).data
        )

    @extend_schema(summary="Expressions of interest: all (office staff), or the leads forwarded to you")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="An expression of interest")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


def _run(request, interest, name: str, data: dict):
    return services.interest_run(
        interest=interest, actor=request.user, name=name, comment=data.get("comment", "")
    )


add_transition_actions(InterestViewSet, INTEREST_TRANSITIONS, run=_run, response=ProjectInterestSerializer)
