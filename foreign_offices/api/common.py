"""Pieces the foreign-organisation API's viewsets share: the country of a row, a user's display name, the
filters every list has, and the organisation a foreign organisation's member files for."""

import django_filters
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from foreign_affairs.security.countries import country_name

from .. import selectors
from ..models import ForeignOrganisation


def is_office(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_office_staff)


def person_name(user) -> str | None:
    """Who did it, as people read it (None when nobody or the portal itself)."""
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


class CountryMixin(serializers.Serializer):
    """`country` (ISO 3166-1 code) and `country_name` (in the caller's language) of a row with a
    CountryField named `country`."""

    country = serializers.SerializerMethodField()
    country_name = serializers.SerializerMethodField()

    def get_country(self, obj) -> str:
        """ISO 3166-1 code, e.g. DE."""
        return obj.country.code or ""

    def get_country_name(self, obj) -> str:
        """In the caller's language."""
        return country_name(obj.country.code) if obj.country.code else ""


class CountryCodeFilter(django_filters.CharFilter):
    """A country by its ISO 3166-1 code, any case."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Country"))
        kwargs.setdefault("help_text", "ISO 3166-1 code, e.g. DE")
        super().__init__(**kwargs)

    def filter(self, queryset, value):
        code = (value or "").strip().upper()[:2]
        return queryset.filter(**{self.field_name: code}) if code else queryset


def organisation_for_filing(user, given: int | None) -> ForeignOrganisation:
    """The registry entry a request files for: the member's own (a different `given` is a 400), or for
    office staff the one they name (required). Others: 403."""
    if is_office(user):
        if given is None:
            raise serializers.ValidationError({"organisation": _("Choose the organisation concerned.")})
        organisation = ForeignOrganisation.objects.filter(pk=given).first()
        if organisation is None:
            raise serializers.ValidationError({"organisation": _("There is no such organisation.")})
        return organisation
    organisation = selectors.organisation_of(user)
    if organisation is None:
        raise PermissionDenied(_("Only a foreign organisation registered in Henan files this."))
    if given is not None and given != organisation.pk:
        raise serializers.ValidationError({"organisation": _("You file for your own organisation only.")})
    return organisation
