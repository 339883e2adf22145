"""The foreign-organisation figures, the three exported reports (CSV, XLSX, PDF read back) and the
dashboard panels, checked against cases and organisations whose dates are known.

Today is 2026-07-01 10:00 (Wednesday). Setting-up cases, each received at 09:00 on its day
(Z: Zhengzhou area, L: Luoyang area):

    case  area  country  received  what happened                                   state now
    A     Z     DE       May 4     registered Jun 10, opened Jun 15 (42 days)      opened
    B     L     JP       Jun 2     declined Jun 5                                  declined
    C     Z     FR       Jun 22    nothing yet (2 working days: due Jun 24)        enquiry, overdue
    D     Z     IT       Jun 29    consulting (due in July)                        consulting
    E     Z     KR       Apr 10    registered May 20, opened May 30 (50 days)      opened
    F     Z     SG       Jun 3     submitted to the authority, then withdrawn      withdrawn

April to June: 6 received, 3 submitted, 2 registered, 2 opened (33.3 %), median 46 days; 1 withdrawn,
1 declined; open now C and D, C overdue. By month: April 1, May 1, June 4.

Organisations registered in 2025 (their cases received in November 2025), reports on 2025 due on
31 March 2026 (the default window):

    G   Z   US   filed on 10 March 2026 (on time), accepted with 3 foreign and 7 local staff
    H   L   GB   filed on 15 April 2026 (15 days late)
    I   Z   DE   not filed: overdue

The registry on 30 June 2026: A, E, G, H, I (5); by country DE 2, GB, KR, US 1.
"""

import csv
import io
import re
import shutil
import subprocess
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from foreign_affairs.reports.exporters import write_csv, write_pdf, write_xlsx
from foreign_affairs.reports.exporters.pdf_list import (
    FONT_SIZE,
    PADDING,
    REGULAR,
    SQUEEZE,
    Geometry,
    register_fonts,
)
from foreign_affairs.reports.filters import Filters
from foreign_affairs.reports.registry import REPORTS, dashboard_sections
from foreign_offices.models import AnnualReport, ForeignOrganisation, SetupCase
from foreign_offices.reporting import (
    annual_rows,
    case_rows,
    foreign_offices_panels,
    registry_rows,
)
from foreign_offices.services import annual, cases
from foreign_offices.workflow import CaseState, OrganisationState, ReportState
from tests.conftest import ARTIFACTS

from .factories import enquiry, registration

pytestmark = pytest.mark.django_db
ZONE = ZoneInfo("Asia/Shanghai")
TODAY = datetime(2026, 7, 1, 10, tzinfo=ZONE)
QUARTER = Filters(date(2026, 4, 1), date(2026, 6, 30))
QUARTER_LUOYANG = Filters(date(2026, 4, 1), date(2026, 6, 30), "luoyang")
REPORT_NAMES = ("foreign_office_cases", "foreign_organisations", "foreign_office_annual_reports")


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=ZONE).replace(hour=hour)


def received_on(day: date, name: str, country: str, **data) -> SetupCase:
    """An enquiry sent at 09:00 on `day` (each with its own contact, who gets the account)."""
    with time_machine.travel(at(day), tick=False):
        return enquiry(
            organisation_name=f"{name} International",
            organisation_name_zh=f"{name}国际",
            country=country,
            contact_email=f"{name.lower()}@example.com",
            **data,
        )


def carry(case, officer, day: date, *names: str, registered_on=None, opened_on=None, comment="") -> SetupCase:
    with time_machine.travel(at(day, 15), tick=False):
        for name in names:
            data = None
            if name == "register":
                data = registration(registered_on=registered_on or day)
            elif name == "open":
                data = {"opened_on": opened_on or day}
            case = cases.case_transition(case=case, actor=officer, name=name, data=data, comment=comment)
    return case


def opened(case, officer, registered: date, opening: date) -> SetupCase:
    case = carry(case, officer, registered, "consult", "prepare", "submit_to_authority", "register")
    return carry(case, officer, opening, "open", opened_on=opening)


REPORT = {
    "activities": "Trade fairs and business matching in Zhengzhou.",
    "staff_foreign": 3,
    "staff_local": 7,
    "address_confirmed": True,
    "representative_confirmed": True,
}


def file_report(organisation, officer, day: date):
    with time_machine.travel(at(day, 11), tick=False):
        return annual.report_submit(organisation=organisation, actor=officer, year=2025, data=REPORT)


