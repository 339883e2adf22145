"""Row 4: the hostile upload corpus (tests/foreign_affairs/documents/corpus/, manifest.json) through both
upload doors as a client sends it: the API (`POST /api/v1/documents/`, multipart) and the documents page.
Each upload must end as the manifest says ("http" overrides what Django's multipart parser changes before
the portal sees the name): accepted means one stored document and file, refused means neither."""

import json
import time
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client
from rest_framework.test import APIClient

from foreign_affairs.documents.models import Document
from tests.conftest import private_location

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).resolve().parents[1] / "foreign_affairs" / "documents" / "corpus"
CASES = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))["cases"]
BOUNDARY = b"verify-corpus-5d1c0f7e2a9b"


def _multipart(name: str, content: bytes) -> bytes:
    """The form a hostile client sends: the file name exactly as given (no client library cleans it)."""
    assert BOUNDARY not in content
    return (
        b"--" + BOUNDARY + b'\r\nContent-Disposition: form-data; name="kind"\r\n\r\nother\r\n'
        b"--" + BOUNDARY + b'\r\nContent-Disposition: form-data; name="file"; filename="' + name.encode()
        + b'"\r\nContent-Type: application/octet-stream\r\n\r\n' + content + b"\r\n--" + BOUNDARY + b"--\r\n"
    )  # fmt: skip


def _stored_files() -> int:
    root = private_location()
    return sum(1 for path in root.rglob("*") if path.is_file()) if root.exists() else 0


# door: (path, client maker, the status of an accepted upload, of a refused one)
DOORS = {
    "API": ("/api/v1/documents/", APIClient, 201, 400),
    "page": ("/documents/", Client, 302, 200),
}


def test_every_corpus_file_ends_as_the_manifest_says_at_every_door(applicant, figures):
    started = time.monotonic()
    for door, (path, client_class, accepted_status, refused_status) in DOORS.items():
        client = client_class()
        client.force_login(applicant)
        for case in CASES:
            expected = {**case, **case.get("http", {})}["expect"]
            files_before = _stored_files()
            with transaction.atomic():
                response = client.generic(
                    "POST",
                    path,
                    _multipart(case["name"], (CORPUS / case["file"]).read_bytes()),
                    content_type=f"multipart/form-data; boundary={BOUNDARY.decode()}",
                )
                rows = Document.objects.count()
                transaction.set_rollback(True)
            files = _stored_files() - files_before
            if response.status_code == accepted_status and rows == 1 and files == 1:
                outcome = "accepted"
            elif response.status_code == refused_status and rows == 0 and files == 0:
                outcome = "refused"
            else:
                outcome = f"HTTP {response.status_code}, {rows} rows, {files} files"
            figures.add("uploads.total")
            if outcome == expected:
                figures.add(f"uploads.{outcome}_as_expected")
            else:
                figures.add("uploads.wrong")
                figures.note(
                    "uploads.wrong",
                    f"{door}: {case['file']} as {case['name']!r}: {outcome}, expected {expected}",
                )
    figures.timed("uploads", time.monotonic() - started)
