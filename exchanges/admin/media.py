"""PLACEHOLDER: the back office of MediaRequest (being written)."""

from django.contrib import admin

from ..models import MediaRequest

admin.site.register(MediaRequest)
