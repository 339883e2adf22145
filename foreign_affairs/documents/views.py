"""The organisation's documents: list, upload and the only way to download a stored file."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from foreign_affairs.accounts.selectors import scope_for_user
from foreign_affairs.forms import run_service

from .access import document_seen
from .forms import DocumentUploadForm
from .models import Document
from .responses import document_download
from .services import document_create

logger = logging.getLogger(__name__)


@login_required
@require_GET
def download(request, pk):
    document = get_object_or_404(scope_for_user(Document.objects.all(), request.user), pk=pk)
    logger.info("document downloaded", extra={"document": str(document.pk), "user_id": request.user.pk})
    response = document_download(document)
    document_seen(request, document)
    return response


@login_required
def document_list(request):
    organization = request.user.organization
    if organization is None:
        raise Http404(_("Your account does not belong to an organisation."))
    can_upload = request.user.has_perm("documents.add_document")
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_upload:
            raise PermissionDenied
        if form.is_valid():
            document = run_service(
                form,
                lambda: document_create(
                    uploaded_file=form.cleaned_data["file"],
                    kind=form.cleaned_data["kind"],
                    title=form.cleaned_data["title"],
                    organization=organization,
                    uploaded_by=request.user,
                ),
            )
            if document is not None:
                messages.success(request, _("“%(name)s” was uploaded.") % {"name": document})
                return redirect("documents:list")
    documents = (
        scope_for_user(Document.objects.select_related("uploaded_by"), request.user)
        .filter(organization=organization)
        .order_by("-created_at")
    )
    page = Paginator(documents, 25).get_page(request.GET.get("page"))
    return render(
        request, "documents/document_list.html", {"form": form, "page": page, "can_upload": can_upload}
    )


def verify(request, code: str = ""):
    """Public: anyone checks a printed document by its code (typed, or from the QR code). Rate-limited."""
    from foreign_affairs.ratelimit import exceeded

    from .verification import verify as find

    code = (code or request.GET.get("code", "")).strip()
    if not code:
        return render(request, "documents/verify.html", {"code": ""})
    if exceeded(request, "verify", limit=30, seconds=60):
        return render(request, "documents/verify.html", {"code": code, "throttled": True}, status=429)
    result = find(code)
    return render(
        request,
        "documents/verify.html",
        {"code": code, "result": result, "unknown": result is None},
        status=200 if result else 404,
    )
