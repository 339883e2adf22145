"""The public "Set up in Zhengzhou" guide and the enquiry form, open to everyone without an account.

An enquiry is rate-limited per client address (FOREIGN_OFFICES_ENQUIRIES_PER_HOUR, 429 beyond) and carries a
honeypot field: a robot that fills it is thanked as if its enquiry were accepted, and nothing is stored. The
thank-you page finds the reference in the session, never in the address, so references cannot be probed.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from foreign_affairs.forms import add_service_errors
from foreign_affairs.ratelimit import exceeded

from .. import guide_content
from ..forms.public import HONEYPOT, EnquiryForm
from ..services import cases
from ..workflow import EnquirySource

RATE_SCOPE = "foreign-offices-enquiry"
RATE_WINDOW = 3600
SESSION_KEY = "foreign_offices_enquiry_sent"


def _contact_context() -> dict:
    return {"contact": guide_content.office_contact(), "answer_days": guide_content.answer_days()}


@require_GET
def guide(request):
    return render(
        request,
        "foreign_offices/public/guide.html",
        {
            "kinds": guide_content.kinds(),
            "areas": guide_content.areas(),
            "steps": guide_content.steps(),
            **_contact_context(),
        },
    )


def _form_page(request, form, *, status=200, throttled=False):
    context = {
        "form": form,
        "throttled": throttled,
        "retention_years": guide_content.RETENTION_YEARS,
        "per_hour": settings.FOREIGN_OFFICES_ENQUIRIES_PER_HOUR,
        **_contact_context(),
    }
    return render(request, "foreign_offices/public/enquiry_form.html", context, status=status)


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def _enquiry(request):
    if request.method == "GET":
        return _form_page(request, EnquiryForm())
    form = EnquiryForm(request.POST)
    if exceeded(request, RATE_SCOPE, limit=settings.FOREIGN_OFFICES_ENQUIRIES_PER_HOUR, seconds=RATE_WINDOW):
        # Shown again as typed, but unchecked: the enquiry was not looked at.
        kept = {name: request.POST.get(name) for name in EnquiryForm.base_fields if name != HONEYPOT}
        response = _form_page(request, EnquiryForm(initial=kept), status=429, throttled=True)
        response["Retry-After"] = str(RATE_WINDOW)
        return response
    if form.is_trap:
        # Answered as a person would be, so the robot learns nothing; there is no reference to show.
        request.session[SESSION_KEY] = {"reference": "", "email": ""}
        return redirect("foreign_offices:enquiry_sent")
    if not form.is_valid():
        return _form_page(request, form, status=400)
    language = "en" if (get_language() or "").startswith("en") else "zh-hans"
    try:
        case = cases.enquiry_create(
            data=form.enquiry_data(), language=language, source=EnquirySource.PUBLIC_FORM
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _form_page(request, form, status=400)
    request.session[SESSION_KEY] = {"reference": case.reference, "email": case.contact_email}
    return redirect("foreign_offices:enquiry_sent")


# A body larger than DATA_UPLOAD_MAX_MEMORY_SIZE (a message of megabytes) makes Django raise RequestDataTooBig
# when the form is first read, which the CSRF check would do before any view, leaving only the portal's
# general "bad request" page. This door reads the form first, so it can say what was wrong, and then runs
# the CSRF check itself (csrf_protect above): the refusal changes nothing, so it needs no CSRF token.
@csrf_exempt
def enquiry(request):
    if request.method == "POST":
        try:
            request.POST  # noqa: B018 (reading the body is the check)
        except (RequestDataTooBig, TooManyFieldsSent):
            return render(
                request, "foreign_offices/public/enquiry_too_big.html", _contact_context(), status=400
            )
    return _enquiry(request)


@never_cache
@require_GET
def enquiry_sent(request):
    sent = request.session.get(SESSION_KEY)
    if sent is None:
        return redirect("foreign_offices:enquiry")
    return render(
        request,
        "foreign_offices/public/enquiry_sent.html",
        {"reference": sent.get("reference", ""), "email": sent.get("email", ""), **_contact_context()},
    )


urlpatterns = [
    path("", guide, name="guide"),
    path("enquiry/", enquiry, name="enquiry"),
    path("enquiry/sent/", enquiry_sent, name="enquiry_sent"),
]
