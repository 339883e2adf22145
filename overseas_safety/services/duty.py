"""The duty roster (值班表) and the acknowledgement deadline of a new incident: who is on duty on a day,
the roster's writes (a day, a rotation over a period; officers only, audited as "duty.update") and its
month view."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from foreign_affairs import typography
from foreign_affairs.accounts.roles import Role
from foreign_affairs.accounts.selectors import office_users
from foreign_affairs.audit.services import record_event
from foreign_affairs.workdays.models import CalendarDay
from foreign_affairs.workdays.selectors import is_working_day

from ..models import DutyShift
from ..workflow import GRAVE_LEVELS


def duty_shift_on(day) -> DutyShift | None:
    return DutyShift.objects.select_related("officer", "deputy").filter(day=day).first()


def duty_officer_on(day):
    """Today's duty officer (their deputy when the officer's account is inactive), or None."""
    shift = duty_shift_on(day)
    return duty_officer_on_shift(shift) if shift is not None else None


def duty_officer_on_shift(shift: DutyShift):
    """The shift's officer, or the deputy when the officer's account is inactive, or None."""
    if shift.officer.is_active:
        return shift.officer
    return shift.deputy if shift.deputy and shift.deputy.is_active else None


def add_working_hours(start: datetime, hours: float) -> datetime:
    """`start` plus `hours` of office time (working days, OVERSEAS_SAFETY_OFFICE_HOURS, local time)."""
    opens, closes = (time(h) for h in settings.OVERSEAS_SAFETY_OFFICE_HOURS)
    moment = timezone.localtime(start)
    left = timedelta(hours=hours)
    tz = moment.tzinfo
    for _day in range(400):
        day = moment.date()
        day_open = datetime.combine(day, opens, tzinfo=tz)
        day_close = datetime.combine(day, closes, tzinfo=tz)
        if is_working_day(day) and moment < day_close:
            moment = max(moment, day_open)
            if moment + left <= day_close:
                return moment + left
            left -= day_close - moment
        moment = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    return moment


def ack_due_at(level: str, reported_at: datetime) -> datetime:
    """When an incident of `level` reported at `reported_at` must be acknowledged: levels I–II within
    OVERSEAS_SAFETY_ACK_MINUTES_GRAVE minutes (day and night), III–IV within
    OVERSEAS_SAFETY_ACK_WORKING_HOURS working hours."""
    if level in GRAVE_LEVELS:
        return reported_at + timedelta(minutes=settings.OVERSEAS_SAFETY_ACK_MINUTES_GRAVE)
    return add_working_hours(reported_at, settings.OVERSEAS_SAFETY_ACK_WORKING_HOURS)


# The roster's writes (officers; leaders and managers read) ----------------------------------------------

# A fill covers at most about a quarter at a time: the roster is kept a month or two ahead.
ROSTER_FILL_MAX_DAYS = 92


class RosterDays(models.TextChoices):
    """Which days a fill puts someone on duty."""

    WORKING = "working", gettext_lazy("Working days only")
    EVERY = "every", gettext_lazy("Every day, weekends and holidays included")


@dataclass(frozen=True)
class RosterDay:
    """One line of the roster's month view."""

    day: date
    shift: DutyShift | None
    is_working_day: bool
    is_today: bool


@dataclass(frozen=True)
class OnDuty:
    """Who answers for new incidents now (the start page): the day's officer, or the deputy standing in
    when the officer's account is inactive; `officer` is None when nobody is on the roster today."""

    day: date
    shift: DutyShift | None
    officer: object | None
    deputy: object | None
    deputy_standing_in: bool


def duty_officers() -> QuerySet:
    """Who may be put on duty: active accounts holding the Officer role in person (not as a substitute)."""
    return office_users(Role.OFFICER).order_by("last_name", "first_name", "username")


def _require_officer(actor) -> None:
    if not actor.has_role(Role.OFFICER):
        raise PermissionDenied(_("Only approval officers keep the duty roster."))


def _calendar(start: date, end: date) -> dict[date, bool]:
    return dict(CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "is_working_day"))


