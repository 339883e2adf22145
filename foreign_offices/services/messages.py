"""E-mails to enquirers without an account (models.CaseMessage): written in the enquiry's language, sent
after commit, retried by a beat job, each at most once."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from foreign_affairs.notifications.rendering import render_text
from foreign_affairs.tasking import enqueue_on_commit

from ..models import CaseMessage, SetupCase

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def tell_enquirer(case: SetupCase, template: str, *, key: str, **context) -> CaseMessage | None:
    """Write `foreign_offices/enquirer_<template>` (subject and body) to the case's contact and queue it;
    nothing when a message of this `key` exists already."""
    if CaseMessage.objects.filter(key=key).exists():
        return None
    context = {"case": case, "portal_url": settings.PORTAL_BASE_URL, **context}
    with translation.override(case.language):
        base = f"notifications/foreign_offices/enquirer_{template}"
        subject = " ".join(render_text(f"{base}_subject.txt", context).split())[:200]
        body = render_text(f"{base}_body.txt", context).strip()
    try:
        with transaction.atomic():
            message = CaseMessage.objects.create(
                case=case, key=key[:120], to=case.contact_email, subject=subject, body=body
            )
    except IntegrityError:
        return None
    enqueue_on_commit("foreign_offices.deliver_case_message", message.pk)
    return message


def deliver(message_id: int) -> bool:
    """Send one message; True when this run sent it. Safe to run twice, even at once (row lock)."""
    with transaction.atomic():
        message = (
            CaseMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
            .first()
        )
        if message is None:
            return False
        message.attempts += 1
        try:
            EmailMessage(
                subject=message.subject,
                body=message.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[message.to],
            ).send(fail_silently=False)
        except Exception as error:  # the mail server's failure, kept for the retry job
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            logger.warning(
                "enquirer message not sent", extra={"message": message.pk, "error": message.last_error}
            )
            message.save(update_fields=["attempts", "last_error"])
            return False
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["attempts", "sent_at", "last_error"])
        return True


def deliver_pending(*, older_than_minutes: int = 1) -> int:
    """The retry job: send what is still pending a minute after it was written."""
    ids = CaseMessage.objects.filter(
        sent_at__isnull=True,
        attempts__lt=MAX_ATTEMPTS,
        created_at__lte=timezone.now() - timedelta(minutes=older_than_minutes),
    ).values_list("pk", flat=True)[:200]
    return sum(deliver(pk) for pk in list(ids))
