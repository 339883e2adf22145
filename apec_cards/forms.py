"""Forms of the APEC card pages: the self-check, list filters, the application, attachments, and the
comment of a transition. They validate what was typed; the services decide the rest."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from foreign_affairs.accounts.models import Person
from foreign_affairs.accounts.validators import normalize_passport_number, validate_passport_number
from foreign_affairs.documents.validators import ACCEPT_ATTRIBUTE
from foreign_affairs.forms import PortalForm
from foreign_affairs.typography import annotate

from . import eligibility
from .models import AttachmentKind, Economy
from .workflow import CARRY_OVER_KINDS, Kind

YES_NO = [(eligibility.YES, _("Yes")), (eligibility.NO, _("No"))]


def _with_empty(label, choices) -> list:
    return [("", label), *choices]


class RadioSelect(forms.RadioSelect):
    """Radios with Bootstrap's classes (rendered by apec_cards/includes/choices.html)."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"class": "form-check-input", **(attrs or {})}, choices)


class CheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    def __init__(self, attrs=None, choices=()):
        super().__init__({"class": "form-check-input", **(attrs or {})}, choices)


# The self-check -------------------------------------------------------------------------------------


class EligibilityForm(PortalForm):
    """The self-check's questions (a GET form: the answers stay in the URL, nothing is stored)."""

    employer = forms.ChoiceField(
        label=_("Do you work for an enterprise registered in the China (Henan) Pilot Free Trade Zone?"),
        help_text=_("Its Zhengzhou, Luoyang or Kaifeng area."),
        choices=YES_NO,
        widget=RadioSelect,
    )
    travel = forms.ChoiceField(
        label=_("Do you travel to APEC economies often, on short business trips?"),
        help_text=_("Meetings with partners and customers, negotiations, trade fairs: several trips a year."),
        choices=YES_NO,
        widget=RadioSelect,
    )
    passport = forms.ChoiceField(
        label=_("How long is your passport still valid?"),
        help_text=_("Your newest passport."),
        choices=[
            (eligibility.PASSPORT_VALID, _("More than six months")),
            (eligibility.PASSPORT_EXPIRING, _("Six months or less")),
            (eligibility.PASSPORT_NONE, _("I have no passport")),
        ],
        widget=RadioSelect,
    )
    card = forms.ChoiceField(
        label=_("Do you hold an APEC Business Travel Card?"),
        choices=[
            (eligibility.CARD_NONE, _("No")),
            (eligibility.CARD_VALID, _("Yes, a valid card")),
            (eligibility.CARD_LOST, _("Yes, but it was lost or stolen")),
            (eligibility.CARD_DAMAGED, _("Yes, but it is damaged")),
            (eligibility.CARD_EXPIRED, _("I had one; it has expired")),
        ],
        widget=RadioSelect,
    )
    card_expiry = forms.DateField(
        label=_("When does your card expire?"),
        help_text=_("Only if you hold a valid card: the date printed on it, as YYYY-MM-DD."),
        required=False,
        widget=forms.DateInput,
    )
    new_passport = forms.ChoiceField(
        label=_("Have you received a new passport since the card was issued?"),
        help_text=_("Only if you hold a valid card."),
        choices=YES_NO,
        required=False,
        widget=RadioSelect,
    )

    def assessment(self) -> eligibility.Assessment:
        return eligibility.assess(self.cleaned_data)


# The application -------------------------------------------------------------------------------------


def person_label(person: Person) -> str:
    name = annotate(person.full_name, person.pinyin_name)
    if not person.passport_number or not person.passport_expiry:
        return _("%(name)s · no passport on record") % {"name": name}
    return _("%(name)s · passport %(number)s, valid until %(date)s") % {
        "name": name,
        "number": person.masked_passport_number,  # a list of travellers: masked for everyone
        "date": date_format(person.passport_expiry, "DATE_FORMAT"),
    }


def economy_label(economy: Economy) -> str:
    return economy.name


