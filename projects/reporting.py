"""Reports of cooperation projects (placeholder until the reports land)."""

REPORTS = []


def projects_panels(filters) -> list:
    return []
