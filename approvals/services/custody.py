"""The custody of official passports: handed out for an approved trip, due back five working days after it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from foreign_affairs.accounts.models import PassportType
from foreign_affairs.accounts.roles import Role
from foreign_affairs.audit.services import record_event
from foreign_affairs.workdays.selectors import add_working_days

from ..models import PassportHandover, TravelApplication
from ..workflow import State, is_liaison

OFFICIAL_PASSPORTS = (PassportType.OFFICIAL_ORDINARY, PassportType.SERVICE, PassportType.DIPLOMATIC)
PASSPORT_RETURN_WORKING_DAYS = 5


def _custodian(application: TravelApplication, actor) -> None:
    if not (actor.has_role(Role.OFFICER) or is_liaison(application, actor)):
        raise PermissionDenied(_("Passports are handed out and taken back by the office or the liaison."))


def passport_hand_out(
    *, application: TravelApplication, person, actor, handed_to: str = "", notes: str = ""
) -> PassportHandover:
    """Record that a member's official passport left custody for the trip; due back 5 working days after."""
    _custodian(application, actor)
    if application.state not in (State.APPROVED, State.PERMIT_ISSUED):
        raise ValidationError(_("Passports are handed out for approved trips only."))
    if not application.members.filter(person=person).exists():
        raise ValidationError({"person": _("This person is not a member of the delegation.")})
    if person.passport_type not in OFFICIAL_PASSPORTS:
        raise ValidationError({"person": _("Only official passports are kept in custody.")})
    with transaction.atomic():
        handover = PassportHandover(
            person=person,
            application=application,
            passport_number=person.passport_number,
            handed_out_by=actor,
            handed_to=handed_to.strip() or person.full_name,
            notes=notes.strip(),
            due_on=add_working_days(application.return_date, PASSPORT_RETURN_WORKING_DAYS),
        )
        handover.full_clean()
        handover.save()
        record_event(
            actor=actor,
            action="travel_application.passport_out",
            obj=application,
            data={"person": person.pk, "passport": person.masked_passport_number, "due_on": handover.due_on},
        )
    return handover


def passport_return(*, handover: PassportHandover, actor) -> PassportHandover:
    """Record that a passport came back into custody."""
    _custodian(handover.application, actor)
    with transaction.atomic():
        handover = PassportHandover.objects.select_for_update().get(pk=handover.pk)
        if handover.returned_at is not None:
            raise ValidationError(_("This passport has already been returned."))
        handover.returned_at, handover.received_by = timezone.now(), actor
        handover.save(update_fields=["returned_at", "received_by"])
        record_event(
            actor=actor,
            action="travel_application.passport_back",
            obj=handover.application,
            data={"person": handover.person_id, "late": handover.due_on < timezone.localdate()},
        )
    return handover
