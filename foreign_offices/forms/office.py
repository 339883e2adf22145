"""The registered organisation's own public listing (its consent to the public directory, website and
descriptions); services.registry.profile_update decides the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from foreign_affairs.forms import PortalForm


class ListingForm(PortalForm):
    list_publicly = forms.BooleanField(
        label=_("Yes, list our office in the public directory"),
        required=False,
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("Shown in the directory, e.g. https://www.example.com."),
    )
    description = forms.CharField(
        label=_("What the office does (English)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Two or three sentences for visitors reading in English."),
    )
    description_zh = forms.CharField(
        label=_("What the office does (Chinese)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The same in Chinese, for visitors reading in Chinese."),
    )

    @classmethod
    def for_organisation(cls, organisation, data=None) -> "ListingForm":
        return cls(
            data,
            initial={
                "list_publicly": organisation.list_publicly,
                "website": organisation.website,
                "description": organisation.description,
                "description_zh": organisation.description_zh,
            },
        )

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}
