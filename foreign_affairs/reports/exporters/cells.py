"""Cell values for the spreadsheet exports (CSV and XLSX), safe from formula injection.

Titles, names and other text typed by enterprises reach the office's exports. A spreadsheet runs a cell
that starts with "=", "+", "-" or "@" as a formula (some skip a tab or carriage return in front of one),
so text starting with any of these six is written with a leading apostrophe, as the OWASP "CSV Injection"
guidance advises. Only text is touched: numbers (negative ones too), dates and booleans keep their type.
"""

import datetime
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(value) -> str:
    """`value` as the text of one cell: nothing for None, a quote in front of a formula's first character."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def is_typed(value) -> bool:
    """Whether `value` is written as what it is (a number, a date, a boolean) rather than as text."""
    return isinstance(value, int | float | Decimal | datetime.date)  # bool is an int; datetime a date
