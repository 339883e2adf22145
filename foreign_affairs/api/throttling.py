"""The API's throttles, counting clients by foreign_affairs.ratelimit.client_address (DRF's own would
believe any X-Forwarded-For a client sends)."""

from rest_framework import throttling

from foreign_affairs.ratelimit import client_address


class ClientAddressMixin:
    def get_ident(self, request):
        return client_address(request)


class AnonRateThrottle(ClientAddressMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientAddressMixin, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(ClientAddressMixin, throttling.ScopedRateThrottle):
    pass
