"""Serving a stored file (permits, decision letters, report exports) as a download the same way everywhere."""

from django.http import FileResponse, Http404


def file_download(field_file, filename: str, content_type: str = "application/pdf") -> FileResponse:
    """The file as a download: never rendered by the browser, never cached by proxies; 404 if missing."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
