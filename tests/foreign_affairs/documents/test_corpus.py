"""The hostile upload corpus (corpus/, written by corpus/make_corpus.py) through the real checks: the
validator, the service that stores documents, and the upload page. Every upload ends as manifest.json
says; a refused one leaves no row and no file, an accepted one is stored under a random name."""

import json
import re
import unicodedata
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from foreign_affairs.documents.models import Document
from foreign_affairs.documents.services import document_create
from foreign_affairs.documents.validators import validate_upload
from tests.conftest import private_location

from .conftest import pdf_bytes

CORPUS = Path(__file__).parent / "corpus"
CASES = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))["cases"]
STORED_NAME = re.compile(r"\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|jpg|png)")


def _case_id(case: dict) -> str:
    name = ascii(case["name"])[1:-1]
    return case["file"] if case["name"] == case["file"] else f"{case['file']} as {name[:40]}"


def _stored_files() -> list[Path]:
    root = private_location()
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def _assert_stored_safely(document: Document, name: str) -> None:
    assert document.original_name == unicodedata.normalize("NFC", name)
    assert STORED_NAME.fullmatch(document.file.name), document.file.name
    root = private_location().resolve()
    path = Path(document.file.path).resolve()
    assert path.is_relative_to(root) and path.is_file()
    assert _stored_files() == [Path(document.file.path)]


def test_the_corpus_is_what_make_corpus_writes():
    # Bytes are not compared: zlib and libjpeg builds differ between machines. Run make_corpus.py after
    # changing it.
    from .corpus import make_corpus

    files = sorted(p.name for p in CORPUS.iterdir() if p.is_file() and p.suffix not in {".py", ".json"})
    assert files == sorted(make_corpus.files()) == sorted({case["file"] for case in CASES})
    assert json.loads(json.dumps(make_corpus.cases())) == CASES
    assert len(files) >= 25
    assert sum((CORPUS / name).stat().st_size for name in files) < 300 * 1024
    assert {case["expect"] for case in CASES} == {"accepted", "refused"}


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_the_validator_judges_every_corpus_file_as_the_manifest_says(case):
    # ContentFile keeps the name as given, as files from imports or other callers arrive; Django's
    # upload handlers would already have cut path parts off (see the page test below).
    uploaded = ContentFile((CORPUS / case["file"]).read_bytes(), name=case["name"])
    if case["expect"] == "accepted":
        validate_upload(uploaded)
    else:
        with pytest.raises(ValidationError) as refused:
            validate_upload(uploaded)
        assert refused.value.code == case["code"], refused.value.messages


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_document_create_stores_exactly_what_the_manifest_accepts(case, applicant, organization):
    uploaded = ContentFile((CORPUS / case["file"]).read_bytes(), name=case["name"])
    create = lambda: document_create(  # noqa: E731
        uploaded_file=uploaded, kind="other", organization=organization, uploaded_by=applicant
    )
    if case["expect"] == "accepted":
        _assert_stored_safely(create(), case["name"])
    else:
        with pytest.raises(ValidationError) as refused:
            create()
        assert refused.value.code == case["code"]
        assert Document.objects.count() == 0
        assert _stored_files() == []


BOUNDARY = b"corpus-7f3a9c1e5b2d48a6"


def _post_raw(client, name: str, content: bytes):
    """The upload page's form posted with the file name exactly as a hostile client would send it."""
    assert BOUNDARY not in content
    body = (
        b"--" + BOUNDARY + b'\r\nContent-Disposition: form-data; name="kind"\r\n\r\nother\r\n'
        b"--"
        + BOUNDARY
        + b'\r\nContent-Disposition: form-data; name="file"; filename="'
        + name.encode()
        + b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
        + content
        + b"\r\n--"
        + BOUNDARY
        + b"--\r\n"
    )
    return client.generic(
        "POST", "/documents/", body, content_type=f"multipart/form-data; boundary={BOUNDARY.decode()}"
    )


def _error_codes(response) -> set[str]:
    errors = response.context["form"].errors.as_data()
    return {error.code for field_errors in errors.values() for error in field_errors}


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_the_upload_page_keeps_exactly_what_the_manifest_accepts(case, client, applicant):
    expected = {**case, **case.get("http", {})}
    client.force_login(applicant)
    response = _post_raw(client, case["name"], (CORPUS / case["file"]).read_bytes())
    if expected["expect"] == "accepted":
        assert response.status_code == 302, _error_codes(response)
        document = Document.objects.get()
        assert document.original_name == unicodedata.normalize(
            "NFC", expected.get("original_name", case["name"])
        )
        assert STORED_NAME.fullmatch(document.file.name)
        assert Path(document.file.path).resolve().is_relative_to(private_location().resolve())
    else:
        assert response.status_code == 200
        assert 'id="error-summary"' in response.content.decode()
        if "code" in expected:
            assert expected["code"] in _error_codes(response)
        assert Document.objects.count() == 0
        assert _stored_files() == []


@pytest.mark.django_db
def test_an_upload_over_the_limit_is_refused_over_http_and_stores_nothing(client, applicant, settings):
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
    client.force_login(applicant)
    content = pdf_bytes() + b"%" + b"x" * (10 * 1024 * 1024)
    response = _post_raw(client, "big.pdf", content)
    assert response.status_code == 200
    assert _error_codes(response) == {"too_large"}
    assert Document.objects.count() == 0
    assert _stored_files() == []