def shift_check(*, day: date, officer, deputy=None) -> None:
    """Refuse (ValidationError by field) a shift that cannot be put on the roster: a past day (the roster of
    the past is the record of who answered for it), an officer or deputy who is not an active approval
    officer, a deputy who is the officer."""
    errors = {}
    if day < timezone.localdate():
        errors["day"] = _("A past day cannot be changed: the roster is the record of who was on duty.")
    eligible = set(
        duty_officers().filter(pk__in=[u.pk for u in (officer, deputy) if u]).values_list("pk", flat=True)
    )
    if officer is None:
        errors["officer"] = _("Choose the duty officer.")
    elif officer.pk not in eligible:
        errors["officer"] = _("%(name)s is not an active approval officer.") % {"name": officer}
    if deputy is not None:
        if officer is not None and deputy.pk == officer.pk:
            errors["deputy"] = _("The deputy must be someone other than the duty officer.")
        elif deputy.pk not in eligible:
            errors["deputy"] = _("%(name)s is not an active approval officer.") % {"name": deputy}
    if errors:
        raise ValidationError(errors)


def _names(officer, deputy) -> dict:
    return {"officer": officer.get_username(), "deputy": deputy.get_username() if deputy else ""}


def _write(*, day: date, officer, deputy, note: str | None, actor) -> tuple[DutyShift, bool]:
    """Put (officer, deputy) on `day`, inside the caller's transaction; audited when anything changed.
    Returns the shift and whether it changed."""
    defaults = {"officer": officer, "deputy": deputy, "note": note or ""}
    # Locked when it exists; two officers creating the same day at once: the second waits, then finds it.
    shift, created = (
        DutyShift.objects.select_for_update(of=("self",))
        .select_related("officer", "deputy")
        .get_or_create(day=day, defaults=defaults)
    )
    previous = None
    if not created:
        previous = {**_names(shift.officer, shift.deputy), "note": shift.note}
        new_note = shift.note if note is None else note
        if (shift.officer_id, shift.deputy_id, shift.note) == (
            officer.pk,
            deputy.pk if deputy else None,
            new_note,
        ):
            return shift, False
        shift.officer, shift.deputy, shift.note = officer, deputy, new_note
        shift.full_clean()
        shift.save(update_fields=["officer", "deputy", "note"])
    record_event(
        actor=actor,
        action="duty.update",
        obj=shift,
        data={"day": day, **_names(officer, deputy), "note": shift.note, "previous": previous},
    )
    return shift, True


def shift_set(*, day: date, officer, deputy=None, actor, note: str | None = None) -> DutyShift:
    """Put `officer` (and `deputy`) on duty on `day`, replacing whoever was (officers only; today or later;
    both active approval officers, not the same person). `note` None keeps the day's note. Audited as
    "duty.update" with who was on duty before; saving the same again changes and records nothing."""
    _require_officer(actor)
    shift_check(day=day, officer=officer, deputy=deputy)
    with transaction.atomic():
        shift, _changed = _write(day=day, officer=officer, deputy=deputy, note=note, actor=actor)
    return shift


def shift_delete(*, shift: DutyShift, actor) -> None:
    """Take a day of today or later off the roster (officers; audited as "duty.update")."""
    _require_officer(actor)
    if shift.day < timezone.localdate():
        raise ValidationError(
            {"day": _("A past day cannot be changed: the roster is the record of who was on duty.")}
        )
    with transaction.atomic():
        shift = (
            DutyShift.objects.select_for_update(of=("self",))
            .select_related("officer", "deputy")
            .filter(pk=shift.pk)
            .first()
        )
        if shift is None:
            return
        record_event(
            actor=actor,
            action="duty.update",
            obj=shift,
            data={"day": shift.day, "removed": True, "previous": _names(shift.officer, shift.deputy)},
        )
        shift.delete()


