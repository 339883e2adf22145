from datetime import date

import pytest
from django.core.management import call_command

from foreign_affairs.workdays.models import CalendarDay
from foreign_affairs.workdays.selectors import add_working_days, is_working_day, working_days_between

pytestmark = pytest.mark.django_db


def test_the_official_2026_schedule_is_loaded_by_the_migration():
    assert not is_working_day(date(2026, 10, 1))  # National Day
    assert is_working_day(date(2026, 10, 10))  # Saturday worked in exchange (调休)
    assert not is_working_day(date(2026, 11, 28))  # an ordinary Saturday
    assert CalendarDay.objects.get(date=date(2026, 10, 1)).name.startswith("国庆节")


def test_adding_and_counting_working_days():
    assert add_working_days(date(2026, 11, 27), 1) == date(2026, 11, 30)  # Friday → Monday
    assert add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 10)) == 3
    assert working_days_between(date(2026, 10, 10), date(2026, 9, 30)) == 0


def test_the_office_edits_exceptions_and_they_count_at_once():
    CalendarDay.objects.create(date=date(2026, 12, 1), is_working_day=False, name="调整")
    assert add_working_days(date(2026, 11, 30), 1) == date(2026, 12, 2)


def test_load_calendar_keeps_edited_rows_and_refuses_unknown_years(capsys):
    CalendarDay.objects.filter(date=date(2026, 10, 1)).update(name="改过的名字")
    call_command("load_calendar", "2026")
    assert CalendarDay.objects.get(date=date(2026, 10, 1)).name == "改过的名字"
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="2031"):
        call_command("load_calendar", "2031")
