"""The custody of official passports: handed out for an approved trip, due back five working days after it."""

from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from foreign_affairs.accounts.models import PassportType
from foreign_affairs.accounts.roles import Role
from foreign_affairs.audit.services import record_event
from foreign_affairs.workdays.selectors import add_working_days

from ..models import PassportHandover, TravelApplication
from ..workflow import State, is_liaison

OFFICIAL_PASSPORTS = (PassportType.OFFICIAL_ORDINARY, PassportType.SERVICE, PassportType.DIPLOMATIC)
PASSPORT_RETURN_WORKING_DAYS = 5
# A return recorded for an earlier day is stored at noon of that day (local time): returned_at is a
# moment, but the custodian knows only the day, and noon keeps the day the same in every display.
BACKDATED_RETURN_TIME = time(12)


def may_keep_passports(application: TravelApplication, user) -> bool:
    """Whether `user` hands out and takes back the passports of `application`'s travellers: an approval
    officer, or the liaison of the application's organisation. Pages use it to offer the buttons."""
    return user.is_authenticated and (user.has_role(Role.OFFICER) or is_liaison(application, user))


def _custodian(application: TravelApplication, actor) -> None:
    if not may_keep_passports(application, actor):
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


def _returned_at(handover: PassportHandover, returned_on: date) -> datetime:
    """The moment stored for a return on `returned_on`: now for today, noon of that day for an earlier day
    (never before the hand-out, for a passport back on the day it left)."""
    if returned_on == timezone.localdate():
        return timezone.now()
    noon = timezone.make_aware(datetime.combine(returned_on, BACKDATED_RETURN_TIME))
    return max(noon, handover.handed_out_at)


def _check_return_date(handover: PassportHandover, returned_on: date) -> None:
    if returned_on > timezone.localdate():
        raise ValidationError(
            {
                "returned_on": _(
                    "The return date cannot be in the future. Enter the day the passport came back."
                )
            }
        )
    handed_out_on = timezone.localdate(handover.handed_out_at)
    if returned_on < handed_out_on:
        raise ValidationError(
            {
                "returned_on": _(
                    "The passport was handed out on %(date)s; it cannot have come back before that day."
                )
                % {"date": formats.date_format(handed_out_on)}
            }
        )


def passport_return(
    *, handover: PassportHandover, actor, returned_on: date | None = None
) -> PassportHandover:
    """Record that a passport came back into custody on `returned_on` (today when not given).

    Requires an officer or the liaison, a passport still out, and a day neither in the future nor before the
    hand-out. Sets returned_at and received_by; the audit event says whether it came back after due_on.
    """
    _custodian(handover.application, actor)
    returned_on = returned_on or timezone.localdate()
    with transaction.atomic():
        handover = PassportHandover.objects.select_for_update().get(pk=handover.pk)
        if handover.returned_at is not None:
            raise ValidationError(_("This passport has already been returned."))
        _check_return_date(handover, returned_on)
        handover.returned_at, handover.received_by = _returned_at(handover, returned_on), actor
        handover.save(update_fields=["returned_at", "received_by"])
        record_event(
            actor=actor,
            action="travel_application.passport_back",
            obj=handover.application,
            data={
                "person": handover.person_id,
                "returned_on": returned_on,
                "late": returned_on > handover.due_on,
            },
        )
    return handover
