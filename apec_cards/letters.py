"""Serving a card's decision letter (the enterprise page, the back office and the API share this)."""

from django.http import FileResponse

from foreign_affairs.documents.responses import file_download


def letter_response(card) -> FileResponse:
    return file_download(card.letter, f"{card.number}.pdf")