@pytest.fixture
def data(officer):
    made = {}
    made["A"] = opened(
        received_on(date(2026, 5, 4), "Alpha", "DE"), officer, date(2026, 6, 10), date(2026, 6, 15)
    )
    made["B"] = carry(
        received_on(date(2026, 6, 2), "Beta", "JP", kind="regional_hq", preferred_area="luoyang"),
        officer, date(2026, 6, 5), "decline", comment="Not a kind of presence the province registers.",
    )  # fmt: skip
    made["C"] = received_on(date(2026, 6, 22), "Gamma", "FR", kind="chamber_office")
    made["D"] = carry(received_on(date(2026, 6, 29), "Delta", "IT"), officer, date(2026, 6, 30), "consult")
    made["E"] = opened(
        received_on(date(2026, 4, 10), "Epsilon", "KR"), officer, date(2026, 5, 20), date(2026, 5, 30)
    )
    made["F"] = carry(
        received_on(date(2026, 6, 3), "Phi", "SG"), officer, date(2026, 6, 12),
        "consult", "prepare", "submit_to_authority", "withdraw", comment="The company chose another province.",
    )  # fmt: skip
    for key, name, country, area, registered in [
        ("G", "Golf", "US", "zhengzhou", date(2025, 3, 2)),
        ("H", "Hotel", "GB", "luoyang", date(2025, 6, 2)),
        ("I", "India", "DE", "zhengzhou", date(2025, 9, 1)),
    ]:
        case = received_on(date(2025, 1, 6), name, country, preferred_area=area)
        made[key] = opened(case, officer, registered, registered)
    org = {key: made[key].organisation for key in "AEGHI"}
    report = file_report(org["G"], officer, date(2026, 3, 10))
    with time_machine.travel(at(date(2026, 3, 11)), tick=False):
        annual.report_transition(report=report, actor=officer, name="accept")
    file_report(org["H"], officer, date(2026, 4, 15))
    made["org"] = org
    return made


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def section(filters: Filters, key: str):
    with time_machine.travel(TODAY, tick=False):
        found = {section.key: section for section in foreign_offices_panels(filters)}[key]
    return found, {str(figure.label): figure.value for figure in found.figures}


def chart(found, title: str) -> dict:
    (match,) = [chart for chart in found.charts if str(chart.title) == title]
    return {label: values[0] for label, values, _url in match.rows}


# The figures ---------------------------------------------------------------------------------------------


def test_cases_by_state_month_and_the_way_to_an_opened_office(data):
    found, figures = section(QUARTER, "foreign_office_cases")
    assert figures["Setting-up cases received"] == 6
    assert (figures["Offices opened"], figures["From enquiry to opening"]) == (2, 33.3)
    assert figures["Median days from enquiry to opening"] == 46.0  # 42 and 50
    assert (figures["Withdrawn"], figures["Declined"]) == (1, 1)
    assert (figures["Open setting-up cases now"], figures["Overdue setting-up cases now"]) == (2, 1)
    assert chart(found, "From enquiry to opening") == {
        "Enquiry received": 6,
        "Submitted": 3,
        "Registered": 2,
        "Opened": 2,
    }
    by_state = chart(found, "Setting-up cases by state")
    assert by_state["Opened"] == 2 and by_state["Enquiry received"] == 1 and by_state["Consulting"] == 1
    assert sum(by_state.values()) == 6
    assert list(chart(found, "Setting-up cases received by month").values()) == [1, 1, 4]


def test_the_figures_say_what_the_rows_say(data):
    _found, figures = section(QUARTER, "foreign_office_cases")
    with time_machine.travel(TODAY, tick=False):
        rows = list(case_rows(QUARTER))
    states = [row[5] for row in rows]
    assert len(rows) == figures["Setting-up cases received"]
    assert states.count("Opened") == figures["Offices opened"]
    assert states.count("Declined") == figures["Declined"]
    assert [row[0] for row in rows] == [data[key].reference for key in "EABFCD"]
    gamma = rows[4]
    assert gamma[1:6] == (
        "Gamma International",
        "France",
        "Representative office of a foreign chamber or industry association",
        "Zhengzhou area",
        "Enquiry received",
    )
    assert (gamma[7], gamma[8], gamma[9]) == (date(2026, 6, 22), date(2026, 6, 24), 7)
    assert rows[0][8:] == (None, None)  # opened: no deadline
    assert sum(1 for row in rows if row[9]) == figures["Overdue setting-up cases now"]


def test_an_ftz_area_narrows_the_cases(data):
    _found, figures = section(QUARTER_LUOYANG, "foreign_office_cases")
    assert (figures["Setting-up cases received"], figures["Declined"], figures["Offices opened"]) == (1, 1, 0)
    assert figures["Median days from enquiry to opening"] is None
    assert figures["From enquiry to opening"] == 0.0
    with time_machine.travel(TODAY, tick=False):
        assert [row[0] for row in case_rows(QUARTER_LUOYANG)] == [data["B"].reference]


