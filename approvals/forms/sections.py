"""The sections of the application form: its own fields, and the itinerary and delegation as formsets
whose rows are added and removed in place."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import DELETION_FIELD_NAME, BaseFormSet, formset_factory
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from foreign_affairs.accounts.models import Gender, Person
from foreign_affairs.accounts.validators import normalize_passport_number, validate_passport_number
from foreign_affairs.forms import PortalForm, PortalModelForm

from ..models import TravelApplication
from ..services import APPLICATION_FIELDS

_COUNTRY_CHOICES: dict[str, list] = {}


def country_choices() -> list[tuple[str, str]]:
    """Every country, named in the reader's language with the English name beside it (德国 Germany)."""
    language = translation.get_language() or "zh-hans"
    if language not in _COUNTRY_CHOICES:
        with translation.override("en"):
            english = {code: str(name) for code, name in countries}
        _COUNTRY_CHOICES[language] = [
            (code, name if language == "en" or name == english[code] else f"{name} {english[code]}")
            for code, name in countries
        ]
    return _COUNTRY_CHOICES[language]


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


class LegForm(PortalForm):
    """One stop of the itinerary."""

    country = forms.ChoiceField(label=_("Country"))
    city = forms.CharField(label=_("City"), max_length=100)
    arrive_on = forms.DateField(label=_("Arrive on"), widget=forms.DateInput)
    leave_on = forms.DateField(label=_("Leave on"), widget=forms.DateInput)
    host_organization = forms.CharField(label=_("Host (inviting) organisation"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _with_empty(_("Choose a country"), country_choices())

    def clean(self):
        data = super().clean()
        arrive_on, leave_on = data.get("arrive_on"), data.get("leave_on")
        if arrive_on and leave_on and leave_on < arrive_on:
            self.add_error("leave_on", _("The date of leaving must be on or after the date of arrival."))
        return data


def person_label(person: Person) -> str:
    details = [part for part in (person.position, person.masked_passport_number) if part]
    return f"{person.full_name} ({' · '.join(details)})" if details else person.full_name


class MemberForm(PortalForm):
    """One member of the delegation: a traveller of the organisation, or a new one given by passport."""

    NEW_PERSON_FIELDS = ("full_name", "passport_number", "passport_expiry", "birth_date", "gender")

    person = forms.TypedChoiceField(
        label=_("Traveller"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Choose one of your organisation's travellers, or leave this empty and add a new one."),
    )
    full_name = forms.CharField(label=_("Name (Chinese)"), max_length=100, required=False)
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
            "passport_number": _("Give the new traveller's passport number."),
            "passport_expiry": _("Give the date the passport expires."),
        }
        for name, message in required.items():
            if not data.get(name) and name not in self.errors:
                self.add_error(name, ValidationError(message, code="required"))
        birth, expiry = data.get("birth_date"), data.get("passport_expiry")
        person = Person(
            **{
                name: data.get(name) or ("" if name != "birth_date" else None)
                for name in ("full_name", "passport_number", "gender", "birth_date")
            },
            passport_expiry=expiry,
        )
        try:
            person.clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if name in self.fields and name not in self.errors:
                    self.add_error(name, messages)
        if birth and expiry and expiry <= birth and "passport_expiry" not in self.errors:
            self.add_error("passport_expiry", _("The passport expiry date must be after the date of birth."))
        return data


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
