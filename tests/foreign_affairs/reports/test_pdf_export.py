"""The PDF export of every report (exporters/pdf.py): a cover, the contents, the sections with their charts
and numbers (WeasyPrint), then the full list (ReportLab), read back with pypdf: the text, the page numbers
across both parts, the list's page count, the embedded font."""

import io
import logging
import re
import shutil
import subprocess
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from approvals.services import passport_hand_out
from approvals.summary import rebuild
from approvals.workflow import State
from foreign_affairs.reports import services
from foreign_affairs.reports.exporters.pdf import write_pdf
from foreign_affairs.reports.exporters.pdf_list import (
    FONT_SIZE,
    PADDING,
    REGULAR,
    SQUEEZE,
    Geometry,
    cell_text,
    register_fonts,
)
from foreign_affairs.reports.filters import Filters
from foreign_affairs.reports.models import JobState
from foreign_affairs.reports.registry import REPORTS, Column, ReportDefinition
from tests.apec_cards.helpers import issued_card
from tests.approvals.factories import ApplicationFactory
from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.django_db
ZHENGZHOU = "郑州测试贸易有限公司"  # the organization fixture
LUOYANG = "洛阳测试装备有限公司"  # other_organization


class Export:
    """A report exported to PDF in a language, read back."""

    def __init__(self, definition, filters, language="zh-hans"):
        self.definition, self.progress, out = definition, [], io.BytesIO()
        with translation.override(language):
            self.rows = write_pdf(definition, filters, out, self.progress.append)
            self.title = str(definition.title)
            self.labels = [str(column.label) for column in definition.columns]
            self.list_title = _("Full list")
            self.footer = _("Page %(page)s of %(pages)s")
        self.data = out.getvalue()
        self.reader = PdfReader(io.BytesIO(self.data))
        self.texts = [page.extract_text() for page in self.reader.pages]

    @property
    def pages(self) -> int:
        return len(self.texts)

    def footer_of(self, page: int) -> str:
        return self.footer % {"page": page, "pages": self.pages}

    def has_all_labels(self, index: int) -> bool:
        squeezed = re.sub(r"\s+", "", self.texts[index])
        return all(re.sub(r"\s+", "", label) in squeezed for label in self.labels)

    @property
    def list_start(self) -> int:
        """The index of the first page with every column label: where the list begins."""
        return next(index for index in range(self.pages) if self.has_all_labels(index))

    def contents_entry(self, title: str) -> int:
        """The page number the contents give for `title`."""
        for line in self.texts[1].splitlines():
            if line.startswith(title):
                return int(re.search(r"(\d+)\s*$", line).group(1))
        raise AssertionError(f"{title!r} is not in the contents:\n{self.texts[1]}")

    def list_text(self) -> str:
        return "\n".join(self.texts[self.list_start :])


