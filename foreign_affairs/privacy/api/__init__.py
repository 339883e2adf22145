"""The privacy API: access records (access.py) and a person's data (person_data.py)."""

ROUTES = []