def roster_fill(
    *,
    start: date,
    end: date,
    officers: list,
    actor,
    days: str = RosterDays.WORKING,
    replace: bool = False,
) -> list[DutyShift]:
    """Fill `start`..`end` (both included, today or later, at most ROSTER_FILL_MAX_DAYS) with a rotation of
    `officers` in the order given: each day in turn gets the next officer, and the officer after them
    as deputy (no deputy when only one officer rotates). `days`: RosterDays.WORKING (the office's working
    days: Monday to Friday, except holidays, plus worked weekend days — the calendar of workdays) or
    RosterDays.EVERY (every day). The rotation goes on from the last shift before `start` when that
    officer is in the list. Days already on the roster are kept, unless `replace`; a kept day does not
    use up a turn. The new days are written together and audited as one "duty.update" (the period, the
    rotation and the days); each day replaced is audited on its own with who was on duty before. Returns
    the shifts written."""
    _require_officer(actor)
    officers = list(officers)
    errors = {}
    if end < start:
        errors["end"] = _("The last day must be on or after the first day.")
    elif (end - start).days + 1 > ROSTER_FILL_MAX_DAYS:
        errors["end"] = _("Fill at most %(days)d days at a time.") % {"days": ROSTER_FILL_MAX_DAYS}
    if start < timezone.localdate():
        errors["start"] = _("A past day cannot be changed: the roster is the record of who was on duty.")
    if days not in RosterDays.values:
        errors["days"] = _("Choose which days to fill.")
    if not officers:
        errors["officers"] = _("Choose at least one officer.")
    elif len({u.pk for u in officers}) != len(officers):
        errors["officers"] = _("Each officer may appear only once in the rotation.")
    else:
        eligible = set(duty_officers().filter(pk__in=[u.pk for u in officers]).values_list("pk", flat=True))
        strangers = [str(u) for u in officers if u.pk not in eligible]
        if strangers:
            errors["officers"] = _("Not active approval officers: %(names)s.") % {
                "names": typography.enumerate_items(strangers)
            }
    if errors:
        raise ValidationError(errors)

    calendar = _calendar(start, end)
    chosen = [
        start + timedelta(days=n)
        for n in range((end - start).days + 1)
        if days == RosterDays.EVERY or is_working_day(start + timedelta(days=n), calendar)
    ]
    written = []
    with transaction.atomic():
        existing = set(
            DutyShift.objects.select_for_update()
            .filter(day__range=(start, end))
            .values_list("day", flat=True)
        )
        before = (
            DutyShift.objects.filter(day__lt=start).order_by("-day").values_list("officer", flat=True).first()
        )
        pks = [u.pk for u in officers]
        turn = pks.index(before) + 1 if before in pks else 0
        new = []
        for day in chosen:
            if day in existing and not replace:
                continue
            officer = officers[turn % len(officers)]
            deputy = officers[(turn + 1) % len(officers)] if len(officers) > 1 else None
            turn += 1
            if day in existing:
                shift, changed = _write(day=day, officer=officer, deputy=deputy, note=None, actor=actor)
                if changed:
                    written.append(shift)
            else:
                new.append(DutyShift(day=day, officer=officer, deputy=deputy))
        if new:
            DutyShift.objects.bulk_create(new)
            record_event(
                actor=actor,
                action="duty.update",
                data={
                    "filled": [start, end],
                    "officers": [u.get_username() for u in officers],
                    "days": [shift.day for shift in new],
                },
            )
            written += new
    return sorted(written, key=lambda shift: shift.day)


# The roster's reads ------------------------------------------------------------------------------------


def roster_for(start: date, end: date) -> list[RosterDay]:
    """Every day of `start`..`end` with its shift (or None), whether it is a working day, and whether it is
    today: the month view. Two queries."""
    shifts = {
        shift.day: shift
        for shift in DutyShift.objects.filter(day__range=(start, end)).select_related("officer", "deputy")
    }
    calendar = _calendar(start, end)
    today = timezone.localdate()
    return [
        RosterDay(
            day=day,
            shift=shifts.get(day),
            is_working_day=is_working_day(day, calendar),
            is_today=day == today,
        )
        for day in (start + timedelta(days=n) for n in range((end - start).days + 1))
    ]


def on_duty_now() -> OnDuty:
    """Who is on duty today (one query), for the start page and the back office."""
    today = timezone.localdate()
    shift = duty_shift_on(today)
    if shift is None:
        return OnDuty(day=today, shift=None, officer=None, deputy=None, deputy_standing_in=False)
    officer = duty_officer_on_shift(shift)
    return OnDuty(
        day=today,
        shift=shift,
        officer=officer,
        deputy=shift.deputy,
        deputy_standing_in=officer is not None and officer.pk != shift.officer_id,
    )
