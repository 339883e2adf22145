"""Every download of a passport scan or a photograph of a person (the documents page, the back office, the
API) writes one access record: naming the applicant of the APEC card application it is attached to, else
the organisation and the case. A business licence writes none; a document of another organisation is 404
and unrecorded."""

import pytest
from django.apps import apps
from django.urls import reverse

from apec_cards.models import CardAttachment
from foreign_affairs.documents.models import Document, DocumentKind
from foreign_affairs.documents.services import document_create
from foreign_affairs.privacy.models import Door, PersonalDataAccess, Seen
from tests.apec_cards.helpers import card_person, draft, pdf_upload

pytestmark = pytest.mark.django_db


def download_urls(document) -> dict[str, str]:
    return {
        Door.PAGE: reverse("documents:download", args=[document.pk]),
        Door.ADMIN: reverse("admin:documents_document_download", args=[document.pk]),
        Door.API: reverse("api:document-download", args=[document.pk]),
    }


def get(client, api_as, user, door, url):
    if door == Door.API:
        return api_as(user).get(url)
    client.force_login(user)
    return client.get(url)


@pytest.fixture
def application(applicant, organization):
    return draft(applicant, card_person(organization))


def attached(application, kind: str) -> Document:
    return CardAttachment.objects.select_related("document").get(application=application, kind=kind).document


def test_apec_passport_pages_and_photographs_are_stored_as_such(application):
    assert attached(application, "passport").kind == DocumentKind.PASSPORT_SCAN
    assert attached(application, "photo").kind == DocumentKind.PHOTO


@pytest.mark.parametrize("door", [Door.PAGE, Door.ADMIN, Door.API])
@pytest.mark.parametrize(("kind", "seen"), [("passport", Seen.PASSPORT_SCAN), ("photo", Seen.PHOTO)])
def test_a_download_of_an_applicants_scan_or_photograph_names_the_applicant(
    client, api_as, officer, application, door, kind, seen
):
    document = attached(application, kind)
    response = get(client, api_as, officer, door, download_urls(document)[door])
    assert response.status_code == 200 and b"".join(response.streaming_content)
    [record] = PersonalDataAccess.objects.all()
    assert (record.user, record.person, record.organization, record.seen, record.door, record.case) == (
        officer,
        application.person,
        application.organization,
        seen,
        door,
        application.reference,
    )


def test_the_applicants_organisation_downloading_is_recorded_too(client, applicant, application):
    document = attached(application, "passport")
    client.force_login(applicant)
    assert client.get(download_urls(document)[Door.PAGE]).status_code == 200
    record = PersonalDataAccess.objects.get()
    assert (record.user, record.person, record.door) == (applicant, application.person, Door.PAGE)


def test_a_scan_of_no_ones_case_names_the_organisation(client, api_as, applicant, organization):
    document = document_create(
        uploaded_file=pdf_upload("delegation-passports.pdf"),
        kind=DocumentKind.PASSPORT_SCAN,
        organization=organization,
        uploaded_by=applicant,
    )
    response = api_as(applicant).get(download_urls(document)[Door.API])
    assert response.status_code == 200
    record = PersonalDataAccess.objects.get()
    assert (record.person, record.organization, record.seen, record.door, record.case) == (
        None,
        organization,
        Seen.PASSPORT_SCAN,
        Door.API,
        "",
    )


@pytest.mark.parametrize("door", [Door.PAGE, Door.ADMIN, Door.API])
def test_a_business_licence_writes_no_record(client, api_as, officer, applicant, organization, door):
    licence = document_create(
        uploaded_file=pdf_upload("licence.pdf"),
        kind=DocumentKind.BUSINESS_LICENCE,
        organization=organization,
        uploaded_by=applicant,
    )
    response = get(client, api_as, officer, door, download_urls(licence)[door])
    assert response.status_code == 200
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.parametrize("door", [Door.PAGE, Door.API])
def test_another_organisations_scan_is_404_and_unrecorded(client, api_as, other_applicant, application, door):
    document = attached(application, "passport")
    assert get(client, api_as, other_applicant, door, download_urls(document)[door]).status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_the_back_office_door_is_for_staff_only(client, applicant, application):
    client.force_login(applicant)
    response = client.get(download_urls(attached(application, "photo"))[Door.ADMIN])
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not PersonalDataAccess.objects.exists()


def test_the_back_office_links_to_its_own_door(client, officer, application):
    document = attached(application, "photo")
    client.force_login(officer)
    page = client.get(reverse("admin:documents_document_change", args=[document.pk]))
    assert download_urls(document)[Door.ADMIN] in page.content.decode()


def test_the_migration_makes_the_apec_photographs_stored_before_photographs(application, applicant):
    from importlib import import_module

    migration = import_module("foreign_affairs.documents.migrations.0003_photo_kind")
    photo, scan = attached(application, "photo"), attached(application, "passport")
    other = document_create(
        uploaded_file=pdf_upload("other.pdf"),
        kind=DocumentKind.OTHER,
        organization=application.organization,
        uploaded_by=applicant,
    )
    Document.objects.filter(pk=photo.pk).update(kind=DocumentKind.OTHER)  # as stored before
    migration.mark_photographs(apps, None)
    kinds = dict(Document.objects.filter(pk__in=[photo.pk, scan.pk, other.pk]).values_list("pk", "kind"))
    assert kinds == {photo.pk: "photo", scan.pk: "passport_scan", other.pk: "other"}
