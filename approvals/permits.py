"""Serving a permit's PDF (the enterprise page, the back office and the API share this)."""

from django.http import FileResponse

from foreign_affairs.documents.responses import file_download


def permit_response(permit) -> FileResponse:
    return file_download(permit.file, f"{permit.number}.pdf")
