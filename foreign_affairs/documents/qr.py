"""QR codes for printed documents (permits, certificates): scanned to reach a verification page."""

import segno


def qr_svg_data_uri(text: str, *, scale: int = 4, border: int = 2) -> str:
    """An SVG data URI of a QR code holding `text`, for <img src> in HTML and WeasyPrint templates.

    Always a full QR code (segno.make_qr): segno.make may pick a Micro QR that phones cannot read.
    Error correction M survives a fold or a smudge on paper.
    """
    return segno.make_qr(text, error="m").svg_data_uri(scale=scale, border=border)


def qr_png(text: str, *, scale: int = 8, border: int = 4) -> bytes:
    """A PNG of a QR code holding `text`."""
    import io

    buffer = io.BytesIO()
    segno.make_qr(text, error="m").save(buffer, kind="png", scale=scale, border=border)
    return buffer.getvalue()
