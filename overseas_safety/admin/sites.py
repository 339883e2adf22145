"""The registry of overseas sites and stationed staff in the back office.

Enterprises register their sites and staff through their liaison (pages and API); here officers look
through every organisation's and correct what is wrong, through the same services (checked, locked,
audited). Nothing is added or deleted here: a site is closed (`closed_on`), a stationing ended (`ends_on`).
Leaders and managers read (their roles hold the view permissions only).
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from foreign_affairs.accounts.selectors import scope_for_user
from foreign_affairs.admin_queue import TermSearchMixin
from foreign_affairs.security.countries import country_name, destination_choices

from ..forms.sites import (
    PERIOD_CHOICES,
    SITE_SEARCH_HELP,
    STATIONING_SEARCH_HELP,
    site_search_q,
    stationing_search_q,
)
from ..models import Site, Stationing
from ..selectors import period_of, period_q, site_open_q, with_stationed_now
from ..services import sites as services

# Filters ---------------------------------------------------------------------------------------------------


class CountryFilter(admin.SimpleListFilter):
    """The countries that occur in the list (one query over the indexed column), by name."""

    title = _("country")
    parameter_name = "country"
    lookup = "country"

    def lookups(self, request, model_admin):
        codes = model_admin.get_queryset(request).order_by().values_list(self.lookup, flat=True).distinct()
        return sorted(((str(code), country_name(code)) for code in codes), key=lambda item: item[1])

    def queryset(self, request, queryset):
        return queryset.filter(**{self.lookup: self.value()}) if self.value() else queryset


class SiteCountryFilter(CountryFilter):
    lookup = "site__country"


class OpenFilter(admin.SimpleListFilter):
    title = pgettext_lazy("site", "open")
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return [("yes", pgettext_lazy("site", "Open")), ("no", pgettext_lazy("site", "Closed"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(site_open_q())
        if self.value() == "no":
            return queryset.exclude(site_open_q())
        return queryset


class PeriodFilter(admin.SimpleListFilter):
    title = _("when")
    parameter_name = "period"

    def lookups(self, request, model_admin):
        return PERIOD_CHOICES

    def queryset(self, request, queryset):
        return queryset.filter(period_q(self.value())) if self.value() else queryset


# Forms: the services' rules beside the fields, before anything is saved --------------------------------------


class SiteAdminForm(forms.ModelForm):
    class Meta:
        model = Site
        fields = services.SITE_FIELDS

    def _post_clean(self):
        super()._post_clean()
        try:
            services.site_check(self.instance)
        except ValidationError as error:
            self._update_errors(error)


class StationingAdminForm(forms.ModelForm):
    class Meta:
        model = Stationing
        fields = services.STATIONING_FIELDS

    def _post_clean(self):
        super()._post_clean()
        if self.instance.site_id is None or self.instance.person_id is None:
            return
        try:
            services.stationing_check(self.instance)
        except ValidationError as error:
            self._update_errors(error)


def _changes(form, fields) -> dict:
    return {field: form.cleaned_data[field] for field in form.changed_data if field in fields}


# The admins ------------------------------------------------------------------------------------------------


class RegistryAdmin(TermSearchMixin, admin.ModelAdmin):
    """What both lists share: scoped, searched with the pages' search, no adding or deleting here."""

    list_per_page = 50
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    empty_value_display = "—"
    search_q = None

    def search_filter(self, term: str):
        return self.search_q(term)

    def has_add_permission(self, request):
        # Enterprises register their sites and staff (their liaison); the office corrects them.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Site)
class SiteAdmin(RegistryAdmin):
    form = SiteAdminForm
    list_display = [
        "name",
        "organization",
        "kind",
        "country_label",
        "city",
        "security_officer",
        "emergency_phone",
        "stationed_now",
        "status",
    ]
    list_filter = [CountryFilter, "kind", ("organization", admin.RelatedOnlyFieldListFilter), OpenFilter]
    search_fields = ["name"]  # turns the box on; search_filter searches
    search_q = staticmethod(site_search_q)
    search_help_text = SITE_SEARCH_HELP
    list_select_related = ["organization"]
    ordering = ["organization__name_zh", "country", "name", "pk"]
    readonly_fields = ["organization", "created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {"fields": ["organization", "name", "kind", "country", "city", "address", "chinese_staff_count"]},
        ),
        (
            _("Security and emergencies"),
            {
                "fields": [
                    "security_officer",
                    "security_officer_phone",
                    "emergency_phone",
                    "local_security_contact",
                ]
            },
        ),
        (_("Period"), {"fields": ["opened_on", "closed_on"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return with_stationed_now(scope_for_user(super().get_queryset(request), request.user))

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "country":
            # The portal's names and order, destinations abroad only (not django-countries' own list).
            kwargs["choices"] = [("", "---------"), *destination_choices()]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    @admin.display(description=_("country"), ordering="country")
    def country_label(self, site):
        return country_name(site.country.code)

    @admin.display(description=_("stationed now"), ordering="stationed_now")
    def stationed_now(self, site):
        return site.stationed_now

    @admin.display(description=pgettext_lazy("site", "open"), ordering="closed_on")
    def status(self, site):
        if site.closed_on:
            return format_html(
                '<span class="state-tag state-neutral">{}</span>', pgettext_lazy("site", "Closed")
            )
        return format_html('<span class="state-tag state-success">{}</span>', pgettext_lazy("site", "Open"))

    def save_model(self, request, obj, form, change):
        """Through the service: checked again under the lock, saved, audited (closing ends the stationings
        that run past the closing day)."""
        services.site_update(site=obj, actor=request.user, data=_changes(form, services.SITE_FIELDS))


@admin.register(Stationing)
class StationingAdmin(RegistryAdmin):
    form = StationingAdminForm
    list_display = ["person_name", "site", "organization", "post", "starts_on", "ends_on", "period"]
    list_filter = [
        PeriodFilter,
        SiteCountryFilter,
        ("site__organization", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["post"]  # turns the box on; search_filter searches
    search_q = staticmethod(stationing_search_q)
    search_help_text = STATIONING_SEARCH_HELP
    list_select_related = ["person", "site", "site__organization"]
    ordering = ["site__name", "person__full_name", "-starts_on", "pk"]
    raw_id_fields = ["site"]
    readonly_fields = ["person", "created_at", "updated_at"]
    fields = ["site", "person", "post", "starts_on", "ends_on", "created_at", "updated_at"]

    def get_queryset(self, request):
        return scope_for_user(super().get_queryset(request), request.user)

    @admin.display(description=_("person"), ordering="person__full_name")
    def person_name(self, stationing):
        return stationing.person.full_name

    @admin.display(description=_("organisation"), ordering="site__organization__name_zh")
    def organization(self, stationing):
        return stationing.site.organization

    @admin.display(description=_("when"))
    def period(self, stationing):
        return dict(PERIOD_CHOICES)[period_of(stationing)]

    def save_model(self, request, obj, form, change):
        services.stationing_update(
            stationing=obj, actor=request.user, data=_changes(form, services.STATIONING_FIELDS)
        )