class ApplicationForm(PortalForm):
    """The application's own fields. The economies are asked for a new card and a renewal only; a
    replacement or new-passport card keeps those of the card it replaces (services._apply)."""

    person = forms.ModelChoiceField(
        label=_("Card holder"),
        queryset=Person.objects.none(),
        empty_label=_("Choose a traveller"),
        help_text=_(
            "One of your organisation's travellers. Someone not listed yet is added under Travellers first, "
            "with the passport."
        ),
    )
    kind = forms.ChoiceField(
        label=_("Kind of application"),
        choices=Kind.choices,
        widget=RadioSelect,
        initial=Kind.NEW,
    )
    economies = forms.MultipleChoiceField(
        label=_("Economies to ask for pre-clearance"),
        required=False,
        widget=CheckboxSelectMultiple,
        help_text=_(
            "The full participants of the scheme other than China. Each economy answers separately; "
            "choose those you travel to, or all of them."
        ),
    )
    justification = forms.CharField(
        label=_("Business justification"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Why the card holder travels often to APEC economies on business: markets, partners, projects."
        ),
    )
    travel_history = forms.CharField(
        label=_("Business travel in the last three years"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Trips to APEC economies: where, when and why; one per line."),
    )
    replacement_reason = forms.CharField(
        label=_("Reason for the replacement"),
        required=False,
        max_length=200,
        help_text=_(
            "For a replacement: where and when the card was lost, or how it was damaged. A lost card is "
            "reported lost on its page first."
        ),
    )
    passport_number = forms.CharField(
        label=_("Passport number"),
        required=False,
        max_length=24,
        validators=[validate_passport_number],
        help_text=_("Leave empty to use the passport on the traveller's record."),
    )
    passport_expiry = forms.DateField(
        label=_("Passport expiry date"),
        required=False,
        widget=forms.DateInput,
        help_text=_("With the passport number above; as YYYY-MM-DD."),
    )

    # Fields shown only for some kinds (apec_cards/forms.js hides the others; without JavaScript all show).
    KIND_FIELDS = {"economies": (Kind.NEW, Kind.RENEWAL), "replacement_reason": (Kind.REPLACEMENT,)}

    def __init__(self, *args, organization, application=None, **kwargs):
        if application is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(application)
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.application = application
        people = Person.objects.filter(organization=organization).order_by("full_name", "pk")
        person_field = self.fields["person"]
        person_field.queryset = people
        person_field.label_from_instance = person_label
        self.economies = list(Economy.objects.preclearing())
        self.fields["economies"].choices = [
            (economy.code, economy_label(economy)) for economy in self.economies
        ]
        if not self.is_bound and "economies" not in self.initial:
            self.initial["economies"] = [economy.code for economy in self.economies]
        self.fields["passport_number"].widget.attrs["autocomplete"] = "off"

    @staticmethod
    def initial_for(application) -> dict:
        person = application.person
        initial = {
            "person": application.person_id,
            "kind": application.kind,
            "economies": [economy.code for economy in application.economies.all()],
            "justification": application.justification,
            "travel_history": application.travel_history,
            "replacement_reason": application.replacement_reason,
        }
        # A passport given on the application (not the traveller's record) is shown to be kept.
        if (application.passport_number, application.passport_expiry) != (
            person.passport_number,
            person.passport_expiry,
        ):
            initial["passport_number"] = application.passport_number
            initial["passport_expiry"] = application.passport_expiry
        return initial

    def shows_stored_passport_number(self) -> bool:
        """Whether the form, as rendered, holds the application's own passport number whole (a draft's
        number kept on the application, or typed again): a look at it (views.passports)."""
        if self.application is None or not self.application.passport_number:
            return False
        shown = self["passport_number"].value() or ""
        return normalize_passport_number(str(shown)) == self.application.passport_number

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        number, expiry = cleaned.get("passport_number"), cleaned.get("passport_expiry")
        if number and not expiry:
            self.add_error("passport_expiry", _("Give the passport's expiry date as well."))
        if expiry and not number:
            self.add_error("passport_number", _("Give the passport number as well."))
        if expiry and expiry <= timezone.localdate():
            self.add_error("passport_expiry", _("This passport has expired; give a valid one."))
        if kind and kind not in CARRY_OVER_KINDS and not cleaned.get("economies"):
            self.add_error("economies", _("Choose at least one economy to ask for pre-clearance."))
        return cleaned

    def service_data(self) -> dict:
        """What services.application_create/update take."""
        cleaned = self.cleaned_data
        data = {
            "person": cleaned["person"],
            "kind": cleaned["kind"],
            "justification": cleaned["justification"],
            "travel_history": cleaned.get("travel_history", ""),
            "replacement_reason": cleaned.get("replacement_reason", "")
            if cleaned["kind"] == Kind.REPLACEMENT
            else "",
        }
        if cleaned["kind"] not in CARRY_OVER_KINDS:
            data["economies"] = list(cleaned.get("economies") or [])
        if cleaned.get("passport_number") and cleaned.get("passport_expiry"):
            data["passport_number"] = cleaned["passport_number"]
            data["passport_expiry"] = cleaned["passport_expiry"]
        return data


class AttachmentForm(PortalForm):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=AttachmentKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG, at most 10 MB; the photograph as JPEG or PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )
