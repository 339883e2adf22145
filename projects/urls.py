"""/projects/: the public catalogue, achievements, feeds and sitemap, and the enterprise's own projects and
leads, one module per concern."""

from .views import catalogue, enterprise, export, feeds

app_name = "projects"

urlpatterns = [
    *feeds.urlpatterns,
    *export.urlpatterns,
    *enterprise.urlpatterns,
    *catalogue.urlpatterns,
]
