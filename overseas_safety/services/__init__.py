"""Writes of the overseas-safety area; every door (pages, back office, API, tasks, demo) goes through them."""
