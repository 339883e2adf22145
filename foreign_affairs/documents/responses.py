"""Serving a stored PDF (permits, decision letters) as a download the same way everywhere."""

from django.http import FileResponse, Http404


def pdf_download(field_file, filename: str) -> FileResponse:
    """The file as a download: never rendered by the browser, never cached by proxies; 404 if missing."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
