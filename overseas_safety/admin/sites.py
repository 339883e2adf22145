"""Back office of overseas safety: sites (being built)."""
