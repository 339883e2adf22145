"""Building card applications and cards through the services, as the users would."""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from apec_cards import services
from apec_cards.models import CardApplication
from tests.factories import PersonFactory


def png_upload(name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 160), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf_upload(name: str = "passport.pdf") -> SimpleUploadedFile:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


def card_person(organization, *, passport_years: int = 8, **kwargs):
    """A traveller whose passport is valid for `passport_years` more years."""
    return PersonFactory(
        organization=organization,
        passport_expiry=timezone.localdate() + timedelta(days=365 * passport_years),
        **kwargs,
    )


def draft(applicant, person, *, kind: str = "new", economies=("AU", "JP", "SG"), attach: bool = True, **data):
    """A draft with the documents a submission needs (passport page and photograph)."""
    values = {
        "person": person,
        "kind": kind,
        "justification": "负责东南亚及大洋洲市场开拓，每年赴APEC经济体商务洽谈六次以上。",
        "travel_history": "2025-03 新加坡 物流展\n2025-09 日本 客户拜访",
        **data,
    }
    if economies is not None:
        values["economies"] = list(economies)
    application = services.application_create(
        actor=applicant, organization=applicant.organization, data=values
    )
    if attach:
        services.attachment_add(
            application=application, actor=applicant, kind="passport", uploaded_file=pdf_upload()
        )
        services.attachment_add(
            application=application, actor=applicant, kind="photo", uploaded_file=png_upload()
        )
    return application


def run(application, actor, name: str, comment: str = "") -> CardApplication:
    return services.application_transition(application=application, actor=actor, name=name, comment=comment)


def to_preclearance(application, *, applicant, liaison, officer) -> CardApplication:
    application = run(application, applicant, "submit")
    application = run(application, liaison, "endorse")
    application = run(application, officer, "start_review")
    return run(application, officer, "request_preclearance")


def decide(application, officer, economy: str, decision: str = "approved", days_ago: int = 0):
    return services.preclearance_record(
        application=application,
        actor=officer,
        economy=economy,
        decision=decision,
        decided_on=timezone.localdate() - timedelta(days=days_ago),
    )


def issued_card(*, applicant, liaison, officer, person=None, approve=("AU",), **draft_kwargs):
    """A card issued early on the economies in `approve`; the others stay pending."""
    person = person or card_person(applicant.organization)
    application = to_preclearance(
        draft(applicant, person, **draft_kwargs), applicant=applicant, liaison=liaison, officer=officer
    )
    for economy in approve:
        decide(application, officer, economy)
    application = run(application, officer, "issue")
    return application.card
