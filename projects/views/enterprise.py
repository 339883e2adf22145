"""Placeholder: the enterprise's projects and leads (being written)."""

from django.http import Http404
from django.urls import path


def _todo(request, **kwargs):
    raise Http404


urlpatterns = [
    path("our/", _todo, name="our_list"),
    path("our/new/", _todo, name="our_create"),
    path("our/<int:pk>/", _todo, name="our_detail"),
    path("our/<int:pk>/edit/", _todo, name="our_edit"),
    path("our/<int:pk>/submit/", _todo, name="our_submit"),
    path("our/<int:pk>/documents/", _todo, name="our_document_add"),
    path("our/<int:pk>/documents/<int:document_pk>/remove/", _todo, name="our_document_remove"),
    path("leads/", _todo, name="lead_list"),
    path("leads/<int:pk>/", _todo, name="lead_detail"),
]
