"""My training, the organisation's learning records, an enrolment (cancel) and the certificate's download."""

from django.http import HttpResponse
from django.urls import path


def placeholder(request, *args, **kwargs):
    return HttpResponse("training")


urlpatterns = [
    path("my/", placeholder, name="my"),
    path("people/", placeholder, name="people"),
    path("people/<int:pk>/", placeholder, name="person"),
    path("enrolments/<int:pk>/", placeholder, name="enrolment"),
    path("enrolments/<int:pk>/cancel/", placeholder, name="cancel"),
    path("certificates/<int:pk>/download/", placeholder, name="certificate"),
]
