"""The public interview request form of foreign journalists (外国记者采访申请). It only shapes what was typed;
services.media.media_request_submit checks it again (China refused, dates from today on, the model's
lengths) and its refusals come back beside the fields."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from foreign_affairs.forms import PortalForm, add_service_errors
from foreign_affairs.security.countries import CHINA, REGIONS_OF_CHINA, country_name, destination_choices

# The trap field's name: a plausible one that form-filling robots complete; people never see it.
HONEYPOT = "website"
# MediaRequest.press_card holds "<number>, <issuing authority>" in one text of at most this many characters.
PRESS_CARD_MAX = 100
PRESS_CARD_JOIN = ", "
DATE_HINT = _("Pick the day in the calendar, from today on.")


def outlet_country_choices() -> list:
    """Every country but China, then Hong Kong, Macao and Taiwan under their own heading (their outlets are
    not foreign, but the office receives their journalists the same way)."""
    return [
        ("", _("Choose a country or region")),
        (_("Countries"), destination_choices()),
        (_("Regions of China"), [(code, country_name(code)) for code in REGIONS_OF_CHINA]),
    ]


class OutletCountryField(forms.ChoiceField):
    """The outlet's country from the list. China is not listed, but a China sent anyway (an old page, a
    robot) is let through to the service, whose refusal says why rather than "choose from the list"."""

    def valid_value(self, value):
        return str(value).upper() == CHINA or super().valid_value(value)

    def to_python(self, value):
        return super().to_python(value).strip().upper()


class MediaRequestForm(PortalForm):
    """What a journalist tells the office: who they are, how to reach them, their press card, the topic,
    whom and what they wish to see, and when."""

    journalist_name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        help_text=_("As on your press card."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Give your name, so the office knows whom to answer.")},
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("The office sends an acknowledgement with your reference here, and then its answer."),
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
        help_text=_("With the country code, e.g. +33 1 23 45 67 89."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    outlet = forms.CharField(
        label=_("Your outlet"),
        max_length=200,
        help_text=_("The newspaper, agency, broadcaster or online medium you report for."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        error_messages={"required": _("Give the name of your outlet.")},
    )
    outlet_country = OutletCountryField(
        label=_("Country or region of your outlet"),
        choices=outlet_country_choices,
        help_text=_("Where your outlet is based."),
        error_messages={
            "required": _("Choose the country or region your outlet is based in."),
            "invalid_choice": _("Choose the country or region from the list."),
        },
    )
    press_card_number = forms.CharField(
        label=_("Press card number"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Give the number of your press card.")},
    )
    press_card_authority = forms.CharField(
        label=_("Issued by"),
        max_length=PRESS_CARD_MAX,
        help_text=_("The authority or association that issued the card, e.g. your country's press council."),
        error_messages={"required": _("Give the authority that issued your press card.")},
    )
    topic = forms.CharField(
        label=_("Topic of your report"),
        max_length=4000,
        help_text=_(
            "What your report is about and what you would like to learn in Henan. At most 4000 characters."
        ),
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": "4000"}),
        error_messages={
            "required": _("Tell the office what your report is about."),
            "max_length": _(
                "The topic is too long: it holds at most %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )
    people_wished = forms.CharField(
        label=_("People you wish to interview (optional)"),
        max_length=2000,
        required=False,
        help_text=_("Names or functions, e.g. an official of the free trade zone, a logistics enterprise."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": "2000"}),
    )
    sites_wished = forms.CharField(
        label=_("Sites you wish to visit (optional)"),
        max_length=2000,
        required=False,
        help_text=_("Places, enterprises or projects, e.g. the Zhengzhou airport economy zone."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": "2000"}),
    )
    wished_from = forms.DateField(
        label=_("From"),
        help_text=DATE_HINT,
        widget=forms.DateInput,
        error_messages={
            "required": _("Give the first day you could come."),
            "invalid": _("Enter the date as YYYY-MM-DD, for example 2026-11-26."),
        },
    )
    wished_until = forms.DateField(
        label=_("Until"),
        help_text=DATE_HINT,
        widget=forms.DateInput,
        error_messages={
            "required": _("Give the last day you could come."),
            "invalid": _("Enter the date as YYYY-MM-DD, for example 2026-11-26."),
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
        kwargs.setdefault("auto_id", "id_media_%s")
        super().__init__(*args, **kwargs)
        # The calendar offers no past day (the service refuses them).
        today = timezone.localdate().isoformat()
        for name in ("wished_from", "wished_until"):
            self.fields[name].widget.attrs["min"] = today

    @property
    def is_trap(self) -> bool:
        """Whether the hidden field was filled (a robot)."""
        return bool((self.data.get(HONEYPOT) or "").strip())

    def clean(self):
        data = super().clean()
        number, authority = data.get("press_card_number"), data.get("press_card_authority")
        if number and authority and len(self._press_card(number, authority)) > PRESS_CARD_MAX:
            self.add_error(
                "press_card_authority",
                ValidationError(
                    _(
                        "The card's number and its authority together hold at most %(limit)d characters: "
                        "shorten the authority's name (an abbreviation will do)."
                    ),
                    params={"limit": PRESS_CARD_MAX},
                ),
            )
        return data

    @staticmethod
    def _press_card(number: str, authority: str) -> str:
        return f"{number.strip()}{PRESS_CARD_JOIN}{authority.strip()}"

    def request_data(self) -> dict:
        """The values for services.media.media_request_submit (the model's field names)."""
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in (HONEYPOT, "press_card_number", "press_card_authority")
        }
        data["press_card"] = self._press_card(
            self.cleaned_data["press_card_number"], self.cleaned_data["press_card_authority"]
        )
        return data

    def add_service_errors(self, error: ValidationError) -> None:
        """The service's refusal beside the fields; the press card's beside its number."""
        if hasattr(error, "error_dict"):
            renamed = {
                ("press_card_number" if field == "press_card" else field): errors
                for field, errors in error.error_dict.items()
            }
            error = ValidationError(renamed)
        add_service_errors(self, error)
