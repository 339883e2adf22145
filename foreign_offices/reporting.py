"""Reports and dashboard panels of foreign organisations. STUB."""

REPORTS = []


def foreign_offices_panels(filters) -> list:
    return []
