"""Reports of exchanges and their dashboard panels. PLACEHOLDER: being written."""

REPORTS = []


def exchanges_panels(filters) -> list:
    return []
