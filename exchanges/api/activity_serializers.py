"""How `/api/v1/exchanges/activities/` shows and reads an activity and its parts.

Two shapes: office staff read an activity in full (`"shape": "full"`: the lifecycle's transitions, the
enterprises visited, the reception checklist, the outcomes — summary, agreements, follow-up tasks,
coverage — the documents and the travel applications of the delegation); the enterprises an activity visits
read it as a visit (`"shape": "visit"`): what, when, where, who comes, the officer in charge and the agenda
as their visit page gives it (their own day(s); an item naming another enterprise visited by its time
only), none of the office's own records and not the other enterprises visited.
"""

from django.urls import reverse
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from foreign_affairs import fsm
from foreign_affairs.accounts.models import FTZArea
from foreign_affairs.api.serializers import attachment_serializers

from .. import programme
from ..models import (
    Activity,
    ActivityDocument,
    AgendaItem,
    Agreement,
    AgreementKind,
    ChecklistItem,
    ChecklistKind,
    Coverage,
    FollowUp,
)
from ..visits import visit_items
from ..workflow import PUBLIC_STATES, Direction, Focus, Kind, ProtocolRank, State
from .common import CountryMixin, IdField, IdListField, person_name, public_url, shape_schema, valid_country

ActivityDocumentSerializer, ActivityDocumentUploadSerializer = attachment_serializers(ActivityDocument)

# The parts of an activity ------------------------------------------------------------------------------


