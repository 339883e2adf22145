"""Forms of the overseas sites and stationed staff: the site, the stationing, closing and ending, and the two
lists' search and filters (one definition for the pages and the API, foreign_affairs.filters).

The forms check what was typed; services.sites decides the rest (scoping, dates against the site's open
period, overlaps) and its refusals come back beside the fields."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from foreign_affairs.accounts.models import Organization, Person
from foreign_affairs.filters import IdFilter, ListFilterSet, SearchFilter
from foreign_affairs.forms import PortalForm
from foreign_affairs.security.countries import country_name, destination_choices, validate_destination
from foreign_affairs.typography import annotate

from .. import selectors
from ..models import Site, Stationing
from ..selectors import period_q, site_open_q
from ..services.sites import validate_phone
from ..workflow import SiteKind

SITE_SEARCH_HELP = _("Name, city, address, the security officer or the organisation.")
STATIONING_SEARCH_HELP = _("The person's name or pinyin, the post or the site.")
OPEN_CHOICES = [("open", pgettext_lazy("site", "Open")), ("closed", pgettext_lazy("site", "Closed"))]
PERIOD_CHOICES = [
    ("current", _("Stationed now")),
    ("upcoming", _("Not started yet")),
    ("past", _("Ended")),
]


def _with_empty(label, choices) -> list:
    return [("", label), *choices]


# The lists -------------------------------------------------------------------------------------------------


def site_search_q(term: str) -> Q:
    organizations = Organization.objects.filter(Q(name_zh__icontains=term) | Q(name_en__icontains=term))
    return (
        Q(name__icontains=term)
        | Q(city__icontains=term)
        | Q(address__icontains=term)
        | Q(security_officer__icontains=term)
        | Q(organization__in=organizations.values("pk"))
    )


def stationing_search_q(term: str) -> Q:
    return (
        Q(person__full_name__icontains=term)
        | Q(person__pinyin_name__icontains=term)
        | Q(post__icontains=term)
        | Q(site__name__icontains=term)
    )


class CountryCodeFilter(django_filters.CharFilter):
    """A country by ISO code (any case); on the page a select of the countries of the sites listed."""

    def __init__(self, *, lookup: str = "country", **kwargs):
        self.lookup = lookup
        super().__init__(**kwargs)

    def filter(self, queryset, value):
        code = (value or "").strip().upper()[:2]
        return queryset.filter(**{self.lookup: code}) if code else queryset


class SiteFilter(ListFilterSet):
    search = SearchFilter(site_search_q, help_text=SITE_SEARCH_HELP)
    country = CountryCodeFilter(label=_("Country"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=SiteKind.choices, empty_label=_("All kinds"))
    status = django_filters.ChoiceFilter(
        label=_("Open or closed"),
        choices=OPEN_CHOICES,
        empty_label=_("Open and closed"),
        method="filter_status",
    )
    organization = IdFilter(field_name="organization_id", label=_("Organisation"))

    class Meta(ListFilterSet.Meta):
        model = Site
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        visible = selectors.site_list_for(user) if user is not None else Site.objects.none()
        fields = self.form.fields
        fields["country"].widget = _select(lambda: _country_options(visible))
        fields["organization"].widget = _select(lambda: _organization_options(visible))

    def filter_status(self, queryset, name, value):
        return queryset.filter(site_open_q() if value == "open" else ~site_open_q())


class StationingFilter(ListFilterSet):
    search = SearchFilter(stationing_search_q, help_text=STATIONING_SEARCH_HELP)
    period = django_filters.ChoiceFilter(
        label=_("When"),
        choices=PERIOD_CHOICES,
        empty_label=_("Now, before and later"),
        method="filter_period",
    )
    site = IdFilter(field_name="site_id", label=_("Site"))
    person = IdFilter(field_name="person_id", label=_("Person"))
    country = CountryCodeFilter(lookup="site__country", label=_("Country"))
    organization = IdFilter(field_name="site__organization_id", label=_("Organisation"))

    class Meta(ListFilterSet.Meta):
        model = Stationing
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        visible = selectors.site_list_for(user) if user is not None else Site.objects.none()
        fields = self.form.fields
        fields["site"].widget = _select(
            lambda: _with_empty(
                _("All sites"),
                [
                    (
                        site.pk,
                        annotate(site.name, site.organization.name) if user.is_office_staff else site.name,
                    )
                    for site in visible
                ],
            )
        )
        fields["country"].widget = _select(lambda: _country_options(visible))
        fields["organization"].widget = _select(lambda: _organization_options(visible))

    def filter_period(self, queryset, name, value):
        return queryset.filter(period_q(value))


def _select(choices) -> forms.Select:
    """A select whose options are read when the page renders it (the API never does)."""
    return forms.Select(attrs={"class": "form-select"}, choices=choices)


def _country_options(sites) -> list:
    codes = {str(code) for code in sites.order_by().values_list("country", flat=True).distinct()}
    named = sorted(((code, country_name(code)) for code in codes), key=lambda row: row[1])
    return _with_empty(_("All countries"), named)


def _organization_options(sites) -> list:
    organizations = Organization.objects.filter(pk__in=sites.order_by().values("organization")).order_by(
        "name_zh"
    )
    return _with_empty(_("All organisations"), [(org.pk, org.name) for org in organizations])


# The site ----------------------------------------------------------------------------------------------------


class DestinationField(forms.ChoiceField):
    """A country abroad; China and its regions are refused with the reason rather than as an unknown choice."""

    def validate(self, value):
        if value:
            validate_destination(value)
        super().validate(value)


class SiteForm(PortalForm):
    """A site's details in one column: where it is, who answers for its security, how to reach it."""

    name = forms.CharField(
        label=_("Name of the site"),
        max_length=200,
        help_text=_("As your staff call it, e.g. “Lagos–Kano railway, section 3” or “Dubai office”."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=SiteKind.choices, initial=SiteKind.PROJECT)
    country = DestinationField(label=_("Country"))
    city = forms.CharField(label=_("City"), max_length=100)
    address = forms.CharField(label=_("Address"), max_length=300)
    chinese_staff_count = forms.IntegerField(
        label=_("Chinese staff on site"),
        min_value=0,
        max_value=100000,
        initial=0,
        help_text=_("Everyone of Chinese nationality working there now, including staff of subcontractors."),
    )
    security_officer = forms.CharField(
        label=_("The enterprise's security officer"),
        max_length=100,
        help_text=_("Who answers for the site's security (境外安全负责人)."),
    )
    security_officer_phone = forms.CharField(
        label=_("Security officer's phone"),
        max_length=32,
        help_text=_("With the country code, e.g. +86 138 0000 0000."),
        validators=[validate_phone],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    emergency_phone = forms.CharField(
        label=_("24-hour emergency phone"),
        max_length=32,
        help_text=_("A number that answers day and night, with the country code, e.g. +234 803 000 0000."),
        validators=[validate_phone],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    local_security_contact = forms.CharField(
        label=_("Local security contact (optional)"),
        max_length=200,
        required=False,
        help_text=_("Police station, security company or embassy contact on site: name and phone."),
    )
    opened_on = forms.DateField(
        label=_("Opened on (optional)"),
        required=False,
        widget=forms.DateInput,
        help_text=_("When the site started work; staff can be stationed there from that day."),
    )

    def __init__(self, *args, site: Site | None = None, **kwargs):
        if site is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(site, name) for name in SITE_FORM_FIELDS}
            kwargs["initial"]["country"] = site.country.code
        super().__init__(*args, **kwargs)
        choices = list(destination_choices())
        self.fields["country"].choices = _with_empty(_("Choose a country"), choices)

    def service_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in SITE_FORM_FIELDS}


SITE_FORM_FIELDS = [
    "name",
    "kind",
    "country",
    "city",
    "address",
    "chinese_staff_count",
    "security_officer",
    "security_officer_phone",
    "emergency_phone",
    "local_security_contact",
    "opened_on",
]


class CloseSiteForm(PortalForm):
    closed_on = forms.DateField(
        label=_("Closed on"),
        widget=forms.DateInput,
        help_text=_(
            "The last day the site was in use (today or earlier). Staff still stationed there are recorded "
            "as having left on that day."
        ),
    )

    def clean_closed_on(self):
        closed_on = self.cleaned_data["closed_on"]
        if closed_on > timezone.localdate():
            raise forms.ValidationError(
                _("The date cannot be in the future; close the site once it has closed.")
            )
        return closed_on


# The stationing ------------------------------------------------------------------------------------------------


def person_label(person: Person) -> str:
    return annotate(
        person.full_name, " · ".join(part for part in (person.pinyin_name, person.position) if part)
    )


def site_label(site: Site) -> str:
    return annotate(site.name, site.place)


class StationingForm(PortalForm):
    """A person of the organisation at one of its sites, from a day (until a day, or open-ended)."""

    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=Person.objects.none(),
        empty_label=_("Choose a person"),
        help_text=_("One of your organisation's people. Someone not listed yet is added under People first."),
    )
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.none(), empty_label=_("Choose a site")
    )
    post = forms.CharField(
        label=_("Post"),
        max_length=100,
        help_text=_("The person's job at the site, e.g. project manager, cook."),
    )
    starts_on = forms.DateField(label=_("Stationed from"), widget=forms.DateInput)
    ends_on = forms.DateField(
        label=_("Until (optional)"),
        required=False,
        widget=forms.DateInput,
        help_text=_("Leave empty while the stationing is open-ended; end it when the person leaves."),
    )

    def __init__(self, *args, organization, stationing: Stationing | None = None, **kwargs):
        if stationing is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "person": stationing.person_id,
                "site": stationing.site_id,
                "post": stationing.post,
                "starts_on": stationing.starts_on,
                "ends_on": stationing.ends_on,
            }
        super().__init__(*args, **kwargs)
        self.stationing = stationing
        person = self.fields["person"]
        if stationing is not None:
            # Another person is another stationing: the person stays as registered.
            del self.fields["person"]
        else:
            person.queryset = Person.objects.filter(organization=organization).order_by("full_name", "pk")
            person.label_from_instance = person_label
        site = self.fields["site"]
        sites = Site.objects.filter(organization=organization)
        if stationing is None:
            sites = sites.filter(site_open_q())
        else:
            sites = sites.filter(site_open_q() | Q(pk=stationing.site_id))
        site.queryset = sites.order_by("name", "pk")
        site.label_from_instance = site_label

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end date must be on or after the start date."))
        return data

    def service_data(self) -> dict:
        names = ["site", "post", "starts_on", "ends_on"] + (["person"] if self.stationing is None else [])
        return {name: self.cleaned_data.get(name) for name in names}


class EndStationingForm(PortalForm):
    ends_on = forms.DateField(
        label=_("Left the site on"),
        widget=forms.DateInput,
        help_text=_("The person's last day at the site."),
    )
