"""Upload validation by content: what a file is, not what its name says."""

import os
import unicodedata
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image
from pypdf import PdfReader
from pypdf.errors import PyPdfError


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
    extension does not match the content; password-protected PDFs; images too large to decode.
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
    file_type = sniff(uploaded_file.read(16))
    uploaded_file.seek(0)
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
    try:
        if file_type is PDF:
            _check_pdf(uploaded_file)
        else:
            _check_image(uploaded_file, file_type)
    finally:
        uploaded_file.seek(0)
    return file_type


def _check_pdf(uploaded_file) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(uploaded_file, strict=False)
            if reader.is_encrypted:
                raise ValidationError(
                    _("The PDF is password-protected. Upload it without a password."), code="pdf_encrypted"
                )
            if len(reader.pages) < 1:
                raise ValidationError(_("The PDF has no pages."), code="pdf_empty")
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        raise ValidationError(_("The PDF cannot be read; it may be damaged."), code="pdf_corrupt") from error


def _check_image(uploaded_file, file_type: FileType) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(uploaded_file) as image:
                image_format = image.format
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(_("The image has too many pixels."), code="image_too_large") from error
    except (OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("The image cannot be read; it may be damaged."), code="image_corrupt"
        ) from error
    if image_format != {"image/jpeg": "JPEG", "image/png": "PNG"}[file_type.content_type]:
        raise ValidationError(_("The image cannot be read; it may be damaged."), code="image_corrupt")
