"""The post-trip report's files are attachments of kind "report" of their application, stored through one
service whichever door they come through (page, API), shown to the office in the back office."""

import importlib
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.urls import reverse

from approvals import services
from approvals.models import Attachment, AttachmentKind
from approvals.workflow import State
from foreign_affairs.documents.models import Document
from foreign_affairs.errors import StateConflict
from tests.apec_cards.helpers import pdf_upload
from tests.approvals.factories import ApplicationFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/travel-applications/"
REPORT = {
    "summary": "完成考察",
    "outcomes": "签署备忘录",
    "actual_return_date": date.today() - timedelta(days=3),
}


@pytest.fixture
def ended(organization, applicant):
    return ApplicationFactory(
        organization=organization,
        created_by=applicant,
        permit_issued=True,
        trip__departure=date.today() - timedelta(days=20),
    )


def test_the_page_stores_the_reports_files_as_report_attachments(client, applicant, officer, ended):
    client.force_login(applicant)
    response = client.post(
        f"/applications/{ended.pk}/transition/submit_report/",
        {**REPORT, "files": [pdf_upload("纪要.pdf"), pdf_upload("照片.pdf")]},
    )
    assert response.status_code == 302
    ended.refresh_from_db()
    assert ended.state == State.REPORT_SUBMITTED
    attached = list(ended.attachments.filter(kind=AttachmentKind.REPORT).select_related("document"))
    assert sorted(a.document.original_name for a in attached) == ["照片.pdf", "纪要.pdf"]
    page = client.get(f"/applications/{ended.pk}/").content.decode()
    assert all(reverse("documents:download", args=[a.document.pk]) in page for a in attached)
    client.force_login(officer)
    back_office = client.get(
        reverse("admin:approvals_travelapplication_change", args=[ended.pk])
    ).content.decode()
    assert all(
        reverse("admin:documents_document_download", args=[a.document.pk]) in back_office for a in attached
    )


def test_a_refused_report_stores_no_file(client, applicant, organization):
    not_ended = ApplicationFactory(organization=organization, permit_issued=True)  # the trip is ahead
    client.force_login(applicant)
    response = client.post(
        f"/applications/{not_ended.pk}/transition/submit_report/", {**REPORT, "files": [pdf_upload()]}
    )
    assert response.status_code == 400
    assert not Attachment.objects.filter(kind="report").exists()
    assert not Document.objects.filter(kind="report").exists()


def test_the_api_attaches_report_files_before_the_report_and_lists_them(api_as, applicant, ended):
    api = api_as(applicant)
    response = api.post(
        f"{URL}{ended.pk}/attachments/",
        {"kind": "report", "file": pdf_upload("纪要.pdf")},
        format="multipart",
    )
    assert response.status_code == 201 and response.json()["kind"] == "report"
    # Only report files once the permit is issued: the trip's documents are closed.
    refused = api.post(
        f"{URL}{ended.pk}/attachments/", {"kind": "invitation", "file": pdf_upload()}, format="multipart"
    )
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "kind"
    body = api.post(
        f"{URL}{ended.pk}/submit_report/",
        {**REPORT, "actual_return_date": REPORT["actual_return_date"].isoformat()},
        format="json",
    ).json()
    assert body["state"] == "report_submitted"
    assert [a["name"] for a in body["attachments"] if a["kind"] == "report"] == ["纪要.pdf"]
    # Once the report is in, its files are kept as submitted.
    late = api.post(
        f"{URL}{ended.pk}/attachments/", {"kind": "report", "file": pdf_upload()}, format="multipart"
    )
    assert late.status_code == 409


def test_report_files_cannot_be_attached_to_a_draft(applicant, organization):
    draft = ApplicationFactory(organization=organization)
    with pytest.raises(Exception) as refused:
        services.attachment_add(application=draft, actor=applicant, kind="report", uploaded_file=pdf_upload())
    assert "kind" in refused.value.message_dict
    approved = ApplicationFactory(organization=organization, approved=True)
    with pytest.raises(StateConflict):
        services.attachment_add(
            application=approved, actor=applicant, kind="other", uploaded_file=pdf_upload()
        )


def test_the_migration_attaches_the_report_documents_found_by_their_title(organization, applicant, ended):
    ended.report_submitted_at = ended.updated_at
    ended.save(update_fields=["report_submitted_at"])
    neighbour = ApplicationFactory(organization=organization)  # its reference extends the other's by a digit
    neighbour.reference = f"{ended.reference}9"
    neighbour.save(update_fields=["reference"])

    def document(title):
        return Document.objects.create(
            organization=organization,
            uploaded_by=applicant,
            kind="report",
            title=title,
            original_name="r.pdf",
            file="r.pdf",
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
        )

    own = document(f"{ended.reference} 出访报告 · r.pdf")
    document(f"{neighbour.reference} 出访报告 · r.pdf")
    migration = importlib.import_module("approvals.migrations.0011_report_attachments")
    migration.attach_report_documents(apps, None)
    migration.attach_report_documents(apps, None)  # twice: nothing more
    reports = Attachment.objects.filter(kind="report")
    assert list(reports.values_list("application", "document")) == [(ended.pk, own.pk)]
