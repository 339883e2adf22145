"""Enrolling a travel application's delegation (those who lack valid pre-departure training) in one action."""

from django.http import HttpResponse
from django.urls import path


def placeholder(request, *args, **kwargs):
    return HttpResponse("training")


urlpatterns = [path("delegation/<int:application_id>/", placeholder, name="delegation")]
