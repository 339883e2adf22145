"""Enterprise pages: the activities that visit the user's enterprise. PLACEHOLDER: being written."""

from django.http import Http404
from django.urls import path


def _todo(request, **kwargs):
    raise Http404


urlpatterns = [
    path("visits/", _todo, name="visits"),
    path("visits/<int:pk>/", _todo, name="visit_detail"),
]
