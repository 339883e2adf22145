"""Loading China's official holidays and adjusted working days (from the chinese-calendar package)."""

from datetime import date

import chinese_calendar

from .models import CalendarDay

CHINESE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def _name(english: str) -> str:
    return f"{CHINESE_NAMES.get(english, '')} {english}".strip()


def load_year(year: int) -> int:
    """Create the year's exceptions that are missing; existing rows (edited by the office) are kept.

    Returns how many were created. Raises NotImplementedError for years the package does not know yet
    (the State Council publishes each year's schedule in November): enter those in the admin.
    """
    start, end = date(year, 1, 1), date(year, 12, 31)
    chinese_calendar.get_holiday_detail(start)  # raises NotImplementedError for unknown years
    existing = set(CalendarDay.objects.filter(date__range=(start, end)).values_list("date", flat=True))
    rows = []
    for day, name in chinese_calendar.holidays.items():
        if start <= day <= end and day.weekday() < 5 and day not in existing:
            rows.append(CalendarDay(date=day, is_working_day=False, name=_name(name)))
    for day, name in chinese_calendar.workdays.items():
        if start <= day <= end and day.weekday() >= 5 and day not in existing:
            rows.append(CalendarDay(date=day, is_working_day=True, name=_name(name)))
    CalendarDay.objects.bulk_create(rows)
    return len(rows)
