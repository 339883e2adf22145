"""Training on the start page."""


def training(user, board) -> None:
    return None
