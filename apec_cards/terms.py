"""Date arithmetic of the card's terms: five years of validity, six months of renewal window."""

import calendar
from datetime import date

CARD_TERM_YEARS = 5
RENEWAL_WINDOW_MONTHS = 6
# Reminders before expiry, in months, earliest first (stage 1 and stage 2).
REMINDER_MONTHS = (6, 1)
# The passport must stay valid this long after the application is submitted.
PASSPORT_MIN_VALIDITY_MONTHS = 6


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months (negative goes back); the 31st becomes the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def card_expiry(term_started_on: date, passport_expiry: date | None) -> date:
    """The earlier of five years from the start of the term and the passport's expiry."""
    five_years = add_months(term_started_on, 12 * CARD_TERM_YEARS)
    return min(five_years, passport_expiry) if passport_expiry else five_years


def renewal_opens_on(expires_on: date) -> date:
    return add_months(expires_on, -RENEWAL_WINDOW_MONTHS)
