"""Pieces the training API's viewsets share: who is office staff or an officer, the 403 given before a body is
read, the answer to a body over Django's limit, and the shared fields of foreign_affairs.api (re-exported)."""

from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from rest_framework import exceptions

from foreign_affairs.accounts.roles import Role
from foreign_affairs.api.fields import IdField, IdListField, person_name, public_url
from foreign_affairs.api.language import LANG, ReaderLanguageMixin

__all__ = [
    "LANG",
    "IdField",
    "IdListField",
    "LargeBodyMixin",
    "ReaderLanguageMixin",
    "is_office",
    "is_officer",
    "person_name",
    "public_url",
    "require_officer",
]


def is_office(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_office_staff)


def is_officer(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.has_role(Role.OFFICER))


def require_officer(request, message: str) -> None:
    """403 before the body is validated: a caller who may not write gets no lesson in the body's rules.
    (The services check again; this only orders the answers.)"""
    if not is_officer(request.user):
        raise exceptions.PermissionDenied(message)


class LargeBodyMixin:
    """A body over Django's size limit answers 400 in the API's error shape, not Django's HTML page."""

    def handle_exception(self, exc):
        if isinstance(exc, RequestDataTooBig):
            exc = exceptions.ParseError(_("The request is too large."))
        return super().handle_exception(exc)
