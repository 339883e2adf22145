"""Placeholder: feeds and sitemap (being written)."""

from django.http import Http404
from django.urls import path


def _todo(request, **kwargs):
    raise Http404


urlpatterns = [
    path("feed.atom", _todo, name="feed_atom"),
    path("feed.json", _todo, name="feed_json"),
    path("sitemap.xml", _todo, name="sitemap"),
]
