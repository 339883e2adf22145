"""STUB."""

from django.http import HttpResponse
from django.urls import path

urlpatterns = [
    path("", lambda request: HttpResponse("guide"), name="guide"),
    path("enquiry/", lambda request: HttpResponse("enquiry"), name="enquiry"),
]
