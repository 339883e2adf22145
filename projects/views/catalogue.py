"""Placeholder: the public catalogue (being written)."""

from django.http import Http404
from django.urls import path, re_path

REFERENCE = r"(?P<reference>HNCP-\d{4}-\d{5})"
ACHIEVEMENT = r"(?P<reference>HNCA-\d{4}-\d{5})"


def _todo(request, **kwargs):
    raise Http404


urlpatterns = [
    path("", _todo, name="catalogue"),
    path("interest/sent/", _todo, name="interest_sent"),
    path("achievements/", _todo, name="achievements"),
    re_path(rf"^achievements/{ACHIEVEMENT}/$", _todo, name="achievement"),
    re_path(rf"^achievements/{ACHIEVEMENT}/images/(?P<pk>\d+)/$", _todo, name="achievement_image"),
    re_path(rf"^{REFERENCE}/$", _todo, name="detail"),
    re_path(rf"^{REFERENCE}/interest/$", _todo, name="interest"),
    re_path(rf"^{REFERENCE}/files/(?P<pk>\d+)/$", _todo, name="public_file"),
]
