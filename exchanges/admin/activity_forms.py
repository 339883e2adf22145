"""The back office's forms of activities: the activity itself in its groups, the agenda's rows, a reception
checklist item, a document, the outcomes (summary, agreement, follow-up task, coverage) and a travel
application's reference. They only parse what was typed; exchanges.services.activities checks it again
under its lock and saves it (its field errors come back beside the fields)."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from foreign_affairs.accounts.models import FTZArea
from foreign_affairs.admin_pages import DateInput, enterprises
from foreign_affairs.documents.validators import ACCEPT_ATTRIBUTE
from foreign_affairs.security.countries import country_name, destination_choices

from ..models import (
    Activity,
    ActivityDocument,
    ActivityDocumentKind,
    Agreement,
    Coverage,
    FollowUp,
    FriendshipCity,
)
from ..services.activities import FIELDS
from ..workflow import Focus
from .common_activities import office_officers, office_staff, staff_label

# A foreign party may come from Hong Kong, Macao or Taiwan (an overseas-Chinese leaders' exchange, say),
# though no trip abroad goes there; they come first.
REGIONS = ("HK", "MO", "TW")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


def country_choices():
    return [
        ("", "---------"),
        *((code, country_name(code)) for code in REGIONS),
        *destination_choices(),
    ]


class EnterpriseAutocomplete(AutocompleteSelectMultiple):
    """The admin's autocomplete, asking the activities' admin for enterprises of the free trade zone only
    (ActivityAdmin.enterprise_search_view) rather than every organisation."""

    def get_url(self):
        return reverse(f"{self.admin_site.name}:exchanges_activity_enterprises")


class ServiceModelForm(forms.ModelForm):
    """A model's fields as typed. The model's own checks run in the service, under its lock, with its
    other rules: the form neither builds nor validates the instance."""

    def _post_clean(self):
        pass

    def service_data(self, *, changed_only: bool = False) -> dict:
        names = self.changed_data if changed_only else self.fields
        return {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}


class ActivityForm(ServiceModelForm):
    """An activity's fields (services.activities.FIELDS), in the groups an officer thinks in."""

    # The page's sections: (title, hint, fields). The outcomes come after the activity (edit page only).
    sections = [
        (
            _("The activity"),
            "",
            [
                "kind",
                "direction",
                "title_zh",
                "title_en",
                "summary_zh",
                "summary_en",
                "starts_on",
                "ends_on",
                "city",
                "venue",
                "ftz_areas",
                "friendship_city",
                "owner",
            ],
        ),
        (
            _("The foreign party"),
            "",
            [
                "country",
                "foreign_organisation",
                "head_name",
                "head_title",
                "head_rank",
                "members",
                "delegation_size",
            ],
        ),
        (_("Hosts"), "", ["hosts"]),
        (
            _("How the free trade zone was presented"),
            _("What the foreign party was told and shown of the zone: the reports count it."),
            ["zone_presented", "briefing_by", "materials", "enterprises_visited", "focus"],
        ),
        (_("Public calendar"), "", ["public"]),
        (
            _("Outcomes"),
            _("Written after the activity: an activity is reported once its outcomes are written down."),
            ["outcome_summary_zh", "outcome_summary_en"],
        ),
    ]

    class Meta:
        model = Activity
        fields = FIELDS
        widgets = {
            "summary_zh": forms.Textarea(attrs={"rows": 3}),
            "summary_en": forms.Textarea(attrs={"rows": 3}),
            "members": forms.Textarea(attrs={"rows": 4}),
            "hosts": forms.Textarea(attrs={"rows": 3}),
            "materials": forms.Textarea(attrs={"rows": 3}),
            "outcome_summary_zh": forms.Textarea(attrs={"rows": 5}),
            "outcome_summary_en": forms.Textarea(attrs={"rows": 5}),
            "enterprises_visited": EnterpriseAutocomplete(
                Activity._meta.get_field("enterprises_visited"), admin.site
            ),
        }
        help_texts = {
            "title_en": _("A title in Chinese or in English is needed; the public calendar shows both."),
            "enterprises_visited": _(
                "Type a few characters of the enterprise's name to find it. The enterprises visited see the "
                "activity once it is approved."
            ),
            "owner": _("An approval officer; you, when left empty."),
        }

    def __init__(self, *args, outcomes: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not outcomes:
            for name in ("outcome_summary_zh", "outcome_summary_en"):
                del self.fields[name]
        self.fields["ftz_areas"] = forms.MultipleChoiceField(
            label=self.fields["ftz_areas"].label,
            choices=FTZArea.choices,
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
        self.fields["focus"] = forms.MultipleChoiceField(
            label=self.fields["focus"].label,
            choices=Focus.choices,
            widget=forms.CheckboxSelectMultiple,
            required=False,
            help_text=_("What the presentation centred on."),
        )
        self.fields["country"] = forms.ChoiceField(
            label=self.fields["country"].label, choices=country_choices, required=False
        )
        if self.instance.pk:
            self.initial["ftz_areas"] = self.instance.area_codes
            self.initial["focus"] = self.instance.focus_codes
            self.initial["country"] = self.instance.country.code if self.instance.country else ""
        self.fields["enterprises_visited"].queryset = enterprises()
        self.fields["friendship_city"].queryset = FriendshipCity.objects.order_by(
            "henan_name_en", "foreign_name_en", "pk"
        )
        owner = self.fields["owner"]
        owner.queryset = office_officers()
        owner.label_from_instance = staff_label
        for name in ("starts_on", "ends_on"):
            self.fields[name].widget = DateInput()

    def section_rows(self):
        return [
            (title, hint, [self[name] for name in names if name in self.fields])
            for title, hint, names in self.sections
            if any(name in self.fields for name in names)
        ]


class AgendaRowForm(forms.Form):
    """One timed item of the programme. A row left empty is no item."""

    day = forms.DateField(label=pgettext_lazy("agenda", "day"), required=False, widget=DateInput())
    starts_at = forms.TimeField(label=pgettext_lazy("agenda", "from"), required=False, widget=TimeInput())
    ends_at = forms.TimeField(label=pgettext_lazy("agenda", "until"), required=False, widget=TimeInput())
    title_zh = forms.CharField(label=_("item (Chinese)"), max_length=200, required=False)
    title_en = forms.CharField(label=_("item (English)"), max_length=200, required=False)
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    people = forms.CharField(label=_("who takes part"), max_length=300, required=False)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return not any(data.get(name) for name in self.fields if name != "DELETE")

    def item(self) -> dict:
        return {name: self.cleaned_data.get(name) or "" for name in self.fields if name != "DELETE"}


AgendaFormSet = forms.formset_factory(AgendaRowForm, extra=3, can_delete=True, max_num=200)


class ChecklistItemForm(forms.Form):
    """An item of the reception checklist: who does it, by when, a note, and whether it is done."""

    assignee = forms.ModelChoiceField(
        label=_("assigned to"), queryset=None, required=False, empty_label=_("Nobody yet")
    )
    due_on = forms.DateField(label=_("due"), required=False, widget=DateInput())
    note = forms.CharField(label=_("note"), max_length=500, required=False)
    done = forms.BooleanField(label=pgettext_lazy("checklist item", "done"), required=False)

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        field.queryset = staff if staff is not None else office_staff()
        field.label_from_instance = staff_label


class ChecklistAddForm(forms.Form):
    label = forms.CharField(
        label=_("An item of your own"),
        max_length=200,
        help_text=_("What else the reception needs, e.g. a dinner booking or flowers."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "checklist-add")
        super().__init__(*args, **kwargs)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=ActivityDocumentKind.choices)
    file = forms.FileField(
        label=_("file"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        help_text=_("PDF, JPEG or PNG."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "document")
        super().__init__(*args, **kwargs)


class OutcomesForm(ServiceModelForm):
    class Meta:
        model = Activity
        fields = ["outcome_summary_zh", "outcome_summary_en"]
        widgets = {
            "outcome_summary_zh": forms.Textarea(attrs={"rows": 4}),
            "outcome_summary_en": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"outcome_summary_zh": _("What came of the activity, in Chinese or in English.")}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "outcomes")
        super().__init__(*args, **kwargs)


class AgreementForm(ServiceModelForm):
    class Meta:
        model = Agreement
        fields = ["kind", "title", "parties", "signed_on", "document"]
        help_texts = {"document": _("One of the activity's documents, attached above.")}

    def __init__(self, *args, activity=None, **kwargs):
        kwargs.setdefault("prefix", "agreement")
        super().__init__(*args, **kwargs)
        self.fields["signed_on"].widget = DateInput()
        document = self.fields["document"]
        document.queryset = (
            ActivityDocument.objects.filter(application=activity).select_related("document")
            if activity is not None
            else ActivityDocument.objects.none()
        )
        document.label_from_instance = lambda attachment: attachment.document.original_name


class FollowUpForm(ServiceModelForm):
    class Meta:
        model = FollowUp
        fields = ["task", "owner", "due_on"]

    def __init__(self, *args, staff=None, **kwargs):
        kwargs.setdefault("prefix", "follow-up")
        super().__init__(*args, **kwargs)
        self.fields["due_on"].widget = DateInput()
        owner = self.fields["owner"]
        owner.queryset = staff if staff is not None else office_staff()
        owner.label_from_instance = staff_label


class CoverageForm(ServiceModelForm):
    # Checked by the service (a web address starting with http:// or https://), not guessed by the form.
    url = forms.CharField(label=_("link"), max_length=500, widget=forms.URLInput)

    class Meta:
        model = Coverage
        fields = ["url", "outlet", "title", "published_on"]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "coverage")
        super().__init__(*args, **kwargs)
        self.fields["published_on"].widget = DateInput()


class ApplicationLinkForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference of the travel application"),
        max_length=20,
        help_text=_("The outgoing delegation's application, e.g. HNFA-2026-000123."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "application")
        super().__init__(*args, **kwargs)
