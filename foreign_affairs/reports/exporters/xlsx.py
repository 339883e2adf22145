"""XLSX: one sheet with the same rows as the CSV, written row by row in constant memory (XlsxWriter),
the header row frozen and filterable, dates as dates."""

import datetime

import xlsxwriter

PROGRESS_EVERY = 2000
MAX_ROWS = 1_048_575  # Excel's limit, less the header


def write_xlsx(definition, filters, out, progress) -> int:
    total = max(definition.count(filters), 1)
    workbook = xlsxwriter.Workbook(
        out, {"constant_memory": True, "in_memory": False, "strings_to_urls": False}
    )
    sheet = workbook.add_worksheet(str(definition.title)[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#F3E5E5", "border": 1})
    dates = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for index, column in enumerate(definition.columns):
        sheet.write(0, index, str(column.label), bold)
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
            else:
                sheet.write(rows, index, value)
        if rows % PROGRESS_EVERY == 0:
            progress(rows * 100 // total)
    sheet.autofilter(0, 0, max(rows, 1), len(definition.columns) - 1)
    workbook.close()
    return rows
