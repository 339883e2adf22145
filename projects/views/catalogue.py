"""The public pages of cooperation projects, open to everyone without an account: the catalogue with its
search and filters, one page per published project with its public files, the expression of interest
(合作意向), and the development achievements (发展成果).

Only what an officer published is shown, and of it only the public fields: never the partner organisation,
the contact, the enterprises involved, the owner, the pipeline or the notes. Any other state answers 404.

The interest form is rate-limited per client address (PROJECTS_INTEREST_PER_HOUR, scope RATE_SCOPE, shared
with the API's door) and carries a honeypot field: a robot that fills it is thanked and nothing is stored.
The thank-you page finds the project in the session, never in the address.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, re_path
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from foreign_affairs.documents.responses import file_download
from foreign_affairs.errors import StateConflict
from foreign_affairs.forms import add_service_errors
from foreign_affairs.ratelimit import exceeded
from foreign_affairs.security.countries import country_name

from .. import selectors
from ..forms.public import HONEYPOT, CatalogueFilterForm, InterestForm
from ..models import AchievementImage, CooperationProject, ProjectDocument, ProjectDocumentKind
from ..services.interest import interest_express
from ..workflow import Publication

REFERENCE = r"(?P<reference>HNCP-\d{4}-\d{5})"
ACHIEVEMENT = r"(?P<reference>HNCA-\d{4}-\d{5})"

# The same scope as the API's interest door, so that a client's posts count once whichever door it uses.
RATE_SCOPE = "projects-interest"
RATE_WINDOW = 3600
SESSION_KEY = "projects_interest_sent"
# What the office answers within (the acknowledgement e-mail says the same).
ANSWER_DAYS = 5
# The kinds of document the public sees once marked public (ProjectDocument.public's help text).
PUBLIC_KINDS = (ProjectDocumentKind.IMAGE, ProjectDocumentKind.BROCHURE)
IMAGE_TYPES = ("image/jpeg", "image/png")
# Public files change rarely and show on every card: browsers may keep them a few minutes.
PUBLIC_FILE_CACHE = "public, max-age=300"


# Labels ------------------------------------------------------------------------------------------------


def size_label(amount, currency: str) -> str:
    """A project's size with its currency, grouped by thousands: "12,000,000 EUR", "2,500.50 USD"."""
    if amount is None:
        return ""
    amount = Decimal(amount)
    shown = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    return f"{shown} {currency}".strip()


def _labelled(project: CooperationProject) -> CooperationProject:
    """The values the pages show, in the reader's language (templates have no filters of this app)."""
    project.country_label = country_name(project.partner_country.code) if project.partner_country else ""
    project.size_label = size_label(project.amount, project.currency)
    project.industry_names = [industry.name for industry in project.industries.all()]
    documents = [d for d in getattr(project, "public_documents", ()) if d.kind in PUBLIC_KINDS]
    project.images = [d for d in documents if d.document.content_type in IMAGE_TYPES]
    project.downloads = [d for d in documents if d.document.content_type not in IMAGE_TYPES]
    return project


def _other_language(obj) -> dict | None:
    """The title and text in the language the page is not in, when they say something else."""
    english = (get_language() or "").startswith("en")
    title, text = (obj.title_zh, obj.description_zh) if english else (obj.title_en, obj.description_en)
    if not (title or text) or (title, text) == (obj.title, obj.description):
        return None
    return {"title": title, "text": text, "lang": "zh-Hans" if english else "en", "english": not english}


# The catalogue -----------------------------------------------------------------------------------------


@require_GET
def catalogue(request):
    filters = CatalogueFilterForm(
        request.GET or None,
        industries=list(selectors.industries()),
        countries=selectors.published_countries(),
    )
    chosen = filters.chosen() if filters.is_bound else {"term": "", **dict.fromkeys(filters.FILTERS, "")}
    projects = selectors.catalogue(**chosen)
    paginator = selectors.CappedPaginator(
        projects, settings.PROJECTS_PAGE_SIZE, capped_search=bool(chosen["term"])
    )
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = [_labelled(project) for project in page.object_list]
    return render(
        request,
        "projects/public/catalogue.html",
        {
            "filters": filters,
            "page": page,
            "filtered": any(chosen.values()),
            "term": chosen["term"],
            "current": "projects",
        },
    )


