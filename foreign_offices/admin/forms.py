"""The back office's forms of foreign organisations. They only parse what the officer typed; the services
check it again under their lock and save it (foreign_offices.services)."""

from functools import partial

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from foreign_affairs.accounts.models import Person
from foreign_affairs.admin_pages import DateInput
from foreign_affairs.documents.validators import ACCEPT_ATTRIBUTE
from foreign_affairs.security.countries import destination_choices

from ..models import CaseDocumentKind, ForeignOrganisation, ReportingWindow, SetupCase
from ..services.cases import CASE_FIELDS, ENQUIRY_FIELDS, MESSAGE_MAX
from ..services.registry import OFFICE_FIELDS
from ..workflow import AUTHORITY_FOR_KIND, Authority


def _country_choices():
    return [("", "---------"), *destination_choices()]


class CountryChoiceMixin:
    """Countries by their CLDR names in the reader's language, China left out (a foreign organisation's)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "country" in self.fields:
            self.fields["country"] = forms.ChoiceField(
                label=self.fields["country"].label,
                choices=_country_choices,
                required=self.fields["country"].required,
            )
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DateInput()


class OfficeEnquiryForm(CountryChoiceMixin, forms.ModelForm):
    """An enquiry taken by telephone (or at the counter): the public form's fields."""

    class Meta:
        model = SetupCase
        fields = [*ENQUIRY_FIELDS, "language"]
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "message": _("What the caller said they plan, in their words."),
            "language": _("The e-mails to the enquirer are written in this language."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = settings.LANGUAGES
        self.fields["language"].initial = "en"
        self.fields["message"].max_length = MESSAGE_MAX

    def service_data(self) -> dict:
        return {field: self.cleaned_data[field] for field in ENQUIRY_FIELDS}


class CaseDetailsForm(CountryChoiceMixin, forms.ModelForm):
    """The officer's corrections and completions of a case (the enquiry's message stays as received)."""

    class Meta:
        model = SetupCase
        fields = [field for field in CASE_FIELDS if field != "message"]

    def service_data(self) -> dict:
        return {field: self.cleaned_data[field] for field in self.changed_data}


class RegisterForm(forms.Form):
    """What `register` needs, filled in from the case (services.cases.case_transition's `data`)."""

    authority = forms.ChoiceField(label=_("registering authority"), choices=Authority.choices)
    registration_number = forms.CharField(
        label=_("registration number (unified social credit code)"), max_length=18
    )
    registered_on = forms.DateField(label=_("registered on"), widget=DateInput())
    registration_valid_until = forms.DateField(
        label=_("registration valid until"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty when the registration does not expire."),
    )
    address = forms.CharField(label=_("address in Henan"), max_length=300)

    def __init__(self, *args, case=None, **kwargs):
        kwargs.setdefault("prefix", "register")
        if case is not None:
            kwargs.setdefault(
                "initial",
                {
                    "authority": case.authority or AUTHORITY_FOR_KIND.get(case.kind, ""),
                    "registration_number": case.registration_number,
                    "registered_on": case.registered_on,
                    "registration_valid_until": case.registration_valid_until,
                    "address": case.address,
                },
            )
        super().__init__(*args, **kwargs)


class OpenForm(forms.Form):
    opened_on = forms.DateField(label=_("opened on"), widget=DateInput())

    def __init__(self, *args, case=None, **kwargs):
        kwargs.setdefault("prefix", "open")
        kwargs.setdefault(
            "initial", {"opened_on": (case.opened_on if case is not None else None) or timezone.localdate()}
        )
        super().__init__(*args, **kwargs)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Add a note"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For the office only: the enquirer does not read the notes."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "note")
        super().__init__(*args, **kwargs)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=CaseDocumentKind.choices)
    file = forms.FileField(
        label=_("file"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        help_text=_("PDF, JPEG or PNG."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "document")
        super().__init__(*args, **kwargs)


class OrganisationForm(CountryChoiceMixin, forms.ModelForm):
    """A registry entry's fields an officer may correct (services.registry.OFFICE_FIELDS)."""

    class Meta:
        model = ForeignOrganisation
        fields = OFFICE_FIELDS
        field_classes = {"website": partial(forms.URLField, assume_scheme="https")}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "description_zh": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        account = self.instance.account_id if self.instance is not None else None
        # The chief representative is a person of the organisation's portal account.
        representative = self.fields["chief_representative"]
        representative.queryset = (
            Person.objects.filter(organization_id=account).order_by("full_name")
            if account
            else Person.objects.none()
        )
        if not account:
            representative.help_text = _(
                "Chosen among the people of the organisation's portal account, once it has one."
            )

    def service_data(self) -> dict:
        return {field: self.cleaned_data[field] for field in self.changed_data}


class ReportingWindowForm(forms.ModelForm):
    class Meta:
        model = ReportingWindow
        fields = ["year", "opens_on", "due_on"]
        widgets = {"opens_on": DateInput(), "due_on": DateInput()}
