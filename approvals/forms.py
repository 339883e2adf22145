"""Forms of the enterprise pages of travel applications.

The application form is one page: the application's own fields, the itinerary and the delegation as
two formsets (rows added and removed in place), bundled by ApplicationEditor, which also turns what
was typed — valid or not — into the arguments of the services and into a rules.TripDraft for the live
rule check.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import DELETION_FIELD_NAME, BaseFormSet, formset_factory
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries import countries

from foreign_affairs.accounts.models import Gender, Person
from foreign_affairs.accounts.validators import normalize_passport_number, validate_passport_number
from foreign_affairs.forms import PortalForm, PortalModelForm

from . import rules
from .models import AttachmentKind, TravelApplication
from .services import APPLICATION_FIELDS
from .workflow import State

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


class ApplicationEditor:
    """The whole application form: the application's fields, its itinerary and its delegation.

    Unbound, it shows the saved application (or one empty row of each kind for a new one); bound, it
    validates what was typed. `service_arguments()` gives what services.application_create/update take;
    `draft()` gives an unsaved rules.TripDraft built from whatever was valid so far.
    """

    def __init__(
        self, *, organization, application: TravelApplication | None = None, data=None, add: str = ""
    ):
        self.organization = organization
        self.application = application
        self.people = list(Person.objects.filter(organization=organization).order_by("full_name", "pk"))
        self.problems: list[dict] = []  # errors of the services and rules, for the summary
        instance = TravelApplication.objects.get(pk=application.pk) if application else None
        self.form = ApplicationForm(data, instance=instance)
        legs = members = ()
        if application is not None:
            legs = [
                {
                    "country": str(leg.country),
                    "city": leg.city,
                    "arrive_on": leg.arrive_on,
                    "leave_on": leg.leave_on,
                    "host_organization": leg.host_organization,
                }
                for leg in application.legs.all()
            ]
            members = [
                {
                    "person": member.person_id,
                    "position_on_trip": member.position_on_trip,
                    "is_leader": member.is_leader,
                }
                for member in application.members.all()
            ]
        self.legs = LegFormSetClass(data, prefix="legs", initial=list(legs) or None)
        self.members = MemberFormSetClass(
            data, prefix="members", initial=list(members) or None, form_kwargs={"people": self.people}
        )
        # One empty row to start with, or when asked for one more (the Add buttons without JavaScript).
        self.legs.extra = int(not legs or add == "legs")
        self.members.extra = int(not members or add == "members")

    @property
    def is_bound(self) -> bool:
        return self.form.is_bound

    def is_valid(self) -> bool:
        results = [self.form.is_valid(), self.legs.is_valid(), self.members.is_valid()]
        return all(results) and not self.problems

    # What the services take --------------------------------------------------------------------------

    def service_arguments(self) -> tuple[dict, list[dict], list[dict]]:
        data = {name: self.form.cleaned_data[name] for name in APPLICATION_FIELDS}
        legs = [
            {
                name: form.cleaned_data[name]
                for name in ("country", "city", "arrive_on", "leave_on", "host_organization")
            }
            for form in sorted(self.legs.live_forms(), key=lambda form: form.cleaned_data["arrive_on"])
        ]
        members = []
        for form in self.members.live_forms():
            cleaned = form.cleaned_data
            member = {
                "position_on_trip": cleaned.get("position_on_trip", ""),
                "is_leader": bool(cleaned.get("is_leader")),
            }
            if cleaned.get("person_object") is not None:
                member["person"] = cleaned["person_object"]
            else:
                member.update(
                    {name: cleaned[name] for name in MemberForm.NEW_PERSON_FIELDS if cleaned.get(name)}
                )
            members.append(member)
        return data, legs, members

    # The live rule check -----------------------------------------------------------------------------

    def draft(self, *, attachment_kinds=()) -> rules.TripDraft:
        """An unsaved TripDraft from what was typed; rows with errors count with what is valid in them."""
        if not self.is_bound:
            if self.application is not None:
                return rules.TripDraft.from_application(self.application, reference_date=None)
            return rules.TripDraft(organization_id=self.organization.pk)
        self.form.is_valid()
        cleaned = getattr(self.form, "cleaned_data", {})
        legs = []
        for form in self.legs.live_forms():
            data = form.cleaned_data
            if data.get("country") and data.get("arrive_on") and data.get("leave_on"):
                legs.append(
                    rules.Leg(
                        data["country"],
                        data.get("city") or countries.name(data["country"]),
                        data["arrive_on"],
                        data["leave_on"],
                    )
                )
        members = []
        for form in self.members.live_forms():
            data = form.cleaned_data
            person = data.get("person_object")
            if person is None and data.get("person") in form.people:
                person = form.people[data["person"]]
            if person is None and data.get("full_name"):
                person = Person(
                    organization=self.organization,
                    full_name=data["full_name"],
                    passport_number=data.get("passport_number") or "",
                    passport_expiry=data.get("passport_expiry"),
                )
            if person is not None:
                members.append(
                    rules.Member(person, data.get("position_on_trip", ""), bool(data.get("is_leader")))
                )
        return rules.TripDraft(
            organization_id=self.organization.pk,
            application_id=self.application.pk if self.application else None,
            belt_and_road=bool(cleaned.get("belt_and_road")),
            justification=cleaned.get("justification", "") or "",
            legs=legs,
            members=members,
            attachment_kinds=set(attachment_kinds),
        )

    def incomplete_rows(self) -> dict[str, int]:
        """Rows typed in but not valid yet (the rule check leaves out what it cannot read)."""
        if not self.is_bound:
            return {"legs": 0, "members": 0}
        return {
            "legs": sum(bool(form.errors) for form in self.legs.live_forms()),
            "members": sum(bool(form.errors) for form in self.members.live_forms()),
        }

    # Errors and progress -----------------------------------------------------------------------------

    def add_service_error(self, error: ValidationError) -> None:
        """A service's ValidationError: on the field it names, or in the summary with a link."""
        if not hasattr(error, "error_dict"):
            self.problems += [{"href": "", "text": message} for message in error.messages]
            return
        for name, errors in error.message_dict.items():
            if name in self.form.fields:
                self.form.add_error(name, errors)
            else:
                href = {"legs": "#itinerary", "members": "#delegation"}.get(name, "")
                if name in LegForm.base_fields:
                    href = "#itinerary"
                elif name in MemberForm.base_fields:
                    href = "#delegation"
                self.problems += [{"href": href, "text": message} for message in errors]

    def add_problem(self, text, href: str = "") -> None:
        self.problems.append({"href": href, "text": str(text)})

    def add_rule_failures(self, findings: list[dict]) -> None:
        for finding in findings:
            self.add_problem(finding["message"], RULE_SECTIONS.get(finding.get("code", ""), ""))

    def error_items(self) -> list[dict]:
        """Every error on the page, each linking to its field or section (the error summary)."""
        items = [{"href": "", "text": str(error)} for error in self.form.non_field_errors()]
        for field in self.form:
            items += [
                {"href": f"#{field.auto_id}", "text": f"{field.label}: {error}"} for error in field.errors
            ]
        for formset, section, row_label in (
            (self.legs, "#itinerary", pgettext_lazy("itinerary stop", "Stop")),
            (self.members, "#delegation", pgettext_lazy("delegation member", "Member")),
        ):
            if not formset.is_bound:
                continue
            items += [{"href": section, "text": str(error)} for error in formset.non_form_errors()]
            for row in formset.rows():
                if row["removed"]:
                    continue
                form, prefix = row["form"], f"{row_label} {row['number']}"
                items += [
                    {"href": section, "text": f"{prefix}: {error}"} for error in form.non_field_errors()
                ]
                for field in form:
                    if field.name == DELETION_FIELD_NAME:
                        continue
                    items += [
                        {"href": f"#{field.auto_id}", "text": f"{prefix} · {field.label}: {error}"}
                        for error in field.errors
                    ]
        return items + self.problems

    def progress(self, findings, attachment_kinds=(), *, live: bool = False) -> list[dict]:
        """Each section's state for the progress indicator: "done", "todo" or "problem".

        While typing (`live`), a field that is merely still empty is "to do", not a problem.
        """
        problem_fields = {finding.field for finding in findings if finding.severity == "error"}

        def has_errors(form) -> bool:
            if not form.is_bound:
                return False
            if not live:
                return bool(form.errors)
            return any(
                error.code != "required" for errors in form.errors.as_data().values() for error in errors
            )

        def form_errors(names) -> bool:
            if not self.is_bound:
                return False
            errors = self.form.errors.as_data()
            return any(
                not live or error.code != "required" for name in names for error in errors.get(name, ())
            )

        def value(name):
            if self.is_bound:
                return getattr(self.form, "cleaned_data", {}).get(name) or self.form.data.get(name)
            return self.form.initial.get(name)

        def rows(formset):
            return formset.live_forms() if formset.is_bound else list(formset.initial or [])

        def rows_state(formset, field) -> str:
            if not rows(formset):
                return "todo"
            if formset.is_bound and (formset.non_form_errors() or any(has_errors(f) for f in rows(formset))):
                return "problem"
            if formset.is_bound and any(form.errors for form in rows(formset)):
                return "todo"  # only still-empty required fields, while typing
            return "problem" if field in problem_fields else "done"

        trip_filled = all(value(name) for name in ("title", "purpose", "mission_type"))
        states = {
            "trip": "problem"
            if form_errors(TRIP_FIELDS) or "justification" in problem_fields
            else "done"
            if trip_filled
            else "todo",
            "itinerary": rows_state(self.legs, "legs"),
            "delegation": rows_state(self.members, "members"),
            "budget": "problem"
            if form_errors(BUDGET_FIELDS)
            else "done"
            if value("budget_amount") not in (None, "")
            else "todo",
            "documents": "done" if "invitation" in set(attachment_kinds) else "todo",
        }
        labels = {"done": _("complete"), "todo": _("to do"), "problem": _("needs attention")}
        return [
            {
                "number": number,
                "key": key,
                "label": label,
                "state": states[key],
                "state_label": labels[states[key]],
            }
            for number, (key, label) in enumerate(SECTIONS, start=1)
        ]


