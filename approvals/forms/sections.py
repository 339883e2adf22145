"""The sections of the application form: its own fields, and the itinerary and delegation as formsets
whose rows are added and removed in place."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import DELETION_FIELD_NAME, BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from foreign_affairs import typography
from foreign_affairs.accounts.models import Gender, PassportType, Person
from foreign_affairs.accounts.services import suggested_pinyin_name
from foreign_affairs.accounts.validators import normalize_passport_number, validate_passport_number
from foreign_affairs.forms import PortalForm, PortalModelForm
from foreign_affairs.security.countries import (
    country_name,
    destination_choices,
    is_destination,
    validate_destination,
)
from foreign_affairs.security.selectors import advised_destinations

from ..models import TravelApplication
from ..services import APPLICATION_FIELDS


def country_choices(*, advisories: bool = False) -> list[tuple[str, str]]:
    """Every destination of a trip abroad (not China, nor Hong Kong, Macao or Taiwan), named in the reader's
    language with the English name beside it (德国 Germany) and in the reader's order (pinyin, or English
    names); with `advisories`, a raised advisory level beside it (foreign_affairs.security.countries)."""
    return advised_destinations() if advisories else destination_choices()


def _with_empty(label, choices):
    return [("", label), *choices]


class ApplicationForm(PortalModelForm):
    """The application's own fields (services.APPLICATION_FIELDS)."""

    class Meta:
        model = TravelApplication
        fields = APPLICATION_FIELDS
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "justification": forms.Textarea(attrs={"rows": 3}),
            "contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "budget_amount": forms.NumberInput(attrs={"min": "0", "step": "0.01", "inputmode": "decimal"}),
        }
        help_texts = {
            "budget_amount": _("The estimated cost of the whole delegation, in the currency chosen below."),
            "contact_phone": _("Who the office calls with questions, e.g. 0371-65550101."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mission_type"].choices = _with_empty(
            _("Choose the kind of mission"), TravelApplication._meta.get_field("mission_type").choices
        )


class DestinationField(forms.ChoiceField):
    """A country a trip abroad can go to. China and its regions (Hong Kong, Macao, Taiwan) are refused with
    the reason, which says where travel to the regions is applied for, rather than as an unknown choice."""

    def validate(self, value):
        if value:
            validate_destination(value)
        super().validate(value)


class LegForm(PortalForm):
    """One stop of the itinerary. `countries` are the destination choices, computed once for all the rows
    (country_choices); the form computes them itself when not given."""

    country = DestinationField(label=_("Country"))
    city = forms.CharField(label=_("City"), max_length=100)
    arrive_on = forms.DateField(label=_("Arrive on"), widget=forms.DateInput)
    leave_on = forms.DateField(label=_("Leave on"), widget=forms.DateInput)
    host_organization = forms.CharField(label=_("Host (inviting) organisation"), max_length=200)

    def __init__(self, *args, countries=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = list(countries if countries is not None else country_choices(advisories=True))
        # A stop saved before such places were refused keeps its country on the page, so that the rule
        # check and the error on saving say why it cannot stay, rather than the choice vanishing.
        current = str(self.initial.get("country") or "")
        if current and not is_destination(current):
            choices.append((current, country_name(current)))
        self.fields["country"].choices = _with_empty(_("Choose a country"), choices)

    def clean(self):
        data = super().clean()
        arrive_on, leave_on = data.get("arrive_on"), data.get("leave_on")
        if arrive_on and leave_on and leave_on < arrive_on:
            self.add_error("leave_on", _("The date of leaving must be on or after the date of arrival."))
        return data


def person_label(person: Person) -> str:
    details = [part for part in (person.position, person.masked_passport_number) if part]
    return typography.annotate(person.full_name, " · ".join(details))


class MemberForm(PortalForm):
    """One member of the delegation: a traveller of the organisation, or a new one given by passport."""

    NEW_PERSON_FIELDS = (
        "full_name",
        "pinyin_name",
        "passport_type",
        "passport_number",
        "passport_expiry",
        "birth_date",
        "gender",
    )

    person = forms.TypedChoiceField(
        label=_("Traveller"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Choose one of your organisation's travellers, or leave this empty and add a new one."),
    )
    full_name = forms.CharField(
        label=_("Name (Chinese)"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"data-pinyin-source": ""}),
    )
    pinyin_name = forms.CharField(
        label=_("Name (pinyin)"),
        max_length=100,
        required=False,
        help_text=_(
            "As in the passport, family name first: ZHANG SAN. Filled in from the Chinese name when "
            "left empty; correct it if the passport differs."
        ),
        widget=forms.TextInput(
            attrs={"data-pinyin-target": "", "autocomplete": "off", "autocapitalize": "characters"}
        ),
    )
    passport_type = forms.ChoiceField(label=_("Passport type"), required=False)
    passport_number = forms.CharField(
        label=_("Passport number"), max_length=20, required=False, help_text=_("e.g. E12345678")
    )
    passport_expiry = forms.DateField(label=_("Passport valid until"), required=False, widget=forms.DateInput)
    birth_date = forms.DateField(label=_("Date of birth (optional)"), required=False, widget=forms.DateInput)
    gender = forms.ChoiceField(label=_("Gender (optional)"), required=False)
    position_on_trip = forms.CharField(
        label=_("Position on the trip"),
        max_length=100,
        required=False,
        help_text=_("e.g. delegation leader, interpreter, engineer"),
    )
    is_leader = forms.BooleanField(label=_("Delegation leader"), required=False)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {person.pk: person for person in people}
        self.fields["person"].choices = _with_empty(
            _("— A new traveller (fill in below) —"), [(person.pk, person_label(person)) for person in people]
        )
        self.fields["gender"].choices = _with_empty("—", Gender.choices)
        # No default: which passport a new traveller holds decides who keeps it (passport custody).
        self.fields["passport_type"].choices = _with_empty(
            _("Choose the passport type"), PassportType.choices
        )

    def clean_passport_number(self):
        number = normalize_passport_number(self.cleaned_data["passport_number"])
        if number:
            validate_passport_number(number)
        return number

    def clean(self):
        data = super().clean()
        if data.get("person"):
            data["person_object"] = self.people[data["person"]]
            return data
        required = {
            "full_name": _("Give the new traveller's name, or choose one of your travellers above."),
            "passport_type": _("Choose the new traveller's passport type."),
            "passport_number": _("Give the new traveller's passport number."),
            "passport_expiry": _("Give the date the passport expires."),
        }
        for name, message in required.items():
            if not data.get(name) and name not in self.errors:
                self.add_error(name, ValidationError(message, code="required"))
        if data.get("full_name") and not data.get("pinyin_name") and "pinyin_name" not in self.errors:
            self._suggest_pinyin_name(data)
        birth, expiry = data.get("birth_date"), data.get("passport_expiry")
        person = Person(
            **{
                name: data.get(name) or ("" if name != "birth_date" else None)
                for name in ("full_name", "pinyin_name", "passport_number", "gender", "birth_date")
            },
            passport_expiry=expiry,
        )
        try:
            person.clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if name in self.fields and name not in self.errors:
                    self.add_error(name, messages)
        if "pinyin_name" not in self.errors:
            data["pinyin_name"] = person.pinyin_name  # in capitals, spaced as in passports
        if birth and expiry and expiry <= birth and "passport_expiry" not in self.errors:
            self.add_error("passport_expiry", _("The passport expiry date must be after the date of birth."))
        return data

    def _suggest_pinyin_name(self, data) -> None:
        """Fill the pinyin name left empty with the one suggested from the Chinese name (without JavaScript,
        where the page does not suggest it while typing); a page shown again shows it, to be corrected."""
        data["pinyin_name"] = suggested_pinyin_name(data["full_name"])
        if hasattr(self.data, "_mutable"):
            self.data = self.data.copy()
        else:
            self.data = dict(self.data)
        self.data[self.add_prefix("pinyin_name")] = data["pinyin_name"]
        # application-form.js replaces a suggestion when the Chinese name changes, never a typed name.
        self.fields["pinyin_name"].widget.attrs["data-suggested"] = data["pinyin_name"]


class RowFormSet(BaseFormSet):
    """A formset whose rows are removed with a checkbox (or the Remove button that ticks it)."""

    delete_label = _("Remove")

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if DELETION_FIELD_NAME in form.fields:
            field = form.fields[DELETION_FIELD_NAME]
            field.label = self.delete_label
            field.widget.attrs["class"] = "form-check-input"

    def live_forms(self) -> list:
        """The rows that count: not removed, and either saved before or filled in."""
        rows = []
        for index, form in enumerate(self.forms):
            form.errors  # noqa: B018 - runs the form's validation, so cleaned_data holds what is valid
            if form.cleaned_data.get(DELETION_FIELD_NAME):
                continue
            if index < self.initial_form_count() or form.has_changed():
                rows.append(form)
        return rows

    def rows(self) -> list[dict]:
        """Every row with its number on the page; removed rows stay (hidden) so that nothing is lost."""
        rows, number = [], 0
        for form in self.forms:
            removed = bool(self.is_bound and form[DELETION_FIELD_NAME].value())
            number += not removed
            rows.append({"form": form, "number": None if removed else number, "removed": removed})
        return rows


class LegFormSet(RowFormSet):
    delete_label = _("Remove this stop")


class MemberFormSet(RowFormSet):
    delete_label = _("Remove this member")

    def clean(self):
        if any(self.errors):
            return
        seen, leaders = set(), 0
        for form in self.live_forms():
            data = form.cleaned_data
            key = (
                ("person", data["person"])
                if data.get("person")
                else ("passport", data.get("passport_number"))
            )
            if key in seen:
                raise ValidationError(_("A traveller is listed twice in the delegation."), code="duplicate")
            seen.add(key)
            leaders += bool(data.get("is_leader"))
        if leaders > 1:
            raise ValidationError(_("Mark only one member as the delegation leader."), code="leaders")


LegFormSetClass = formset_factory(LegForm, formset=LegFormSet, extra=0, can_delete=True)
MemberFormSetClass = formset_factory(MemberForm, formset=MemberFormSet, extra=0, can_delete=True)

SECTIONS = [
    ("trip", _("Trip")),
    ("itinerary", _("Itinerary")),
    ("delegation", _("Delegation")),
    ("budget", _("Budget")),
    ("documents", _("Documents")),
]
TRIP_FIELDS = ("title", "purpose", "mission_type", "belt_and_road", "justification")
BUDGET_FIELDS = ("budget_amount", "budget_currency", "funding_source", "contact_name", "contact_phone")
# The section of the form each rule's finding is about, for rule failures that carry only a code.
RULE_SECTIONS = {
    "itinerary": "#itinerary",
    "countries_per_trip": "#itinerary",
    "lead_time": "#itinerary",
    "destinations": "#itinerary",
    "destination_advisory": "#itinerary",
    "days_abroad": "#id_justification",
    "delegation": "#delegation",
    "delegation_size": "#delegation",
    "leadership_pair": "#delegation",
    "passport_validity": "#delegation",
    "overlapping_trips": "#delegation",
    "trips_per_year": "#delegation",
    "predeparture_training": "#delegation",
    "invitation_letter": "#documents",
}
