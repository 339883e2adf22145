"""PLACEHOLDER: the back office of OverseasContact (being written)."""

from django.contrib import admin

from ..models import OverseasContact

admin.site.register(OverseasContact)
