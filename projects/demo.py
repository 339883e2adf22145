"""Demo cooperation projects (placeholder until the demo lands)."""


def seed() -> int:
    return 0