def embedded_font_names(reader: PdfReader, pages) -> set[str]:
    """The family and full names of the fonts programs embedded for `pages`; every font must be embedded."""
    names = set()
    for index in pages:
        for reference in reader.pages[index]["/Resources"]["/Font"].values():
            font = reference.get_object()
            if "/DescendantFonts" in font:
                font = font["/DescendantFonts"][0].get_object()
            program = font["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()
            table = TTFont(io.BytesIO(program))["name"]
            names.add((table.getDebugName(1), table.getDebugName(6)))
    return names


@pytest.fixture
def period():
    today = timezone.localdate()
    return Filters(today - timedelta(days=30), today + timedelta(days=120))


@pytest.fixture
def weasyprint_log(caplog):
    caplog.set_level(logging.WARNING, logger="weasyprint")
    yield caplog
    problems = [r for r in caplog.records if r.name.startswith("weasyprint") and r.levelno >= logging.WARNING]
    assert not problems, [record.getMessage() for record in problems]


@pytest.fixture
def applications(organization, other_organization):
    """One list page and a few rows more: trips with itineraries (for the charts) and bare applications."""
    count = Geometry(landscape=True).rows_per_page + 3
    for index in range(count):
        org = organization if index % 3 else other_organization
        if index < 6:
            ApplicationFactory(organization=org, approved=True, title=f"赴德国、法国商务考察（第{index}批）")
        else:
            ApplicationFactory(organization=org, in_review=True, trip=False, title=f"出访申请{index}")
    # The factories write the rows directly, past the services that keep the dashboard's daily summary.
    rebuild()
    return count


def test_travel_approvals_have_a_cover_contents_charts_and_the_whole_list(
    applications, period, weasyprint_log
):
    export = Export(REPORTS["travel_approvals"], period)
    with translation.override("zh-hans"):
        sections = REPORTS["travel_approvals"].sections(period)
        figure = sections[0].figures[0]
        area = _("All areas")

    assert export.data.startswith(b"%PDF") and export.rows == applications
    cover = export.texts[0]
    assert export.title in cover and "河南省人民政府外事侨务办公室" in cover
    assert f"{period.date_from.isoformat()} – {period.date_to.isoformat()}" in cover and area in cover
    assert figure.label in export.texts[2] and f"{figure.value:,}" in export.texts[2]
    charts = "\n".join(export.texts[2 : export.list_start])
    assert all(chart.title in charts for section in sections for chart in section.charts)
    assert "德国" in charts  # the numbers of "trips by destination", as a table beside the chart

    start = export.list_start
    per_page = Geometry(landscape=True).rows_per_page
    assert export.pages == start + 2  # rows_per_page + 3 rows: two list pages
    assert export.contents_entry(export.list_title) == start + 1
    assert all(export.has_all_labels(index) for index in range(start, export.pages))
    assert ZHENGZHOU in export.texts[start] and LUOYANG in export.texts[start]
    assert export.texts[-1].count("HNFA-") == applications - per_page
    assert export.footer_of(1) in export.texts[0]
    assert export.footer_of(start + 1) in export.texts[start]
    assert export.footer_of(export.pages) in export.texts[-1]
    assert not any(export.has_all_labels(index) for index in range(start))


def test_the_contents_give_the_pages_of_the_sections(applications, period):
    export = Export(REPORTS["travel_approvals"], period)
    with translation.override("zh-hans"):
        sections = REPORTS["travel_approvals"].sections(period)
    for section in sections:
        page = export.contents_entry(section.title)
        assert section.title in export.texts[page - 1]


def test_every_page_is_landscape_a4_and_uses_the_shipped_font(applications, period):
    export = Export(REPORTS["travel_approvals"], period)
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in export.reader.pages}
    assert sizes == {(842, 595)}
    names = embedded_font_names(export.reader, [0, 2, export.list_start])
    assert names == {("Noto Sans SC", "NotoSansSC-Regular"), ("Noto Sans SC", "NotoSansSC-Bold")}


def test_progress_rises_to_99_through_the_list(applications, period):
    export = Export(REPORTS["travel_approvals"], period)
    assert export.progress == sorted(export.progress)
    assert export.progress[0] <= 3 and export.progress[-1] == 99
    assert 10 in export.progress and any(10 < percent < 95 for percent in export.progress)


def test_english_when_the_requester_reads_english(organization, period, weasyprint_log):
    ApplicationFactory(organization=organization, in_review=True)
    export = Export(REPORTS["travel_approvals"], period, language="en")
    assert "Travel approvals for a period" in export.texts[0]
    assert "All areas" in export.texts[0]
    assert f"Page 1 of {export.pages}" in export.texts[0]
    assert f"Page {export.pages} of {export.pages}" in export.texts[-1]
    assert "Reference" in export.texts[-1] and "In review" in export.texts[-1]
    assert export.contents_entry("Full list") == export.pages


def test_an_area_narrows_the_report_and_is_named_on_the_cover(applications, period):
    luoyang = Filters(period.date_from, period.date_to, "luoyang")
    export = Export(REPORTS["travel_approvals"], luoyang)
    with translation.override("zh-hans"):
        area = _("Luoyang area")
    assert area in export.texts[0]
    assert LUOYANG in export.list_text() and ZHENGZHOU not in export.list_text()
    assert export.rows == (applications + 2) // 3


