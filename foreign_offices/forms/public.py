"""The public pages' forms: the enquiry a foreigner sends without an account, and the directory's search."""

from django import forms
from django.utils.translation import gettext_lazy as _

from foreign_affairs.accounts.models import FTZArea
from foreign_affairs.forms import PortalForm
from foreign_affairs.security.countries import REGIONS_OF_CHINA, country_name, destination_choices

from ..services.cases import MESSAGE_MAX
from ..workflow import PresenceKind

# The trap field's name: a plausible one that form-filling robots complete; people never see it.
HONEYPOT = "website"


def country_choices() -> list:
    """Every country but China (the service refuses it), then Hong Kong, Macao and Taiwan under their own
    heading: their organisations set up offices the same way, but they are regions of China."""
    regions = [(code, country_name(code)) for code in REGIONS_OF_CHINA]
    return [
        ("", _("Choose a country or region")),
        (_("Countries"), destination_choices()),
        (_("Regions of China"), regions),
    ]


class EnquiryForm(PortalForm):
    """An enquiry about setting up in Henan (services.cases.enquiry_create checks it again)."""

    organisation_name = forms.CharField(
        label=_("Name of your organisation"),
        max_length=200,
        help_text=_("As registered in your country, in its own language or in English."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        error_messages={"required": _("Give the name of your organisation.")},
    )
    organisation_name_zh = forms.CharField(
        label=_("Chinese name of your organisation (optional)"),
        max_length=200,
        required=False,
        help_text=_("If it already has one."),
    )
    parent_organisation = forms.CharField(
        label=_("Parent organisation (optional)"),
        max_length=200,
        required=False,
        help_text=_(
            "The company, government or body the office in Henan would belong to, if it is another one."
        ),
    )
    country = forms.ChoiceField(
        label=_("Country or region"),
        choices=country_choices,
        help_text=_("Where your organisation is registered."),
        error_messages={"required": _("Choose the country or region your organisation comes from.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind of presence you plan"),
        choices=[("", _("Choose a kind")), *PresenceKind.choices],
        help_text=_("Not sure? Choose the closest one; the office advises you."),
        error_messages={"required": _("Choose the kind of presence you plan.")},
    )
    preferred_area = forms.ChoiceField(
        label=_("Where in Henan"),
        choices=FTZArea.choices,
        initial=FTZArea.ZHENGZHOU,
        help_text=_("The free trade zone area you prefer, or outside the zone."),
    )
    contact_name = forms.CharField(
        label=_("Your name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Give your name, so the office knows whom to answer.")},
    )
    contact_email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("The office sends your reference number and its answer here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Give your e-mail address, so the office can answer you."),
            "invalid": _("Give an e-mail address such as name@example.com."),
        },
    )
    contact_phone = forms.CharField(
        label=_("Your phone number (optional)"),
        max_length=32,
        required=False,
        help_text=_("With the country code, e.g. +49 89 1234567."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    message = forms.CharField(
        label=_("Your plans and questions"),
        max_length=MESSAGE_MAX,
        help_text=_(
            "What the office in Henan would do, when you plan to open it, how many people would work "
            "there, and what you would like to know. At most 5000 characters."
        ),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": str(MESSAGE_MAX)}),
        error_messages={
            "required": _("Tell the office about your plans."),
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
        kwargs.setdefault("auto_id", "id_enquiry_%s")
        super().__init__(*args, **kwargs)

    @property
    def is_trap(self) -> bool:
        """Whether the hidden field was filled (a robot)."""
        return bool((self.data.get(HONEYPOT) or "").strip())

    def visible_enquiry_fields(self):
        return [field for field in self.visible_fields() if field.name != HONEYPOT]

    def enquiry_data(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != HONEYPOT}


class DirectoryFilterForm(PortalForm):
    """The public directory's search and filters; the values stay in the URL."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("A name in any language, or a registration number."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    country = forms.ChoiceField(label=_("Country or region"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind of presence"),
        required=False,
        choices=[("", _("All kinds")), *PresenceKind.choices],
    )
    area = forms.ChoiceField(
        label=_("Area"),
        required=False,
        choices=[("", _("All areas")), *FTZArea.choices],
    )

    def __init__(self, *args, countries=(), **kwargs):
        kwargs.setdefault("auto_id", "id_directory_%s")
        super().__init__(*args, **kwargs)
        listed = {str(code) for code in countries}
        named = [(code, label) for code, label in destination_choices() if code in listed]
        named += [(code, country_name(code)) for code in REGIONS_OF_CHINA if code in listed]
        self.fields["country"].choices = [("", _("All countries and regions")), *named]
