"""The start page's tasks and tiles of cooperation projects (placeholder until the dashboard lands)."""


def projects(user, board) -> None:
    return None
