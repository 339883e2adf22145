"""The public interview request form for foreign journalists (外国记者采访申请), open to everyone without an
account, and its thank-you page.

The form is English first (journalist_language): a visitor sees it in English unless they chose Chinese
with the site's language switch (or, signed in, as their preferred language) or their browser asks for
Chinese before English. Everything is written by services.media.media_request_submit, which acknowledges
the request by e-mail and tells the officers; its refusals come back beside the fields.

Abuse: a rate limit per client (exchanges.limits, shared with the API's door; counted on posts only, 429
beyond), a honeypot field (a robot that fills it is thanked as a person would be, and nothing is stored),
a readable refusal of a body too large to read, and the CSRF check. The thank-you page finds the reference
in the session, never in the address, so references cannot be probed.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from ..forms.media import HONEYPOT, MediaRequestForm
from ..limits import RATE_WINDOW, media_request_limited
from ..services.media import media_request_submit

SESSION_KEY = "exchanges_media_request_sent"
# What the office answers within (the acknowledgement e-mail says the same).
ANSWER_DAYS = 5
# How long a request is kept once closed (the privacy notice).
RETENTION_YEARS = 3


# English first -----------------------------------------------------------------------------------------


def journalist_language(request) -> str | None:
    """ "en" for a visitor who chose no language (no language cookie, not signed in with a preferred one)
    and whose browser does not ask for Chinese before English, a request without Accept-Language too
    (the form is for foreign media); None leaves the site's choice (PortalLocaleMiddleware)."""
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
        return None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.preferred_language:
        return None
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        code = code.lower()
        if code.startswith("zh"):
            return None
        if code.startswith("en"):
            return "en"
    return "en"


def _english_first(view):
    """Run the view in English for a foreign visitor (journalist_language), and say so to caches."""

    def wrapped(request, *args, **kwargs):
        language = journalist_language(request)
        if language is None:
            response = view(request, *args, **kwargs)
        else:
            with translation.override(language):
                request.LANGUAGE_CODE = language
                response = view(request, *args, **kwargs)
            response["Content-Language"] = language
        patch_vary_headers(response, ["Accept-Language", "Cookie"])
        return response

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


# The form ----------------------------------------------------------------------------------------------


def _form_page(request, form, *, status=200, throttled=False):
    context = {
        "form": form,
        "throttled": throttled,
        "per_hour": settings.EXCHANGES_MEDIA_REQUESTS_PER_HOUR,
        "answer_days": ANSWER_DAYS,
        "retention_years": RETENTION_YEARS,
    }
    return render(request, "exchanges/public/media_form.html", context, status=status)


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def _media_request(request):
    if request.method == "GET":
        return _form_page(request, MediaRequestForm())
    form = MediaRequestForm(request.POST)
    if media_request_limited(request):
        # Shown again as typed, but unchecked: the request was not looked at.
        kept = {name: request.POST.get(name) for name in MediaRequestForm.base_fields if name != HONEYPOT}
        response = _form_page(request, MediaRequestForm(initial=kept), status=429, throttled=True)
        response["Retry-After"] = str(RATE_WINDOW)
        return response
    if form.is_trap:
        # Answered as a person would be, so the robot learns nothing; there is no reference to show.
        request.session[SESSION_KEY] = {"reference": "", "email": ""}
        return redirect("exchanges:media_request_sent")
    if not form.is_valid():
        return _form_page(request, form, status=400)
    language = "en" if (get_language() or "").startswith("en") else "zh-hans"
    try:
        media_request = media_request_submit(data=form.request_data(), language=language)
    except ValidationError as error:
        form.add_service_errors(error)
        return _form_page(request, form, status=400)
    request.session[SESSION_KEY] = {"reference": media_request.reference, "email": media_request.email}
    return redirect("exchanges:media_request_sent")


# A body larger than DATA_UPLOAD_MAX_MEMORY_SIZE makes Django raise RequestDataTooBig when the form is first
# read, which the CSRF check would do before any view, leaving only the portal's general "bad request" page.
# This door reads the form first, so it can say what was wrong, and then runs the CSRF check itself
# (csrf_protect above): the refusal changes nothing, so it needs no CSRF token.
@csrf_exempt
@_english_first
def media_request(request):
    if request.method == "POST":
        try:
            request.POST  # noqa: B018 (reading the body is the check)
        except (RequestDataTooBig, TooManyFieldsSent):
            return render(request, "exchanges/public/media_too_big.html", status=400)
    return _media_request(request)


@never_cache
@require_GET
@_english_first
def media_request_sent(request):
    sent = request.session.get(SESSION_KEY)
    if sent is None:
        return redirect("exchanges:media_request")
    return render(
        request,
        "exchanges/public/media_sent.html",
        {"reference": sent.get("reference", ""), "email": sent.get("email", ""), "answer_days": ANSWER_DAYS},
    )


urlpatterns = [
    path("media/", media_request, name="media_request"),
    path("media/sent/", media_request_sent, name="media_request_sent"),
]
