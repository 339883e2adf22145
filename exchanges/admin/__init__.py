"""The back office of exchanges: one module per kind of record."""

from . import activities, cities, contacts, media

__all__ = ["activities", "cities", "contacts", "media"]
