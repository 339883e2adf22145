"""The overseas-Chinese contacts' list filters and search, and those of their access log. The list shows
and searches the name, the country and the association only: a contact's phone, e-mail and WeChat are read
on the contact's page, where the look is logged."""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from foreign_affairs.accounts.models import User
from foreign_affairs.admin_queue import CountryInUseFilter

from ..models import ContactAccess, consent_recorded_q

CONTACT_SEARCH_HELP = _("A whole reference (HNOC-2026-00012), or words of the name or the association.")
ACCESS_SEARCH_HELP = _("A contact's whole reference (HNOC-2026-00012).")


def contact_search_q(term: str) -> Q:
    term = (term or "").strip()
    if not term:
        return Q()
    return (
        Q(reference__iexact=term)
        | Q(name_zh__icontains=term)
        | Q(name_latin__icontains=term)
        | Q(association__icontains=term)
    )


def access_search_q(term: str) -> Q:
    term = (term or "").strip()
    return Q(reference__iexact=term) if term else Q()


class ContactCountryFilter(CountryInUseFilter):
    """The countries the contacts live in."""

    title = _("country of residence")
    parameter_name = "country"


class ConsentFilter(admin.SimpleListFilter):
    """Consent recorded (agreed, dated, how) or not: contacts registered before it was asked lack it."""

    title = _("consent")
    parameter_name = "consent"

    def lookups(self, request, model_admin):
        return [("yes", _("Recorded")), ("no", _("Consent not recorded"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(consent_recorded_q())
        if self.value() == "no":
            return queryset.exclude(consent_recorded_q())
        return queryset


class ViewerFilter(admin.SimpleListFilter):
    """The office staff who looked at contacts' details (one query)."""

    title = _("viewed by")
    parameter_name = "viewer"

    def lookups(self, request, model_admin):
        viewers = User.objects.filter(pk__in=ContactAccess.objects.values("viewer")).order_by(
            "last_name", "first_name", "username"
        )
        return [(str(user.pk), user.get_full_name() or user.username) for user in viewers]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(viewer_id=int(self.value()))
        return queryset
