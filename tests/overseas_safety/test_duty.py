"""The duty roster: a day's shift and its refusals, a rotation over a period, who is on duty (and the deputy
standing in), office hours over weekends and holidays, and the acknowledgement deadline of levels III–IV.

Dates are in March 2031 (a year the official calendar has not loaded yet), with the holidays of each test
set here: Monday 3 March is "today", Monday 10 March a holiday, Saturday 15 March a worked weekend day."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from foreign_affairs.accounts.roles import Role
from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.notifications import sms
from foreign_affairs.notifications.models import Notification
from foreign_affairs.workdays.models import CalendarDay
from overseas_safety.models import DutyShift
from overseas_safety.services import duty
from overseas_safety.services.incidents import escalate_unacknowledged
from overseas_safety.workflow import Level
from tests.factories import office_user

from .factories import report

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2031, 3, 3)  # a Monday


@pytest.fixture(autouse=True)
def _march_2031():
    CalendarDay.objects.update_or_create(date=date(2031, 3, 10), defaults={"is_working_day": False})
    CalendarDay.objects.update_or_create(date=date(2031, 3, 15), defaults={"is_working_day": True})
    with time_machine.travel(datetime(2031, 3, 3, 9, 30, tzinfo=SHANGHAI), tick=False):
        yield


@pytest.fixture
def officers(officer):
    """Three approval officers, the `officer` fixture first."""
    return [officer, office_user(Role.OFFICER), office_user(Role.OFFICER)]


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2031, 3, day, hour, minute, tzinfo=SHANGHAI)


def test_a_shift_is_set_replaced_and_audited_with_who_was_on_duty_before(officers):
    first, second, third = officers
    shift = duty.shift_set(day=TODAY, officer=first, deputy=second, actor=first)
    duty.shift_set(day=TODAY, officer=third, deputy=first, actor=first, note="swap")
    duty.shift_set(day=TODAY, officer=third, deputy=first, actor=first)  # the same again: nothing
    shift.refresh_from_db()
    assert (shift.officer, shift.deputy, shift.note) == (third, first, "swap")
    events = AuditEvent.objects.filter(action="duty.update").order_by("pk")
    assert events.count() == 2
    assert events.last().data["previous"]["officer"] == first.username
    assert events.last().data["officer"] == third.username


def test_a_shift_is_refused_for_anyone_but_active_approval_officers(officers, leader):
    first, second, _third = officers
    with pytest.raises(PermissionDenied):
        duty.shift_set(day=TODAY, officer=first, actor=leader)
    cases = [
        ({"officer": leader}, "officer"),
        ({"officer": first, "deputy": first}, "deputy"),
        ({"officer": first, "deputy": leader}, "deputy"),
        ({"officer": first, "day": date(2031, 3, 2)}, "day"),
    ]
    second.is_active = False
    second.save(update_fields=["is_active"])
    cases.append(({"officer": second}, "officer"))
    for data, field in cases:
        with pytest.raises(ValidationError) as refused:
            duty.shift_set(actor=first, **{"day": TODAY, **data})
        assert field in refused.value.message_dict, data
    assert not DutyShift.objects.exists()


def test_a_rotation_fills_the_working_days_with_the_next_officer_as_deputy(officers):
    first, second, third = officers
    duty.shift_set(day=date(2031, 3, 5), officer=third, actor=first, note="kept")
    written = duty.roster_fill(start=TODAY, end=date(2031, 3, 16), officers=officers, actor=first)
    roster = {s.day.day: (s.officer, s.deputy) for s in DutyShift.objects.all()}
    # Working days: 3, 4, (5 kept), 6, 7, (8, 9 weekend; 10 holiday), 11, 12, 13, 14, 15 (worked Saturday).
    assert sorted(roster) == [3, 4, 5, 6, 7, 11, 12, 13, 14, 15]
    assert len(written) == 9
    assert roster[3] == (first, second) and roster[4] == (second, third) and roster[6] == (third, first)
    assert roster[5] == (third, None) and roster[15] == (third, first)
    # The kept day's own event, and one for the fill naming its nine days.
    events = list(AuditEvent.objects.filter(action="duty.update").order_by("pk"))
    assert len(events) == 2 and len(events[1].data["days"]) == 9

    # Every day, replacing: the rotation goes on after the last shift before the start (third, on the 15th).
    duty.roster_fill(
        start=date(2031, 3, 16),
        end=date(2031, 3, 17),
        officers=officers,
        actor=first,
        days=duty.RosterDays.EVERY,
        replace=True,
    )
    assert [(s.day.day, s.officer) for s in DutyShift.objects.filter(day__gte=date(2031, 3, 16))] == [
        (16, first),
        (17, second),
    ]


def test_a_rotation_is_refused_for_a_bad_period_or_officers(officers, leader):
    first = officers[0]
    cases = [
        ({"end": date(2031, 3, 2)}, "end"),
        ({"end": date(2031, 7, 1)}, "end"),
        ({"start": date(2031, 3, 1)}, "start"),
        ({"officers": []}, "officers"),
        ({"officers": [first, first]}, "officers"),
        ({"officers": [first, leader]}, "officers"),
    ]
    for data, field in cases:
        with pytest.raises(ValidationError) as refused:
            duty.roster_fill(
                **{"start": TODAY, "end": date(2031, 3, 31), "officers": officers, "actor": first, **data}
            )
        assert field in refused.value.message_dict, data
    with pytest.raises(PermissionDenied):
        duty.roster_fill(start=TODAY, end=TODAY, officers=officers, actor=leader)
    assert not DutyShift.objects.exists()


def test_the_duty_officer_of_today_and_the_deputy_standing_in(officers):
    first, second, _third = officers
    assert duty.on_duty_now().officer is None
    duty.shift_set(day=TODAY, officer=first, deputy=second, actor=first)
    now = duty.on_duty_now()
    assert (now.officer, now.deputy, now.deputy_standing_in) == (first, second, False)
    first.is_active = False
    first.save(update_fields=["is_active"])
    assert duty.duty_officer_on(TODAY) == second
    now = duty.on_duty_now()
    assert (now.officer, now.deputy_standing_in) == (second, True)


def test_the_month_view_lists_every_day_with_its_shift(officers):
    duty.shift_set(day=TODAY, officer=officers[0], actor=officers[0])
    days = duty.roster_for(date(2031, 3, 1), date(2031, 3, 31))
    assert len(days) == 31
    today = days[2]
    assert (today.day, today.is_today, today.shift.officer) == (TODAY, True, officers[0])
    assert [d.day.day for d in days if not d.is_working_day][:4] == [1, 2, 8, 9]
    assert days[9].is_working_day is False and days[14].is_working_day is True  # holiday, worked Saturday
    assert sum(1 for d in days if d.shift) == 1


def test_working_hours_skip_nights_weekends_and_holidays(settings):
    settings.OVERSEAS_SAFETY_OFFICE_HOURS = (9, 17)
    # Friday 15:00 + 4 h: 2 h on Friday, then Saturday, Sunday and the Monday holiday are skipped.
    assert duty.add_working_hours(at(7, 15), 4) == at(11, 11)
    # Before the office opens, the hours start at 09:00; after it closes, the next working morning.
    assert duty.add_working_hours(at(11, 7), 1) == at(11, 10)
    assert duty.add_working_hours(at(11, 20), 1) == at(12, 10)
    # A worked Saturday counts.
    assert duty.add_working_hours(at(14, 16), 2) == at(15, 10)


def test_levels_three_and_four_are_due_in_working_hours_and_one_two_in_minutes(settings):
    settings.OVERSEAS_SAFETY_ACK_WORKING_HOURS = 4
    settings.OVERSEAS_SAFETY_ACK_MINUTES_GRAVE = 30
    friday_evening = at(7, 16, 30)
    assert duty.ack_due_at(Level.III, friday_evening) == at(11, 12, 30)
    assert duty.ack_due_at(Level.IV, friday_evening) == at(11, 12, 30)
    assert duty.ack_due_at(Level.II, friday_evening) == at(7, 17, 0)
    settings.OVERSEAS_SAFETY_ACK_WORKING_HOURS = 1
    assert duty.ack_due_at(Level.III, friday_evening) == at(11, 9, 30)


def test_the_duty_officer_and_then_the_leaders_get_a_text_message_when_sms_is_configured(
    settings, officers, leader, applicant, django_capture_on_commit_callbacks
):
    settings.NOTIFICATION_SMS_BACKEND = "foreign_affairs.notifications.sms.LocmemBackend"
    settings.OVERSEAS_SAFETY_DUTY_CHANNELS = ["in_app", "sms"]
    sms.outbox.clear()
    first, second, _third = officers
    for user, phone in ((first, "+86 138 0000 0001"), (leader, "+86 138 0000 0009")):
        user.phone = phone
        user.save(update_fields=["phone"])
    duty.shift_set(day=TODAY, officer=first, deputy=second, actor=first)
    with django_capture_on_commit_callbacks(execute=True):
        incident = report(applicant)
    assert [m.phone for m in sms.outbox] == ["+86 138 0000 0001"]
    with time_machine.travel(at(3, 11), tick=False), django_capture_on_commit_callbacks(execute=True):
        assert escalate_unacknowledged() == 1
        assert escalate_unacknowledged() == 0
    assert [m.phone for m in sms.outbox] == ["+86 138 0000 0001", "+86 138 0000 0009"]
    assert Notification.objects.filter(key=f"incident:{incident.pk}:escalate", channel="sms").count() == 1
    sms.outbox.clear()
