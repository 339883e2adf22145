"""The back office of cooperation projects (placeholder registrations until the back office lands)."""

from django.contrib import admin

from ..models import CooperationProject, Interest

admin.site.register(CooperationProject)
admin.site.register(Interest)
