"""Pages of overseas safety: alerts (being built)."""

urlpatterns = []
