"""What APEC card applications and cards hold about one person (foreign_affairs.privacy.person_data): the
applications with their passport page, photograph and letters, and the cards with their decision
letters. A person's applications and cards are theirs alone: erasure removes them whole."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from foreign_affairs.areas.registry import PersonalDataSource
from foreign_affairs.documents.models import Document
from foreign_affairs.privacy.person_data import kept_until

from .models import Card, CardApplication, CardAttachment, PreClearance
from .workflow import LIVE_CARD_STATES, OPEN_STATES

# Retention kinds (privacy.retention) of a decided application and of an ended card, and their defaults.
APPLICATION_RETENTION_KIND = "apec_card_application"
CARD_RETENTION_KIND = "apec_card"
RETENTION_MONTHS = 60


def _applications(person):
    return CardApplication.objects.filter(person=person).order_by("pk")


def _cards(person):
    return Card.objects.filter(holder=person).order_by("pk")


def collect(person) -> dict:
    return {
        "card_applications": [
            {
                "reference": application.reference,
                "kind": application.kind,
                "state": application.state,
                "passport_number": application.passport_number,
                "passport_expiry": application.passport_expiry,
                "economies": sorted(application.economies.values_list("code", flat=True)),
                "justification": application.justification,
                "travel_history": application.travel_history,
                "replacement_reason": application.replacement_reason,
                "submitted_at": application.submitted_at,
                "decided_at": application.decided_at,
                "created_at": application.created_at,
                "attachments": [
                    {"kind": item.kind, "file_name": item.document.original_name}
                    for item in application.attachments.select_related("document")
                ],
            }
            for application in _applications(person).prefetch_related("economies")
        ],
        "cards": [
            {
                "number": card.number,
                "state": card.state,
                "passport_number": card.passport_number,
                "passport_expiry": card.passport_expiry,
                "issued_on": card.issued_on,
                "term_started_on": card.term_started_on,
                "expires_on": card.expires_on,
                "ended_at": card.ended_at,
                "end_reason": card.end_reason,
                "economies": [
                    {"economy": item.economy_id, "approved_on": item.approved_on}
                    for item in card.card_economies.all()
                ],
            }
            for card in _cards(person).prefetch_related("card_economies")
        ],
    }


def files(person):
    for item in CardAttachment.objects.filter(application__person=person).select_related(
        "application", "document"
    ):
        yield f"{item.application.reference}-{item.kind}-{item.document.original_name}", item.document.file
    for card in _cards(person):
        if card.letter:
            yield f"{card.number}-letter.pdf", card.letter


def duties(person) -> list[str]:
    found = []
    today = timezone.localdate()
    for application in _applications(person):
        if application.state in OPEN_STATES:
            found.append(
                _("On APEC card application %(reference)s (in progress: %(state)s)")
                % {"reference": application.reference, "state": application.get_state_display()}
            )
            continue
        closed = application.decided_at or application.state_changed_at
        until = kept_until(APPLICATION_RETENTION_KIND, closed, default_months=RETENTION_MONTHS)
        if until > today:
            found.append(
                _("On APEC card application %(reference)s (kept until %(date)s)")
                % {"reference": application.reference, "date": until.isoformat()}
            )
    for card in _cards(person):
        if card.state in LIVE_CARD_STATES:
            found.append(
                _("Holds APEC card %(number)s (%(state)s, expires %(date)s)")
                % {
                    "number": card.number,
                    "state": card.get_state_display(),
                    "date": card.expires_on.isoformat(),
                }
            )
            continue
        ended = min(card.ended_at.date() if card.ended_at else card.expires_on, card.expires_on)
        until = kept_until(CARD_RETENTION_KIND, ended, default_months=RETENTION_MONTHS)
        if until > today:
            found.append(
                _("APEC card %(number)s (kept until %(date)s)")
                % {"number": card.number, "date": until.isoformat()}
            )
    return found


def _delete_files_on_commit(field_files) -> None:
    names = [(field_file.storage, field_file.name) for field_file in field_files if field_file]
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])


def erase(person) -> dict[str, int]:
    applications = list(_applications(person).values_list("pk", flat=True))
    cards = list(_cards(person))
    attachments = list(
        CardAttachment.objects.filter(application_id__in=applications).select_related("document")
    )
    documents = [item.document for item in attachments]
    _delete_files_on_commit([document.file for document in documents] + [card.letter for card in cards])
    CardAttachment.objects.filter(pk__in=[item.pk for item in attachments]).delete()
    Document.objects.filter(pk__in=[document.pk for document in documents]).delete()
    PreClearance.objects.filter(application_id__in=applications).delete()
    # Follow-up applications and replacement cards point at each other (PROTECT): unlink, then delete.
    CardApplication.objects.filter(pk__in=applications).update(replaces_card=None)
    Card.objects.filter(pk__in=[card.pk for card in cards]).update(replaces=None)
    Card.objects.filter(pk__in=[card.pk for card in cards]).delete()
    CardApplication.economies.through.objects.filter(cardapplication_id__in=applications).delete()
    CardApplication.objects.filter(pk__in=applications).delete()
    return {"card_applications": len(applications), "cards": len(cards), "files": len(documents)}


SOURCE = PersonalDataSource(name="apec_cards", collect=collect, files=files, duties=duties, erase=erase)
