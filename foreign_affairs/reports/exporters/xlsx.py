"""XLSX: one sheet with the same rows as the CSV, written row by row in constant memory (XlsxWriter),
the header row frozen and filterable, dates as dates, numbers as numbers and all else as text: never a
formula or a link, whatever the text starts with (quoted as in the CSV, see cells.py)."""

import datetime
import re

import xlsxwriter

from .cells import is_typed, text_cell

PROGRESS_EVERY = 2000
MAX_ROWS = 1_048_575  # Excel's limit, less the header


def write_xlsx(definition, filters, out, progress) -> int:
    total = max(definition.count(filters), 1)
    workbook = xlsxwriter.Workbook(
        out,
        {
            "constant_memory": True,
            "in_memory": False,
            # Text is written with write_string(); these keep any write() from reading it as anything else.
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    sheet = workbook.add_worksheet(sheet_name(str(definition.title)))
    bold = workbook.add_format({"bold": True, "bg_color": "#F3E5E5", "border": 1})
    dates = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for index, column in enumerate(definition.columns):
        sheet.write_string(0, index, text_cell(column.label), bold)
        sheet.set_column(
            index, index, max(10, int(column.width * 14)), dates if column.kind == "date" else None
        )
    sheet.freeze_panes(1, 0)
    rows = 0
    for row in definition.rows(filters):
        if rows >= MAX_ROWS:
            break
        rows += 1
        for index, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, datetime.datetime):
                sheet.write_datetime(rows, index, value.replace(tzinfo=None), dates)
            elif isinstance(value, datetime.date):
                sheet.write_datetime(rows, index, datetime.datetime.combine(value, datetime.time()), dates)
            elif is_typed(value):
                sheet.write(rows, index, value)  # a number or a boolean
            elif text := text_cell(value):
                sheet.write_string(rows, index, text)
        if rows % PROGRESS_EVERY == 0:
            progress(rows * 100 // total)
    sheet.autofilter(0, 0, max(rows, 1), len(definition.columns) - 1)
    workbook.close()
    return rows


def sheet_name(title: str) -> str:
    """A title as Excel takes it for a sheet: none of []:*?/\\, no leading or trailing quote, 31 characters."""
    name = re.sub(r"[\[\]:*?/\\]", " ", title).strip("' ")[:31].strip()
    return name or "Report"
