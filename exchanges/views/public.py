"""Public pages of exchanges (no account): the calendar of public events, an event's page, the friendship
cities and a city's page. PLACEHOLDER: being written."""

from django.http import Http404
from django.urls import path


def _todo(request, **kwargs):
    raise Http404


urlpatterns = [
    path("", _todo, name="calendar"),
    path("events/<str:reference>/", _todo, name="event_detail"),
    path("friendship-cities/", _todo, name="cities"),
    path("friendship-cities/<slug:slug>/", _todo, name="city_detail"),
]
