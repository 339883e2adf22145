"""Forms of incidents: the report (the enterprise's, phone-friendly; the office's from a call), an entry of
the timeline, a person's status, a merge, an emergency plan to attach. They validate what was typed; the
services (overseas_safety.services.incidents and .plans) decide the rest."""

from django import forms
from django.apps import apps
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from foreign_affairs import typography
from foreign_affairs.accounts.models import Organization, Person
from foreign_affairs.documents.validators import ACCEPT_ATTRIBUTE, validate_upload
from foreign_affairs.forms import PortalForm
from foreign_affairs.security.countries import destination_choices

from ..models import Site
from ..workflow import ACTIVE_STATES, IncidentKind, Level, PersonStatus

# What each level means, in plain words, beside its choice on the report form.
LEVEL_HINTS = {
    Level.I: _(
        "Someone died, or many people (ten or more) are in grave danger: a kidnapping, an attack, an "
        "evacuation."
    ),
    Level.II: _("Serious injuries, several people in danger, or a group detained or missing."),
    Level.III: _("One or a few people injured, detained or missing; the site's work is stopped."),
    Level.IV: _("One person, no lasting harm: a theft, a minor accident, an illness being treated."),
}
MAX_FILES = 10
# The trips a report may concern: those approved and not over long ago (the newest first).
TRIP_STATES = ("approved", "permit_issued", "report_submitted", "closed")
TRIPS_SHOWN = 50


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files at once (photos from a phone): each checked by content and size before anything is
    stored (documents.validators), so that a bad file is named beside the field and nothing is reported."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        files = (
            [single(item, initial) for item in data]
            if isinstance(data, list | tuple)
            else [single(data, initial)]
        )
        files = [item for item in files if item]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("Attach at most %(count)d files at once.") % {"count": MAX_FILES}, code="too_many"
            )
        for item in files:
            try:
                validate_upload(item)
            except forms.ValidationError as error:
                raise forms.ValidationError(
                    [f"{typography.label(item.name)}{message}" for message in error.messages]
                ) from error
            item.seek(0)
        return files


class DateTimeInput(forms.DateTimeInput):
    """The phone's own date and time picker."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def _now_minute():
    return timezone.localtime().replace(second=0, microsecond=0)


def _with_empty(label, choices) -> list:
    return [("", label), *choices]


def person_name(person: Person) -> str:
    return typography.annotate(person.full_name, person.pinyin_name)


def trip_choices(organization) -> list[tuple[int, str]]:
    """The organisation's recent approved trips, as "HNFA-2026-00012 Title (1 Mar 2026 – 9 Mar 2026)"."""
    trips = (
        apps.get_model("approvals", "TravelApplication")
        .objects.filter(organization=organization, state__in=TRIP_STATES)
        .order_by("-departure_date", "-pk")
        .values_list("pk", "reference", "title", "departure_date", "return_date")[:TRIPS_SHOWN]
    )
    choices = []
    for pk, reference, title, departs, returns in trips:
        dates = " – ".join(date_format(day) for day in (departs, returns) if day)
        choices.append((pk, typography.annotate(f"{reference} {title}", dates)))
    return choices


