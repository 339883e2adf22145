"""The public calendar as iCalendar and the area's sitemap. PLACEHOLDER: being written."""

from django.http import Http404
from django.urls import path


def _todo(request, **kwargs):
    raise Http404


urlpatterns = [
    path("calendar.ics", _todo, name="calendar_ics"),
    path("sitemap.xml", _todo, name="sitemap"),
]