# One project -------------------------------------------------------------------------------------------


def _published_or_404(reference: str) -> CooperationProject:
    project = selectors.published_project(reference)
    if project is None:
        raise Http404
    return project


@require_GET
def detail(request, reference):
    project = _labelled(_published_or_404(reference))
    achievements = list(selectors.published_achievements().filter(projects=project))
    related = [_labelled(item) for item in selectors.related_projects(project)]
    return render(
        request,
        "projects/public/detail.html",
        {
            "project": project,
            "other": _other_language(project),
            "achievements": achievements,
            "related": related,
            "share_url": request.build_absolute_uri(project.get_absolute_url()),
            "current": "projects",
        },
    )


def _public_file(attachment, *, inline: bool):
    """A public file: its stored content type, never sniffed, shown in the page (images) or downloaded."""
    document = attachment.document
    response = file_download(document.file, document.original_name, document.content_type)
    if inline:
        response["Content-Disposition"] = content_disposition_header(False, document.original_name)
    response["Cache-Control"] = PUBLIC_FILE_CACHE
    return response


@require_GET
def public_file(request, reference, pk):
    attachment = (
        ProjectDocument.objects.select_related("document")
        .filter(
            pk=pk,
            public=True,
            kind__in=PUBLIC_KINDS,
            application__reference=reference,
            application__publication=Publication.PUBLISHED,
        )
        .first()
    )
    if attachment is None:
        raise Http404
    return _public_file(attachment, inline=attachment.document.content_type in IMAGE_TYPES)


# The expression of interest ----------------------------------------------------------------------------


def english_first(request) -> str | None:
    """English for a visitor who chose no language (no language cookie, not signed in with a preferred
    one) and whose browser asks for another language before Chinese; None leaves the site's choice
    (PortalLocaleMiddleware). A request without Accept-Language keeps the site's default."""
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
        return None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.preferred_language:
        return None
    codes = [
        code.lower() for code, _q in parse_accept_lang_header(request.headers.get("Accept-Language", ""))
    ]
    codes = [code for code in codes if code != "*"]
    if not codes:
        return None
    for code in codes:
        if code.startswith("zh"):
            return None
        if code.startswith("en"):
            return "en"
    return "en"


def _english_first(view):
    """Run the view in English for a foreign visitor (english_first), and say so to caches."""

    def wrapped(request, *args, **kwargs):
        language = english_first(request)
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


def _form_page(request, project, form, *, status=200, throttled=False):
    context = {
        "project": _labelled(project),
        "form": form,
        "throttled": throttled,
        "per_hour": settings.PROJECTS_INTEREST_PER_HOUR,
        "answer_days": ANSWER_DAYS,
        "current": "projects",
    }
    return render(request, "projects/public/interest_form.html", context, status=status)


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def _interest(request, reference):
    project = _published_or_404(reference)
    if request.method == "GET":
        return _form_page(request, project, InterestForm())
    form = InterestForm(request.POST)
    if exceeded(request, RATE_SCOPE, limit=settings.PROJECTS_INTEREST_PER_HOUR, seconds=RATE_WINDOW):
        # Shown again as typed, but unchecked: the interest was not looked at.
        kept = {name: request.POST.get(name) for name in InterestForm.base_fields if name != HONEYPOT}
        response = _form_page(request, project, InterestForm(initial=kept), status=429, throttled=True)
        response["Retry-After"] = str(RATE_WINDOW)
        return response
    if form.is_trap:
        # Answered as a person would be, so the robot learns nothing.
        request.session[SESSION_KEY] = {"reference": project.reference, "email": ""}
        return redirect("projects:interest_sent")
    if not form.is_valid():
        return _form_page(request, project, form, status=400)
    language = "en" if (get_language() or "").startswith("en") else "zh-hans"
    try:
        interest = interest_express(project=project, data=form.interest_data(), language=language)
    except ValidationError as error:
        add_service_errors(form, error)
        return _form_page(request, project, form, status=400)
    except StateConflict as error:  # unpublished while the visitor was typing
        raise Http404 from error
    request.session[SESSION_KEY] = {"reference": project.reference, "email": interest.email}
    return redirect("projects:interest_sent")


