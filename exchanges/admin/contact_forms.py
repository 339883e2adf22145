"""The back office's forms of overseas-Chinese contacts: the contact's fields (services.contacts.FIELDS) with
the exchanges taken part in as a searchable multiple select, and the erasure's reason. They only parse what
the officer typed; the services check it again and save it."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from foreign_affairs.admin_pages import DateInput

from ..models import Activity, OverseasContact
from ..services.contacts import FIELDS, NO_CONSENT, NO_CONSENT_BASIS, NO_CONSENT_DATE
from .city_forms import ServiceFormMixin, country_choices


class ActivityAutocomplete(AutocompleteSelectMultiple):
    """The admin's autocomplete, asking the contacts' admin for activities
    (OverseasContactAdmin.activity_search_view): the activities' own admin is not needed for it."""

    def get_url(self):
        return reverse(f"{self.admin_site.name}:exchanges_overseascontact_activities")


def activity_label(activity) -> str:
    return f"{activity.reference} {activity.title} ({date_format(activity.starts_on, 'DATE_FORMAT')})"


class ContactForm(ServiceFormMixin, forms.ModelForm):
    """A contact's fields an officer keeps."""

    sections = [
        (_("Name"), ["name_zh", "name_latin"]),
        (_("Residence and association"), ["country", "city", "association", "role"]),
        (_("How to reach the person"), ["phone", "email", "wechat"]),
        (_("Consent"), ["consent", "consent_on", "consent_basis", "consent_note"]),
        (_("Exchanges and notes"), ["activities", "notes"]),
    ]

    class Meta:
        model = OverseasContact
        fields = FIELDS
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "activities": ActivityAutocomplete(OverseasContact._meta.get_field("activities"), admin.site),
        }
        help_texts = {
            "name_latin": _("At least one of the two names: as the person writes it in Latin letters."),
            "consent": _(
                "The person agreed to be registered and contacted. Without their consent no contact is "
                "registered or changed."
            ),
            "consent_on": _("The day the person agreed."),
            "consent_basis": _("Keep the evidence: the signed form, the e-mail or the message."),
            "activities": _("Type a reference or words of a title to find an exchange."),
            "notes": _("Office staff read the notes; the person receives them with an export of their data."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = str(self.instance.country.code or "") if self.instance.pk else ""
        self.fields["country"] = forms.ChoiceField(
            label=self.fields["country"].label, choices=country_choices(current)
        )
        self.fields["consent_on"].widget = DateInput()
        # Registering needs the person's consent (services.contacts.consent_errors); so does a change of their
        # details, which the service checks against what changed.
        if not self.instance.pk:
            for name in ("consent", "consent_on", "consent_basis"):
                self.fields[name].required = True
        self.fields["consent"].error_messages["required"] = NO_CONSENT
        self.fields["consent_on"].error_messages["required"] = NO_CONSENT_DATE
        self.fields["consent_basis"].error_messages["required"] = NO_CONSENT_BASIS
        activities = self.fields["activities"]
        activities.queryset = Activity.objects.order_by("-starts_on", "-pk")
        activities.label_from_instance = activity_label


CHANNELS = [
    ("letter", pgettext_lazy("request made by", "by letter")),
    ("email", pgettext_lazy("request made by", "by e-mail")),
    ("phone", pgettext_lazy("request made by", "by phone")),
    ("person", pgettext_lazy("request made by", "in person")),
    ("other", pgettext_lazy("request made by", "otherwise")),
]


class EraseForm(forms.Form):
    """Why a contact is erased: the person's request, its date and how it was made. The reason is kept in the
    audit log after the erasure, so it must not repeat the person's name or contact details."""

    requested_on = forms.DateField(label=_("date of the person's request"), widget=DateInput())
    channel = forms.ChoiceField(label=_("how the request was made"), choices=[("", "---------"), *CHANNELS])
    details = forms.CharField(
        label=_("the request in a few words"),
        max_length=1500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example “asked to be removed from the registry”. Do not write the person's name, phone, "
            "e-mail or WeChat here: this text stays in the audit log."
        ),
    )
    confirm = forms.BooleanField(
        label=_("I have checked that the request comes from the person, and the record is erased for good."),
    )

    def __init__(self, *args, contact: OverseasContact, **kwargs):
        super().__init__(*args, **kwargs)
        self.contact = contact

    def clean_requested_on(self):
        day = self.cleaned_data["requested_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(gettext("The request cannot be dated in the future."))
        return day

    def clean_details(self):
        details = self.cleaned_data["details"].strip()
        personal = [
            self.contact.name_zh,
            self.contact.name_latin,
            self.contact.phone,
            self.contact.email,
            self.contact.wechat,
        ]
        folded = details.casefold()
        if any(value and len(value) > 1 and value.casefold() in folded for value in personal):
            raise forms.ValidationError(
                gettext(
                    "Leave out the person's name and contact details: this text is kept after the erasure."
                )
            )
        return details

    def reason(self) -> str:
        """The reason as the audit log keeps it."""
        channel = dict(CHANNELS)[self.cleaned_data["channel"]]
        text = gettext("The person's request of %(day)s, made %(channel)s.") % {
            "day": date_format(self.cleaned_data["requested_on"], "DATE_FORMAT"),
            "channel": channel,
        }
        details = self.cleaned_data["details"]
        return f"{text} {details}" if details else text
