"""Uploads are judged by their content and size, never by their name."""

import pytest
from django.core.exceptions import ValidationError

from foreign_affairs.documents.validators import JPEG, PDF, PNG, validate_upload

from .conftest import image_bytes, pdf_bytes


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("邀请函.pdf", pdf_bytes(), PDF),
        ("photo.JPG", image_bytes("JPEG"), JPEG),
        ("scan.jpeg", image_bytes("JPEG"), JPEG),
        ("scan.png", image_bytes("PNG"), PNG),
    ],
)
def test_real_pdf_jpeg_and_png_files_are_accepted(upload, name, content, expected):
    assert validate_upload(upload(name, content)) is expected


def _code(uploaded):
    with pytest.raises(ValidationError) as raised:
        validate_upload(uploaded)
    return raised.value.code


def test_a_text_file_named_pdf_is_refused(upload):
    assert _code(upload("invitation.pdf", b"Dear partner, please come.", "application/pdf")) == "file_type"


def test_a_file_starting_like_a_pdf_but_not_one_is_refused(upload):
    assert _code(upload("invitation.pdf", b"%PDF-1.7\nthis is not really a pdf")) == "pdf_corrupt"


def test_an_oversized_file_is_refused(upload, settings):
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
    content = pdf_bytes() + b"\n%" + b"x" * (10 * 1024 * 1024)
    with pytest.raises(ValidationError) as raised:
        validate_upload(upload("big.pdf", content))
    assert raised.value.code == "too_large"
    assert "10.0" in str(raised.value.messages[0])


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd.pdf",
        "..\\..\\boot.ini.pdf",
        "/etc/shadow.pdf",
        ".hidden.pdf",
        "bad\x00name.pdf",
        "line\nbreak.pdf",
    ],
)
def test_path_traversal_and_control_characters_in_names_are_refused(name):
    # Django's upload parser already cuts directories from multipart names; files from other sources
    # (imports, API clients of later areas) reach the validator with the name as given.
    from django.core.files.base import ContentFile

    assert _code(ContentFile(pdf_bytes(), name=name)) == "file_name"


def test_an_extension_that_lies_about_the_content_is_refused(upload):
    assert _code(upload("photo.pdf", image_bytes("PNG"))) == "extension_mismatch"


def test_empty_and_damaged_images_are_refused(upload):
    assert _code(upload("empty.png", b"")) == "empty"
    assert _code(upload("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)) == "image_corrupt"


def test_password_protected_pdfs_are_refused(upload):
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert _code(upload("locked.pdf", buffer.getvalue())) == "pdf_encrypted"
