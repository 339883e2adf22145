"""The API of exchanges, under /api/v1/exchanges/ (foreign_affairs.urls registers ROUTES as
`exchanges/<prefix>`). PLACEHOLDER: being written."""

ROUTES = []
