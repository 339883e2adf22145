"""The certificate as a printed document: what its PDF shows, how /verify/<code>/ answers for it, and how
its file is served (the trainee's pages, the back office and the API share these)."""

from django.http import FileResponse, Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from foreign_affairs.documents.qr import qr_svg_data_uri
from foreign_affairs.documents.responses import file_download
from foreign_affairs.documents.verification import Verification, normalize_code

from .models import Certificate, CertificateStatus


def certificate_context(certificate: Certificate) -> dict:
    """What training/pdf/certificate.html shows: the session's first and last day in the portal's time zone,
    and the holder's name for the English lines (the passport spelling when the traveller has one)."""
    enrolment = certificate.enrolment
    session = enrolment.session
    person = certificate.person
    return {
        "certificate": certificate,
        "course": certificate.course,
        "session": session,
        "person": person,
        "organization": certificate.organization,
        "first_day": timezone.localtime(session.starts_at).date(),
        "last_day": timezone.localtime(session.ends_at).date(),
        "holder_en": (person.pinyin_name if person is not None else "") or certificate.holder_name,
        "qr": qr_svg_data_uri(certificate.verify_url),
    }


def certificate_response(certificate: Certificate) -> FileResponse:
    if not certificate.file:
        raise Http404(_("The certificate is still being prepared; try again in a minute."))
    return file_download(certificate.file, f"{certificate.number}.pdf")


def certificate_verification(code: str) -> Verification | None:
    certificate = (
        Certificate.objects.select_related("course", "organization")
        .filter(verification_code=normalize_code(code))
        .first()
    )
    if certificate is None:
        return None
    status = certificate.status()
    notes = {
        CertificateStatus.VALID: _("The certificate was issued by the office and is valid."),
        CertificateStatus.REVOKED: _("The certificate was revoked on %(date)s; it is no longer valid.")
        % {
            "date": formats.date_format(timezone.localtime(certificate.revoked_at))
            if certificate.revoked_at
            else ""
        },
        CertificateStatus.EXPIRED: _("The certificate's validity has ended."),
    }
    organization = certificate.organization
    facts = [
        (_("Certificate number"), certificate.number),
        (_("Holder"), certificate.holder_name),
        (_("Course"), certificate.course.title),
        (_("Issued on"), formats.date_format(certificate.issued_on)),
        (_("Valid until"), formats.date_format(certificate.valid_until)),
    ]
    if organization is not None:
        facts.insert(2, (_("Organisation"), organization.name))
    return Verification(
        kind=str(_("Training certificate")),
        status=status,
        status_label=str(CertificateStatus(status).label),
        note=str(notes[status]),
        facts=facts,
    )
