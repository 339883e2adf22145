"""CSV: UTF-8 with a byte-order mark (so that Excel opens Chinese correctly), a header row of the
column labels in the current language, then the rows; a report with personal data has the notice in
both languages in the two rows before the header (personal.py). Text that a spreadsheet would take for a formula
is quoted (cells.py); numbers and dates are written as they are."""

import csv
import io

from .cells import is_typed, text_cell
from .personal import NOTICE, is_personal

PROGRESS_EVERY = 2000


def write_csv(definition, filters, out, progress) -> int:
    total = max(definition.count(filters), 1)
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    if is_personal(definition):
        writer.writerows([[text_cell(line)] for line in NOTICE])
    writer.writerow([text_cell(column.label) for column in definition.columns])
    rows = 0
    for row in definition.rows(filters):
        writer.writerow([value if is_typed(value) else text_cell(value) for value in row])
        rows += 1
        if rows % PROGRESS_EVERY == 0:
            progress(rows * 100 // total)
    text.flush()
    text.detach()
    return rows
