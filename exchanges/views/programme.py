"""The bilingual programme PDF of an activity. PLACEHOLDER: being written."""

from django.http import Http404
from django.urls import path


def _todo(request, **kwargs):
    raise Http404


urlpatterns = [
    path("activities/<int:pk>/programme.pdf", _todo, name="programme_pdf"),
]
