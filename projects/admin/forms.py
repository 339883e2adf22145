"""The back office's forms of cooperation projects. They only parse what the officer typed; the services
check it again under their lock and save it (projects.services)."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from foreign_affairs import typography
from foreign_affairs.accounts.models import User
from foreign_affairs.accounts.roles import Role
from foreign_affairs.admin_pages import DateInput, enterprises
from foreign_affairs.documents.validators import ACCEPT_ATTRIBUTE
from foreign_affairs.security.countries import country_name, destination_choices

from ..models import Achievement, CooperationProject, Industry, ProjectDocumentKind
from ..services.achievements import FIELDS as ACHIEVEMENT_FIELDS
from ..services.projects import OFFICE_FIELDS

# Hong Kong, Macao and Taiwan are no destinations of a trip abroad, but a project of the "Hong Kong and
# Macao" channel has its partner there; they come first.
REGIONS = ("HK", "MO", "TW")


def partner_country_choices():
    return [
        ("", "---------"),
        *((code, country_name(code)) for code in REGIONS),
        *destination_choices(),
    ]


def office_officers():
    """Active users holding the Officer role in person: who may own a project."""
    return User.objects.filter(is_active=True, groups__name=Role.OFFICER).order_by("last_name", "username")


class EnterpriseAutocomplete(AutocompleteSelectMultiple):
    """The admin's autocomplete, asking the projects' admin for enterprises of the free trade zone only
    (CooperationProjectAdmin.enterprise_search_view) rather than every organisation."""

    def get_url(self):
        return reverse(f"{self.admin_site.name}:projects_cooperationproject_enterprises")


class ProjectForm(forms.ModelForm):
    """A project's fields an officer keeps (services.projects.OFFICE_FIELDS)."""

    # The page's sections: (title, fields).
    sections = [
        (_("Title and description"), ["title_zh", "title_en", "description_zh", "description_en"]),
        (_("Classification"), ["channel", "ftz_area", "industries", "mode", "friendship_city"]),
        (
            _("Partner and size"),
            ["partner_country", "partner_city", "partner_organisation", "amount", "currency"],
        ),
        (_("Enterprises and contact"), ["enterprises", "contact_name", "contact_email", "contact_phone"]),
        (_("Follow-up by the office"), ["owner", "next_step", "next_step_due", "signed_on"]),
    ]

    class Meta:
        model = CooperationProject
        fields = OFFICE_FIELDS
        widgets = {
            "description_zh": forms.Textarea(attrs={"rows": 5}),
            "description_en": forms.Textarea(attrs={"rows": 5}),
            "industries": forms.CheckboxSelectMultiple,
            "enterprises": EnterpriseAutocomplete(
                CooperationProject._meta.get_field("enterprises"), admin.site
            ),
        }
        help_texts = {
            "title_en": _("Both languages' title and description are needed to publish."),
            "enterprises": _("Type a few characters of the enterprise's name to find it."),
            "next_step": _("What the owner does next, and by when: the queue shows it in red once late."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner_country"] = forms.ChoiceField(
            label=self.fields["partner_country"].label,
            choices=partner_country_choices,
            required=False,
        )
        industries = self.fields["industries"]
        chosen = [industry.pk for industry in self.instance.industries.all()] if self.instance.pk else []
        # Industries no longer in use stay on the projects filed under them.
        industries.queryset = Industry.objects.filter(active=True) | Industry.objects.filter(pk__in=chosen)
        industries.label_from_instance = lambda industry: industry.name
        self.fields["enterprises"].queryset = enterprises()
        owner = self.fields["owner"]
        owner.queryset = office_officers()
        owner.label_from_instance = lambda user: typography.annotate(
            user.get_full_name() or user.username, user.username
        )
        for name in ("next_step_due", "signed_on"):
            self.fields[name].widget = DateInput()

    def section_rows(self):
        return [(title, [self[name] for name in names]) for title, names in self.sections]

    def service_data(self, *, changed_only: bool) -> dict:
        names = self.changed_data if changed_only else self.fields
        return {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}


class StageForm(forms.Form):
    """The next step set as the project moves along the pipeline (services.projects.stage_run's `data`)."""

    next_step = forms.CharField(
        label=_("next step"),
        max_length=300,
        required=False,
        help_text=_("Optional: what follows this step. Left empty, the next step stays as it is."),
    )
    next_step_due = forms.DateField(label=_("next step due"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "stage")
        super().__init__(*args, **kwargs)

    def service_data(self) -> dict | None:
        data = {name: value for name, value in self.cleaned_data.items() if value}
        return data or None


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Add a note"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For the office only: neither the enterprises nor the public read the notes."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "note")
        super().__init__(*args, **kwargs)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=ProjectDocumentKind.choices)
    file = forms.FileField(
        label=_("file"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        help_text=_("PDF, JPEG or PNG."),
    )
    public = forms.BooleanField(
        label=_("shown on the public page"),
        required=False,
        help_text=_("Images and brochures the public may see once the project is published."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "document")
        super().__init__(*args, **kwargs)


class ImageForm(forms.Form):
    file = forms.ImageField(
        label=_("image"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
        help_text=_("JPEG or PNG. The images show once the achievement is published."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "image")
        super().__init__(*args, **kwargs)


class AchievementForm(forms.ModelForm):
    """A development achievement's fields (services.achievements.FIELDS)."""

    sections = [
        (_("Title and story"), ["title_zh", "title_en", "description_zh", "description_en"]),
        (_("Classification"), ["channel", "ftz_area", "happened_on", "projects"]),
    ]

    class Meta:
        model = Achievement
        fields = ACHIEVEMENT_FIELDS
        widgets = {
            "description_zh": forms.Textarea(attrs={"rows": 8}),
            "description_en": forms.Textarea(attrs={"rows": 8}),
            "projects": AutocompleteSelectMultiple(Achievement._meta.get_field("projects"), admin.site),
        }
        help_texts = {
            "title_en": _("Both languages' title and story are needed to publish."),
            "projects": _("The projects the story tells of: type a reference or words of a title."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["happened_on"].widget = DateInput()

    def section_rows(self):
        return [(title, [self[name] for name in names]) for title, names in self.sections]

    def service_data(self, *, changed_only: bool) -> dict:
        names = self.changed_data if changed_only else self.fields
        return {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}
