"""Pages of the APEC Business Travel Card (mounted at /apec/): the public guide and self-check, the
organisation's applications and cards."""

from django.urls import path

from . import views

app_name = "apec_cards"

urlpatterns = [
    path("", views.guide, name="guide"),
    path("eligibility/", views.eligibility, name="eligibility"),
    path("applications/", views.application_list, name="application_list"),
    path("applications/new/", views.application_create, name="application_create"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("applications/<int:pk>/transition/", views.application_transition, name="application_transition"),
    path("applications/<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path(
        "applications/<int:pk>/attachments/<int:attachment_pk>/remove/",
        views.attachment_remove,
        name="attachment_remove",
    ),
    path("cards/", views.card_list, name="card_list"),
    path("cards/<int:pk>/", views.card_detail, name="card_detail"),
    path("cards/<int:pk>/transition/", views.card_transition, name="card_transition"),
    path("cards/<int:pk>/letter/", views.card_letter, name="card_letter"),
]
