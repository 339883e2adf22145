"""Counting working days: Monday to Friday, except the holidays and plus the worked weekend days in
CalendarDay. Deadlines of the office (endorsement, review, passport return, reports) use these."""

from datetime import date, timedelta

from .models import CalendarDay


def _exceptions(start: date, end: date) -> dict[date, bool]:
    return dict(CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "is_working_day"))


def is_working_day(day: date, exceptions: dict[date, bool] | None = None) -> bool:
    if exceptions is None:
        exceptions = _exceptions(day, day)
    return exceptions.get(day, day.weekday() < 5)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself not counted). One query."""
    # Holidays never exceed a few weeks in a row; a generous window keeps this to one query.
    exceptions = _exceptions(start, start + timedelta(days=days * 3 + 30))
    current, remaining = start, days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current, exceptions):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    if end <= start:
        return 0
    exceptions = _exceptions(start, end)
    return sum(
        is_working_day(start + timedelta(days=n), exceptions) for n in range(1, (end - start).days + 1)
    )
