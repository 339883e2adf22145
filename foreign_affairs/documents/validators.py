"""Upload validation by content: what a file is, not what its name says, and nothing in it that runs."""

import io
import os
import re
import unicodedata
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image

from .pdf_checks import check_pdf


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    extensions: frozenset[str]


PDF = FileType("application/pdf", ".pdf", frozenset({".pdf"}))
JPEG = FileType("image/jpeg", ".jpg", frozenset({".jpg", ".jpeg"}))
PNG = FileType("image/png", ".png", frozenset({".png"}))
ALLOWED_TYPES = (PDF, JPEG, PNG)
ACCEPT_ATTRIBUTE = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


def sniff(head: bytes) -> FileType | None:
    """The type a file's first bytes announce (its magic number), or None."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def clean_file_name(name: str) -> str:
    """The uploaded name, refused when it tries to name a path or hides characters."""
    name = unicodedata.normalize("NFC", name or "")
    if (
        not name.strip()
        or len(name) > 200
        or "/" in name
        or name.startswith(".")
        or any(unicodedata.category(char).startswith("C") for char in name)
    ):
        raise ValidationError(
            _("The file name is not allowed. Rename the file to a plain name such as invitation.pdf."),
            code="file_name",
        )
    return name.strip()


def validate_upload(uploaded_file) -> FileType:
    """Check an uploaded file's name, size and content; return its real type.

    Refuses: names with path parts or control characters; empty files and files over
    DOCUMENT_MAX_UPLOAD_BYTES; anything that is not a readable PDF, JPEG or PNG; a name whose
    extension does not match the content; a file that is also a ZIP archive, an image that also holds
    web page code; password-protected PDFs and PDFs with active content (JavaScript, Launch actions,
    attached files, rich media, XFA forms); images too large to decode or cut short.
    """
    name = clean_file_name(uploaded_file.name)
    limit = settings.DOCUMENT_MAX_UPLOAD_BYTES
    if uploaded_file.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if uploaded_file.size > limit:
        raise ValidationError(
            _("The file is %(size)s; files may be at most %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(uploaded_file.size), "limit": filesizeformat(limit)},
        )
    uploaded_file.seek(0)
    try:
        data = uploaded_file.read()
    finally:
        uploaded_file.seek(0)
    file_type = sniff(data[:16])
    if file_type is None:
        raise ValidationError(
            _("Only PDF, JPEG and PNG files are accepted, and this file is none of them."), code="file_type"
        )
    extension = os.path.splitext(name)[1].lower()
    if extension not in file_type.extensions:
        raise ValidationError(
            _(
                "The file's content is %(kind)s but its name ends in “%(extension)s”. Rename it and try again."
            ),
            code="extension_mismatch",
            params={
                "kind": file_type.extension.lstrip(".").upper(),
                "extension": extension or _("no extension"),
            },
        )
    _check_polyglot(data, file_type)
    if file_type is PDF:
        check_pdf(data)
    else:
        _check_image(data, file_type)
    return file_type


# A ZIP archive is found by the end-of-central-directory record in its last 64 KiB (plus the record's
# 22 bytes), wherever the archive starts: so a PDF or image with a ZIP appended opens as both.
_ZIP_END = b"PK\x05\x06"
_ZIP_TAIL = 65_535 + 22
# Markup a browser would run if it ever took an image for a page. Only in images: PDFs legitimately
# quote HTML in their text. The character after the tag name keeps random compressed bytes from matching.
_MARKUP = re.compile(rb"<(?:script|iframe|html|body|object|embed)[\s/>]|<\?php\s", re.IGNORECASE)


def _check_polyglot(data: bytes, file_type: FileType) -> None:
    if data.find(_ZIP_END, max(0, len(data) - _ZIP_TAIL)) >= 0:
        raise ValidationError(
            _(
                "The file has an archive (ZIP) hidden inside it. Save the document or picture again and upload "
                "the new file."
            ),
            code="hidden_archive",
        )
    if file_type is not PDF and _MARKUP.search(data):
        raise ValidationError(
            _(
                "The image also contains web page code (HTML or script). Save the picture again, for "
                "example as a screenshot, and upload the new file."
            ),
            code="hidden_markup",
        )


def _check_image(data: bytes, file_type: FileType) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image_format = image.format
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(_("The image has too many pixels."), code="image_too_large") from error
    except (OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("The image cannot be read; it may be damaged."), code="image_corrupt"
        ) from error
    expected = {"image/jpeg": "JPEG", "image/png": "PNG"}[file_type.content_type]
    if image_format != expected or (image_format == "JPEG" and not _jpeg_reaches_its_end(data)):
        raise ValidationError(_("The image cannot be read; it may be damaged."), code="image_corrupt")


def _jpeg_reaches_its_end(data: bytes) -> bool:
    """Whether the JPEG's segments and scans run from its start to its end marker (EOI).

    Pillow's verify() reads no JPEG data, and loading would not notice a file cut short either:
    WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES. Walking the markers costs ~20 ms for
    10 MB; bytes after EOI (phones append a video to "motion photos") are allowed.
    """
    position = 2
    while position + 1 < len(data):
        if data[position] != 0xFF:
            return False
        marker = data[position + 1]
        if marker == 0xD9:  # EOI
            return True
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # markers without a length
            position += 2
            continue
        position += 2 + int.from_bytes(data[position + 2 : position + 4], "big")
        if marker == 0xDA:  # start of scan: entropy-coded data up to the next marker
            while True:
                position = data.find(b"\xff", position)
                if position < 0 or position + 1 >= len(data):
                    return False
                following = data[position + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7:  # a stuffed 0xFF, a restart marker
                    position += 2
                elif following == 0xFF:
                    position += 1
                else:
                    break
    return False
