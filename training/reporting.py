"""The reports of training (registered in area.py)."""

REPORTS = []


def training_panels(filters):
    return []
