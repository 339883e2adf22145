"""E-mails to enquirers without an account (models.CaseMessage, through the shared outbox): written in the
enquiry's language, sent after commit, retried by a beat job, each at most once."""

from foreign_affairs.notifications import outbox

from ..models import CaseMessage, SetupCase


def tell_enquirer(case: SetupCase, template: str, *, key: str, **context) -> CaseMessage | None:
    """Write `foreign_offices/enquirer_<template>` (subject and body) to the case's contact and queue it;
    nothing when a message of this `key` exists already."""
    return outbox.write(
        CaseMessage,
        key=key,
        to=case.contact_email,
        language=case.language,
        template=f"notifications/foreign_offices/enquirer_{template}",
        context={"case": case, **context},
        task="foreign_offices.deliver_case_message",
        case=case,
    )


def deliver(message_id: int) -> bool:
    """Send one message; True when this run sent it. Safe to run twice, even at once (row lock)."""
    return outbox.deliver(CaseMessage, message_id)


def deliver_pending(*, older_than_minutes: int = 1) -> int:
    """The retry job: send what is still pending a minute after it was written."""
    return outbox.deliver_pending(CaseMessage, older_than_minutes=older_than_minutes)