def test_the_registry_by_country_kind_and_area(data):
    found, figures = section(QUARTER, "foreign_organisations")
    assert figures["Foreign organisations in the registry"] == 5
    assert (figures["Registered in the period"], figures["Opened in the period"]) == (2, 2)
    assert figures["Closed in the period"] == 0
    assert (figures["Foreign staff"], figures["Local staff"]) == (3, 7)  # G's accepted report
    assert chart(found, "Foreign organisations by country") == {
        "Germany": 2,
        "United Kingdom": 1,
        "South Korea": 1,
        "United States": 1,
    }
    assert chart(found, "Foreign organisations by kind")["Company office"] == 5
    assert chart(found, "Foreign organisations by area") == {
        "Zhengzhou area": 4,
        "Luoyang area": 1,
        "Kaifeng area": 0,
        "Outside the FTZ": 0,
    }
    with time_machine.travel(TODAY, tick=False):
        rows = list(registry_rows(QUARTER))
    assert len(rows) == 5 and sum(1 for row in rows if row[3] == "Germany") == 2
    _luoyang, luoyang = section(QUARTER_LUOYANG, "foreign_organisations")
    assert luoyang["Foreign organisations in the registry"] == 1


def test_a_past_period_shows_the_registry_of_its_last_day_and_what_closed_in_it(data, officer):
    ForeignOrganisation.objects.filter(pk=data["org"]["I"].pk).update(
        state=OrganisationState.CLOSED, closed_on=date(2026, 5, 15)
    )
    may = Filters(date(2026, 5, 1), date(2026, 5, 31))
    _found, figures = section(may, "foreign_organisations")
    assert figures["Foreign organisations in the registry"] == 3  # E, G, H (A came in June; I closed)
    assert figures["Closed in the period"] == 1 and figures["Registered in the period"] == 1
    with time_machine.travel(TODAY, tick=False):
        rows = list(registry_rows(may))
    assert {row[0] for row in rows} == {"Epsilon International", "Golf International", "Hotel International",
                                        "India International"}  # fmt: skip
    (india,) = [row for row in rows if row[0] == "India International"]
    assert india[10] == "Closed"


def test_the_registry_rows_hold_no_personal_data(data):
    with time_machine.travel(TODAY, tick=False):
        rows = list(registry_rows(QUARTER))
    text = repr(rows)
    assert "@example.com" not in text and "Anna" not in text
    assert [str(column.label) for column in REPORTS["foreign_organisations"].columns][:2] == [
        "Name (original)",
        "Name (Chinese)",
    ]


def test_annual_reports_on_time_late_and_not_filed(data):
    found, figures = section(QUARTER, "foreign_office_annual_reports")
    assert figures["Organisations owing an annual report"] == 3
    assert (figures["Filed on time"], figures["Filed late"], figures["Not filed"]) == (1, 1, 1)
    assert figures["On-time rate"] == 33.3
    assert figures["Annual reports waiting for the office"] == 1  # H's; G's was accepted
    assert chart(found, "Annual reports on 2025") == {"Filed on time": 1, "Filed late": 1, "Not filed": 1}
    assert "2025" in found.note and "31 Mar 2026" in found.note
    with time_machine.travel(TODAY, tick=False):
        rows = {row[0]: row for row in annual_rows(QUARTER)}
    assert set(rows) == {"Golf International", "Hotel International", "India International"}
    assert rows["Golf International"][5:] == (date(2026, 3, 10), "on time", "Accepted", None)
    assert rows["Hotel International"][5:] == (date(2026, 4, 15), "late", "Submitted", 15)
    assert rows["India International"][4:] == (date(2026, 3, 31), None, "overdue", "", 92)


def test_before_the_due_date_nothing_is_overdue_yet(data, officer):
    AnnualReport.objects.filter(organisation=data["org"]["H"]).delete()  # filed in April, after this day
    march = Filters(date(2026, 1, 1), date(2026, 3, 20))
    with time_machine.travel(at(date(2026, 3, 20), 10), tick=False):
        found = {s.key: s for s in foreign_offices_panels(march)}["foreign_office_annual_reports"]
        rows = {row[0]: row for row in annual_rows(march)}
    figures = {str(figure.label): figure.value for figure in found.figures}
    assert (figures["Filed on time"], figures["Filed late"], figures["Not filed"]) == (1, 0, 2)
    assert not any(figure.tone == "danger" for figure in found.figures)
    assert rows["India International"][6] == "not filed yet" and rows["India International"][8] is None


