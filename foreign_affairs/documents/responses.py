"""Serving a stored file as a download, the same way at every door (pages, back office, API): uploaded
documents, permits, decision letters, report exports."""

import logging

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def file_download(field_file, filename: str, content_type: str = "application/pdf") -> FileResponse:
    """The file as a download: never rendered by the browser (attachment, nosniff, a sandbox that runs
    nothing even if it were), never cached by proxies; 404 when there is no file or it is missing."""
    if not field_file:
        raise Http404(_("The file is missing."))
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as error:
        logger.error("stored file is missing", extra={"file": field_file.name})
        raise Http404(_("The file is missing.")) from error
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def document_download(document) -> FileResponse:
    """An uploaded document under the name it was uploaded with."""
    return file_download(document.file, document.original_name, document.content_type)
