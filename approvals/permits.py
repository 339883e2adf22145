"""Serving a permit's PDF (the enterprise page, the back office and the API share this)."""

from django.http import FileResponse, Http404


def permit_response(permit) -> FileResponse:
    """The permit as a download: never rendered by the browser, never cached by proxies."""
    try:
        handle = permit.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=f"{permit.number}.pdf", content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
