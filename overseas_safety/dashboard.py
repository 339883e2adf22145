"""Overseas safety: dashboard (being built)."""
