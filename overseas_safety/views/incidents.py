"""Pages of overseas safety: incidents (being built)."""

from django.http import Http404
from django.urls import path


def incident_detail(request, pk):  # placeholder until the enterprise pages exist
    raise Http404


urlpatterns = [path("incidents/<int:pk>/", incident_detail, name="incident_detail")]
