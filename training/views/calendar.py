"""The calendar of upcoming sessions (public), a course, a session and enrolling in it."""

from django.http import HttpResponse
from django.urls import path


def placeholder(request, *args, **kwargs):
    return HttpResponse("training")


urlpatterns = [
    path("", placeholder, name="calendar"),
    path("courses/<int:pk>/", placeholder, name="course"),
    path("sessions/<int:pk>/", placeholder, name="session"),
    path("sessions/<int:pk>/enrol/", placeholder, name="enrol"),
    path("materials/<int:pk>/", placeholder, name="material"),
]
