"""What an uploaded PDF must not hold: active content (scripts, launch actions, attached files, rich
media, XFA forms), found two independent ways; and what makes a PDF unreadable (encryption, no pages,
damage, bombs). documents.validators calls check_pdf for every PDF upload."""

import io
import re
import warnings

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader, apply_configuration
from pypdf.errors import LimitReachedError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject

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


def check_pdf(data: bytes) -> None:
    """Refuse a PDF that is encrypted, has no pages, cannot be read or carries active content."""
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