def test_the_year_follows_the_period(data):
    last_year = Filters(date(2025, 1, 1), date(2025, 12, 31))
    _found, figures = section(last_year, "foreign_office_annual_reports")
    assert figures["Organisations owing an annual report"] == 0  # reports on 2024: nobody was registered
    assert figures["On-time rate"] is None


def panel_queries() -> int:
    """Two per section; SQLite's median takes one more (stats: the count, then the ranked rows)."""
    return 6 if connection.vendor == "postgresql" else 7


def test_the_panels_take_the_same_queries_for_more_data(data, officer, django_assert_max_num_queries):
    counts = []
    for extra in (0, 4):
        for index in range(extra):
            received_on(date(2026, 6, 1 + index), f"More{index}", "NL")
        with time_machine.travel(TODAY, tick=False), CaptureQueriesContext(connection) as queries:
            foreign_offices_panels(QUARTER)
            foreign_offices_panels(QUARTER_LUOYANG)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 2 * panel_queries()
    with time_machine.travel(TODAY, tick=False), django_assert_max_num_queries(panel_queries()):
        foreign_offices_panels(QUARTER)


def test_an_empty_database_gives_empty_panels(db):
    with time_machine.travel(TODAY, tick=False):
        sections = foreign_offices_panels(QUARTER)
    assert all(not figure.value for section in sections for figure in section.figures)
    assert all(
        not value for section in sections for chart in section.charts for _n, v in chart.series for value in v
    )


def test_the_panels_reach_the_shared_dashboard(data):
    with time_machine.travel(TODAY, tick=False):
        keys = [section.key for section in dashboard_sections(QUARTER)]
    assert {"foreign_office_cases", "foreign_organisations", "foreign_office_annual_reports"} <= set(keys)
    assert set(REPORT_NAMES) <= set(REPORTS)


def test_figure_links_go_to_the_back_office_lists(data):
    found, _figures = section(QUARTER_LUOYANG, "foreign_office_cases")
    received = found.figures[0].url
    assert received.startswith("/admin/foreign_offices/setupcase/?")
    assert (
        "area=luoyang" in received
        and "state=all" in received
        and "created_at__date__gte=2026-04-01" in received
    )
    assert found.figures[-1].url.endswith("state=all&overdue=yes&area=luoyang")
    registry, _figures = section(QUARTER, "foreign_organisations")
    assert registry.figures[-1].url == "/admin/foreign_offices/foreignorganisation/?registration=expiring"
    reports, _figures = section(QUARTER, "foreign_office_annual_reports")
    assert reports.figures[3].url == "/admin/foreign_offices/foreignorganisation/?report_overdue=yes"


def test_every_figure_and_bar_opens_a_list_the_back_office_accepts(data, client, officer):
    client.force_login(officer)
    with time_machine.travel(TODAY, tick=False):
        sections = foreign_offices_panels(QUARTER) + foreign_offices_panels(QUARTER_LUOYANG)
        links = {figure.url for section in sections for figure in section.figures if figure.url}
        links |= {url for section in sections for chart in section.charts for url in chart.urls if url}
        for url in sorted(links):
            response = client.get(url)
            assert response.status_code == 200, url  # an unknown parameter would redirect to ?e=1
        received = client.get(sections[0].figures[0].url).context["cl"].result_list
        overdue = client.get(sections[0].figures[-1].url).context["cl"].result_list
        not_filed = client.get(sections[2].figures[3].url).context["cl"].result_list
        late = client.get(sections[2].figures[2].url).context["cl"].result_list
    assert {case.pk for case in received} == {data[key].pk for key in "ABCDEF"}
    assert [case.pk for case in overdue] == [data["C"].pk]
    assert [organisation.pk for organisation in not_filed] == [data["org"]["I"].pk]
    assert [report.organisation_id for report in late] == [data["org"]["H"].pk]


# The exports ---------------------------------------------------------------------------------------------


def export(name: str, writer, filters=QUARTER, language="zh-hans") -> tuple[bytes, int]:
    out = io.BytesIO()
    with time_machine.travel(TODAY, tick=False), translation.override(language):
        rows = writer(REPORTS[name], filters, out, lambda percent: None)
    return out.getvalue(), rows


def expected_rows(name: str, language: str, filters=QUARTER) -> list[tuple]:
    with time_machine.travel(TODAY, tick=False), translation.override(language):
        return list(REPORTS[name].rows(filters))


def labels(name: str, language: str) -> list[str]:
    with translation.override(language):
        return [str(column.label) for column in REPORTS[name].columns]