def test_delegations_abroad_list_every_member(organization, period, weasyprint_log):
    trip = ApplicationFactory(organization=organization, permit_issued=True, trip__members=4)
    export = Export(REPORTS["delegations_abroad"], period)
    names = list(trip.members.values_list("person__full_name", flat=True))
    assert export.rows == 4
    assert export.contents_entry(export.list_title) == export.list_start + 1 == export.pages
    listed = export.list_text()
    assert all(name in listed for name in names) and ZHENGZHOU in listed and trip.reference in listed
    assert trip.departure_date.isoformat() in listed
    assert export.footer_of(export.pages) in export.texts[-1]


def test_overdue_reports_and_passports_come_in_portrait(organization, officer, weasyprint_log):
    today = timezone.localdate()
    late = ApplicationFactory(
        organization=organization,
        permit_issued=True,
        report_due_on=today - timedelta(days=5),
        trip__departure=today - timedelta(days=40),
    )
    passport = passport_hand_out(application=late, person=late.members.first().person, actor=officer)
    filters = Filters(today - timedelta(days=60), today)
    export = Export(REPORTS["overdue"], filters)
    with translation.override("zh-hans"):
        kinds = [_("Post-trip report"), _("Passport")]
        figure = _("Post-trip reports overdue")
    assert export.rows == 2
    assert all(float(p.mediabox.width) < float(p.mediabox.height) for p in export.reader.pages)
    assert figure in "\n".join(export.texts[2 : export.list_start])
    listed = export.list_text()
    assert all(kind in listed for kind in kinds) and late.reference in listed
    assert passport.due_on.isoformat() in listed and ZHENGZHOU in listed


def test_apec_cards_list_the_cards_issued(applicant, liaison, officer, period, weasyprint_log):
    cards = [issued_card(applicant=applicant, liaison=liaison, officer=officer) for _index in range(2)]
    export = Export(REPORTS["apec_cards"], period)
    with translation.override("zh-hans"):
        figure = _("APEC cards issued")
    assert export.rows == 2
    assert figure in "\n".join(export.texts[2 : export.list_start])
    listed = export.list_text()
    for card in cards:
        assert card.number in listed and card.holder.full_name in listed
    assert ZHENGZHOU in listed and cards[0].issued_on.isoformat() in listed
    assert export.contents_entry(export.list_title) == export.list_start + 1


def test_an_empty_period_still_gives_a_pdf_that_says_so(applications, weasyprint_log):
    export = Export(REPORTS["travel_approvals"], Filters(date(2020, 1, 1), date(2020, 1, 31)))
    with translation.override("zh-hans"):
        message = _("There is nothing to list in this period.")
    assert export.rows == 0
    assert export.contents_entry(export.list_title) == export.pages == export.list_start + 1
    assert message in export.texts[-1] and "2020-01-01 – 2020-01-31" in export.texts[0]
    assert export.footer_of(export.pages) in export.texts[-1]


# The list on its own: fixed pages whatever the rows do, alignment, text ------------------------------------

TZ = ZoneInfo("Asia/Shanghai")


def fake_report(rows, count, **extra):
    return ReportDefinition(
        name="fake",
        title="测试报表",
        description="",
        columns=[
            Column("name", "名称", 3.0),
            Column("amount", "数量", 1.0, "number"),
            Column("day", "日期", 1.0, "date"),
        ],
        rows=lambda filters: iter(rows),
        count=lambda filters: count,
        **extra,
    )


def test_the_page_count_holds_when_rows_disappear_or_appear_after_counting(period):
    per_page = Geometry(landscape=False).rows_per_page
    fewer = Export(fake_report([("甲", 1, None)] * (per_page + 5), per_page + 10), period)
    assert fewer.rows == per_page + 5 and fewer.pages == fewer.list_start + 2
    assert fewer.footer_of(fewer.pages) in fewer.texts[-1]
    more = Export(fake_report([("乙", 1, None)] * (per_page + 5), per_page), period)
    assert more.rows == per_page and more.pages == more.list_start + 1


