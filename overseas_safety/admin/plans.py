"""Back office of overseas safety: plans (being built)."""
