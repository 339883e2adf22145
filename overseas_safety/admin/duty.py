"""Back office of overseas safety: duty (being built)."""
