"""/safety/: the enterprise's and the office's pages of overseas safety, one module per concern."""

from .views import alerts, incidents, presence, sites

app_name = "overseas_safety"

urlpatterns = [*sites.urlpatterns, *incidents.urlpatterns, *presence.urlpatterns, *alerts.urlpatterns]
