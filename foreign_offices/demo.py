"""Demo data of foreign organisations. STUB."""


def seed() -> int:
    return 0
