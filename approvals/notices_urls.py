"""Public notice pages (公示), mounted at /notices/ by foreign_affairs/urls.py; no sign-in needed."""

from django.urls import path

from .views import notices

app_name = "notices"

urlpatterns = [
    path("", notices.notice_list, name="list"),
    path("<int:pk>/", notices.notice_detail, name="detail"),
    path("<int:pk>/objection/", notices.objection, name="objection"),
]
