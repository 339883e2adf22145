"""STUB."""

from django.http import HttpResponse
from django.urls import path

urlpatterns = [
    path("directory/", lambda request: HttpResponse("directory"), name="directory"),
    path("directory/<int:pk>/", lambda request, pk: HttpResponse("org"), name="directory_detail"),
]
