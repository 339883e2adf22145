"""Site-wide pages: home, the signed-in user's dashboard, language switch, health, robots.txt, favicon."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import get_supported_language_variant
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from . import areas
from .dashboard import dashboard_for
from .health import run_checks
from .service_areas import service_areas


def home(request):
    context = {"areas": service_areas()}
    if request.user.is_authenticated:
        context["dashboard"] = dashboard_for(request.user)
    return render(request, "home.html", context)


@login_required
def dashboard(request):
    return render(request, "dashboard.html", {"dashboard": dashboard_for(request.user)})


def page_not_found(request, exception=None):
    """Django's 404 page; under /api/ the API's one error shape, also for a path that matches no route
    (an id that cannot be one, a misspelt endpoint)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found."), "code": "not_found", "errors": []}, status=404)
    return defaults.page_not_found(request, exception)


@require_POST
def set_language(request):
    """Django's set_language, which also remembers the choice on the account (for e-mails)."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated:
        try:
            language = get_supported_language_variant(language)
        except LookupError:
            return response
        if request.user.preferred_language != language:
            request.user.preferred_language = language
            request.user.save(update_fields=["preferred_language"])
    return response


@never_cache
@require_GET
def healthz(request):
    healthy, results = run_checks()
    return JsonResponse({"status": "ok" if healthy else "error", **results}, status=200 if healthy else 503)


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico wherever a page names no icon (files, the API's pages)."""
    return HttpResponsePermanentRedirect(static("img/favicon.ico"))


@require_GET
def robots_txt(request):
    from django.conf import settings
    from django.urls import reverse

    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /api/", "Disallow: /accounts/", ""]
    # The areas' sitemaps (PORTAL_BASE_URL: the public address).
    sitemaps = [name for area in areas.all_areas() for name in area.sitemaps]
    lines += [f"Sitemap: {settings.PORTAL_BASE_URL}{reverse(name)}" for name in sitemaps]
    if sitemaps:
        lines.append("")
    return HttpResponse("\n".join(lines), content_type="text/plain")
