"""Recording the economies' pre-clearance decisions as they arrive, before or after the card is issued."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from foreign_affairs.accounts.roles import Role
from foreign_affairs.audit.services import record_event
from foreign_affairs.errors import StateConflict

from .. import notifying
from ..models import Card, CardApplication, Decision, PreClearance
from ..workflow import State
from .applications import available_transitions
from .cards import card_add_economy


def preclearance_record(
    *, application: CardApplication, actor, economy: str, decision: str, decided_on, note: str = ""
) -> PreClearance:
    """An officer records one economy's answer (approved or refused, on a date).

    Allowed while the application is in pre-clearance, and after an early card was issued (an approval
    then adds the economy to the card and renders its letter again). Recording the same answer twice
    changes nothing; changing a recorded answer is refused.
    """
    if not actor.has_role(Role.OFFICER):
        raise PermissionDenied(_("Only approval officers record pre-clearance decisions."))
    if decision not in (Decision.APPROVED, Decision.REFUSED):
        raise ValidationError({"decision": _("The decision is “approved” or “refused”.")})
    if isinstance(decided_on, str):
        try:
            decided_on = date.fromisoformat(decided_on)
        except ValueError:
            raise ValidationError({"decided_on": _("Give the date as YYYY-MM-DD.")}) from None
    if decided_on is None:
        raise ValidationError({"decided_on": _("Give the date of the economy's decision.")})
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("The date of the decision cannot be in the future.")})
    with transaction.atomic():
        application = CardApplication.objects.select_for_update().get(pk=application.pk)
        if application.state not in (State.PRE_CLEARANCE, State.ISSUED):
            raise StateConflict(
                _("Pre-clearance decisions are recorded once the economies have been asked."),
                state=application.state,
                available=available_transitions(application, actor),
            )
        row = (
            PreClearance.objects.select_for_update()
            .select_related("economy")
            .filter(application=application, economy_id=str(economy).upper())
            .first()
        )
        if row is None:
            raise ValidationError({"economy": _("This economy was not asked to pre-clear this applicant.")})
        if row.decision != Decision.PENDING:
            if row.decision == decision and row.decided_on == decided_on:
                return row
            raise ValidationError(
                {
                    "decision": _("The answer of %(economy)s is already recorded.")
                    % {"economy": row.economy.name}
                }
            )
        if decided_on < row.requested_on:
            raise ValidationError({"decided_on": _("The decision cannot be dated before the request.")})
        row.decision, row.decided_on, row.note = decision, decided_on, (note or "").strip()[:200]
        row.recorded_by, row.recorded_at = actor, timezone.now()
        row.save()
        record_event(
            actor=actor,
            action="card_application.preclearance",
            obj=application,
            data={"economy": row.economy_id, "decision": decision, "decided_on": decided_on.isoformat()},
        )
        card = Card.objects.filter(application=application).first()
        if decision == Decision.APPROVED and card is not None:
            card_add_economy(card=card, economy_id=row.economy_id, approved_on=decided_on, actor=actor)
        else:
            notifying.preclearance_recorded(application, row, actor=actor)
    return row
