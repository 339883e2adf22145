"""PDFs that can run something (JavaScript, Launch actions, attached files, rich media, XFA forms) are
refused with a message that says what was found; ordinary PDFs, large ones too, pass quickly."""

import io
import json
import random
import re
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import translation
from pypdf import PdfReader

from foreign_affairs.documents import pdf_checks
from foreign_affairs.documents.validators import PDF, validate_upload

from .corpus.make_corpus import GOOD_PDF, JS_ALERT, page, pdf

CORPUS = Path(__file__).parent / "corpus"
ACTIVE_PDFS = sorted(
    {
        case["file"]
        for case in json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))["cases"]
        if case.get("code") == "pdf_active_content"
    }
)

IMAGE = b"/Type /XObject /Subtype /Image /Width 1 /Height 1 /BitsPerComponent 8 /ColorSpace /DeviceGray "
IMAGE += b"/Filter /FlateDecode"


def _refusal(content: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        validate_upload(ContentFile(content, name="letter.pdf"))
    return refused.value


@pytest.mark.parametrize(
    ("objects", "found"),
    [
        (page(catalog=b"/OpenAction << /S /JavaScript /JS " + JS_ALERT + b" >>"), "JavaScript"),
        (
            page(catalog=b"/OpenAction << /S /Launch /F (calc.exe) >>"),
            "an action that starts another program",
        ),
        (
            page(
                catalog=b"/Names << /EmbeddedFiles << /Names [(a.exe) 6 0 R] >> >>",
                o6=b"<< /Type /Filespec /F (a.exe) /EF << /F 7 0 R >> >>",
                o7=(b"/Type /EmbeddedFile", b"MZ"),
            ),
            "attached files",
        ),
        (
            page(page_entries=b"/Annots [<< /Type /Annot /Subtype /RichMedia /Rect [0 0 9 9] >>]"),
            "embedded media (Flash or video)",
        ),
        (page(catalog=b"/AcroForm << /Fields [] /XFA 6 0 R >>", o6=(b"", b"<xdp:xdp/>")), "an XFA form"),
    ],
)
def test_the_refusal_names_what_the_pdf_contains_in_plain_words(objects, found):
    with translation.override("en"):
        refusal = _refusal(pdf(objects))
        message = refusal.messages[0]
    assert refusal.code == "pdf_active_content"
    assert message.startswith(f"The PDF contains {found}.")
    assert "print it to PDF" in message


@pytest.mark.parametrize(
    "catalog",
    [
        b"/OpenAction << /S /J#61vaScript /J#53 " + JS_ALERT + b" >>",
        b"/OpenAction << /S /#4a#61#76#61#53#63#72#69#70#74 /#4A#53 " + JS_ALERT + b" >>",
        b"/OpenAction << /S /Laun#63h /F (calc.exe) >>",
        b"/AcroForm << /Fields [] /X#46A 6 0 R >>",
    ],
)
def test_names_written_with_hex_escapes_are_recognised(catalog):
    objects = page(catalog=catalog, o6=(b"", b"<xdp:xdp/>"))
    assert _refusal(pdf(objects)).code == "pdf_active_content"
    # The same inside a compressed object stream, where the raw bytes show nothing.
    packed = pdf(objects, packed=(1,))
    assert b"/Open" not in packed
    assert _refusal(packed).code == "pdf_active_content"


def test_an_object_no_table_lists_is_still_found_by_the_byte_scan():
    hidden = GOOD_PDF.replace(
        b"xref\n", b"99 0 obj\n<< /S /JavaScript /JS " + JS_ALERT + b" >>\nendobj\nxref\n"
    )
    # startxref now points before the table (readers, pypdf too, repair that), and neither the table
    # nor any object refers to object 99: only the byte scan sees it. A hidden script is refused all the same.
    assert _refusal(hidden).code == "pdf_active_content"


def test_javascript_in_an_object_stream_of_a_damaged_file_is_found_as_a_repairing_reader_finds_it():
    # No cross-reference entry points into the object stream, and startxref points nowhere: readers
    # rebuild the table by scanning the file, object streams included, and then run the action.
    stream = zlib.compress(b"7 0 << /S /JavaScript /JS " + JS_ALERT + b" >>")
    objects = page(
        catalog=b"/OpenAction 7 0 R", o6=(b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", stream)
    )
    damaged = re.sub(rb"startxref\n\d+", b"startxref\n999999", pdf(objects))
    assert b"JavaScript" not in damaged
    assert _refusal(damaged).code == "pdf_active_content"


@pytest.mark.parametrize("name", ACTIVE_PDFS)
def test_the_byte_scan_and_the_structure_walk_each_find_the_active_content_of_the_corpus(name):
    # Two independent ways of looking (pdf_checks.check_pdf): either alone refuses every such file.
    data = (CORPUS / name).read_bytes()
    reader = PdfReader(io.BytesIO(data), strict=False)
    assert pdf_checks._active_names_in_bytes(data) | pdf_checks._active_names_in_object_streams(reader)
    assert pdf_checks._active_names_in_structure(reader)


def test_names_in_page_content_and_in_binary_stream_data_are_not_active_content():
    # /JS in drawing instructions is a resource name; compressed data holds "/JS" by chance.
    noise = b"".join(b"/JS /Launch /XFA /J#53 " + bytes(range(256)) for _ in range(50))
    objects = page(
        content=b"q /JS gs BT /F1 12 Tf 72 760 Td (/JavaScript /Launch) Tj ET Q",
        o6=(IMAGE, noise),
    )
    assert validate_upload(ContentFile(pdf(objects), name="letter.pdf")) is PDF


def _large_pdf(size: int, *, hostile: bool = False) -> bytes:
    """A PDF of about `size` bytes: an incompressible image stream and 20 000 link annotations, the last
    one running JavaScript when `hostile` (beyond what the structure walk reads: the byte scan finds it)."""
    image = (IMAGE, random.Random(0).randbytes(size - 3_000_000))
    link = b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /URI /URI (https://example.org/%d) >> >>"
    annotations = {f"o{number}": link % number for number in range(7, 20_007)}
    if hostile:
        annotations["o20006"] = (
            b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /JavaScript /JS 1 >> >>"
        )
    references = b" ".join(b"%d 0 R" % number for number in range(7, 20_007))
    objects = page(page_entries=b"/Annots [" + references + b"]", o6=image, **annotations)
    return pdf(objects)


def test_a_10_mb_pdf_with_20_000_annotations_is_checked_within_the_structure_budget(settings, monkeypatch):
    """The walk resolves at most _STRUCTURE_BUDGET objects however many the file holds (a count, not a
    clock: the check cannot go quadratic unnoticed, and a loaded machine cannot fail it)."""
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
    content = _large_pdf(10 * 1024 * 1024 - 100_000)
    assert 9 * 1024 * 1024 < len(content) <= 10 * 1024 * 1024
    resolved = []
    read = PdfReader.get_object
    monkeypatch.setattr(PdfReader, "get_object", lambda self, ref: resolved.append(ref) or read(self, ref))
    assert validate_upload(ContentFile(content, name="scan.pdf")) is PDF
    assert pdf_checks._STRUCTURE_BUDGET <= len(resolved) <= pdf_checks._STRUCTURE_BUDGET + 10
    assert _refusal(_large_pdf(10 * 1024 * 1024 - 100_000, hostile=True)).code == "pdf_active_content"


@pytest.mark.django_db
def test_the_portals_own_pdfs_are_accepted(tmp_path):
    call_command("pdf_specimen", str(tmp_path / "specimen.pdf"), stdout=io.StringIO())
    content = (tmp_path / "specimen.pdf").read_bytes()
    assert validate_upload(ContentFile(content, name="permit.pdf")) is PDF
