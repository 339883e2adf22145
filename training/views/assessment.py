"""The assessment of an attended course: one page of multiple-choice questions, scored on submission."""

from django.http import HttpResponse
from django.urls import path


def placeholder(request, *args, **kwargs):
    return HttpResponse("training")


urlpatterns = [path("enrolments/<int:pk>/assessment/", placeholder, name="assessment")]
