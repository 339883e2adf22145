"""The back office of exchanges: one module per kind of record."""

from django.contrib import admin

from ..models import Activity, FriendshipCity, MediaRequest, OverseasContact

# PLACEHOLDER registrations (the back-office pages are being written).
admin.site.register(Activity)
admin.site.register(MediaRequest)
admin.site.register(FriendshipCity)
admin.site.register(OverseasContact)
