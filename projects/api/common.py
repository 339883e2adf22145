"""Pieces the cooperation-project API's viewsets share: who reads what in full; the reader's language and the
shared fields come from foreign_affairs.api (re-exported here for the area's modules)."""

from foreign_affairs.api.fields import (
    ID_MAX,
    IdField,
    IdListField,
    country_label,
    person_name,
    public_url,
    shape_schema,
    valid_country,
)
from foreign_affairs.api.language import LANG, LANGUAGES, ReaderLanguageMixin

from ..filters import is_office
from ..workflow import is_involved

__all__ = [
    "ID_MAX",
    "LANG",
    "LANGUAGES",
    "IdField",
    "IdListField",
    "ReaderLanguageMixin",
    "country_label",
    "is_office",
    "person_name",
    "public_url",
    "shape_schema",
    "shows_in_full",
    "valid_country",
]


def shows_in_full(project, user) -> bool:
    """Office staff, and the members of an enterprise involved, read a project in full."""
    return is_office(user) or is_involved(project, user)
