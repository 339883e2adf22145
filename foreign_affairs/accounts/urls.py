from django.urls import path

from . import two_factor_views, views

app_name = "accounts"

urlpatterns = [
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_update, name="person_update"),
    path("organisation/", views.organization_detail, name="organization"),
    path("organisation/edit/", views.organization_update, name="organization_update"),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("accounts/two-factor/", two_factor_views.setup, name="two_factor"),
    path("accounts/two-factor/verify/", two_factor_views.verify, name="two_factor_verify"),
]
