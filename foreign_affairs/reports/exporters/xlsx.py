"""XLSX: one sheet with the same rows as the CSV, written row by row in constant memory (XlsxWriter),
the header row frozen and filterable, dates as dates, numbers as numbers and all else as text: never a
formula or a link, whatever the text starts with (quoted as in the CSV, see cells.py). A report with
personal data has the notice in both languages in the two rows above the header, as the CSV has."""

import datetime
import re

import xlsxwriter

from .cells import is_typed, text_cell
from .personal import NOTICE, is_personal

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
    head = 0  # the header's row; the notice rows come first
    if is_personal(definition):
        notice = workbook.add_format({"bold": True, "font_color": "#9B1C1C"})
        for line in NOTICE:
            sheet.write_string(head, 0, text_cell(line), notice)
            head += 1
    for index, column in enumerate(definition.columns):
        sheet.write_string(head, index, text_cell(column.label), bold)
        sheet.set_column(
            index, index, max(10, int(column.width * 14)), dates if column.kind == "date" else None
        )
    sheet.freeze_panes(head + 1, 0)
    rows = 0
    for row in definition.rows(filters):
        if head + rows >= MAX_ROWS:
            break
        rows += 1
        line = head + rows
        for index, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, datetime.datetime):
                sheet.write_datetime(line, index, value.replace(tzinfo=None), dates)
            elif isinstance(value, datetime.date):
                sheet.write_datetime(line, index, datetime.datetime.combine(value, datetime.time()), dates)
            elif is_typed(value):
                sheet.write(line, index, value)  # a number or a boolean
            elif text := text_cell(value):
                sheet.write_string(line, index, text)
        if rows % PROGRESS_EVERY == 0:
            progress(rows * 100 // total)
    sheet.autofilter(head, 0, head + max(rows, 1), len(definition.columns) - 1)
    workbook.close()
    return rows


def sheet_name(title: str) -> str:
    """A title as Excel takes it for a sheet: none of []:*?/\\, no leading or trailing quote, 31 characters."""
    name = re.sub(r"[\[\]:*?/\\]", " ", title).strip("' ")[:31].strip()
    return name or "Report"
