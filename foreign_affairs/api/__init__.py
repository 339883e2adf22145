"""Shared pieces of the REST API."""
