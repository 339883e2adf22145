"""What training holds about one person (foreign_affairs.privacy.person_data): their enrolments, with the
assessment attempts and the e-mails sent to them, and their certificates with the PDFs."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from foreign_affairs.areas.registry import PersonalDataSource
from foreign_affairs.privacy.person_data import kept_until

from .models import Attempt, Certificate, Enrolment
from .workflow import OPEN_STATES

# Retention kinds (privacy.retention) of a finished enrolment and of an expired certificate; defaults.
ENROLMENT_RETENTION_KIND = "training_enrolment"
CERTIFICATE_RETENTION_KIND = "training_certificate"
RETENTION_MONTHS = 36


def _enrolments(person):
    return Enrolment.objects.filter(person=person).select_related("session__course").order_by("pk")


def _certificates(person):
    return Certificate.objects.filter(person=person).select_related("course").order_by("pk")


def collect(person) -> dict:
    return {
        "enrolments": [
            {
                "session": enrolment.session.reference,
                "course": enrolment.session.course.code,
                "course_title": enrolment.session.course.title,
                "state": enrolment.state,
                "created_at": enrolment.created_at,
                "attended_at": enrolment.attended_at,
                "completed_at": enrolment.completed_at,
                "cancelled_at": enrolment.cancelled_at,
                "attempts": [
                    {"number": attempt.number, "score": attempt.score, "passed": attempt.passed}
                    for attempt in enrolment.attempts.all()
                ],
            }
            for enrolment in _enrolments(person).prefetch_related("attempts")
        ],
        "certificates": [
            {
                "number": certificate.number,
                "course": certificate.course.code,
                "holder_name": certificate.holder_name,
                "is_predeparture": certificate.is_predeparture,
                "issued_on": certificate.issued_on,
                "valid_until": certificate.valid_until,
                "revoked_at": certificate.revoked_at,
                "revoke_reason": certificate.revoke_reason,
            }
            for certificate in _certificates(person)
        ],
    }


def files(person):
    for certificate in _certificates(person):
        if certificate.file:
            yield f"certificate-{certificate.number}.pdf", certificate.file


def duties(person) -> list[str]:
    found = []
    today = timezone.localdate()
    certified = set()
    for certificate in _certificates(person):
        certified.add(certificate.enrolment_id)
        if certificate.revoked_at is None and certificate.valid_until >= today:
            found.append(
                _("Holds training certificate %(number)s (valid until %(date)s)")
                % {"number": certificate.number, "date": certificate.valid_until.isoformat()}
            )
            continue
        ended = certificate.revoked_at.date() if certificate.revoked_at else certificate.valid_until
        until = kept_until(CERTIFICATE_RETENTION_KIND, ended, default_months=RETENTION_MONTHS)
        if until > today:
            found.append(
                _("Training certificate %(number)s (kept until %(date)s)")
                % {"number": certificate.number, "date": until.isoformat()}
            )
    for enrolment in _enrolments(person):
        if enrolment.state in OPEN_STATES:
            found.append(
                _("Enrolled in training session %(reference)s (%(state)s)")
                % {"reference": enrolment.session.reference, "state": enrolment.get_state_display()}
            )
        elif enrolment.pk not in certified:
            until = kept_until(
                ENROLMENT_RETENTION_KIND, enrolment.state_changed_at, default_months=RETENTION_MONTHS
            )
            if until > today:
                found.append(
                    _("On training session %(reference)s (kept until %(date)s)")
                    % {"reference": enrolment.session.reference, "date": until.isoformat()}
                )
    return found


def erase(person) -> dict[str, int]:
    certificates = list(_certificates(person))
    names = [(item.file.storage, item.file.name) for item in certificates if item.file]
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])
    Certificate.objects.filter(pk__in=[item.pk for item in certificates]).delete()
    enrolments = list(_enrolments(person).values_list("pk", flat=True))
    Attempt.objects.filter(enrolment_id__in=enrolments).delete()
    # Deleting an enrolment deletes the e-mails to the trainee with it (TrainingMessage and its outbox row).
    for enrolment in Enrolment.objects.filter(pk__in=enrolments):
        enrolment.delete()
    return {"enrolments": len(enrolments), "certificates": len(certificates)}


SOURCE = PersonalDataSource(name="training", collect=collect, files=files, duties=duties, erase=erase)
