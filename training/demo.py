"""Demo data of training."""


def seed() -> int:
    return 0
