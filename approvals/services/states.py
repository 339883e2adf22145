"""Entering a state: the time, the service-level deadline of a waiting state, and the stay in StatePeriod.

Both the transitions people run and the permit's system transition use it; it imports neither.
"""

from django.utils import timezone

from foreign_affairs.workdays.selectors import add_working_days

from ..models import ServiceLevel, StatePeriod, TravelApplication
from ..workflow import WAITING_STATES, State

DEFAULT_SERVICE_LEVELS = {State.SUBMITTED: 3, State.IN_REVIEW: 5, State.PENDING_SIGNOFF: 3}


def state_entered(application: TravelApplication, state: str) -> None:
    """Stamp the time the application entered `state` and its service-level deadline there, and keep the
    stay in StatePeriod (the previous stay ends now). Called before the application is saved."""
    now = timezone.now()
    application.state_changed_at = now
    application.reminders_sent = 0
    if state in WAITING_STATES:
        level = ServiceLevel.objects.filter(state=state).values_list("working_days", flat=True).first()
        days = level if level is not None else DEFAULT_SERVICE_LEVELS[state]
        application.due_on = add_working_days(timezone.localdate(), days)
    else:
        application.due_on = None
    StatePeriod.objects.filter(application=application, left_at__isnull=True).update(left_at=now)
    StatePeriod.objects.create(
        application=application, state=state, entered_at=now, due_on=application.due_on
    )
