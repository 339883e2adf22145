"""Public notice pages (公示), open to everyone without signing in: the open notices of approved trips
and of post-trip reports, each notice's published content, and the objection form.

A notice shows only what was published (Disclosure.content): organisation, trip, purpose, budget and
the members' names and positions — never passport numbers or other personal data. Closed notices
answer 404, except a completed report notice, which stays readable as the public record of the
trip's results (without the objection form); the list shows open notices only.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from foreign_affairs.ratelimit import exceeded

from .. import services
from ..forms import NoticeFilterForm, ObjectionForm
from ..models import Disclosure, DisclosureKind, DisclosureOutcome

PAGE_SIZE = 20
OBJECTION_LIMIT = 5  # objections per client and hour
OBJECTION_WINDOW = 3600


def _visible():
    return Disclosure.objects.filter(
        Q(outcome=DisclosureOutcome.OPEN) | Q(kind=DisclosureKind.REPORT, outcome=DisclosureOutcome.COMPLETED)
    )


@require_GET
def notice_list(request):
    filters = NoticeFilterForm(request.GET or None)
    filters.is_valid()
    chosen = getattr(filters, "cleaned_data", {})
    notices = Disclosure.objects.filter(outcome=DisclosureOutcome.OPEN)
    if chosen.get("kind"):
        notices = notices.filter(kind=chosen["kind"])
    search = (chosen.get("q") or "").strip()
    if search:
        notices = notices.filter(
            Q(content__organization_zh__icontains=search)
            | Q(content__organization_en__icontains=search)
            | Q(content__reference__icontains=search)
        )
    page = Paginator(notices.order_by("-published_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "approvals/notices/notice_list.html",
        {"filters": filters, "page": page, "filtered": bool(search or chosen.get("kind"))},
    )


def _detail(request, disclosure, *, form=None, status=200, throttled=False):
    if form is None and disclosure.is_open:
        form = ObjectionForm()
    return render(
        request,
        "approvals/notices/notice_detail.html",
        {
            "notice": disclosure,
            "content": disclosure.content,
            "form": form if disclosure.is_open else None,
            "throttled": throttled,
        },
        status=status,
    )


@require_GET
def notice_detail(request, pk):
    return _detail(request, get_object_or_404(_visible(), pk=pk))


@require_POST
def objection(request, pk):
    """File an objection; at most OBJECTION_LIMIT an hour from one client (429 beyond)."""
    disclosure = get_object_or_404(Disclosure, pk=pk, outcome=DisclosureOutcome.OPEN)
    form = ObjectionForm(request.POST)
    if exceeded(request, "objection", limit=OBJECTION_LIMIT, seconds=OBJECTION_WINDOW):
        response = _detail(request, disclosure, form=form, status=429, throttled=True)
        response["Retry-After"] = str(OBJECTION_WINDOW)
        return response
    if not form.is_valid():
        return _detail(request, disclosure, form=form, status=400)
    try:
        services.objection_file(
            disclosure=disclosure,
            text=form.cleaned_data["text"],
            name=form.cleaned_data["name"],
            contact=form.cleaned_data["contact"],
        )
    except ValidationError as error:
        disclosure.refresh_from_db()
        if not disclosure.is_open:  # closed while the visitor was writing
            messages.error(request, " ".join(error.messages))
            return redirect("notices:list")
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return _detail(request, disclosure, form=form, status=400)
    messages.success(
        request,
        _(
            "Thank you. Your objection was received; an officer of the office decides on it before the "
            "notice closes."
        ),
    )
    return redirect(disclosure)
