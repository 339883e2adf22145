from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_update, name="person_update"),
    path("organisation/", views.organization_detail, name="organization"),
    path("organisation/edit/", views.organization_update, name="organization_update"),
    path("accounts/profile/", views.profile, name="profile"),
]
