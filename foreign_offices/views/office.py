"""STUB."""

from django.http import HttpResponse
from django.urls import path

urlpatterns = [
    path("my/", lambda request: HttpResponse("my"), name="my_office"),
    path("my/<int:pk>/", lambda request, pk: HttpResponse("my"), name="my_office_entry"),
    path("my/reports/<int:pk>/", lambda request, pk: HttpResponse("r"), name="report_detail"),
    path("my/changes/<int:pk>/", lambda request, pk: HttpResponse("c"), name="change_detail"),
]
