"""`/api/v1/exchanges/contacts/` (CONTRACT.md, area 4): overseas-Chinese contacts (侨领), the office's only.

Personal data, handled as services.contacts says:

- The list (office staff; others signed in 403, anonymous 401) shows the reference, the names, the country,
  the association, the role and the consent: no phone, e-mail or WeChat, and it logs nothing.
- Every answer that shows one contact's details — `GET /{id}/`, and the contact as registered or changed
  (`POST`, `PATCH`) — is a look logged through services.contacts.contact_view (door `api`). A contact
  answers 404 to anyone but office staff.
- Officers register and change contacts, `POST /{id}/export/` everything held about the person (on their
  request; logged and audited) and `POST /{id}/erase/` the record with the request as reason.
"""

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from .. import selectors
from ..models import AccessDoor, Activity, ConsentBasis, OverseasContact
from ..services import contacts as services
from .common import (
    CountryMixin,
    IdListField,
    IsOfficeStaffForList,
    LargeBodyMixin,
    person_name,
    require_officer,
    valid_country,
)
from .filters import ContactFilter


class OverseasContactListSerializer(CountryMixin, serializers.ModelSerializer):
    """A contact in the list: who and where, never how to reach them."""

    name = serializers.CharField(read_only=True, help_text="Both names, Chinese first.")
    consent_recorded = serializers.BooleanField(
        read_only=True,
        help_text="Consent recorded in full (agreed, its date, how): false for contacts registered before it "
        "was asked, until an officer records it.",
    )

    class Meta:
        model = OverseasContact
        fields = [
            "id",
            "reference",
            "name",
            "name_zh",
            "name_latin",
            "country",
            "country_name",
            "association",
            "role",
            "consent",
            "consent_recorded",
        ]
        read_only_fields = fields


class OverseasContactActivitySerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True, help_text="In the reader's language.")

    class Meta:
        model = Activity
        fields = ["id", "reference", "title", "starts_on", "ends_on"]
        read_only_fields = fields


class OverseasContactSerializer(OverseasContactListSerializer):
    """A contact's details (each answer with them is a logged look)."""

    # Plain strings, as entered.
    email = serializers.CharField(read_only=True)
    activities = OverseasContactActivitySerializer(
        many=True, read_only=True, help_text="The exchanges taken part in."
    )
    created_by_name = serializers.SerializerMethodField()

    class Meta(OverseasContactListSerializer.Meta):
        fields = [
            *OverseasContactListSerializer.Meta.fields,
            "city",
            "phone",
            "email",
            "wechat",
            "consent_on",
            "consent_basis",
            "consent_note",
            "notes",
            "activities",
            "created_by_name",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_created_by_name(self, contact) -> str | None:
        """Who registered the contact."""
        return person_name(contact.created_by)


class OverseasContactWriteSerializer(serializers.Serializer):
    """A contact as registered or changed (services.contacts.FIELDS). Give a name in Chinese characters or
    in Latin letters. Registering needs the person's consent: `consent` true, `consent_on` and
    `consent_basis` (with `consent_note` for consent given orally); so does a change of the person's details,
    which the service checks against what changed."""

    name_zh = serializers.CharField(max_length=100, required=False, allow_blank=True)
    name_latin = serializers.CharField(max_length=100, required=False, allow_blank=True)
    country = serializers.CharField(max_length=2, help_text="ISO 3166-1 code of the country of residence.")
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    association = serializers.CharField(max_length=200)
    role = serializers.CharField(max_length=200, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    wechat = serializers.CharField(max_length=60, required=False, allow_blank=True)
    consent = serializers.BooleanField(
        required=False, help_text="Agreed to be registered and contacted; required to register."
    )
    consent_on = serializers.DateField(
        required=False, allow_null=True, help_text="The day they agreed; required to register."
    )
    consent_basis = serializers.ChoiceField(
        choices=ConsentBasis.choices,
        required=False,
        allow_blank=True,
        help_text="How the person gave their consent; required to register.",
    )
    consent_note = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        help_text="Where the evidence is kept, or who heard the consent and when (required for oral consent).",
    )
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    activities = IdListField(
        max_length=200, required=False, help_text="The ids of the exchanges taken part in."
    )

    def validate_country(self, value):
        return valid_country(value)

    def validate(self, attrs):
        """Registering asks for the consent here, beside its fields; a change is checked by the service
        against what it changes."""
        if not self.partial:
            errors = services.consent_errors(
                consent=attrs.get("consent"),
                consent_on=attrs.get("consent_on"),
                consent_basis=attrs.get("consent_basis"),
                consent_note=attrs.get("consent_note"),
            )
            if errors:
                raise serializers.ValidationError(errors)
        return attrs


class OverseasContactEraseSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000, help_text="The person's request: its date and how it was made."
    )


