"""Every stored file leaves the portal the same way, whatever the door: a download that the browser never
renders or caches (foreign_affairs.documents.responses.file_download)."""

import pytest
from django.core.files.base import ContentFile
from django.http import Http404
from django.urls import reverse

from apec_cards.services import letter_render
from approvals import services
from foreign_affairs.documents.models import Document, private_storage
from foreign_affairs.documents.responses import file_download
from tests.apec_cards.helpers import issued_card
from tests.approvals.factories import ApplicationFactory

pytestmark = pytest.mark.django_db
SANDBOX = "default-src 'none'; sandbox"


def assert_download(response, filename: str, content_type: str = "application/pdf") -> None:
    assert response.status_code == 200, response
    assert response["Content-Type"] == content_type
    assert (
        response["Content-Disposition"].startswith("attachment")
        and filename in response["Content-Disposition"]
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    assert response["Content-Security-Policy"] == SANDBOX
    assert b"".join(response.streaming_content)


def test_the_helper_refuses_a_missing_file_with_404():
    document = Document(original_name="x.pdf")
    with pytest.raises(Http404):
        file_download(document.file, "x.pdf")
    document.file.name = "documents/never-stored.pdf"
    document.file.storage = private_storage()
    with pytest.raises(Http404):
        file_download(document.file, "x.pdf")


@pytest.fixture
def issued(organization, officer, applicant, settings, django_capture_on_commit_callbacks):
    settings.DISCLOSURE_WORKING_DAYS = 0
    application = ApplicationFactory(organization=organization, in_review=True, created_by=applicant)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_transition(application=application, actor=officer, name="approve")
    application.refresh_from_db()
    return application


def test_the_permit_is_the_same_download_on_the_page_in_the_back_office_and_in_the_api(
    client, api_as, applicant, officer, issued
):
    name = f"{issued.permit.number}.pdf"
    client.force_login(applicant)
    assert_download(client.get(f"/applications/{issued.pk}/permit/"), name)
    assert_download(api_as(applicant).get(f"/api/v1/travel-applications/{issued.pk}/permit/"), name)
    client.force_login(officer)
    admin_url = reverse("admin:approvals_travelapplication_permit", args=[issued.pk])
    assert_download(client.get(admin_url), name)


def test_the_decision_letter_is_the_same_download_at_every_door(client, api_as, applicant, liaison, officer):
    card = issued_card(applicant=applicant, liaison=liaison, officer=officer)
    letter_render(card_id=card.pk)
    name = f"{card.number}.pdf"
    client.force_login(applicant)
    assert_download(client.get(reverse("apec_cards:card_letter", args=[card.pk])), name)
    assert_download(api_as(applicant).get(f"/api/v1/apec-cards/cards/{card.pk}/letter/"), name)
    client.force_login(officer)
    assert_download(client.get(reverse("admin:apec_cards_card_letter", args=[card.pk])), name)


def test_an_uploaded_document_is_the_same_download_on_the_page_and_in_the_api(
    client, api_as, applicant, organization
):
    document = Document.objects.create(
        organization=organization,
        uploaded_by=applicant,
        title="邀请函",
        original_name="invitation.pdf",
        content_type="application/pdf",
        size=9,
        sha256="0" * 64,
    )
    document.file.save("invitation.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    client.force_login(applicant)
    assert_download(client.get(reverse("documents:download", args=[document.pk])), "invitation.pdf")
    assert_download(api_as(applicant).get(f"/api/v1/documents/{document.pk}/download/"), "invitation.pdf")
