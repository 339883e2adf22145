"""The duty roster and the acknowledgement deadline of a new incident."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from foreign_affairs.workdays.selectors import is_working_day

from ..models import DutyShift
from ..workflow import GRAVE_LEVELS


def duty_shift_on(day) -> DutyShift | None:
    return DutyShift.objects.select_related("officer", "deputy").filter(day=day).first()


def duty_officer_on(day):
    """Today's duty officer (their deputy when the officer's account is inactive), or None."""
    shift = duty_shift_on(day)
    if shift is None:
        return None
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
