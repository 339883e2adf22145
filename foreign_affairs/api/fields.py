"""Fields and values the areas' API serializers share: ids, countries, people's names, absolute public
addresses and the schema of a `shape` field."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django_countries import countries
from rest_framework import serializers

from foreign_affairs.security.countries import country_name


def person_name(user) -> str | None:
    """Who it is, as people read it (None when nobody)."""
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


def country_label(country) -> str:
    """A CountryField's value in the reader's language ("" when none)."""
    return country_name(country.code) if country else ""


ID_MAX = 2**63 - 1


class IdField(serializers.IntegerField):
    """An object's id (a whole number the database holds); shown from an object too (the browsable API
    fills its forms with the object being changed)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return super().to_representation(getattr(value, "pk", value))


class IdListField(serializers.ListField):
    """Ids of related objects (a many-to-many field's, when shown)."""

    child = IdField()

    def to_representation(self, data):
        if hasattr(data, "all"):
            data = [obj.pk for obj in data.all()]
        return super().to_representation(data)


def valid_country(value: str) -> str:
    """An ISO 3166-1 code, upper-cased, or a 400 (the model checks it too, after the other fields)."""
    code = (value or "").strip().upper()
    if code and code not in countries:
        raise serializers.ValidationError(_("Give the country or region as its ISO 3166-1 code, e.g. DE."))
    return code


def public_url(view_name: str, *args) -> str:
    """The absolute address of a public page or file (the shareable link feeds and e-mails give too)."""
    return f"{settings.PORTAL_BASE_URL}{reverse(view_name, args=args)}"


def shape_schema(resource: str, shape: str) -> dict:
    """The schema of a `shape` field: its one value, as an enum of its own per resource and shape (the
    choice sets of `view` in the foreign-organisation API hold the same values under another name)."""
    return {"type": "string", "enum": [shape], "x-spec-enum-id": f"{resource}-{shape}-shape"}
