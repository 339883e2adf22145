"""Pieces the cooperation-project API's viewsets share: who reads what in full, the reader's language
(`?lang=` or Accept-Language), absolute public addresses, names of people and countries."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, serializers

from foreign_affairs.security.countries import country_name

from ..filters import is_office
from ..workflow import is_involved

__all__ = [
    "ID_MAX",
    "LANG",
    "IdField",
    "IdListField",
    "ReaderLanguageMixin",
    "country_label",
    "is_office",
    "person_name",
    "public_url",
    "shows_in_full",
    "valid_country",
]

LANGUAGES = [code for code, _name in settings.LANGUAGES]
LANG = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=LANGUAGES,
    description="The language of `title`, `description` and names (default: Accept-Language, else Chinese).",
)


def shows_in_full(project, user) -> bool:
    """Office staff, and the members of an enterprise involved, read a project in full."""
    return is_office(user) or is_involved(project, user)


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


class ReaderLanguageMixin:
    """`?lang=zh-hans|en` chooses the language of the answer over Accept-Language (PortalLocaleMiddleware
    reads that one); an unknown language answers 400."""

    def dispatch(self, request, *args, **kwargs):
        given = request.GET.get("lang", "")
        self.reader_language = None
        self.reader_language_invalid = False
        if given:
            try:
                self.reader_language = translation.get_supported_language_variant(given.strip().lower())
            except LookupError:
                self.reader_language_invalid = True
        if self.reader_language is None:
            return super().dispatch(request, *args, **kwargs)
        with translation.override(self.reader_language):
            request.LANGUAGE_CODE = self.reader_language
            response = super().dispatch(request, *args, **kwargs)
            if callable(getattr(response, "render", None)):
                response.render()  # in the chosen language, not the one the middleware activated
        response["Content-Language"] = self.reader_language
        return response

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.reader_language_invalid:
            raise exceptions.ValidationError(
                {"lang": [_("Choose one of: %(languages)s.") % {"languages": ", ".join(LANGUAGES)}]}
            )


def shape_schema(resource: str, shape: str) -> dict:
    """The schema of a `shape` field: its one value, as an enum of its own per resource and shape (the
    choice sets of `view` in the foreign-organisation API hold the same values under another name)."""
    return {"type": "string", "enum": [shape], "x-spec-enum-id": f"{resource}-{shape}-shape"}
