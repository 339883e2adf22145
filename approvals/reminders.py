"""Service levels: who is reminded when an application waits past its deadline."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from foreign_affairs.accounts.models import User
from foreign_affairs.accounts.roles import Role
from foreign_affairs.workdays.selectors import working_days_between

from . import notifying
from .models import ServiceLevel, TravelApplication
from .workflow import WAITING_STATES, State


def _first_recipients(application) -> list[User]:
    if application.state == State.SUBMITTED:
        return list(
            User.objects.filter(
                membership__organization_id=application.organization_id,
                membership__is_liaison=True,
                is_active=True,
            )
        )
    if application.state == State.IN_REVIEW and application.assigned_officer_id:
        return notifying.with_substitutes(User.objects.filter(pk=application.assigned_officer_id))
    role = Role.OFFICER if application.state == State.IN_REVIEW else Role.LEADER
    return notifying.with_substitutes(User.objects.filter(groups__name=role, is_active=True))


def send_reminders(*, today=None) -> int:
    """Remind once when an application passes its deadline, and tell the leaders once when it stays
    overdue `escalate_after` more working days. Returns the number of reminders queued.

    Idempotent: each application records how many reminders it had in its current state, and each
    notification carries a key, so a second run the same day sends nothing.
    """
    today = today or timezone.localdate()
    escalate_after = dict(ServiceLevel.objects.values_list("state", "escalate_after"))
    sent = 0
    overdue = TravelApplication.objects.filter(
        state__in=WAITING_STATES, due_on__lt=today, reminders_sent__lt=2
    )
    for application in overdue.select_related("organization").order_by("due_on")[:1000]:
        with transaction.atomic():
            application = (
                TravelApplication.objects.select_for_update()
                .select_related("organization")
                .get(pk=application.pk)
            )
            if application.state not in WAITING_STATES or application.due_on is None:
                continue
            days = working_days_between(application.due_on, today)
            if application.reminders_sent == 0:
                for user in _first_recipients(application):
                    notifying.reminder(application, user=user, overdue_days=days, escalated=False)
                    sent += 1
                application.reminders_sent = 1
            if application.reminders_sent == 1 and days > escalate_after.get(application.state, 2):
                for user in notifying.with_substitutes(
                    User.objects.filter(groups__name=Role.LEADER, is_active=True)
                ):
                    notifying.reminder(application, user=user, overdue_days=days, escalated=True)
                    sent += 1
                application.reminders_sent = 2
            application.save(update_fields=["reminders_sent"])
    return sent


REPORT_REMINDER_DAYS_BEFORE = 3


def send_report_and_passport_reminders(*, today=None) -> int:
    """Post-trip reports due within three days or overdue, and passports not back by their due date.
    Each notification has a key, so a reminder goes once per report stage or per passport."""
    from .models import PassportHandover

    today = today or timezone.localdate()
    sent = 0
    due = TravelApplication.objects.filter(
        state=State.PERMIT_ISSUED, report_due_on__isnull=False
    ).select_related("organization")
    for application in due.filter(
        report_due_on__range=(today, today + timedelta(days=REPORT_REMINDER_DAYS_BEFORE))
    ):
        sent += notifying.report_reminder(application, overdue=False)
    for application in due.filter(report_due_on__lt=today):
        sent += notifying.report_reminder(application, overdue=True)
    late = PassportHandover.objects.filter(returned_at__isnull=True, due_on__lt=today).select_related(
        "person", "application__organization"
    )
    for handover in late:
        sent += notifying.passport_reminder(handover)
    return sent
