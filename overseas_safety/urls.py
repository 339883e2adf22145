from django.urls import path

from . import views

app_name = "overseas_safety"

urlpatterns = [
    path("incidents/<int:pk>/", views.incident_detail, name="incident_detail"),
    path("sites/<int:pk>/", views.site_detail, name="site_detail"),
]