@extend_schema_field({"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "example": "09:30"})
class ClockTimeField(serializers.TimeField):
    """A time of day as HH:MM, the agenda's (OpenAPI's `format: time` would ask for seconds and an offset)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%H:%M")
        kwargs.setdefault("input_formats", ["%H:%M", "%H:%M:%S"])
        super().__init__(**kwargs)


class AgendaItemSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True, help_text="In the reader's language (the other if empty).")
    starts_at = ClockTimeField(read_only=True, help_text="HH:MM")
    ends_at = ClockTimeField(read_only=True, allow_null=True, help_text="HH:MM")

    class Meta:
        model = AgendaItem
        fields = ["id", "day", "starts_at", "ends_at", "title", "title_zh", "title_en", "place", "people"]
        read_only_fields = fields


class VisitAgendaItemSerializer(AgendaItemSerializer):
    """An agenda item as the enterprise visited reads it: an item that names another enterprise visited is
    withheld (its time only), so that no enterprise learns whom else the delegation meets."""

    ours = serializers.BooleanField(read_only=True, help_text="The item names your enterprise.")
    withheld = serializers.BooleanField(
        read_only=True, help_text="The item concerns another enterprise: its time only, its words empty."
    )

    class Meta(AgendaItemSerializer.Meta):
        fields = [*AgendaItemSerializer.Meta.fields, "ours", "withheld"]
        read_only_fields = fields

    def to_representation(self, item):
        shown = super().to_representation(item)
        if item.withheld:
            shown.update(dict.fromkeys(("title", "title_zh", "title_en", "place", "people"), ""))
        return shown


class ReceptionChecklistItemSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=ChecklistKind.choices, read_only=True)
    label = serializers.SerializerMethodField()
    assignee = serializers.IntegerField(
        source="assignee_id",
        read_only=True,
        allow_null=True,
        help_text="The user id of whom it is assigned to.",
    )
    assignee_name = serializers.SerializerMethodField()
    done = serializers.BooleanField(read_only=True)
    done_by_name = serializers.SerializerMethodField()

    class Meta:
        model = ChecklistItem
        fields = [
            "id",
            "kind",
            "label",
            "assignee",
            "assignee_name",
            "due_on",
            "note",
            "done",
            "done_at",
            "done_by_name",
            "order",
        ]
        read_only_fields = fields

    def get_label(self, item) -> str:
        """What is to be done, in the reader's language (the item's kind, or the officer's own words)."""
        return str(item)

    def get_assignee_name(self, item) -> str | None:
        return person_name(item.assignee)

    def get_done_by_name(self, item) -> str | None:
        return person_name(item.done_by)


class ActivityAgreementSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=AgreementKind.choices, read_only=True)
    document = serializers.IntegerField(
        source="document_id",
        read_only=True,
        allow_null=True,
        help_text="The id of the activity's document that holds it (`documents`).",
    )

    class Meta:
        model = Agreement
        fields = ["id", "kind", "title", "parties", "signed_on", "document"]
        read_only_fields = fields


class FollowUpSerializer(serializers.ModelSerializer):
    owner = serializers.IntegerField(source="owner_id", read_only=True, help_text="The owner's user id.")
    owner_name = serializers.SerializerMethodField()
    overdue = serializers.BooleanField(read_only=True, help_text="Not done and past its due date.")

    class Meta:
        model = FollowUp
        fields = ["id", "task", "owner", "owner_name", "due_on", "done_at", "overdue"]
        read_only_fields = fields

    def get_owner_name(self, follow_up) -> str | None:
        return person_name(follow_up.owner)


class CoverageSerializer(serializers.ModelSerializer):
    # A plain string: as entered (checked when it was recorded).
    url = serializers.CharField(read_only=True)

    class Meta:
        model = Coverage
        fields = ["id", "url", "outlet", "title", "published_on"]
        read_only_fields = fields


class TravelApplicationReferenceSerializer(serializers.Serializer):
    """A travel application of the delegation (the travel-applications API has the whole of it)."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    title = serializers.CharField()
    state = serializers.CharField(help_text="The application's state (travel-applications API).")
    departure_date = serializers.DateField(allow_null=True)
    return_date = serializers.DateField(allow_null=True)


class ActivityEnterpriseSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The organisation's id (organizations API).")
    name = serializers.CharField(help_text="In the reader's language.")


# The activity ------------------------------------------------------------------------------------------

AREAS = serializers.ListField(child=serializers.ChoiceField(choices=FTZArea.choices))
FOCUS = serializers.ListField(child=serializers.ChoiceField(choices=Focus.choices))

VISIT_FIELDS = [
    "shape",
    "id",
    "reference",
    "kind",
    "direction",
    "state",
    "title",
    "title_zh",
    "title_en",
    "summary",
    "summary_zh",
    "summary_en",
    "ftz_areas",
    "starts_on",
    "ends_on",
    "city",
    "venue",
    "country",
    "country_name",
    "foreign_organisation",
    "head_name",
    "head_title",
    "head_rank",
    "members",
    "delegation_size",
    "hosts",
    "zone_presented",
    "briefing_by",
    "materials",
    "focus",
    "friendship_city",
    "friendship_city_name",
    "owner_name",
    "agenda",
    "agenda_own_days",
    "url",
    "programme_url",
]


class ExchangeActivityVisitSerializer(CountryMixin, serializers.ModelSerializer):
    """An activity as the enterprises it visits read it."""

    SHAPE = "visit"

    shape = serializers.SerializerMethodField()
    kind = serializers.ChoiceField(choices=Kind.choices, read_only=True)
    direction = serializers.ChoiceField(choices=Direction.choices, read_only=True)
    state = serializers.ChoiceField(choices=State.choices, read_only=True)
    title = serializers.CharField(read_only=True, help_text="In the reader's language (the other if empty).")
    summary = serializers.CharField(
        read_only=True, help_text="In the reader's language (the other if empty)."
    )
    ftz_areas = serializers.SerializerMethodField()
    head_rank = serializers.ChoiceField(choices=ProtocolRank.choices, allow_blank=True, read_only=True)
    focus = serializers.SerializerMethodField()
    friendship_city = serializers.IntegerField(
        source="friendship_city_id", read_only=True, allow_null=True, help_text="The friendship city's id."
    )
    friendship_city_name = serializers.SerializerMethodField()
    owner_name = serializers.SerializerMethodField()
    agenda = serializers.SerializerMethodField()
    agenda_own_days = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    programme_url = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = VISIT_FIELDS
        read_only_fields = fields

    def _visit(self, activity):
        if not hasattr(activity, "_visit_agenda"):
            activity._visit_agenda = visit_items(activity, self.context.get("organization"))
        return activity._visit_agenda

    @extend_schema_field(VisitAgendaItemSerializer(many=True))
    def get_agenda(self, activity):
        """The programme of your enterprise's day(s), by day and time."""
        return VisitAgendaItemSerializer(self._visit(activity)[0], many=True).data

    def get_agenda_own_days(self, activity) -> bool:
        """true: an item names your enterprise, and `agenda` holds the days on which one does; false: the
        whole agenda."""
        return self._visit(activity)[1]

    @extend_schema_field(shape_schema("activity", "visit"))
    def get_shape(self, activity) -> str:
        """Which of the two shapes this is: `visit` (what the enterprises visited read) or `full`."""
        return self.SHAPE

    @extend_schema_field(AREAS)
    def get_ftz_areas(self, activity):
        """The free trade zone areas it concerns."""
        return activity.area_codes

    @extend_schema_field(FOCUS)
    def get_focus(self, activity):
        """What the zone's presentation centred on."""
        return activity.focus_codes

    def get_friendship_city_name(self, activity) -> str | None:
        """The pair's names in the reader's language."""
        return str(activity.friendship_city) if activity.friendship_city_id else None

    def get_owner_name(self, activity) -> str | None:
        """The officer in charge."""
        return person_name(activity.owner)

    def get_url(self, activity) -> str | None:
        """The public calendar's page of the event; null while the public does not see it."""
        if not (activity.public and activity.state in PUBLIC_STATES):
            return None
        return public_url("exchanges:event_detail", activity.reference)

    def get_programme_url(self, activity) -> str | None:
        """The bilingual programme as PDF (`GET /{id}/programme/`), once the visit is confirmed."""
        if activity.state not in programme.SHARED_STATES:
            return None
        path = reverse("api:exchange-activity-programme", args=[activity.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class ExchangeActivitySerializer(ExchangeActivityVisitSerializer):
    """The whole activity (office staff)."""

    SHAPE = "full"

    available_transitions = serializers.SerializerMethodField()
    owner = serializers.IntegerField(
        source="owner_id", read_only=True, allow_null=True, help_text="The user id of the officer in charge."
    )
    outcome_summary = serializers.CharField(
        read_only=True, help_text="In the reader's language (the other if empty)."
    )
    enterprises_visited = ActivityEnterpriseSerializer(many=True, read_only=True)
    checklist = ReceptionChecklistItemSerializer(many=True, read_only=True)
    checklist_total = serializers.SerializerMethodField()
    checklist_done = serializers.SerializerMethodField()
    agreements = ActivityAgreementSerializer(many=True, read_only=True)
    follow_ups = FollowUpSerializer(many=True, read_only=True)
    coverage = CoverageSerializer(many=True, read_only=True)
    documents = ActivityDocumentSerializer(source="attachments", many=True, read_only=True)
    travel_applications = TravelApplicationReferenceSerializer(many=True, read_only=True)

    class Meta(ExchangeActivityVisitSerializer.Meta):
        fields = [
            *VISIT_FIELDS,
            "available_transitions",
            "public",
            "owner",
            "enterprises_visited",
            "outcome_summary",
            "outcome_summary_zh",
            "outcome_summary_en",
            "checklist",
            "checklist_total",
            "checklist_done",
            "agreements",
            "follow_ups",
            "coverage",
            "documents",
            "travel_applications",
            "created_at",
            "approved_at",
            "reported_at",
            "state_changed_at",
            "updated_at",
        ]
        read_only_fields = fields

    agenda = AgendaItemSerializer(many=True, read_only=True)

    @extend_schema_field(shape_schema("activity", "full"))
    def get_shape(self, activity) -> str:
        return self.SHAPE

    def get_agenda_own_days(self, activity) -> bool:
        """Always false: the office reads the whole agenda."""
        return False

    def get_programme_url(self, activity) -> str:
        """The bilingual programme as PDF (`GET /{id}/programme/`), in any state."""
        path = reverse("api:exchange-activity-programme", args=[activity.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def get_available_transitions(self, activity) -> list[str]:
        """The lifecycle's transitions the caller may run now (`POST /{id}/<transition>/`)."""
        return fsm.available_transitions(activity, self.context["request"].user)

    def get_checklist_total(self, activity) -> int:
        """Items on the reception checklist."""
        return len(activity.checklist.all())

    def get_checklist_done(self, activity) -> int:
        """Items ticked."""
        return sum(1 for item in activity.checklist.all() if item.done)


ACTIVITY_ENTRY = PolymorphicProxySerializer(
    component_name="ExchangeActivityEntry",
    serializers=[ExchangeActivitySerializer, ExchangeActivityVisitSerializer],
    resource_type_field_name=None,
)
ACTIVITY_ENTRIES = PolymorphicProxySerializer(
    component_name="ExchangeActivityEntry",
    serializers=[ExchangeActivitySerializer, ExchangeActivityVisitSerializer],
    resource_type_field_name=None,
    many=True,
)


# What is written ---------------------------------------------------------------------------------------


class ExchangeActivityWriteSerializer(serializers.Serializer):
    """An activity as proposed or changed (officers; services.activities.FIELDS). Give the title in at least
    one language; the last day is not before the first."""

    kind = serializers.ChoiceField(choices=Kind.choices)
    direction = serializers.ChoiceField(choices=Direction.choices, required=False)
    title_zh = serializers.CharField(max_length=200, required=False, allow_blank=True)
    title_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    summary_zh = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    summary_en = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    ftz_areas = serializers.ListField(
        child=serializers.ChoiceField(choices=FTZArea.choices), max_length=10, required=False
    )
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    venue = serializers.CharField(max_length=300, required=False, allow_blank=True)
    country = serializers.CharField(
        max_length=2,
        required=False,
        allow_blank=True,
        help_text="ISO 3166-1 code of the foreign party's country or region, e.g. DE (not CN).",
    )
    foreign_organisation = serializers.CharField(max_length=200, required=False, allow_blank=True)
    head_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    head_title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    head_rank = serializers.ChoiceField(choices=ProtocolRank.choices, required=False, allow_blank=True)
    members = serializers.CharField(
        max_length=4000, required=False, allow_blank=True, help_text="One per line: name, title."
    )
    delegation_size = serializers.IntegerField(min_value=0, max_value=32767, required=False, allow_null=True)
    hosts = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    zone_presented = serializers.BooleanField(
        required=False, help_text="A free trade zone briefing was given."
    )
    briefing_by = serializers.CharField(max_length=200, required=False, allow_blank=True)
    materials = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    enterprises_visited = IdListField(
        max_length=50, required=False, help_text="The ids of the free trade zone's enterprises visited."
    )
    focus = serializers.ListField(
        child=serializers.ChoiceField(choices=Focus.choices), max_length=10, required=False
    )
    outcome_summary_zh = serializers.CharField(max_length=8000, required=False, allow_blank=True)
    outcome_summary_en = serializers.CharField(max_length=8000, required=False, allow_blank=True)
    friendship_city = IdField(required=False, allow_null=True, help_text="A friendship city's id.")
    public = serializers.BooleanField(
        required=False,
        help_text="Shown on the public calendar once confirmed (title, summary, dates, place).",
    )
    owner = IdField(
        required=False, allow_null=True, help_text="The user id of the officer in charge (default: you)."
    )

    def validate_country(self, value):
        return valid_country(value)


class AgendaItemWriteSerializer(serializers.Serializer):
    day = serializers.DateField(help_text="Within the activity's dates.")
    starts_at = ClockTimeField(help_text="HH:MM")
    ends_at = ClockTimeField(required=False, allow_null=True, help_text="HH:MM, after `starts_at`.")
    title_zh = serializers.CharField(max_length=200, required=False, allow_blank=True)
    title_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    people = serializers.CharField(max_length=300, required=False, allow_blank=True)


class AgendaWriteSerializer(serializers.Serializer):
    agenda = AgendaItemWriteSerializer(
        many=True, max_length=200, help_text="The whole agenda: what is not in it is removed."
    )


class ReceptionChecklistAddSerializer(serializers.Serializer):
    label = serializers.CharField(max_length=200, help_text="What is to be done.")


class ReceptionChecklistUpdateSerializer(serializers.Serializer):
    """Only what is given changes."""

    assignee = IdField(
        required=False, allow_null=True, help_text="The user id of a member of the office; null: nobody."
    )
    due_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    done = serializers.BooleanField(required=False, help_text="true ticks the item, false unticks it.")


class ActivityAgreementWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AgreementKind.choices, required=False)
    title = serializers.CharField(max_length=300)
    parties = serializers.CharField(max_length=500, required=False, allow_blank=True)
    signed_on = serializers.DateField(help_text="Not in the future.")
    document = IdField(
        required=False,
        allow_null=True,
        help_text="The id of one of the activity's documents (`POST /{id}/documents/`).",
    )


class FollowUpWriteSerializer(serializers.Serializer):
    task = serializers.CharField(max_length=300)
    owner = IdField(help_text="The user id of a member of the office, who is told.")
    due_on = serializers.DateField()


class CoverageWriteSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=500, help_text="The web address, from http:// or https://.")
    outlet = serializers.CharField(max_length=200, required=False, allow_blank=True)
    title = serializers.CharField(max_length=300, required=False, allow_blank=True, help_text="The headline.")
    published_on = serializers.DateField(required=False, allow_null=True)


class ApplicationLinkSerializer(serializers.Serializer):
    application = IdField(help_text="The travel application's id (travel-applications API).")
    linked = serializers.BooleanField(required=False, default=True, help_text="false unlinks it.")
