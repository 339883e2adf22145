"""The day-before reminders (a beat job): everyone with a place in a session that starts tomorrow is told
once, whenever the job runs (twice, or late after an outage)."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from .. import notifying
from ..models import Enrolment
from ..workflow import SessionState, State


def send_reminders(*, today=None) -> int:
    today = today or timezone.localdate()
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min), tz)
    end = start + timedelta(days=1)
    sent = 0
    ids = list(
        Enrolment.objects.filter(
            state=State.ENROLLED,
            reminded_at__isnull=True,
            session__state=SessionState.SCHEDULED,
            session__starts_at__gte=start,
            session__starts_at__lt=end,
        ).values_list("pk", flat=True)
    )
    for pk in ids:
        with transaction.atomic():
            enrolment = (
                Enrolment.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("session__course", "person", "user")
                .filter(pk=pk, reminded_at__isnull=True, state=State.ENROLLED)
                .first()
            )
            if enrolment is None:
                continue
            enrolment.reminded_at = timezone.now()
            enrolment.save(update_fields=["reminded_at"])
            notifying.reminder(enrolment)
            sent += 1
    return sent
