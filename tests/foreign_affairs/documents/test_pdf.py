"""WeasyPrint renders Chinese with the shipped font, on any machine."""

import io
import logging

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from foreign_affairs.documents.pdf import render_pdf


def _embedded_fonts(reader: PdfReader) -> set[str]:
    """Names of the fonts whose glyphs are embedded in the file (not merely referenced)."""
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor and any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                    names.add(str(font["/BaseFont"]))
    return names


def test_chinese_text_renders_with_the_shipped_cjk_font_and_no_errors(caplog, tmp_path):
    caplog.set_level(logging.WARNING, logger="weasyprint")
    call_command("pdf_specimen", str(tmp_path / "specimen.pdf"), stdout=io.StringIO())
    pdf = (tmp_path / "specimen.pdf").read_bytes()
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "出国任务批件" in text and "郑州示范贸易有限公司" in text and "HNFA-2026-000123" in text
    assert "张伟" in text and "1 / 1" in text
    # The @font-face family of static/css/pdf.css (Noto Sans SC, shipped), embedded as a subset.
    assert {name.split("+")[-1] for name in _embedded_fonts(reader)} == {"Portal-Sans", "Portal-Sans-Bold"}
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_templates_cannot_fetch_anything_but_the_portals_static_files(caplog):
    caplog.set_level(logging.WARNING, logger="weasyprint")
    pdf = render_pdf(
        "documents/pdf_sample.html",
        {
            "title": "x",
            "organization": "y",
            "reference": "z",
            "rows": [],
            "extra_image": "http://169.254.169.254/latest/meta-data/",
            "local_file": "file:///etc/passwd",
        },
    )
    assert pdf.startswith(b"%PDF")
    refused = " ".join(r.getMessage() for r in caplog.records)
    assert "169.254.169.254" in refused and "/etc/passwd" in refused


@pytest.mark.parametrize("text", ["https://portal.example/verify/7QK2-M9XR/", "HNFA-2026-000123"])
def test_qr_codes_decode_back_to_their_text(text):
    import zxingcpp
    from PIL import Image

    from foreign_affairs.documents.qr import qr_png

    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr_png(text))))
    assert [(d.text, d.format.name) for d in decoded] == [(text, "QRCode")]
