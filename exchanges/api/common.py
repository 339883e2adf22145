"""Pieces the exchanges API's viewsets share: who is office staff or an officer, the reader's language and
the id fields (foreign_affairs.api's), countries, people's names, the JSON-only parsing of
every write, and the check that answers 403 before a body is read from someone who may not write at all.
"""

from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.response import Response

from foreign_affairs.accounts.roles import Role
from foreign_affairs.api.fields import (
    IdField,
    IdListField,
    person_name,
    public_url,
    shape_schema,
    valid_country,
)
from foreign_affairs.api.language import LANG, ReaderLanguageMixin
from foreign_affairs.security.countries import country_name

__all__ = [
    "LANG",
    "CountryMixin",
    "IdField",
    "IdListField",
    "IsOfficeStaffForList",
    "LargeBodyMixin",
    "ReaderLanguageMixin",
    "country_label",
    "is_office",
    "is_officer",
    "person_name",
    "public_url",
    "require_officer",
    "shape_schema",
    "valid_country",
]


def is_office(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_office_staff)


def is_officer(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_role(Role.OFFICER))


def require_officer(request, message: str) -> None:
    """403 before the body is validated: a caller who may not write gets no lesson in the body's rules.
    (The services check again; this only orders the answers.)"""
    if not is_officer(request.user):
        raise exceptions.PermissionDenied(message)


class IsOfficeStaffForList(permissions.IsAuthenticated):
    """Signed in; the list and new records are the office's (others 403, and 404 for one record, which
    the viewset's queryset leaves out)."""

    message = gettext_lazy("Only the staff of the Foreign Affairs Office see this.")

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        return view.action not in ("list", "create") or is_office(request.user)


class TwoShapesMixin:
    """A resource office staff read in full (`full_serializer`) and everyone else in a narrower shape
    (`outside_serializer`): one place that picks the shape for lists, details and write answers."""

    full_serializer = None
    outside_serializer = None

    def shown(self, obj) -> dict:
        serializer = self.full_serializer if is_office(self.request.user) else self.outside_serializer
        return serializer(obj, context=self.get_serializer_context()).data

    def detail_response(self, obj, status_code=status.HTTP_200_OK):
        return Response(self.shown(self.get_queryset().get(pk=obj.pk)), status=status_code)

    def shaped_page(self):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response([self.shown(obj) for obj in page])


class LargeBodyMixin:
    """A body over Django's size limit answers 400 in the API's error shape, not Django's HTML page."""

    def handle_exception(self, exc):
        if isinstance(exc, RequestDataTooBig):
            exc = exceptions.ParseError(_("The request is too large."))
        return super().handle_exception(exc)


class CountryMixin(serializers.Serializer):
    """`country` (ISO 3166-1 code) and `country_name` (in the reader's language) of a row with a
    CountryField named `country`."""

    country = serializers.SerializerMethodField()
    country_name = serializers.SerializerMethodField()

    def get_country(self, obj) -> str:
        """ISO 3166-1 code, e.g. DE ("" when none is given)."""
        return obj.country.code or ""

    def get_country_name(self, obj) -> str:
        """In the reader's language."""
        return country_label(obj.country)


def country_label(country) -> str:
    """A CountryField's value in the reader's language ("" when none)."""
    return country_name(country.code) if country else ""
