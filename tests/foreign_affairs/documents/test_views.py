"""Uploads through the page and the API; downloads only through the permission-checked view."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.documents.models import Document

from .conftest import pdf_bytes

pytestmark = pytest.mark.django_db


def _upload_page(client, name="营业执照.pdf", content=None):
    return client.post(
        "/documents/",
        {
            "kind": "business_licence",
            "title": "",
            "file": SimpleUploadedFile(name, content if content is not None else pdf_bytes()),
        },
    )


def test_an_applicant_uploads_and_downloads_a_document(client, applicant, organization, settings):
    client.force_login(applicant)
    response = _upload_page(client)
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.organization, document.uploaded_by, document.original_name) == (
        organization,
        applicant,
        "营业执照.pdf",
    )
    stored = Path(document.file.path)
    assert stored.name != "营业执照.pdf" and len(stored.stem) == 32 and stored.suffix == ".pdf"
    assert str(stored).startswith(str(settings.STORAGES["private"]["OPTIONS"]["location"]))
    assert AuditEvent.objects.filter(action="document.upload", object_id=str(document.pk)).exists()

    listing = client.get("/documents/")
    assert "营业执照.pdf" in listing.content.decode()
    download = client.get(f"/documents/{document.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7.pdf" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == pdf_bytes()


def test_a_refused_upload_shows_the_reason_and_stores_nothing(client, applicant, settings):
    client.force_login(applicant)
    response = _upload_page(client, "invitation.pdf", b"just some text")
    assert response.status_code == 200
    assert "PDF" in response.content.decode()
    assert 'id="error-summary"' in response.content.decode()
    assert Document.objects.count() == 0
    root = Path(settings.STORAGES["private"]["OPTIONS"]["location"])
    assert not root.exists() or not any(p.is_file() for p in root.rglob("*"))


def test_a_traversal_name_sent_over_http_cannot_leave_the_private_directory(client, applicant, settings):
    client.force_login(applicant)
    body = (
        b'--B\r\nContent-Disposition: form-data; name="kind"\r\n\r\nother\r\n'
        b'--B\r\nContent-Disposition: form-data; name="file"; filename="../../../../tmp/evil.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n" + pdf_bytes() + b"\r\n--B--\r\n"
    )
    response = client.generic("POST", "/documents/", body, content_type="multipart/form-data; boundary=B")
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.original_name == "evil.pdf"
    root = Path(settings.STORAGES["private"]["OPTIONS"]["location"]).resolve()
    assert Path(document.file.path).resolve().is_relative_to(root)
    assert not Path("/tmp/evil.pdf").exists()


def test_other_organisations_get_404_and_strangers_the_login_page(client, applicant, other_applicant):
    client.force_login(applicant)
    _upload_page(client)
    document = Document.objects.get()
    client.force_login(other_applicant)
    assert client.get(f"/documents/{document.pk}/download/").status_code == 404
    client.logout()
    assert client.get(f"/documents/{document.pk}/download/").status_code == 302


def test_office_staff_download_any_document(client, applicant, officer):
    client.force_login(applicant)
    _upload_page(client)
    client.force_login(officer)
    assert client.get(f"/documents/{Document.objects.get().pk}/download/").status_code == 200


def test_the_api_takes_multipart_uploads_and_checks_them(api_as, applicant, other_applicant):
    api = api_as(applicant)
    response = api.post(
        "/api/v1/documents/",
        {"kind": "invitation", "file": SimpleUploadedFile("inv.pdf", pdf_bytes())},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["content_type"] == "application/pdf" and body["original_name"] == "inv.pdf"
    assert api.get(body["download_url"]).status_code == 200

    refused = api.post(
        "/api/v1/documents/",
        {"kind": "invitation", "file": SimpleUploadedFile("inv.pdf", b"not a pdf at all")},
        format="multipart",
    )
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["code"] == "file_type"

    other = api_as(other_applicant)
    assert other.get(f"/api/v1/documents/{body['id']}/").status_code == 404
    assert other.get(f"/api/v1/documents/{body['id']}/download/").status_code == 404
    assert other.get("/api/v1/documents/").json()["count"] == 0


def test_managers_cannot_upload(api_as, manager):
    response = api_as(manager).post(
        "/api/v1/documents/",
        {"kind": "other", "file": SimpleUploadedFile("a.pdf", pdf_bytes())},
        format="multipart",
    )
    assert response.status_code == 403
