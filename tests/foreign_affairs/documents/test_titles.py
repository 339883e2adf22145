"""Document titles in the reader's language: a title the portal made for an attachment is put together
from the case's reference and the kind's name when shown; a title the uploader typed stays as typed."""

import importlib

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import translation

from apec_cards.models import CardAttachment
from approvals.models import Attachment
from foreign_affairs.documents import attachments
from foreign_affairs.documents.models import Document
from foreign_affairs.documents.services import document_create
from tests.apec_cards.helpers import card_person, draft, pdf_upload
from tests.approvals.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_of_the_next_test():
    """A request leaves its language active in the thread; the next test starts from the default."""
    yield
    translation.deactivate()


def _attach_in_chinese(case, model, kind, actor):
    with translation.override("zh-hans"):
        return attachments.attachment_add(
            case=case,
            model=model,
            kind=kind,
            uploaded_file=pdf_upload("letter.pdf"),
            actor=actor,
            kinds={kind: "other"},
            action="travel_application.attach",
        ).document


def test_a_title_made_while_uploading_in_chinese_reads_in_english(applicant, organization):
    case = ApplicationFactory(organization=organization, trip=False)
    document = _attach_in_chinese(case, Attachment, "invitation", applicant)

    with translation.override("en"):
        assert document.display_title == f"{case.reference} Invitation letter"
        assert str(document) == f"{case.reference} Invitation letter"
    with translation.override("zh-hans"):
        assert document.display_title == f"{case.reference} 邀请函"
    assert (document.reference, document.title_kind) == (case.reference, "approvals.attachment:invitation")


def test_each_area_names_its_own_kinds(applicant, organization):
    case = draft(applicant, card_person(organization), attach=False)
    document = _attach_in_chinese(case, CardAttachment, "photo", applicant)
    with translation.override("en"):
        assert document.display_title == f"{case.reference} Photograph"


def test_the_document_list_and_the_api_show_the_readers_language(client, api_as, applicant, organization):
    case = ApplicationFactory(organization=organization, trip=False)
    _attach_in_chinese(case, Attachment, "invitation", applicant)

    client.force_login(applicant)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/documents/").content.decode()
    assert f"{case.reference} Invitation letter" in page and f"{case.reference} 邀请函" not in page

    body = api_as(applicant).get("/api/v1/documents/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert [row["title"] for row in body["results"]] == [f"{case.reference} Invitation letter"]


def test_a_typed_title_stays_as_typed(applicant, organization):
    with translation.override("zh-hans"):
        document = document_create(
            uploaded_file=pdf_upload("licence.pdf"),
            kind="business_licence",
            organization=organization,
            uploaded_by=applicant,
            title="营业执照（2026年换发）",
        )
    with translation.override("en"):
        assert str(document) == document.display_title == "营业执照（2026年换发）"


def test_titles_made_before_are_recognised_by_the_migration(organization):
    """Exactly "<reference> <name of the kind>" in either language, attached or detached since; anything
    else is the uploader's."""
    case = ApplicationFactory(organization=organization)  # with an untitled invitation letter

    def document(title, **kwargs):
        return Document.objects.create(
            organization=organization,
            kind="other",
            title=title,
            original_name="x.pdf",
            file="x.pdf",
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
            **kwargs,
        )

    attached = case.attachments.get().document
    attached.title = f"{case.reference} 邀请函"
    attached.save()
    detached = document(f"{case.reference} Agenda")
    typed = document(f"{case.reference} 邀请函（盖章版）")
    unknown = document("HNFA-1999-000001 Agenda")
    Attachment.objects.create(
        application=case, kind="other", document=(typed_attached := document("我的文件"))
    )

    migration = importlib.import_module("foreign_affairs.documents.migrations.0002_generated_titles")
    migration.mark_generated_titles(apps, None)

    def stored(doc):
        doc.refresh_from_db()
        return doc.reference, doc.title_kind

    assert stored(attached) == (case.reference, "approvals.attachment:invitation")
    assert stored(detached) == (case.reference, "approvals.attachment:agenda")
    assert stored(typed) == stored(unknown) == stored(typed_attached) == ("", "")
    with translation.override("en"):
        attached.refresh_from_db()
        assert attached.display_title == f"{case.reference} Invitation letter"
        assert typed.display_title == f"{case.reference} 邀请函（盖章版）"
