"""Site-wide middleware: the language choice and the structured access log."""

import logging
import time

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import get_supported_language_variant, parse_accept_lang_header

access_log = logging.getLogger("foreign_affairs.access")


def _supported(code: str | None) -> str | None:
    if not code:
        return None
    try:
        return get_supported_language_variant(code)
    except LookupError:
        return None


class PortalLocaleMiddleware:
    """Chinese unless the user chose otherwise.

    Order: the language cookie (set by /i18n/setlang/), then the signed-in user's preferred language,
    then — for the API only, where clients state it on purpose — Accept-Language, then zh-hans.
    Browsers' Accept-Language is ignored for pages so the portal opens in Chinese by default.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = self.language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        if request.path.startswith("/api/"):
            patch_vary_headers(response, ["Accept-Language"])
        return response

    def language_for(self, request) -> str:
        language = _supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
        if language:
            return language
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = _supported(user.preferred_language)
            if language:
                return language
        if request.path.startswith("/api/"):
            for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
                language = _supported(code) if code != "*" else None
                if language:
                    return language
        return settings.LANGUAGE_CODE


class RequestLogMiddleware:
    """One structured log line per request: method, path, status, duration, user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        if request.path.startswith(settings.STATIC_URL):
            return response
        user = getattr(request, "user", None)
        access_log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                "remote_addr": request.META.get("REMOTE_ADDR"),
            },
        )
        return response
