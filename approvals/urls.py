from django.urls import path

from . import views
from .views.editing import pinyin_suggestion

app_name = "approvals"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/", views.application_create, name="create"),
    path("precheck/", views.precheck, name="precheck_new"),
    path("pinyin/", pinyin_suggestion, name="pinyin_suggestion"),
    path("endorsements/", views.endorsements, name="endorsements"),
    path("passports/", views.passports, name="passports"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/edit/", views.application_update, name="update"),
    path("<int:pk>/precheck/", views.precheck, name="precheck"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/remove/", views.attachment_remove, name="attachment_remove"
    ),
    path("<int:pk>/transition/<str:name>/", views.transition, name="transition"),
    path("<int:pk>/permit/", views.permit_download, name="permit"),
    path("<int:pk>/passports/hand-out/", views.passport_hand_out, name="passport_hand_out"),
    path("<int:pk>/passports/<int:handover_pk>/return/", views.passport_return, name="passport_return"),
]
