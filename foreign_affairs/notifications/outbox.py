"""E-mails to people without an account (an enquirer, a visitor who expressed interest): written in their
language into an area's outbox model (a subclass of models.OutboxMessage), sent by a task after commit,
retried by a beat job, each at most once. One implementation for every area's outbox."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from foreign_affairs.tasking import enqueue_on_commit

from .rendering import render_text

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def write(model, *, key: str, to: str, language: str, template: str, context: dict, task: str, **fields):
    """Write `<template>_subject.txt` and `<template>_body.txt` in `language` to `to` as a `model` row with
    `fields` (its foreign key), and queue `task` with its id after commit; nothing (None) when a message
    of this `key` exists already."""
    if model.objects.filter(key=key[:120]).exists():
        return None
    context = {"portal_url": settings.PORTAL_BASE_URL, **context}
    with translation.override(language):
        subject = " ".join(render_text(f"{template}_subject.txt", context).split())[:200]
        body = render_text(f"{template}_body.txt", context).strip()
    try:
        with transaction.atomic():
            message = model.objects.create(key=key[:120], to=to, subject=subject, body=body, **fields)
    except IntegrityError:
        return None
    enqueue_on_commit(task, message.pk)
    return message


def deliver(model, message_id: int) -> bool:
    """Send one message; True when this run sent it. Safe to run twice, even at once (row lock)."""
    with transaction.atomic():
        message = (
            model.objects.select_for_update(skip_locked=True)
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
                "outbox message not sent",
                extra={"model": model._meta.label, "message": message.pk, "error": message.last_error},
            )
            message.save(update_fields=["attempts", "last_error"])
            return False
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["attempts", "sent_at", "last_error"])
        return True


def deliver_pending(model, *, older_than_minutes: int = 1) -> int:
    """The retry job: send what is still pending a minute after it was written."""
    ids = model.objects.filter(
        sent_at__isnull=True,
        attempts__lt=MAX_ATTEMPTS,
        created_at__lte=timezone.now() - timedelta(minutes=older_than_minutes),
    ).values_list("pk", flat=True)[:200]
    return sum(deliver(model, pk) for pk in list(ids))
