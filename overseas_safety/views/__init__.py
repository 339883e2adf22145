"""The pages of overseas safety; each module holds its own `urlpatterns` (overseas_safety.urls joins them)."""
