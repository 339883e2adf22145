"""`/api/v1/notices/` (public notices and objections) and `/api/v1/objections/` (officers decide)."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from foreign_affairs.accounts.roles import Role
from foreign_affairs.api.throttling import ScopedRateThrottle

from .. import services
from ..models import Disclosure, DisclosureOutcome, Objection


class NoticeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Disclosure
        fields = ["id", "kind", "content", "published_at", "ends_on"]
        read_only_fields = fields


class ObjectionInSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    contact = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")


class ObjectionSerializer(serializers.ModelSerializer):
    application = serializers.CharField(source="disclosure.application.reference", read_only=True)
    kind = serializers.CharField(source="disclosure.kind", read_only=True)

    class Meta:
        model = Objection
        fields = [
            "id",
            "disclosure",
            "application",
            "kind",
            "text",
            "name",
            "contact",
            "submitted_at",
            "status",
            "decided_at",
            "decision_comment",
        ]
        read_only_fields = fields


class DecisionSerializer(serializers.Serializer):
    comment = serializers.CharField(help_text="The reasons of the decision (required).")


class NoticeViewSet(viewsets.ReadOnlyModelViewSet):
    """Open public notices of approved trips and post-trip reports; anyone may object (rate-limited)."""

    serializer_class = NoticeSerializer
    permission_classes = [permissions.AllowAny]
    filterset_fields = ["kind"]
    queryset = Disclosure.objects.filter(outcome=DisclosureOutcome.OPEN).order_by("-published_at", "-pk")

    @extend_schema(
        request=ObjectionInSerializer,
        responses={
            201: inline_serializer(
                "ObjectionFiled", {"id": serializers.IntegerField(), "status": serializers.CharField()}
            )
        },
        summary="Object to a public notice",
    )
    @action(detail=True, methods=["post"], throttle_classes=[ScopedRateThrottle])
    def objections(self, request, pk=None, format=None):
        serializer = ObjectionInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        objection = services.objection_file(disclosure=self.get_object(), **serializer.validated_data)
        return Response({"id": objection.pk, "status": objection.status}, status=status.HTTP_201_CREATED)

    def get_throttles(self):
        if getattr(self, "action", None) == "objections":
            self.throttle_scope = "objection"
        return super().get_throttles()


class IsOfficer(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.user.is_authenticated and request.user.has_role(Role.OFFICER)


class ObjectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Objections to the office's public notices, for the officers who decide them."""

    serializer_class = ObjectionSerializer
    permission_classes = [IsOfficer]
    filterset_fields = ["status"]
    queryset = Objection.objects.select_related("disclosure__application").order_by("-submitted_at")

    def _decide(self, request, *, uphold: bool):
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        objection = services.objection_decide(
            objection=self.get_object(),
            actor=request.user,
            uphold=uphold,
            comment=serializer.validated_data["comment"],
        )
        return Response(ObjectionSerializer(objection).data)

    @extend_schema(
        request=DecisionSerializer,
        responses={200: ObjectionSerializer},
        summary="Uphold: a trip goes back to review, a report back to the applicant",
    )
    @action(detail=True, methods=["post"])
    def uphold(self, request, pk=None, format=None):
        return self._decide(request, uphold=True)

    @extend_schema(
        request=DecisionSerializer,
        responses={200: ObjectionSerializer},
        summary="Dismiss: the notice continues",
    )
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None, format=None):
        return self._decide(request, uphold=False)
