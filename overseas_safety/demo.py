"""Overseas safety: demo (being built)."""
