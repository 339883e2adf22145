"""Demo data of exchanges. PLACEHOLDER: being written."""


def seed() -> int:
    return 0
