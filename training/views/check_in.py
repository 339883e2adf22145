"""The page the venue's QR code opens on an attendee's phone."""

from django.http import HttpResponse
from django.urls import path


def placeholder(request, *args, **kwargs):
    return HttpResponse("training")


urlpatterns = [path("check-in/<int:session_id>/<str:code>/", placeholder, name="check_in")]
