"""/safety/: the enterprise's and the office's pages of overseas safety, one module per concern."""

from .views import alerts, hub, incidents, presence, sites

app_name = "overseas_safety"

urlpatterns = [
    *hub.urlpatterns,
    *sites.urlpatterns,
    *incidents.urlpatterns,
    *presence.urlpatterns,
    *alerts.urlpatterns,
]
