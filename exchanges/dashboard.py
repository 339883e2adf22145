"""What exchanges add to the start page. PLACEHOLDER: being written."""


def exchanges(user, board) -> None:
    return None
