"""The back office's forms of friendship cities. They only parse what the officer typed; the services
(exchanges.services.cities) check it again under their lock and save it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from foreign_affairs.admin_pages import DateInput
from foreign_affairs.documents.validators import ACCEPT_ATTRIBUTE
from foreign_affairs.security.countries import country_name, destination_choices

from ..models import FriendshipAgreement, FriendshipCity
from ..services.cities import FIELDS


def country_choices(current: str = ""):
    """Every country abroad, as the trips' destinations (China and its regions aside); a value kept from
    before stays choosable so that saving the rest does not fail on it."""
    choices = [("", "---------"), *destination_choices()]
    if current and all(code != current for code, _label in choices):
        choices.insert(1, (current, country_name(current)))
    return choices


class ServiceFormMixin:
    """A model's form shown in sections (admin/projects/form_page.html) that gives a service its values.

    It only parses what was typed: the service sets the values and runs the model's checks, one message
    beside each field, where the model's constraints would give a technical one ("Constraint … is
    violated") and the form would change the object before the service has locked it."""

    sections: list

    def _post_clean(self):
        pass

    def section_rows(self):
        return [(title, [self[name] for name in names]) for title, names in self.sections]

    def service_data(self, *, changed_only: bool) -> dict:
        names = self.changed_data if changed_only else self.fields
        return {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}


class CityForm(ServiceFormMixin, forms.ModelForm):
    """A pair's fields an officer keeps (services.cities.FIELDS)."""

    sections = [
        (
            _("The pair"),
            [
                "henan_name_zh",
                "henan_name_en",
                "foreign_name_zh",
                "foreign_name_en",
                "country",
                "kind",
                "established_on",
            ],
        ),
        (_("On the public site"), ["description_zh", "description_en", "public"]),
        (_("Contacts on both sides"), ["henan_contact", "foreign_contact"]),
        (_("For the office"), ["notes"]),
    ]

    class Meta:
        model = FriendshipCity
        fields = FIELDS
        widgets = {
            "description_zh": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
            "henan_contact": forms.Textarea(attrs={"rows": 3}),
            "foreign_contact": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "henan_name_en": _("As the pair is known in English: “Zhengzhou”, “Henan Province”."),
            "established_on": _("The day the founding agreement was signed."),
            "public": _("The pair's page shows the names, the description and its public activities."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = str(self.instance.country.code or "") if self.instance.pk else ""
        self.fields["country"] = forms.ChoiceField(
            label=self.fields["country"].label, choices=country_choices(current)
        )
        self.fields["established_on"].widget = DateInput()


class AgreementForm(forms.Form):
    """An agreement of the pair (services.cities.agreement_add), with its document if there is one."""

    title = forms.CharField(
        label=_("title"),
        max_length=FriendshipAgreement._meta.get_field("title").max_length,
        help_text=_("For example “Agreement on the establishment of friendship-city relations”."),
    )
    signed_on = forms.DateField(label=_("signed on"), widget=DateInput())
    renew_by = forms.DateField(
        label=_("to be renewed by"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty for an agreement without a term. The badge warns 180 days before."),
    )
    document = forms.FileField(
        label=_("document"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        help_text=_("Optional: the signed agreement as PDF, JPEG or PNG."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "agreement")
        super().__init__(*args, **kwargs)

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("title", "signed_on", "renew_by")}


class ProjectLinkForm(forms.Form):
    reference = forms.CharField(
        label=_("reference of the cooperation project"),
        max_length=20,
        help_text=_("As on the project's page, for example HNCP-2026-00012."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "project")
        super().__init__(*args, **kwargs)
