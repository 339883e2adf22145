"""The API of training, under /api/v1/training/ (foreign_affairs.urls registers ROUTES as
`training/<prefix>`): courses, sessions, enrolments and certificates."""

ROUTES = []
