"""PLACEHOLDER: the back office of FriendshipCity (being written)."""

from django.contrib import admin

from ..models import FriendshipCity

admin.site.register(FriendshipCity)
