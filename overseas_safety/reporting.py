"""Overseas safety: reporting (being built)."""