class IncidentFields(PortalForm):
    """What happened: the fields an enterprise's report and an officer's report from a call share."""

    title = forms.CharField(
        label=_("What happened, in one line"),
        max_length=200,
        help_text=_("For example: two staff robbed on the way to the site."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=IncidentKind.choices, widget=forms.RadioSelect)
    level = forms.ChoiceField(
        label=_("How grave is it?"),
        choices=Level.choices,
        widget=forms.RadioSelect,
        help_text=_("If you are not sure, choose the graver level: the office can lower it."),
    )
    country = forms.ChoiceField(label=_("Country"))
    city = forms.CharField(label=_("City or place"), max_length=100, required=False)
    occurred_at = forms.DateTimeField(
        label=_("When it happened"),
        widget=DateTimeInput,
        help_text=_("Local time in China (Beijing time). Leave it as it is if it is happening now."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Who, what, where exactly; what has been done so far; what help is needed."),
    )
    reporter_name = forms.CharField(label=_("Your name"), max_length=100, required=False)
    reporter_phone = forms.CharField(
        label=_("Call-back phone"),
        max_length=32,
        required=False,
        help_text=_("A number the office can reach you on now, with the country code if abroad."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _with_empty(_("Choose a country"), destination_choices())
        self.fields["occurred_at"].widget.attrs["max"] = _now_minute().strftime("%Y-%m-%dT%H:%M")
        if not self.is_bound and "occurred_at" not in self.initial:
            self.initial["occurred_at"] = _now_minute()
        self.fields["title"].widget.attrs["autocomplete"] = "off"
        for name in ("kind", "level"):
            self.fields[name].widget.attrs["class"] = "form-check-input"

    def level_options(self) -> list[dict]:
        """The level's radios with what each level means (the template lays them out as big cards)."""
        return [{"radio": radio, "hint": LEVEL_HINTS.get(radio.data["value"], "")} for radio in self["level"]]

    def service_data(self) -> dict:
        """What services.incidents.incident_report and incident_update take."""
        cleaned = self.cleaned_data
        return {
            name: cleaned[name]
            for name in (
                "title",
                "kind",
                "level",
                "country",
                "city",
                "occurred_at",
                "description",
                "reporter_name",
                "reporter_phone",
            )
            if name in cleaned
        }


class IncidentReportForm(IncidentFields):
    """The enterprise's report: what happened, who is affected (each of the organisation's people with a
    status, or not involved), the site or trip concerned, photos and documents."""

    site = forms.ModelChoiceField(
        label=_("Site concerned"), queryset=Site.objects.none(), required=False, empty_label=_("None")
    )
    trip = forms.TypedChoiceField(label=_("Trip concerned"), coerce=int, required=False, empty_value=None)
    files = MultipleFileField(
        label=_("Photos and documents"),
        help_text=_("Optional. Photos (JPEG, PNG) or PDF documents, at most 10 MB each."),
    )

    PERSON_PREFIX = "person_"

    def __init__(self, *args, organization, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        site_field = self.fields["site"]
        site_field.queryset = Site.objects.filter(organization=organization, closed_on__isnull=True).order_by(
            "name", "pk"
        )
        trips = trip_choices(organization)
        self.fields["trip"].choices = _with_empty(_("None"), trips)
        if not trips:
            del self.fields["trip"]
        if not site_field.queryset.exists():
            del self.fields["site"]
        self.people = list(Person.objects.filter(organization=organization).order_by("full_name", "pk"))
        status_choices = _with_empty(_("Not involved"), PersonStatus.choices)
        for person in self.people:
            self.fields[f"{self.PERSON_PREFIX}{person.pk}"] = forms.ChoiceField(
                label=person_name(person),
                choices=status_choices,
                required=False,
                widget=forms.Select(attrs={"class": "form-select"}),
            )
        if user is not None and not self.is_bound:
            self.initial.setdefault("reporter_name", user.get_full_name() or user.username)
            self.initial.setdefault("reporter_phone", getattr(user, "phone", ""))

    def essential_fields(self):
        return [self[name] for name in ("title", "kind")]

    def person_fields(self) -> list:
        return [(person, self[f"{self.PERSON_PREFIX}{person.pk}"]) for person in self.people]

    def service_data(self) -> dict:
        data = super().service_data()
        statuses = {
            person.pk: self.cleaned_data[f"{self.PERSON_PREFIX}{person.pk}"]
            for person in self.people
            if self.cleaned_data.get(f"{self.PERSON_PREFIX}{person.pk}")
        }
        data["people"] = list(statuses)
        data["statuses"] = statuses
        if "site" in self.fields:
            data["site"] = self.cleaned_data.get("site")
        if "trip" in self.fields:
            data["trip"] = self.cleaned_data.get("trip")
        return data


class CallReportForm(IncidentFields):
    """An officer enters an incident from a call: the organisation concerned first; the people affected
    are added on the incident's page afterwards."""

    organization = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organization.objects.none(),
        empty_label=_("Choose the organisation"),
        help_text=_("The enterprise whose people or site are concerned."),
    )
    reporter_name = forms.CharField(label=_("Caller's name"), max_length=100)
    reporter_phone = forms.CharField(
        label=_("Call-back phone"),
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    allow_duplicate = forms.BooleanField(
        label=_("Record it even though a report of the same kind and country exists"),
        required=False,
        help_text=_("Only when it is truly another incident; otherwise add to the first report's timeline."),
    )

    field_order = ["organization", "reporter_name", "reporter_phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.order_by("name_zh")

    def service_data(self) -> dict:
        data = super().service_data()
        data["allow_duplicate"] = self.cleaned_data.get("allow_duplicate", False)
        return data


class TimelineEntryForm(PortalForm):
    """Something done about the incident, with its documents; `at` defaults to now."""

    text = forms.CharField(
        label=_("What was done or learnt"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    at = forms.DateTimeField(
        label=_("When"),
        required=False,
        widget=DateTimeInput,
        help_text=_("Leave empty for now."),
    )
    files = MultipleFileField(label=_("Photos and documents"), help_text=_("Optional. JPEG, PNG or PDF."))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "entry")
        super().__init__(*args, **kwargs)
        self.fields["at"].widget.attrs["max"] = _now_minute().strftime("%Y-%m-%dT%H:%M")


class PersonStatusForm(PortalForm):
    """A person of the incident's organisation and their status (added when not listed yet)."""

    person = forms.ModelChoiceField(
        label=_("Person"), queryset=Person.objects.none(), empty_label=_("Choose a person")
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=_with_empty(_("Choose a status"), PersonStatus.choices)
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, incident, **kwargs):
        kwargs.setdefault("prefix", "person")
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        field.queryset = Person.objects.filter(organization_id=incident.organization_id).order_by(
            "full_name", "pk"
        )
        field.label_from_instance = person_name


class MergeForm(PortalForm):
    """Merge into another report: the other report's reference, and why."""

    merged_into = forms.CharField(
        label=_("Reference of the report this one duplicates"),
        max_length=20,
        help_text=_("For example HNAS-2026-00012: a report of the same organisation."),
    )
    comment = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_merge_%s")
        super().__init__(*args, **kwargs)

    def clean_merged_into(self):
        return self.cleaned_data["merged_into"].strip().upper()


class PlanChoiceForm(PortalForm):
    plan = forms.ModelChoiceField(label=_("Emergency plan"), queryset=None, empty_label=_("Choose a plan"))

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans


def may_add(incident) -> bool:
    """Whether the timeline and the people can still change (until the incident is closed or merged)."""
    return incident.state in ACTIVE_STATES