ERASED = inline_serializer(
    "OverseasContactErased",
    {"reference": serializers.CharField(), "erased": serializers.BooleanField(help_text="Always true.")},
)
EXPORT = inline_serializer(
    "OverseasContactExport",
    {
        "reference": serializers.CharField(),
        "name_zh": serializers.CharField(),
        "name_latin": serializers.CharField(),
        "country": serializers.CharField(help_text="ISO 3166-1 code."),
        "city": serializers.CharField(),
        "association": serializers.CharField(),
        "role": serializers.CharField(),
        "phone": serializers.CharField(),
        "email": serializers.CharField(),
        "wechat": serializers.CharField(),
        "consent": serializers.BooleanField(),
        "consent_on": serializers.DateField(allow_null=True),
        "consent_basis": serializers.ChoiceField(choices=ConsentBasis.choices, allow_blank=True),
        "consent_note": serializers.CharField(),
        "notes": serializers.CharField(),
        "registered_at": serializers.DateTimeField(),
        "updated_at": serializers.DateTimeField(),
        "exchanges": inline_serializer(
            "OverseasContactExportExchange",
            {
                "reference": serializers.CharField(),
                "title_zh": serializers.CharField(),
                "title_en": serializers.CharField(),
                "starts_on": serializers.DateField(),
                "ends_on": serializers.DateField(),
            },
            many=True,
        ),
        "accesses": inline_serializer(
            "OverseasContactExportAccess",
            {
                "at": serializers.DateTimeField(),
                "viewer": serializers.CharField(help_text="The user name of who looked."),
                "door": serializers.ChoiceField(choices=AccessDoor.choices),
            },
            many=True,
        ),
    },
)


class ContactViewSet(
    LargeBodyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Overseas-Chinese contacts: office staff read them (each look at one logged), officers write, export
    and erase them."""

    permission_classes = [IsOfficeStaffForList]
    filterset_class = ContactFilter
    filter_backends = [DjangoFilterBackend]
    parser_classes = [JSONParser]
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = OverseasContact.objects.none()
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        queryset = selectors.contacts_for(self.request.user)
        if self.action == "list":
            return queryset
        return queryset.select_related("created_by").prefetch_related("activities")

    def get_serializer_class(self):
        if self.action == "list":
            return OverseasContactListSerializer
        if self.action in ("create", "partial_update"):
            return OverseasContactWriteSerializer
        return OverseasContactSerializer

    def detail_response(self, contact, status_code=status.HTTP_200_OK):
        """The contact's details, as one logged look."""
        contact = services.contact_view(
            contact=self.get_queryset().get(pk=contact.pk), actor=self.request.user, door=AccessDoor.API
        )
        return Response(
            OverseasContactSerializer(contact, context=self.get_serializer_context()).data, status=status_code
        )

    @extend_schema(summary="Overseas-Chinese contacts (office staff): names, country, association, consent")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        responses={200: OverseasContactSerializer},
        summary="A contact's details (office staff; the look is logged)",
    )
    def retrieve(self, request, *args, **kwargs):
        return self.detail_response(self.get_object())

    @extend_schema(
        request=OverseasContactWriteSerializer,
        responses={201: OverseasContactSerializer},
        summary="Register an overseas-Chinese contact (officers)",
    )
    def create(self, request, *args, **kwargs):
        require_officer(request, _("Only approval officers register overseas-Chinese contacts."))
        serializer = OverseasContactWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contact = services.contact_create(actor=request.user, data=dict(serializer.validated_data))
        return self.detail_response(contact, status.HTTP_201_CREATED)

    @extend_schema(
        request=OverseasContactWriteSerializer,
        responses={200: OverseasContactSerializer},
        summary="Change a contact (officers)",
    )
    def partial_update(self, request, *args, **kwargs):
        contact = self.get_object()
        require_officer(request, _("Only approval officers change overseas-Chinese contacts."))
        serializer = OverseasContactWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        contact = services.contact_update(
            contact=contact, actor=request.user, data=dict(serializer.validated_data)
        )
        return self.detail_response(contact)

    @extend_schema(
        request=None,
        responses={200: EXPORT},
        summary="Export everything held about the person, on their request (officers; logged)",
    )
    @action(detail=True, methods=["post"])
    def export(self, request, pk=None, format=None):
        contact = self.get_object()
        return Response(services.contact_export(contact=contact, actor=request.user))

    @extend_schema(
        request=OverseasContactEraseSerializer,
        responses={200: ERASED},
        summary="Erase the person's record, on their request (officers)",
    )
    @action(detail=True, methods=["post"])
    def erase(self, request, pk=None, format=None):
        contact = self.get_object()
        require_officer(request, _("Only approval officers erase a contact."))
        serializer = OverseasContactEraseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reference = services.contact_erase(
            contact=contact, actor=request.user, reason=serializer.validated_data["reason"]
        )
        return Response({"reference": reference, "erased": True})
