"""What follows a transition of a travel application: the public notice opens or closes, the permit is
queued or revoked. Only `application_transition` calls it; it never imports the transitions."""

from django.conf import settings

from ..models import DisclosureKind, DisclosureOutcome, TravelApplication
from .notices import close_open, disclosure_open
from .permits import enqueue_permit, permit_revoke


def after_transition(application: TravelApplication, name: str, *, actor, comment: str) -> None:
    """Called by application_transition inside its transaction, once the new state is saved."""
    if name in ("approve", "sign_off"):
        if settings.DISCLOSURE_WORKING_DAYS > 0:
            disclosure_open(application, kind=DisclosureKind.TRIP)
        else:
            enqueue_permit(application)
    elif name in ("cancel", "reopen"):
        close_open(application, DisclosureKind.TRIP, DisclosureOutcome.WITHDRAWN)
        if name == "cancel":
            permit_revoke(application, reason=comment)
    elif name == "submit_report" and settings.DISCLOSURE_WORKING_DAYS > 0:
        disclosure_open(application, kind=DisclosureKind.REPORT)
    elif name in ("accept_report", "return_report"):
        outcome = DisclosureOutcome.COMPLETED if name == "accept_report" else DisclosureOutcome.WITHDRAWN
        close_open(application, DisclosureKind.REPORT, outcome)