class ApplicationFilterForm(PortalForm):
    """The filters of the list; their values stay in the URL."""

    SORTS = [
        ("", _("Newest first")),
        ("departure", _("Departure, soonest first")),
        ("-departure", _("Departure, latest first")),
        ("reference", _("Reference")),
        ("due", _("Due date")),
    ]
    q = forms.CharField(
        label=_("Search"),
        required=False,
        help_text=_("Reference, title, a member's name or a whole passport number."),
    )
    state = forms.ChoiceField(label=_("State"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    departure_after = forms.DateField(label=_("Departure from"), required=False, widget=forms.DateInput)
    departure_before = forms.DateField(label=_("Departure until"), required=False, widget=forms.DateInput)
    sort = forms.ChoiceField(label=_("Order"), required=False, choices=SORTS)

    def __init__(self, *args, state_counts=None, **kwargs):
        super().__init__(*args, **kwargs)
        state_counts = state_counts or {}
        self.fields["state"].choices = _with_empty(
            _("All states"),
            [
                (value, f"{label} ({state_counts[value]})" if state_counts.get(value) else label)
                for value, label in State.choices
            ],
        )
        self.fields["country"].choices = _with_empty(_("All countries"), country_choices())


class AttachmentForm(PortalForm):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=AttachmentKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["aria-describedby"] = f"{self._id_for('file')}_hint"


class TransitionForm(PortalForm):
    """The comment (or reason) of a transition; required where the workflow or a destructive step asks."""

    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args, required: bool = False, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["comment"]
        field.required = required
        if label:
            field.label = label
        if required:
            field.error_messages["required"] = _("Say why, so that everyone involved knows.")


class ReportForm(PortalForm):
    """The post-trip report (transition submit_report)."""

    summary = forms.CharField(
        label=_("Summary of the trip"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the delegation did, whom it met, where."),
    )
    outcomes = forms.CharField(
        label=_("Outcomes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Agreements signed, contracts, follow-up planned."),
    )
    actual_return_date = forms.DateField(label=_("Actual return date"), widget=forms.DateInput)

    def __init__(self, *args, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        if application is not None and not self.is_bound:
            self.initial.setdefault("actual_return_date", application.return_date)
