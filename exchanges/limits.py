"""The rate limit of foreign journalists' interview requests: EXCHANGES_MEDIA_REQUESTS_PER_HOUR an hour per
client, the public page's form and the API counted together (foreign_affairs.ratelimit)."""

from django.conf import settings

from foreign_affairs.ratelimit import exceeded

RATE_SCOPE = "exchanges-media-request"
RATE_WINDOW = 3600


def media_request_limited(request) -> bool:
    """Count this request of the client; True once it is over the hour's limit."""
    return exceeded(
        request, RATE_SCOPE, limit=settings.EXCHANGES_MEDIA_REQUESTS_PER_HOUR, seconds=RATE_WINDOW
    )