def cell(value) -> str:
    return "" if value is None else value.isoformat() if isinstance(value, date) else str(value)


@pytest.mark.parametrize("name", REPORT_NAMES)
def test_each_report_as_csv_holds_its_rows(data, name):
    content, count = export(name, write_csv)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    expected = expected_rows(name, "zh-hans")
    assert rows[0] == labels(name, "zh-hans")
    assert count == len(expected) == len(rows) - 1 > 0
    with time_machine.travel(TODAY, tick=False):
        assert count == REPORTS[name].count(QUARTER)
    assert rows[1:] == [[cell(value) for value in row] for row in expected]


@pytest.mark.parametrize("name", REPORT_NAMES)
def test_each_report_as_xlsx_holds_its_rows(data, name):
    content, count = export(name, write_xlsx, language="en")
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == labels(name, "en")
    expected = expected_rows(name, "en")
    assert count == len(expected) == len(rows) - 1

    def plain(value):
        return value.date() if isinstance(value, datetime) else value

    assert [[plain(value) for value in row] for row in rows[1:]] == [
        [None if value == "" else value for value in row] for row in expected
    ]


def pdf_text(name: str, language="zh-hans") -> tuple[PdfReader, list[str], bytes]:
    content, _count = export(name, write_pdf, language=language)
    reader = PdfReader(io.BytesIO(content))
    return reader, [page.extract_text() for page in reader.pages], content


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("name", REPORT_NAMES)
def test_each_report_as_pdf_in_chinese(data, name):
    _reader, texts, content = pdf_text(name)
    assert content.startswith(b"%PDF")
    whole = squeezed("\n".join(texts))
    with translation.override("zh-hans"):
        title = str(REPORTS[name].title)
        sections = [str(section.title) for section in REPORTS[name].sections(QUARTER)]
    assert squeezed(title) in squeezed(texts[0]) and "河南省人民政府外事侨务办公室" in texts[0]
    assert [label for label in labels(name, "zh-hans") if squeezed(label) not in whole] == []
    assert [title for title in sections if squeezed(title) not in whole] == []
    if name == "foreign_office_cases":
        assert data["C"].reference in whole and "法国" in whole  # France, named as CLDR names it
    elif name == "foreign_organisations":
        assert "India国际" in whole and "德国" in whole
    else:
        assert "Golf国际" in whole and "India国际" in whole


def test_the_case_report_pdf_in_english_shows_the_figures(data):
    _reader, texts, _content = pdf_text("foreign_office_cases", language="en")
    whole = "\n".join(texts)
    assert "Setting-up cases of foreign organisations" in texts[0]
    assert "Median days from enquiry to opening" in whole and "Enquiry received" in whole
    assert "Gamma International" in whole and "France" in whole


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    ("name", "states"),
    [
        ("foreign_office_cases", CaseState),
        ("foreign_organisations", OrganisationState),
        ("foreign_office_annual_reports", ReportState),
    ],
)
def test_every_state_is_printed_whole_in_the_pdf_list(name, states, language):
    register_fonts()
    definition = REPORTS[name]
    geometry = Geometry(definition.landscape)
    total = sum(max(column.width, 0.1) for column in definition.columns)
    column = next(column for column in definition.columns if column.key == "state")
    room = (geometry.right - geometry.left) * column.width / total - 2 * PADDING
    with translation.override(language):
        found = [str(label) for label in states.labels]
    too_wide = [label for label in found if stringWidth(label, REGULAR, FONT_SIZE) > room * SQUEEZE]
    assert too_wide == [], f"cut in a {room:.0f} pt column: {too_wide}"


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm (apt-get install poppler-utils)")
def test_a_pdf_page_is_drawn_as_an_image(data):
    _reader, texts, content = pdf_text("foreign_office_cases")
    with translation.override("zh-hans"):
        label = squeezed(_("Setting-up cases by state"))
    page = next(index for index, text in enumerate(texts) if label in squeezed(text)) + 1
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / "foreign-offices-cases.pdf"
    pdf.write_bytes(content)
    target = ARTIFACTS / "foreign-offices-cases-charts"
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-singlefile", "-f", str(page), "-l", str(page), pdf, target],
        check=True,
    )
    assert target.with_suffix(".png").stat().st_size > 10_000
    pdf.unlink()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_chart_labels_are_short_enough_to_be_read_whole(data, language):
    """The charts cut a label after 18 characters (foreign_affairs.reports.charts)."""
    with time_machine.travel(TODAY, tick=False), translation.override(language):
        sections = foreign_offices_panels(QUARTER)
    long = [
        label for section in sections for chart in section.charts for label in chart.labels if len(label) > 18
    ]
    assert long == []
