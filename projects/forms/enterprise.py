"""Forms of the enterprise's own cooperation projects: the project (services.projects.ENTERPRISE_FIELDS, in
four sections), a document of it, and the filters of its list and of its leads.

The form checks what was typed, and the same cross-field rules as the service (a title and a description
in one language at least, an amount with its currency, a partner abroad), so that every problem shows at
once; services.projects decides the rest and its refusals come back beside the fields."""

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from foreign_affairs.accounts.models import FTZArea
from foreign_affairs.documents.validators import ACCEPT_ATTRIBUTE
from foreign_affairs.filters import IdFilter, ListFilterSet, Ordering
from foreign_affairs.forms import PortalForm
from foreign_affairs.security.countries import CHINA, REGIONS_OF_CHINA, country_name, destination_choices

from .. import selectors
from ..models import CURRENCIES, CooperationProject, Industry, Interest, ProjectDocumentKind
from ..services.projects import ENTERPRISE_FIELDS
from ..workflow import Channel, Mode, Publication, Stage

SEARCH_HELP = gettext_lazy(
    "A whole reference (HNCP-2026-00012), words of a title, the partner or the contact."
)


def _with_empty(label, choices) -> list:
    return [("", label), *choices]


def partner_country_choices() -> list:
    """Every country but China, then Hong Kong, Macao and Taiwan under their own heading (the Hong Kong and
    Macao channel's partners are there)."""
    return [
        ("", gettext_lazy("Not decided yet")),
        (gettext_lazy("Countries"), destination_choices()),
        (gettext_lazy("Regions of China"), [(code, country_name(code)) for code in REGIONS_OF_CHINA]),
    ]


class PartnerCountryField(forms.ChoiceField):
    """A partner's country or region. China itself passes the choice check so that the refusal says why
    (the form's clean, as the service) rather than "not one of the available choices"."""

    def valid_value(self, value):
        return value == CHINA or super().valid_value(value)


# The project ---------------------------------------------------------------------------------------------


