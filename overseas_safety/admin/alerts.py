"""Back office of overseas safety: alerts (being built)."""
