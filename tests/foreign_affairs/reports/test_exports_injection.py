"""Formula injection (CSV injection): text that enterprises type (titles, travellers' names) must reach the
managers' CSV and XLSX exports as text, never as a formula that the spreadsheet runs when the file is opened."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from openpyxl.utils.escape import unescape

from approvals.workflow import State
from foreign_affairs.reports import services
from foreign_affairs.reports.exporters import EXPORTERS
from foreign_affairs.reports.filters import filters_from
from foreign_affairs.reports.registry import Column, ReportDefinition
from tests.approvals.factories import ApplicationFactory

HOSTILE = [
    '=HYPERLINK("http://evil","x")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
]
ORDINARY = ["河南甲公司", "R&D visit to Berlin", "Zhang San", "", "'already quoted", "a=b-c"]


def _definition(texts: list[str]) -> ReportDefinition:
    """One row per text: the text, then a negative number, a decimal, a date, a date-time and a URL."""
    rows = [
        (text, -5, Decimal("-1.5"), date(2026, 8, 1), datetime(2026, 8, 1, 9, 30), "http://example.com/x")
        for text in texts
    ]
    return ReportDefinition(
        name="hostile",
        title="Hostile",
        description="",
        columns=[
            Column("text", "=cmd|' /C calc'!A0"),  # labels are the portal's own, but go through the same path
            Column("number", "Number", kind="number"),
            Column("decimal", "Decimal", kind="number"),
            Column("date", "Date", kind="date"),
            Column("when", "When", kind="date"),
            Column("url", "URL"),
        ],
        rows=lambda filters: iter(rows),
        count=lambda filters: len(rows),
    )


def _export(format: str, definition: ReportDefinition) -> bytes:
    out = io.BytesIO()
    EXPORTERS[format](definition, filters_from({}), out, lambda percent: None)
    return out.getvalue()


@pytest.mark.parametrize(
    ("text", "expected"),
    [(text, "'" + text) for text in HOSTILE]
    + [(text, text) for text in ORDINARY]
    + [(None, ""), ("=", "'="), ("-", "'-"), ("+86 371 6000 0000", "'+86 371 6000 0000")],
)
def test_text_starting_with_a_formula_character_is_quoted(text, expected):
    from foreign_affairs.reports.exporters.cells import text_cell

    assert text_cell(text) == expected


def test_csv_cells_that_would_start_a_formula_are_quoted_and_numbers_are_untouched():
    rows = list(
        csv.reader(
            io.StringIO(_export("csv", _definition(HOSTILE + ORDINARY)).decode("utf-8-sig"), newline="")
        )
    )
    assert rows[0][0] == "'=cmd|' /C calc'!A0"
    assert [row[0] for row in rows[1:]] == ["'" + text for text in HOSTILE] + ORDINARY
    for row in rows[1:]:
        assert row[1:] == ["-5", "-1.5", "2026-08-01", "2026-08-01 09:30:00", "http://example.com/x"]


def test_xlsx_holds_no_formula_and_keeps_the_text_quoted_numbers_and_dates_typed():
    workbook = load_workbook(io.BytesIO(_export("xlsx", _definition(HOSTILE + ORDINARY))))
    sheet = workbook.active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert cells and all(cell.data_type != "f" for cell in cells)
    assert not any(cell.hyperlink for cell in cells)
    assert sheet.cell(1, 1).value == "'=cmd|' /C calc'!A0"
    # A carriage return is stored as "_x000D_" (OOXML's escape, which Excel reads back as CR and
    # openpyxl leaves as it is); an empty text leaves its cell empty.
    texts = [sheet.cell(row, 1).value for row in range(2, sheet.max_row + 1)]
    texts = [unescape(text) if text else text for text in texts]
    assert texts == ["'" + text for text in HOSTILE] + [text or None for text in ORDINARY]
    for row in range(2, sheet.max_row + 1):
        number, decimal, day, when, url = (sheet.cell(row, column) for column in range(2, 7))
        assert (number.value, number.data_type) == (-5, "n")
        assert (decimal.value, decimal.data_type) == (-1.5, "n")
        assert day.is_date and day.value == datetime(2026, 8, 1)
        assert when.is_date and when.value == datetime(2026, 8, 1, 9, 30)
        assert (url.value, url.data_type) == ("http://example.com/x", "s")


@pytest.mark.django_db
@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_a_hostile_application_title_reaches_the_managers_export_as_text(
    manager, organization, format, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(
        organization=organization,
        state=State.IN_REVIEW,
        title='=HYPERLINK("http://evil","x")',
        submitted_at=datetime(2026, 3, 5, 10, tzinfo=ZoneInfo("Asia/Shanghai")),
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = services.job_start(
            actor=manager,
            report="travel_approvals",
            format=format,
            filters={"date_from": "2026-01-01", "date_to": "2026-06-30"},
        )
    job.refresh_from_db()
    content = job.file.open("rb").read()
    if format == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
        titles = [row[3] for row in rows[1:]]
    else:
        sheet = load_workbook(io.BytesIO(content)).active
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
        titles = [sheet.cell(row, 4).value for row in range(2, sheet.max_row + 1)]
    assert titles == ["'" + application.title]
