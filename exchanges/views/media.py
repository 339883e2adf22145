"""The public interview request form for foreign journalists. PLACEHOLDER: being written."""

from django.http import Http404
from django.urls import path


def _todo(request, **kwargs):
    raise Http404


urlpatterns = [
    path("media/", _todo, name="media_request"),
    path("media/sent/", _todo, name="media_request_sent"),
]
