"""The public pages' forms: the catalogue's search and filters, and the expression of interest (合作意向) a
visitor sends without an account."""

from django import forms
from django.utils.translation import gettext_lazy as _

from foreign_affairs.accounts.models import FTZArea
from foreign_affairs.forms import PortalForm
from foreign_affairs.security.countries import (
    CHINA,
    REGIONS_OF_CHINA,
    country_name,
    destination_choices,
    iso_codes,
)

from ..services.interest import MESSAGE_MAX
from ..workflow import Channel, Mode

# The trap field's name: a plausible one that form-filling robots complete; people never see it.
HONEYPOT = "website"


def _region_choices(codes) -> list[tuple[str, str]]:
    return [(code, country_name(code)) for code in codes]


def visitor_country_choices() -> list:
    """Every country, then China and its regions under their own heading (a visitor from Shanghai or Hong
    Kong may be interested in a project too)."""
    return [
        ("", _("Choose a country or region")),
        (_("Countries"), destination_choices()),
        (_("China"), _region_choices((CHINA, *REGIONS_OF_CHINA))),
    ]


class CatalogueFilterForm(PortalForm):
    """The catalogue's search and filters; the values stay in the URL. An unknown value is dropped (the
    other filters still apply)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        help_text=_("Words in Chinese or English, or a part of a word."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All channels")), *Channel.choices]
    )
    industry = forms.ChoiceField(label=_("Industry"), required=False)
    area = forms.ChoiceField(
        label=_("Free trade zone area"), required=False, choices=[("", _("All areas")), *FTZArea.choices]
    )
    country = forms.ChoiceField(label=_("Partner country or region"), required=False)
    mode = forms.ChoiceField(
        label=_("Cooperation mode"), required=False, choices=[("", _("All modes")), *Mode.choices]
    )

    FILTERS = ("channel", "industry", "area", "country", "mode")

    def __init__(self, *args, industries=(), countries=(), **kwargs):
        kwargs.setdefault("auto_id", "id_catalogue_%s")
        super().__init__(*args, **kwargs)
        priority = [(industry.code, industry.name) for industry in industries if industry.priority]
        others = [(industry.code, industry.name) for industry in industries if not industry.priority]
        grouped = [("", _("All industries"))]
        if priority:
            grouped.append((_("Priority industries"), priority))
        if others:
            grouped.append((_("Other industries") if priority else _("Industries"), others))
        self.fields["industry"].choices = grouped
        listed = {str(code) for code in countries}
        # A country chosen through a link stays a filter (no project from there: an empty list, not all).
        asked = str(self.data.get("country") or "").upper() if self.is_bound else ""
        if asked in iso_codes():
            listed.add(asked)
            self.data = self.data.copy()
            self.data["country"] = asked
        named = [(code, label) for code, label in destination_choices() if code in listed]
        named += [(code, country_name(code)) for code in (CHINA, *REGIONS_OF_CHINA) if code in listed]
        self.fields["country"].choices = [("", _("All countries and regions")), *named]

    def chosen(self) -> dict:
        """The search term and the valid filters: {"term": ..., "channel": ..., ...}."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        chosen = {name: data.get(name) or "" for name in self.FILTERS}
        # A long query is cut rather than refused: selectors.search looks for its first words only.
        chosen["term"] = (data.get("q") or "").strip()[:200]
        return chosen


class InterestForm(PortalForm):
    """An expression of interest in a published project (services.interest.interest_express checks it
    again)."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Give your name, so the office knows whom to answer.")},
    )
    organisation = forms.CharField(
        label=_("Your organisation"),
        max_length=200,
        help_text=_("The company, institution or government body you write for."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        error_messages={"required": _("Give the name of your organisation.")},
    )
    country = forms.ChoiceField(
        label=_("Country or region"),
        choices=visitor_country_choices,
        help_text=_("Where your organisation is based."),
        error_messages={"required": _("Choose the country or region your organisation is based in.")},
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("The office sends an acknowledgement here, and puts you in touch from it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Give your e-mail address, so the office can answer you."),
            "invalid": _("Give an e-mail address such as name@example.com."),
        },
    )
    phone = forms.CharField(
        label=_("Your phone number (optional)"),
        max_length=32,
        required=False,
        help_text=_("With the country code, e.g. +49 89 1234567."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    message = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX,
        help_text=_(
            "What your organisation does, what interests you in this project and how you would like to "
            "cooperate. At most 3000 characters."
        ),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": str(MESSAGE_MAX)}),
        error_messages={
            "required": _("Tell the office what interests you in the project."),
            "max_length": _(
                "Your message is too long: it holds at most %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )
    # The honeypot: hidden from people (the template moves it off the screen and out of the reading order),
    # filled in by robots. A filled one is answered as if accepted, and nothing is stored.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_interest_%s")
        super().__init__(*args, **kwargs)

    @property
    def is_trap(self) -> bool:
        """Whether the hidden field was filled (a robot)."""
        return bool((self.data.get(HONEYPOT) or "").strip())

    def interest_data(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != HONEYPOT}