class ProjectForm(PortalForm):
    """An enterprise's project seeking partners, in four sections: the project, the partner sought, its size
    and the contact (the template lays them out; SECTIONS names them)."""

    title_zh = forms.CharField(
        label=gettext_lazy("Title in Chinese"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "A short name that says what the project is, e.g. “新能源汽车零部件合资项目”."
        ),
    )
    title_en = forms.CharField(
        label=gettext_lazy("Title in English"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "The same title in English, e.g. “Joint venture for new-energy vehicle parts”."
        ),
    )
    description_zh = forms.CharField(
        label=gettext_lazy("Description in Chinese"),
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "What the project is, what your enterprise brings and what kind of partner it seeks."
        ),
    )
    description_en = forms.CharField(
        label=gettext_lazy("Description in English"),
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Partners abroad read this one."),
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Channel"),
        help_text=gettext_lazy(
            "How the project reaches its partners: foreign affairs, overseas Chinese affairs, Hong Kong and "
            "Macao, or a friendship city."
        ),
        error_messages={"required": gettext_lazy("Choose the channel of the project.")},
    )
    ftz_area = forms.ChoiceField(
        label=gettext_lazy("Free trade zone area"),
        choices=FTZArea.choices,
        help_text=gettext_lazy("Where the project takes place."),
    )
    industries = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Industries"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=gettext_lazy("Choose one or more; the office's priority industries come first."),
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("Cooperation mode"),
        error_messages={"required": gettext_lazy("Choose the cooperation mode.")},
    )
    partner_country = PartnerCountryField(
        label=gettext_lazy("Partner country or region (optional)"),
        required=False,
        choices=partner_country_choices,
        help_text=gettext_lazy("The country you seek a partner in; leave it empty if any country will do."),
    )
    partner_city = forms.CharField(
        label=gettext_lazy("City (optional)"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("Where you would like the partner to be, if it matters."),
    )
    partner_organisation = forms.CharField(
        label=gettext_lazy("Partner organisation (optional)"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "If you already have a partner in mind. It is not shown in the public catalogue."
        ),
    )
    amount = forms.DecimalField(
        label=gettext_lazy("Amount (optional)"),
        max_digits=16,
        decimal_places=2,
        min_value=0,
        required=False,
        localize=False,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
        help_text=gettext_lazy("The planned investment or contract value, in whole units, e.g. 12000000."),
    )
    currency = forms.ChoiceField(
        label=gettext_lazy("Currency"),
        required=False,
        help_text=gettext_lazy("Needed when you give an amount."),
    )
    contact_name = forms.CharField(
        label=gettext_lazy("Contact person"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": gettext_lazy("Give the name of the person the office can reach.")},
    )
    contact_email = forms.EmailField(
        label=gettext_lazy("Contact e-mail"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=gettext_lazy("Leads the office forwards to you are sent here too."),
        error_messages={"required": gettext_lazy("Give an e-mail address the office can write to.")},
    )
    contact_phone = forms.CharField(
        label=gettext_lazy("Contact phone (optional)"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    SECTIONS = [
        (
            "project",
            gettext_lazy("The project"),
            [
                "title_zh",
                "title_en",
                "description_zh",
                "description_en",
                "channel",
                "ftz_area",
                "industries",
                "mode",
            ],
        ),
        (
            "partner",
            gettext_lazy("Partner sought"),
            ["partner_country", "partner_city", "partner_organisation"],
        ),
        ("size", gettext_lazy("Size"), ["amount", "currency"]),
        ("contact", gettext_lazy("Contact"), ["contact_name", "contact_email", "contact_phone"]),
    ]

    def __init__(self, *args, project: CooperationProject | None = None, user=None, **kwargs):
        if "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(project, user)
        super().__init__(*args, **kwargs)
        self.project = project
        fields = self.fields
        fields["channel"].choices = _with_empty(_("Choose a channel"), Channel.choices)
        fields["mode"].choices = _with_empty(_("Choose a mode"), Mode.choices)
        fields["currency"].choices = _with_empty(_("No amount"), CURRENCIES)
        kept = set(project.industries.values_list("pk", flat=True)) if project is not None else set()
        self._industry_groups = industry_groups(kept)
        fields["industries"].choices = [
            (label, [(industry.pk, industry.name) for industry in items])
            for label, items in self._industry_groups
        ]

    @staticmethod
    def initial_for(project, user) -> dict:
        if project is not None:
            initial = {name: getattr(project, name) for name in ENTERPRISE_FIELDS if name != "industries"}
            initial["partner_country"] = project.partner_country.code if project.partner_country else ""
            initial["industries"] = list(project.industries.values_list("pk", flat=True))
            return initial
        enterprise = getattr(user, "enterprise", None)
        return {
            "ftz_area": enterprise.ftz_area if enterprise is not None else "",
            "contact_name": (user.get_full_name() or user.get_username()) if user is not None else "",
            "contact_email": getattr(user, "email", ""),
        }

    def sections(self) -> list[dict]:
        return [
            {"id": key, "title": title, "fields": [self[name] for name in names]}
            for key, title, names in self.SECTIONS
        ]

    def industry_options(self) -> list[tuple]:
        """The industries' checkboxes in their groups: [(group label, [bound checkbox, ...]), ...]."""
        by_value = {str(option.data["value"]): option for option in self["industries"]}
        return [
            (label, [by_value[str(industry.pk)] for industry in items if str(industry.pk) in by_value])
            for label, items in self._industry_groups
        ]

    def clean(self):
        data = super().clean()
        get = data.get
        # The service's rules again, so that they show together with the form's own errors.
        if not (get("title_zh") or get("title_en")) and "title_zh" not in self.errors:
            self.add_error("title_zh", _("Give the project a title, in Chinese or in English."))
        if not (get("description_zh") or get("description_en")) and "description_zh" not in self.errors:
            self.add_error("description_zh", _("Describe the project, in Chinese or in English."))
        if get("partner_country") == CHINA:
            self.add_error(
                "partner_country",
                _(
                    "Choose the partner's country or region; for the mainland of China there is no partner "
                    "abroad."
                ),
            )
        if get("amount") is not None and not get("currency") and "currency" not in self.errors:
            self.add_error("currency", _("Give the currency of the amount."))
        if get("currency") and get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", _("Give the amount, or leave the currency empty."))
        return data

    def service_data(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in ENTERPRISE_FIELDS}
        data["industries"] = list(data.get("industries") or [])
        return data


def industry_groups(kept=frozenset()) -> list[tuple]:
    """The industries in use (and those no longer in use that the project keeps), grouped: the office's
    priority industries first, then each area's, then those of every area."""
    industries = list(Industry.objects.filter(Q(active=True) | Q(pk__in=kept)))
    areas = {
        FTZArea.ZHENGZHOU: _("Zhengzhou area"),
        FTZArea.LUOYANG: _("Luoyang area"),
        FTZArea.KAIFENG: _("Kaifeng area"),
    }
    groups = [(_("Priority industries"), [i for i in industries if i.priority and i.active])]
    for area, label in areas.items():
        groups.append((label, [i for i in industries if not i.priority and i.active and i.area == area]))
    shown = {i.pk for _label, items in groups for i in items}
    groups.append((_("Other industries"), [i for i in industries if i.active and i.pk not in shown]))
    groups.append((_("No longer in use"), [i for i in industries if not i.active]))
    return [(label, items) for label, items in groups if items]


# Documents -----------------------------------------------------------------------------------------------


class DocumentForm(PortalForm):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of document"), choices=ProjectDocumentKind.choices)
    file = forms.FileField(
        label=gettext_lazy("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("PDF, JPEG or PNG, at most %(limit)s.") % {
            "limit": filesizeformat(settings.DOCUMENT_MAX_UPLOAD_BYTES)
        }


# The lists -----------------------------------------------------------------------------------------------


class OurProjectFilter(ListFilterSet):
    search = django_filters.CharFilter(
        label=gettext_lazy("Search"), method="filter_search", help_text=SEARCH_HELP
    )
    publication = django_filters.ChoiceFilter(
        label=gettext_lazy("Publication"),
        choices=Publication.choices,
        empty_label=gettext_lazy("All publication states"),
    )
    stage = django_filters.ChoiceFilter(
        label=gettext_lazy("Stage"), choices=Stage.choices, empty_label=gettext_lazy("All stages")
    )
    channel = django_filters.ChoiceFilter(
        label=gettext_lazy("Channel"), choices=Channel.choices, empty_label=gettext_lazy("All channels")
    )
    ordering = Ordering(
        choices=[
            ("-updated_at", gettext_lazy("Recently updated first")),
            ("updated_at", gettext_lazy("Least recently updated first")),
            ("-created_at", gettext_lazy("Newest first")),
            ("reference", gettext_lazy("Reference")),
        ]
    )

    class Meta(ListFilterSet.Meta):
        model = CooperationProject
        fields = []

    def filter_search(self, queryset, name, value):
        term = (value or "").strip()
        if not term:
            return queryset
        # A subquery: the search looks into the enterprises involved, a join that would repeat rows.
        matching = CooperationProject.objects.filter(selectors.project_search_q(term)).values("pk")
        return queryset.filter(pk__in=matching)


class LeadFilter(ListFilterSet):
    project = IdFilter(field_name="project_id", label=gettext_lazy("Project"))

    class Meta(ListFilterSet.Meta):
        model = Interest
        fields = []
