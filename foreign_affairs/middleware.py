"""Site-wide middleware: the language choice, signing out idle sessions and the structured access log."""

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import get_supported_language_variant, parse_accept_lang_header

access_log = logging.getLogger("foreign_affairs.access")
LAST_ACTIVITY = "last_activity"


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


@receiver(user_logged_in)
def _started(sender, request, user, **kwargs):
    if hasattr(request, "session"):
        request.session[LAST_ACTIVITY] = int(time.time())


class IdleSessionMiddleware:
    """Signs out a session left idle longer than its user's limit: SESSION_IDLE_TIMEOUT_STAFF for office
    staff (the back office reaches everyone's data), SESSION_IDLE_TIMEOUT for enterprise users. The time
    of the last request is kept in the session: set at sign-in, written again at most once a minute."""

    WRITE_EVERY = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is not None and session is not None and user.is_authenticated:
            now = int(time.time())
            limit = settings.SESSION_IDLE_TIMEOUT_STAFF if user.is_staff else settings.SESSION_IDLE_TIMEOUT
            last = session.get(LAST_ACTIVITY)
            if last is not None and now - last > limit:
                logout(request)
                messages.info(
                    request,
                    _(
                        "You were signed out after %(minutes)d minutes without activity. Sign in again to go on."
                    )
                    % {"minutes": limit // 60},
                )
            elif last is None or now - last >= self.WRITE_EVERY:
                session[LAST_ACTIVITY] = now
        return self.get_response(request)


class TwoFactorMiddleware:
    """The second step before the office's data: with OTP_REQUIRED_FOR_STAFF on, office staff reach the
    back office, the reports and the API (by session) only in a session verified with a code; anyone who
    set up two-step sign-in needs it there too. Without an app they are sent to set one up; with one, to
    type a code. (The sign-in forms ask for the code already; this covers sessions begun before.)"""

    PROTECTED = ("/admin/", "/reports/", "/api/")
    EXEMPT = ("/admin/login/", "/admin/logout/", "/api/v1/auth/token/", "/api/schema/", "/api/docs/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        path = request.path
        if (
            user is not None
            and user.is_authenticated
            and path.startswith(self.PROTECTED)
            and not path.startswith(self.EXEMPT)
            and not user.is_verified()
        ):
            from foreign_affairs.accounts import two_factor

            enrolled = two_factor.has_two_factor(user)
            if enrolled or two_factor.required_for(user):
                if path.startswith("/api/"):
                    return JsonResponse(
                        {
                            "detail": _("Sign in with your second step first."),
                            "code": "two_factor_required",
                            "errors": [],
                        },
                        status=403,
                    )
                target = reverse("accounts:two_factor_verify" if enrolled else "accounts:two_factor")
                return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
