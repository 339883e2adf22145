"""Pages of overseas safety: sites (being built)."""

from django.http import Http404
from django.urls import path


def site_detail(request, pk):  # placeholder until the enterprise pages exist
    raise Http404


urlpatterns = [path("sites/<int:pk>/", site_detail, name="site_detail")]
