"""One way to attach a document to a case of any area (foreign_affairs.documents.attachments)."""

import pytest
from django.core.exceptions import ValidationError

from apec_cards.models import CardAttachment
from approvals.models import Attachment
from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.documents import attachments
from foreign_affairs.documents.models import Document
from tests.apec_cards.helpers import card_person, draft, pdf_upload
from tests.approvals.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def test_a_document_is_stored_for_the_cases_organisation_attached_and_audited(applicant, organization):
    case = ApplicationFactory(organization=organization, trip=False)
    attachment = attachments.attachment_add(
        case=case,
        model=Attachment,
        kind="agenda",
        uploaded_file=pdf_upload("日程.pdf"),
        actor=applicant,
        kinds={"agenda": "agenda"},
        action="travel_application.attach",
    )
    document = attachment.document
    assert (document.organization, document.kind, document.uploaded_by) == (organization, "agenda", applicant)
    assert document.title.startswith(case.reference) and document.original_name == "日程.pdf"
    event = AuditEvent.objects.timeline_for(case).get(action="travel_application.attach")
    assert event.data == {"kind": "agenda", "document": str(document.pk), "name": "日程.pdf"}

    attachments.attachment_remove(attachment=attachment, actor=applicant, action="travel_application.detach")
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert Document.objects.filter(pk=document.pk).exists()  # kept among the organisation's documents
    assert AuditEvent.objects.timeline_for(case).filter(action="travel_application.detach").exists()


def test_a_kind_the_case_does_not_take_now_is_refused_naming_those_it_does(applicant, organization):
    case = draft(applicant, card_person(organization), attach=False)
    with pytest.raises(ValidationError) as refused:
        attachments.attachment_add(
            case=case,
            model=CardAttachment,
            kind="other",
            uploaded_file=pdf_upload(),
            actor=applicant,
            kinds={"passport": "passport_scan"},
            action="card_application.attach",
        )
    assert (
        "护照资料页" in refused.value.message_dict["kind"][0]
    )  # the kinds it takes, in the reader's language
    assert not Document.objects.exists() and not CardAttachment.objects.exists()


def test_a_bad_file_is_refused_before_anything_is_stored(applicant, organization):
    case = ApplicationFactory(organization=organization, trip=False)
    fake = pdf_upload("fake.pdf")
    fake.file.seek(0)
    fake.file.write(b"not a pdf at all")
    fake.file.truncate()
    fake.file.seek(0)
    with pytest.raises(ValidationError):
        attachments.attachment_add(
            case=case,
            model=Attachment,
            kind="other",
            uploaded_file=fake,
            actor=applicant,
            kinds={"other": "other"},
            action="travel_application.attach",
        )
    assert not Attachment.objects.filter(application=case).exists()
