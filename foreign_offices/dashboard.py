"""What the start page shows about foreign organisations, per role (foreign_affairs.dashboard). STUB."""


def foreign_offices(user, dashboard) -> None:
    return None