# A body larger than DATA_UPLOAD_MAX_MEMORY_SIZE makes Django raise RequestDataTooBig when the form is first
# read, which the CSRF check would do before any view, leaving only the portal's general "bad request" page.
# This door reads the form first, so it can say what was wrong, and then runs the CSRF check itself
# (csrf_protect above): the refusal changes nothing, so it needs no CSRF token.
@csrf_exempt
@_english_first
def interest(request, reference):
    if request.method == "POST":
        try:
            request.POST  # noqa: B018 (reading the body is the check)
        except (RequestDataTooBig, TooManyFieldsSent):
            project = _published_or_404(reference)
            return render(
                request,
                "projects/public/interest_too_big.html",
                {"project": project, "current": "projects"},
                status=400,
            )
    return _interest(request, reference)


@never_cache
@require_GET
@_english_first
def interest_sent(request):
    sent = request.session.get(SESSION_KEY)
    if sent is None:
        return redirect("projects:catalogue")
    reference = sent.get("reference", "")
    project = selectors.published_project(reference) if reference else None
    return render(
        request,
        "projects/public/interest_sent.html",
        {
            "project": project,
            "reference": reference,
            "email": sent.get("email", ""),
            "answer_days": ANSWER_DAYS,
            "current": "projects",
        },
    )


# Development achievements ------------------------------------------------------------------------------


def _first_image(achievement):
    images = [image for image in achievement.images if image.document.content_type in IMAGE_TYPES]
    achievement.shown_images = images
    achievement.first_image = images[0] if images else None
    return achievement


@require_GET
def achievements(request):
    page = Paginator(selectors.published_achievements(), settings.PROJECTS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = [_first_image(achievement) for achievement in page.object_list]
    return render(request, "projects/public/achievements.html", {"page": page, "current": "achievements"})


@require_GET
def achievement(request, reference):
    found = selectors.published_achievement(reference)
    if found is None:
        raise Http404
    found = _first_image(found)
    linked = selectors.published_projects().filter(pk__in=[project.pk for project in found.public_projects])
    projects = [_labelled(project) for project in linked]
    return render(
        request,
        "projects/public/achievement.html",
        {
            "achievement": found,
            "other": _other_language(found),
            "projects": projects,
            "share_url": request.build_absolute_uri(found.get_absolute_url()),
            "current": "achievements",
        },
    )


@require_GET
def achievement_image(request, reference, pk):
    image = (
        AchievementImage.objects.select_related("document")
        .filter(pk=pk, application__reference=reference, application__publication=Publication.PUBLISHED)
        .first()
    )
    if image is None:
        raise Http404
    return _public_file(image, inline=image.document.content_type in IMAGE_TYPES)


urlpatterns = [
    path("", catalogue, name="catalogue"),
    path("interest/sent/", interest_sent, name="interest_sent"),
    path("achievements/", achievements, name="achievements"),
    re_path(rf"^achievements/{ACHIEVEMENT}/$", achievement, name="achievement"),
    re_path(
        rf"^achievements/{ACHIEVEMENT}/images/(?P<pk>\d+)/$", achievement_image, name="achievement_image"
    ),
    re_path(rf"^{REFERENCE}/$", detail, name="detail"),
    re_path(rf"^{REFERENCE}/interest/$", interest, name="interest"),
    re_path(rf"^{REFERENCE}/files/(?P<pk>\d+)/$", public_file, name="public_file"),
]
