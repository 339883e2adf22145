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
from pypdf import PdfReader, apply_configuration
from pypdf.errors import LimitReachedError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject


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
        _check_pdf(data)
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


# What a PDF is checked for: names that make it run or carry something, by what they are in plain
# words, in the order a refusal names them. /JS and /JavaScript: scripts (actions, the names tree);
# /Launch: an action that starts a program; /EmbeddedFiles (names tree), /EmbeddedFile (stream type),
# /EF (a file specification's file), /FileAttachment (annotation): files carried inside; /RichMedia:
# Flash or video; /XFA: an XML form (AcroForm entry) with scripts of its own.
#
# Two ways of looking, each enough alone for an ordinary file:
# - the bytes: every name written outside stream data, in the file and in each object stream once
#   inflated ("#xx" in a name is byte xx, so /J#61vaScript is /JavaScript to every reader). This sees
#   every object, listed in the cross-reference tables or not, including what a reader repairing a
#   damaged file would find; regular expressions over 10 MB take ~0.1 s.
# - the structure, with pypdf: from the trailer through the catalog, its names trees, outlines,
#   AcroForm, pages, their annotations and every action, following each reference once. Page content,
#   resources, appearance streams, the structure tree and metadata hold no actions and most of a large
#   file's objects, so they are left to the byte scan, and so are objects past the first
#   _STRUCTURE_BUDGET: pypdf parses ~10 000 objects a second.
_ACTIVE_CONTENT = (
    (frozenset({"/JavaScript", "/JS"}), _("JavaScript")),
    (frozenset({"/Launch"}), _("an action that starts another program")),
    (frozenset({"/EmbeddedFiles", "/EmbeddedFile", "/EF", "/FileAttachment"}), _("attached files")),
    (frozenset({"/RichMedia"}), _("embedded media (Flash or video)")),
    (frozenset({"/XFA"}), _("an XFA form")),
)
_ACTIVE_NAMES = frozenset().union(*(names for names, _what in _ACTIVE_CONTENT))
_REGULAR = rb"[^\x00\t\n\x0c\r ()<>\[\]{}/%]"  # a character that may be part of a name
_PLAIN_NAMES = re.compile(
    rb"/("
    + b"|".join(re.escape(name[1:].encode()) for name in sorted(_ACTIVE_NAMES))
    + rb")(?!"
    + _REGULAR
    + rb")"
)
_ESCAPED_NAMES = re.compile(rb"/(" + _REGULAR + rb"*#[0-9A-Fa-f]{2}" + _REGULAR + rb"*)")
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# Stream data is binary: any byte sequence, "/JS " too, occurs in it by chance.
_STREAM_DATA = re.compile(rb"(?<![A-Za-z])stream(?:\r\n|\r|\n)")
_NOT_ACTIONS = frozenset(
    {"/Resources", "/Contents", "/AP", "/StructTreeRoot", "/Metadata", "/Thumb", "/PieceInfo", "/Font"}
)
_STRUCTURE_BUDGET = 5_000
# pypdf's cap on one stream's inflated size, lowered from 75 MB for the object streams read here (no
# other stream is decoded): real ones stay far below it, and an inflation bomb stops sooner.
_INFLATE_LIMIT = 16 * 1024 * 1024


def _check_pdf(data: bytes) -> None:
    found = _active_names_in_bytes(data)
    if not found:
        try:
            with (
                warnings.catch_warnings(),
                apply_configuration(zlib_maximum_output_length=_INFLATE_LIMIT),
            ):
                warnings.simplefilter("ignore")
                reader = PdfReader(io.BytesIO(data), strict=False)
                if reader.is_encrypted:
                    raise ValidationError(
                        _("The PDF is password-protected. Upload it without a password."),
                        code="pdf_encrypted",
                    )
                pages = reader.trailer["/Root"]["/Pages"]
                # /Count and /Kids, not len(reader.pages): flattening 100 000 tiny pages takes seconds.
                if not (pages.get("/Count", 0) >= 1 and len(pages.get("/Kids", ())) >= 1):
                    raise ValidationError(_("The PDF has no pages."), code="pdf_empty")
                found = _active_names_in_object_streams(reader) | _active_names_in_structure(reader)
        except ValidationError:
            raise
        except (LimitReachedError, RecursionError) as error:
            raise _too_complex() from error
        except Exception as error:
            # Whatever pypdf cannot read cannot be vouched for: refused, whichever way reading fails.
            if isinstance(error.__cause__, RecursionError):
                raise _too_complex() from error
            raise ValidationError(
                _("The PDF cannot be read; it may be damaged."), code="pdf_corrupt"
            ) from error
    for names, what in _ACTIVE_CONTENT:
        if found & names:
            raise ValidationError(
                _(
                    "The PDF contains %(what)s. Save it without active content (for example, print it to "
                    "PDF) and upload it again."
                ),
                code="pdf_active_content",
                params={"what": what},
            )


def _too_complex() -> ValidationError:
    return ValidationError(
        _(
            "The PDF is built in a way that cannot be checked (nested too deeply or expanding too much). "
            "Print it to PDF and upload the new file."
        ),
        code="pdf_too_complex",
    )


def _active_names_in_bytes(data: bytes) -> set[str]:
    """The active names written in `data` outside stream data."""
    found = set()
    position = 0
    while position < len(data):
        stream = _STREAM_DATA.search(data, position)
        end = stream.start() if stream else len(data)
        found.update(f"/{match[1].decode()}" for match in _PLAIN_NAMES.finditer(data, position, end))
        for match in _ESCAPED_NAMES.finditer(data, position, end):
            name = "/" + _HEX_ESCAPE.sub(lambda byte: bytes([int(byte[1], 16)]), match[1]).decode("latin-1")
            if name in _ACTIVE_NAMES:
                found.add(name)
        if stream is None:
            break
        position = data.find(b"endstream", stream.end())
        if position < 0:
            break
    return found


def _active_names_in_object_streams(reader: PdfReader) -> set[str]:
    """The active names in the objects packed into compressed object streams, read as bytes."""
    found = set()
    for number in {stream for stream, _index in reader.xref_objStm.values()}:
        stream = reader.get_object(number)
        if isinstance(stream, StreamObject):
            found |= _active_names_in_bytes(stream.get_data())
    return found


def _active_names_in_structure(reader: PdfReader) -> set[str]:
    """The active names pypdf reads in the document's structure (escaped names decoded), following every
    reference from the trailer once, up to _STRUCTURE_BUDGET objects. Iterative: nesting costs no stack."""
    found = set()
    seen = set()
    pending = [reader.trailer]
    while pending:
        value = pending.pop()
        if isinstance(value, IndirectObject):
            if (value.idnum, value.generation) in seen or len(seen) >= _STRUCTURE_BUDGET:
                continue
            seen.add((value.idnum, value.generation))
            value = value.get_object()
        if isinstance(value, NameObject):
            if value in _ACTIVE_NAMES:
                found.add(str(value))
        elif isinstance(value, DictionaryObject):
            # dict's own items: the raw values, references unresolved until popped (each read once).
            for key, item in dict.items(value):
                pending.append(key)
                if key not in _NOT_ACTIONS:
                    pending.append(item)
        elif isinstance(value, ArrayObject):
            pending += value
    return found


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
