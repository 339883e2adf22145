from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/", views.export, name="export"),
    path("exports/", views.jobs, name="jobs"),
    path("exports/<uuid:pk>/", views.job_detail, name="job"),
    path("exports/<uuid:pk>/status/", views.job_status, name="job_status"),
    path("exports/<uuid:pk>/download/", views.download, name="download"),
]
