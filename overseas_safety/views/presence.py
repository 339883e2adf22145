"""Pages of overseas safety: presence (being built)."""

urlpatterns = []
