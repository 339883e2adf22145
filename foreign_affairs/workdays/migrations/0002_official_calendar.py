"""China's public holidays and adjusted working days of 2025 and 2026 (State Council schedules)."""

from django.db import migrations


def load(apps, schema_editor):
    from datetime import date

    import chinese_calendar

    from foreign_affairs.workdays.calendar_data import _name

    CalendarDay = apps.get_model("workdays", "CalendarDay")
    rows = []
    for days, working in ((chinese_calendar.holidays, False), (chinese_calendar.workdays, True)):
        for day, name in days.items():
            weekend = day.weekday() >= 5
            if date(2025, 1, 1) <= day <= date(2026, 12, 31) and weekend == working:
                rows.append(CalendarDay(date=day, is_working_day=working, name=_name(name)))
    CalendarDay.objects.bulk_create(rows, ignore_conflicts=True)


def unload(apps, schema_editor):
    apps.get_model("workdays", "CalendarDay").objects.filter(date__year__in=[2025, 2026]).delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