def test_numbers_are_right_aligned_and_long_text_is_cut_with_an_ellipsis(period):
    long_name = "河南省郑州市金水区某某某某国际贸易与物流供应链管理股份有限公司" * 3
    rows = [
        (long_name, 5, date(2026, 1, 5)),
        ("短", 12345, datetime(2026, 1, 5, 23, 30, tzinfo=TZ)),
    ]
    export = Export(fake_report(rows, 2), period)
    listed = export.list_text()
    assert "…" in listed and long_name not in listed and long_name[:10] in listed
    assert "2026-01-05" in listed and "12,345" in listed
    ends = {}

    def visit(text, cm, tm, font, size):
        if text.strip() in ("5", "12,345"):
            ends[text.strip()] = tm[4] + stringWidth(text.strip(), REGULAR, FONT_SIZE)

    export.reader.pages[-1].extract_text(visitor_text=visit)
    assert ends["5"] == pytest.approx(ends["12,345"], abs=0.05)


def test_cells_print_dates_numbers_and_nothing_the_same_way():
    assert cell_text(None, "text") == "—"
    assert cell_text(date(2026, 3, 1), "date") == "2026-03-01"
    assert cell_text(datetime(2026, 3, 1, 1, 30, tzinfo=ZoneInfo("UTC")), "date") == "2026-03-01 09:30"
    assert cell_text(1234567, "number") == "1,234,567"
    assert cell_text("多行\n文本", "text") == "多行 文本"


# Through the export job, as the reports page uses it ------------------------------------------------------


def test_a_pdf_job_stores_the_file_and_its_row_count(
    manager, organization, django_capture_on_commit_callbacks
):
    ApplicationFactory(organization=organization, state=State.IN_REVIEW, submitted_at=timezone.now())
    today = timezone.localdate().isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        job = services.job_start(
            actor=manager,
            report="travel_approvals",
            format="pdf",
            filters={"date_from": today, "date_to": today},
        )
    job.refresh_from_db()
    assert (job.state, job.progress, job.rows) == (JobState.DONE, 100, 1)
    with job.file.open("rb") as stored:
        assert PdfReader(stored).pages


# Pictures of a sample, to look at ----------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm (apt-get install poppler-utils)")
def test_sample_pages_are_drawn_as_images(applications, period):
    export = Export(REPORTS["travel_approvals"], period)
    with translation.override("zh-hans"):
        charts_page = export.contents_entry(str(REPORTS["travel_approvals"].sections(period)[1].title))
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / "report-pdf-sample.pdf"
    pdf.write_bytes(export.data)
    for name, page in [("cover", 1), ("charts", charts_page), ("list", export.list_start + 1)]:
        target = ARTIFACTS / f"report-pdf-{name}"
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", "-singlefile", "-f", str(page), "-l", str(page), pdf, target],
            check=True,
        )
        assert target.with_suffix(".png").stat().st_size > 10_000
    pdf.unlink()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    ("report", "states"),
    [("travel_approvals", "approvals.workflow.State"), ("apec_cards", "apec_cards.workflow.CardState")],
)
def test_every_state_is_printed_whole_in_the_pdf_list(report, states, language):
    """The state column is wide enough for the longest state in either language (issue 11: it was cut)."""
    register_fonts()
    definition = REPORTS[report]
    geometry = Geometry(definition.landscape)
    total = sum(max(column.width, 0.1) for column in definition.columns)
    column = next(column for column in definition.columns if column.key == "state")
    room = (geometry.right - geometry.left) * column.width / total - 2 * PADDING
    with translation.override(language):
        labels = [str(label) for label in import_string(states).labels]
    too_wide = [label for label in labels if stringWidth(label, REGULAR, FONT_SIZE) > room * SQUEEZE]
    assert too_wide == [], f"cut in a {room:.0f} pt column: {too_wide}"
