"""Certificates: issued in the transaction that completes the course, rendered as a PDF by a Celery task
exactly once, revoked by the office (the verify page then says so)."""

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.rules.registry import add_months
from foreign_affairs.audit.services import record_event
from foreign_affairs.documents.models import private_storage
from foreign_affairs.documents.pdf import render_pdf
from foreign_affairs.errors import StateConflict
from foreign_affairs.tasking import enqueue_on_commit

from .. import notifying
from ..models import Certificate, Enrolment
from .common import next_number, require_officer

logger = logging.getLogger(__name__)


def valid_until_for(issued_on, months: int):
    """Valid for `months` months: issued 2026-03-15 for 12 months, valid until 2027-03-14."""
    from datetime import timedelta

    return add_months(issued_on, months) - timedelta(days=1)


def certificate_issue(*, enrolment: Enrolment) -> Certificate:
    """The certificate of a completed enrolment (once: a second call returns it); rendering is queued."""
    existing = Certificate.objects.filter(enrolment=enrolment).first()
    if existing is not None:
        return existing
    course = enrolment.session.course
    issued_on = timezone.localdate()
    certificate = Certificate.objects.create(
        enrolment=enrolment,
        number=next_number("HNTC", issued_on.year),
        course=course,
        person_id=enrolment.person_id,
        organization_id=enrolment.organization_id,
        holder_name=enrolment.trainee_name,
        is_predeparture=course.is_predeparture,
        issued_on=issued_on,
        valid_until=valid_until_for(issued_on, course.certificate_months),
    )
    record_event(actor=None, action="certificate.issue", obj=certificate, data={"enrolment": enrolment.pk})
    enqueue_on_commit("training.render_certificate", certificate.pk)
    return certificate


def certificate_render(*, certificate_id: int) -> Certificate:
    """Render and store the certificate's PDF unless it is rendered already. Locks the row, so two runs at
    once are one after the other and the second finds the file; the file's name is fixed per certificate."""
    from ..documents import certificate_context

    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("course", "person", "organization", "enrolment__session")
            .get(pk=certificate_id)
        )
        if certificate.file:
            return certificate
        logger.info("rendering certificate", extra={"certificate": certificate.number})
        pdf = render_pdf("training/pdf/certificate.html", certificate_context(certificate))
        storage = private_storage()
        name = f"certificates/{certificate.issued_on:%Y}/{certificate.number}.pdf"
        if storage.exists(name):
            storage.delete(name)
        certificate.file.name = storage.save(name, ContentFile(pdf))
        certificate.sha256 = hashlib.sha256(pdf).hexdigest()
        certificate.rendered_at = timezone.now()
        certificate.render_error = ""
        certificate.save(update_fields=["file", "sha256", "rendered_at", "render_error"])
        record_event(
            actor=None, action="certificate.render", obj=certificate, data={"sha256": certificate.sha256}
        )
        notifying.certificate_ready(certificate)
    return certificate


def certificate_failed(*, certificate_id: int, error) -> None:
    Certificate.objects.filter(pk=certificate_id, file="").update(
        render_error=f"{type(error).__name__}: {error}"[:2000]
    )


def certificate_revoke(*, certificate: Certificate, actor, reason: str) -> Certificate:
    require_officer(actor)
    reason = (reason or "").strip()
    if not reason:
        from django.core.exceptions import ValidationError

        raise ValidationError({"reason": _("Say why the certificate is revoked.")})
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update(of=("self",)).get(pk=certificate.pk)
        if certificate.revoked_at is not None:
            raise StateConflict(_("This certificate is revoked already."), state="revoked", available=[])
        certificate.revoked_at = timezone.now()
        certificate.revoked_by = actor
        certificate.revoke_reason = reason
        certificate.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        record_event(actor=actor, action="certificate.revoke", obj=certificate, comment=reason)
    return certificate
