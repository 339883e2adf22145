"""The month grid of the activities' calendar in the back office: weeks from Monday, each day with the
activities that take place on it (an activity of several days shows on each), in one query."""

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from ..workflow import STATE_TONES, State
from .activity_filters import add_months

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(value: str | None, today: date | None = None) -> date:
    """The first day of the month `YYYY-MM`; this month for anything else (a typo never fails the page)."""
    today = today or timezone.localdate()
    match = MONTH.match((value or "").strip())
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if 1900 <= year <= 2999 and 1 <= month <= 12:
            return date(year, month, 1)
    return today.replace(day=1)


@dataclass
class Day:
    day: date
    in_month: bool
    today: bool
    activities: list = field(default_factory=list)


@dataclass
class Month:
    first: date
    weeks: list[list[Day]]
    previous: date
    next: date

    @property
    def start(self) -> date:
        return self.weeks[0][0].day

    @property
    def end(self) -> date:
        return self.weeks[-1][-1].day


def month_grid(first: date, today: date | None = None) -> Month:
    """The weeks (Monday first) that hold the month of `first`, without activities yet."""
    today = today or timezone.localdate()
    weeks = [
        [Day(day=day, in_month=day.month == first.month, today=day == today) for day in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]
    return Month(first=first, weeks=weeks, previous=add_months(first, -1), next=add_months(first, 1))


def place(month: Month, activities) -> Month:
    """Put each activity on the days of the grid it takes place on, with its state's tone."""
    days = {cell.day: cell for week in month.weeks for cell in week}
    for activity in activities:
        activity.tone = STATE_TONES.get(activity.state, "neutral")
        activity.cancelled = activity.state == State.CANCELLED
        day = max(activity.starts_on, month.start)
        while day <= min(activity.ends_on, month.end):
            days[day].activities.append(activity)
            day += timedelta(days=1)
    return month
