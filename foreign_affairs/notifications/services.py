"""Sending notifications through the outbox."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from foreign_affairs.tasking import enqueue_on_commit

from . import sms
from .models import Channel, Notification, Status
from .rendering import render_text

logger = logging.getLogger(__name__)

# The channels sent by the deliver task (and retried); in-app notifications are delivered by being stored.
OUTBOX_CHANNELS = (Channel.EMAIL, Channel.SMS)


def notify(
    *,
    recipient,
    template: str,
    context: dict | None = None,
    link: str = "",
    channels: tuple[str, ...] = (Channel.IN_APP, Channel.EMAIL),
    key: str = "",
) -> list[Notification]:
    """Queue a message to one user on each channel: the e-mail in the user's own language, the in-app
    copy in every language of the portal (shown in the reader's language of the moment).

    Renders `notifications/<template>_subject.txt` and `_body.txt` with `context` as plain text (not
    HTML-escaped: pages showing the in-app copy escape it themselves). The context may hold model
    instances: the text is written now, from the values of now, once per language. The in-app copy is
    delivered by being stored; the e-mail copy and the text message ("sms": the subject and the link,
    see notifications.sms) are sent by `notifications.deliver` after the caller's transaction commits
    (no e-mail address, no e-mail; no phone number or no NOTIFICATION_SMS_BACKEND, no text message).
    With a `key`, a repeated call for the same recipient and channel changes nothing.
    """
    context = {
        "recipient": recipient,
        "portal_url": settings.PORTAL_BASE_URL,
        "link": link,
        **(context or {}),
    }
    languages = [recipient.preferred_language]
    if Channel.IN_APP in channels:
        languages += [code for code, _name in settings.LANGUAGES if code != recipient.preferred_language]
    texts = {language: _render(template, context, language) for language in languages}
    own = texts[recipient.preferred_language]  # the e-mail's, and the stored subject and body
    now = timezone.now()
    created = []
    for channel in channels:
        if channel == Channel.EMAIL and not recipient.email:
            continue
        if channel == Channel.SMS and not (recipient.phone and sms.is_configured()):
            continue
        fields = {"subject": own["subject"], "body": own["body"], "link": link, "template": template}
        if channel == Channel.IN_APP:
            fields.update(status=Status.SENT, sent_at=now, texts=texts)
        else:
            # The first attempt is the on-commit task; the retry job only picks this up if that is lost.
            fields.update(status=Status.PENDING, next_attempt_at=now + timedelta(minutes=1))
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    recipient=recipient, channel=channel, key=key, **fields
                )
        except IntegrityError:
            if not key:
                raise
            continue  # already sent under this key
        created.append(notification)
        if channel in OUTBOX_CHANNELS:
            enqueue_on_commit("notifications.deliver", notification.pk)
    return created


def _render(template: str, context: dict, language: str) -> dict:
    """The subject (one line, at most 200 characters) and body of `template` in `language`."""
    with translation.override(language):
        subject = " ".join(render_text(f"notifications/{template}_subject.txt", context).split())[:200]
        body = render_text(f"notifications/{template}_body.txt", context).strip()
    return {"subject": subject, "body": body}


def notification_deliver(*, notification_id: int) -> Notification | None:
    """Send one pending e-mail or text message. Safe to run twice: a sent or failed one is left alone.

    Locks the row while sending so that the retry job and the first attempt never both send it. A
    failure counts an attempt and schedules the next with exponential back-off; after
    NOTIFICATION_MAX_ATTEMPTS the notification is `failed` (shown to administrators).
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .select_related("recipient")
            .filter(pk=notification_id, channel__in=OUTBOX_CHANNELS, status=Status.PENDING)
            .first()
        )
        if notification is None:
            return None
        notification.attempts += 1
        try:
            if notification.channel == Channel.SMS:
                _send_sms(notification)
            else:
                _send_email(notification)
        except Exception as error:  # any failure of the mail server, the SMS gateway or the network
            notification.last_error = f"{type(error).__name__}: {error}"[:2000]
            if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
                notification.status = Status.FAILED
                notification.next_attempt_at = None
            else:
                delay = settings.NOTIFICATION_RETRY_BASE_SECONDS * 2 ** (notification.attempts - 1)
                notification.next_attempt_at = timezone.now() + timedelta(seconds=delay)
            logger.warning(
                "notification delivery failed",
                extra={
                    "notification": notification.pk,
                    "attempts": notification.attempts,
                    "error": notification.last_error,
                },
            )
        else:
            notification.status = Status.SENT
            notification.sent_at = timezone.now()
            notification.last_error = ""
            notification.next_attempt_at = None
        notification.save(update_fields=["attempts", "status", "sent_at", "last_error", "next_attempt_at"])
    return notification


def _send_email(notification: Notification) -> None:
    body = notification.body
    if notification.link:
        body = f"{body}\n\n{settings.PORTAL_BASE_URL}{notification.link}"
    EmailMessage(
        subject=notification.subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient.email],
    ).send(fail_silently=False)


def _send_sms(notification: Notification) -> None:
    """Through the configured backend (notifications.sms); raises if SMS was switched off meanwhile or
    the recipient's phone number was removed, so that the row shows why it was not sent."""
    phone = notification.recipient.phone
    if not phone:
        raise ValueError("the recipient has no phone number")
    sms.get_backend().send(phone, sms.sms_text(notification))


def due_notification_ids(*, limit: int = 500) -> list[int]:
    """E-mails and text messages waiting for a (re)try whose time has come."""
    return list(
        Notification.objects.filter(
            channel__in=OUTBOX_CHANNELS, status=Status.PENDING, next_attempt_at__lte=timezone.now()
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def notification_retry(*, notification: Notification, actor) -> Notification:
    """Put a failed e-mail or text message back in the queue for another round of attempts (admin action)."""
    from foreign_affairs.audit.services import record_event

    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification.pk)
        if notification.channel not in OUTBOX_CHANNELS or notification.status == Status.SENT:
            return notification
        previous = notification.status
        notification.status = Status.PENDING
        notification.attempts = 0
        notification.next_attempt_at = timezone.now()
        notification.save(update_fields=["status", "attempts", "next_attempt_at"])
        record_event(
            actor=actor,
            action="notification.retry",
            obj=notification,
            from_state=previous,
            to_state=Status.PENDING,
        )
        enqueue_on_commit("notifications.deliver", notification.pk)
    return notification


def mark_read(*, user, notification_ids=None) -> int:
    """Mark the user's in-app notifications read (all unread ones when no ids are given)."""
    unread = Notification.objects.filter(recipient=user, channel=Channel.IN_APP, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())
