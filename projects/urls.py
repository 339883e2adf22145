"""/projects/: the public catalogue, achievements, feeds and sitemap, and the enterprise's own projects and
leads, one module per concern."""

from .views import catalogue, enterprise, feeds

app_name = "projects"

urlpatterns = [
    *feeds.urlpatterns,
    *enterprise.urlpatterns,
    *catalogue.urlpatterns,
]
