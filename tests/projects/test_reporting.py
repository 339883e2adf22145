"""The cooperation-project figures, the three exported reports (CSV, XLSX, PDF read back) and the dashboard
panels, checked against projects, expressions of interest and achievements whose dates are known.

Today is 2026-07-01 10:00. Projects, each entered at 09:00 on its day by the officer (Z: Zhengzhou area,
L: Luoyang, K: Kaifeng):

    project  channel           area  industries              partner  entered  what happened since       published
    A        foreign affairs   Z     automobiles             DE       Apr 8    signed May 18 (40 days),  Apr 20
                                                                               implementing
    B        overseas Chinese  Z     logistics               SG       May 6    contacted; no amount      in review
    C        Hong Kong, Macao  L     robots                  HK       May 12   signed Jun 11 (30 days)   May 20
    D        friendship city   K     cultural tourism        JP       Jun 3    dropped Jun 20            —
    E        foreign affairs   Z     automobiles, logistics  DE       Jun 15   lead, next step due       —
                                                                               Jun 25: overdue
    F        foreign affairs   Z     automobiles             US       Feb 10   negotiating, next step    Mar 2
                                                                               due Jul 10

April to June: 5 entered, 2 signed (40 %), median 35 days, 1 dropped; 2 signed in the period. Open now:
A, B, C, E, F (one per open stage), E overdue.

Expressions of interest (A and C involve the applicant's enterprise):

    i1 A Apr 25 forwarded · i2 A May 10 received · i3 C May 28 forwarded · i4 F Jun 10 closed
    i5 F Mar 15 received (before the period) · i6 F Jul 1 09:00 received (this month, after the period)

April to June: 4 received (April 1, May 2, June 1), 2 forwarded (50 %); 3 waiting now; 1 this month. Published
now: A, C, F; in the period A (April), C (May). One development achievement of the Zhengzhou area, published
on Jun 5; another still a draft.
"""

import csv
import io
import re
import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
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
from projects.reporting import month_rows, pipeline_rows, project_rows, projects_panels
from projects.services import achievements
from projects.services import interest as interest_services
from projects.services import projects as services
from projects.workflow import Publication, Stage
from tests.conftest import ARTIFACTS

from .factories import interest, project

pytestmark = pytest.mark.django_db
ZONE = ZoneInfo("Asia/Shanghai")
TODAY = datetime(2026, 7, 1, 10, tzinfo=ZONE)
QUARTER = Filters(date(2026, 4, 1), date(2026, 6, 30))
QUARTER_LUOYANG = Filters(date(2026, 4, 1), date(2026, 6, 30), "luoyang")
REPORT_NAMES = ("cooperation_projects", "project_pipeline", "project_months")


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=ZONE).replace(hour=hour)


def entered_on(day: date, officer, **data):
    with time_machine.travel(at(day), tick=False):
        return project(officer, **data)


def run(item, officer, day: date, *names: str, comment: str = ""):
    with time_machine.travel(at(day, 15), tick=False):
        for name in names:
            item = services.stage_run(project=item, actor=officer, name=name, comment=comment)
    return item


def publish(item, officer, day: date, name: str = "publish"):
    with time_machine.travel(at(day, 11), tick=False):
        return services.publication_run(project=item, actor=officer, name=name)


def expressed(item, day: datetime, state: str = "", officer=None, **data):
    with time_machine.travel(day, tick=False):
        lead = interest(item, **data)
    if state:
        with time_machine.travel(day.replace(hour=16), tick=False):
            lead = interest_services.interest_run(
                interest=lead, actor=officer, name=state, comment="Not a match." if state == "close" else ""
            )
    return lead


def story(officer, day: date, projects=(), *, publish: bool = True, **data):
    with time_machine.travel(at(day, 10), tick=False):
        item = achievements.achievement_create(
            actor=officer,
            data={
                "title_zh": "中德电驱动生产线投产",
                "title_en": "The Sino-German electric drive line starts production",
                "description_zh": "合资项目首条生产线在郑州片区投产。",
                "description_en": "The joint venture's first line started production in the Zhengzhou area.",
                "channel": "foreign_affairs",
                "ftz_area": "zhengzhou",
                "happened_on": day,
                "projects": [p.pk for p in projects],
                **data,
            },
        )
        if publish:
            item = achievements.achievement_publication_run(achievement=item, actor=officer, name="publish")
    return item


@pytest.fixture
def data(officer, organization):
    made = {}
    made["A"] = entered_on(date(2026, 4, 8), officer, enterprises=[organization])
    publish(made["A"], officer, date(2026, 4, 20))
    made["A"] = run(made["A"], officer, date(2026, 4, 10), "contact", "negotiate")
    made["A"] = run(made["A"], officer, date(2026, 5, 18), "sign")
    made["A"] = run(made["A"], officer, date(2026, 6, 1), "implement")
    made["B"] = entered_on(
        date(2026, 5, 6),
        officer,
        channel="overseas_chinese",
        industries=("logistics",),
        partner_country="SG",
        amount="",
        currency="",
        title_zh="新加坡冷链物流合作",
        title_en="Cold-chain logistics with Singapore",
    )
    made["B"] = run(made["B"], officer, date(2026, 5, 8), "contact")
    publish(made["B"], officer, date(2026, 5, 9), "submit_for_review")
    made["C"] = entered_on(
        date(2026, 5, 12),
        officer,
        enterprises=[organization],
        channel="hong_kong_macao",
        ftz_area="luoyang",
        industries=("robots",),
        partner_country="HK",
        mode="technology",
    )
    publish(made["C"], officer, date(2026, 5, 20))
    made["C"] = run(made["C"], officer, date(2026, 5, 14), "contact", "negotiate")
    made["C"] = run(made["C"], officer, date(2026, 6, 11), "sign")
    made["D"] = entered_on(
        date(2026, 6, 3),
        officer,
        channel="friendship_city",
        ftz_area="kaifeng",
        industries=("cultural-tourism",),
        partner_country="JP",
    )
    made["D"] = run(made["D"], officer, date(2026, 6, 20), "drop", comment="The partner withdrew.")
    made["E"] = entered_on(
        date(2026, 6, 15),
        officer,
        industries=("automobiles", "logistics"),
        next_step="Send the partner the site plan",
        next_step_due="2026-06-25",
    )
    made["F"] = entered_on(
        date(2026, 2, 10),
        officer,
        partner_country="US",
        next_step="Draft the term sheet",
        next_step_due="2026-07-10",
    )
    made["F"] = run(made["F"], officer, date(2026, 2, 20), "contact", "negotiate")
    publish(made["F"], officer, date(2026, 3, 2))
    made["interests"] = [
        expressed(made["A"], at(date(2026, 4, 25)), "forward", officer),
        expressed(made["A"], at(date(2026, 5, 10))),
        expressed(made["C"], at(date(2026, 5, 28)), "forward", officer),
        expressed(made["F"], at(date(2026, 6, 10)), "close", officer),
        expressed(made["F"], at(date(2026, 3, 15))),
        expressed(made["F"], at(date(2026, 7, 1))),
    ]
    made["story"] = story(officer, date(2026, 6, 5), [made["A"]])
    made["draft_story"] = story(officer, date(2026, 6, 6), publish=False)
    return made


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def section(filters: Filters, key: str):
    with time_machine.travel(TODAY, tick=False):
        found = {section.key: section for section in projects_panels(filters)}[key]
    return found, {str(figure.label): figure.value for figure in found.figures}


def chart(found, title: str) -> dict:
    (match,) = [chart for chart in found.charts if str(chart.title) == title]
    return {label: values for label, values, _url in match.rows}


def first_series(found, title: str) -> dict:
    return {label: values[0] for label, values in chart(found, title).items()}


# The figures ---------------------------------------------------------------------------------------------


def test_the_pipeline_from_lead_to_signed(data):
    found, figures = section(QUARTER, "projects_pipeline")
    assert figures["Projects entered"] == 5
    assert (figures["Signed"], figures["From lead to signed"]) == (2, 40.0)
    assert figures["Median days from entry to signing"] == 35.0  # 40 and 30
    assert figures["Dropped"] == 1 and figures["Projects signed in the period"] == 2
    assert (figures["Open projects now"], figures["Next steps overdue now"]) == (5, 1)
    assert first_series(found, "Open projects by stage") == {
        "Lead": 1,
        "Contacted": 1,
        "Negotiating": 1,
        "Signed": 1,
        "Implementing": 1,
    }
    assert first_series(found, "Projects entered by channel") == {
        "Foreign affairs": 2,
        "Overseas Chinese": 1,
        "Hong Kong, Macao": 1,
        "Friendship cities": 1,
    }
    assert first_series(found, "Projects entered by area") == {
        "Zhengzhou area": 3,
        "Luoyang area": 1,
        "Kaifeng area": 1,
        "Outside the FTZ": 0,
    }
    # Ties in the order of the taxonomy: logistics is a priority industry.
    assert list(first_series(found, "Projects entered by industry").items()) == [
        ("Modern logistics", 2),
        ("Automobiles", 2),
        ("Robots", 1),
        ("Cultural tourism", 1),
    ]
    assert list(first_series(found, "Projects entered by partner country").items()) == [
        ("Germany", 2),
        ("Hong Kong, China", 1),
        ("Japan", 1),
        ("Singapore", 1),
    ]


def test_interest_and_publication_by_month(data):
    found, figures = section(QUARTER, "projects_interest")
    assert figures["Expressions of interest received"] == 4
    assert figures["Forwarded to the enterprises"] == 50.0
    assert (figures["Expressions of interest this month"], figures["Waiting to be forwarded now"]) == (1, 3)
    assert (figures["Projects in the public catalogue"], figures["Projects published in the period"]) == (
        3,
        2,
    )
    assert figures["Development achievements published now"] == 1
    assert figures["Development achievements published in the period"] == 1
    assert chart(found, "Expressions of interest by month") == {
        "April 2026": [1, 1],
        "May 2026": [2, 1],
        "June 2026": [1, 0],
    }
    assert chart(found, "Published by month") == {
        "April 2026": [1, 0],
        "May 2026": [1, 0],
        "June 2026": [0, 1],
    }
    assert [str(name) for name, _values in found.charts[0].series] == ["received", "forwarded"]


def test_an_ftz_area_narrows_projects_interest_and_achievements(data):
    _found, figures = section(QUARTER_LUOYANG, "projects_pipeline")
    assert (figures["Projects entered"], figures["Signed"], figures["From lead to signed"]) == (1, 1, 100.0)
    assert figures["Median days from entry to signing"] == 30.0
    assert (figures["Open projects now"], figures["Next steps overdue now"]) == (1, 0)
    _found, figures = section(QUARTER_LUOYANG, "projects_interest")
    assert (figures["Expressions of interest received"], figures["Forwarded to the enterprises"]) == (
        1,
        100.0,
    )
    assert figures["Waiting to be forwarded now"] == 0
    assert figures["Development achievements published now"] == 0
    with time_machine.travel(TODAY, tick=False):
        assert [row[0] for row in project_rows(QUARTER_LUOYANG)] == [data["C"].reference]


def test_a_project_entered_after_its_signing_is_left_out_of_the_median(data, officer):
    late = entered_on(date(2026, 6, 20), officer, partner_country="FR")
    with time_machine.travel(at(date(2026, 6, 20), 12), tick=False):
        services.project_update(project=late, actor=officer, data={"signed_on": date(2026, 3, 1)})
    _found, figures = section(QUARTER, "projects_pipeline")
    assert (figures["Projects entered"], figures["Signed"]) == (6, 3)  # a date of signing counts as signed
    assert figures["Median days from entry to signing"] == 35.0


def test_the_project_list_holds_every_project_entered_with_its_interest(data, officer):
    with time_machine.travel(TODAY, tick=False):
        rows = {row[0]: row for row in project_rows(QUARTER)}
    assert list(rows) == [data[key].reference for key in "ABCDE"]
    assert rows[data["A"].reference] == (
        data["A"].reference,
        "Sino-German joint venture for new-energy vehicle parts",
        "Foreign affairs",
        "Zhengzhou area",
        "Automobiles",
        "Joint venture",
        "Germany",
        "Implementing",
        "Published",
        officer.get_full_name() or officer.username,
        None,
        Decimal("12000000.00"),
        "EUR",
        date(2026, 4, 8),
        date(2026, 5, 18),
        2,
    )
    b, e = rows[data["B"].reference], rows[data["E"].reference]
    assert (b[1], b[8], b[11], b[12], b[15]) == (
        "Cold-chain logistics with Singapore",
        "In review",
        None,
        "",
        0,
    )
    assert e[4] == "Modern logistics, Automobiles" and e[10] == date(2026, 6, 25)
    assert rows[data["D"].reference][7] == "Dropped" and rows[data["C"].reference][15] == 1
    with time_machine.travel(TODAY, tick=False), translation.override("zh-hans"):
        chinese = {row[0]: row for row in project_rows(QUARTER)}
    assert chinese[data["E"].reference][1] == "中德新能源汽车零部件合资项目"
    assert chinese[data["E"].reference][4] == "现代物流、汽车制造"
    assert chinese[data["C"].reference][6] == "中国香港"


def test_the_pipeline_breakdown_by_channel_area_industry_country_and_stage(data):
    with time_machine.travel(TODAY, tick=False):
        rows = list(pipeline_rows(QUARTER))
    by = {(row[0], row[1]): row[2:] for row in rows}
    # entered, in talks, signed, conversion %, dropped
    assert by[("Channel", "Foreign affairs")] == (2, 1, 1, 50.0, 0)
    assert by[("Channel", "Hong Kong and Macao")] == (1, 0, 1, 100.0, 0)
    assert by[("Channel", "Friendship cities")] == (1, 0, 0, 0.0, 1)
    assert by[("FTZ area", "Zhengzhou area")] == (3, 2, 1, 33.3, 0)
    assert by[("FTZ area", "Outside the free trade zone")] == (0, 0, 0, None, 0)
    assert [row[1] for row in rows if row[0] == "Industry"] == [
        "Modern logistics",
        "Automobiles",
        "Robots",
        "Cultural tourism",
    ]
    assert by[("Industry", "Modern logistics")] == (2, 2, 0, 0.0, 0)
    assert by[("Industry", "Automobiles")] == (2, 1, 1, 50.0, 0)
    assert by[("Partner country", "Germany")] == (2, 1, 1, 50.0, 0)
    assert [row[1] for row in rows if row[0] == "Stage today"] == [str(label) for label in Stage.labels]
    assert by[("Stage today", "Dropped")] == (1, 0, 0, 0.0, 1)
    for kind in ("Channel", "FTZ area", "Stage today"):
        assert sum(row[2] for row in rows if row[0] == kind) == 5
    assert len(rows) == 4 + 4 + 4 + 4 + 7


def test_projects_without_industry_or_partner_are_listed_last(data, officer):
    entered_on(date(2026, 6, 16), officer, industries=(), partner_country="")
    with time_machine.travel(TODAY, tick=False):
        rows = list(pipeline_rows(QUARTER))
        found = {section.key: section for section in projects_panels(QUARTER)}["projects_pipeline"]
    industries = [row[1:3] for row in rows if row[0] == "Industry"]
    countries = [row[1:3] for row in rows if row[0] == "Partner country"]
    assert industries[-1] == ("No industry given", 1) and countries[-1] == ("No partner country yet", 1)
    assert "No industry given" not in first_series(found, "Projects entered by industry")


def test_month_by_month(data):
    with time_machine.travel(TODAY, tick=False):
        rows = list(month_rows(QUARTER))
    # month, entered, signed, interest received, forwarded, projects published, achievements published
    assert rows == [
        ("April 2026", 1, 0, 1, 1, 1, 0),
        ("May 2026", 2, 1, 2, 1, 1, 0),
        ("June 2026", 2, 1, 1, 0, 0, 1),
    ]


def test_the_figures_say_what_the_rows_say(data):
    _found, figures = section(QUARTER, "projects_pipeline")
    with time_machine.travel(TODAY, tick=False):
        rows = list(project_rows(QUARTER))
        months = list(month_rows(QUARTER))
    assert len(rows) == figures["Projects entered"] == sum(row[1] for row in months)
    assert sum(1 for row in rows if row[14]) == figures["Signed"]
    assert sum(1 for row in rows if row[7] == "Dropped") == figures["Dropped"]
    _found, interest_figures = section(QUARTER, "projects_interest")
    assert sum(row[3] for row in months) == interest_figures["Expressions of interest received"]


def test_many_top_countries_end_with_the_others(data, officer):
    for index, code in enumerate(["FR", "IT", "ES", "NL", "BE", "AT", "CH", "SE", "NO", "DK", "FI"]):
        entered_on(date(2026, 6, 1 + index), officer, partner_country=code)
    found, _figures = section(QUARTER, "projects_pipeline")
    countries = first_series(found, "Projects entered by partner country")
    assert len(countries) == 11 and next(iter(countries)) == "Germany"
    assert countries["Other countries"] == 5  # 15 countries: the top 10, then 5 with one project each
    assert sum(countries.values()) == 16


def panel_queries() -> int:
    """Four for the pipeline (five on SQLite: its median takes two), three for interest and publication."""
    return 7 if connection.vendor == "postgresql" else 8


def test_the_panels_take_the_same_queries_for_more_data(data, officer, django_assert_max_num_queries):
    counts = []
    for extra in (0, 4):
        for index in range(extra):
            more = entered_on(
                date(2026, 6, 1 + index), officer, partner_country="NL", industries=("finance",)
            )
            publish(more, officer, date(2026, 6, 2 + index))
            expressed(more, at(date(2026, 6, 3 + index)))
        with time_machine.travel(TODAY, tick=False), CaptureQueriesContext(connection) as queries:
            projects_panels(QUARTER)
            projects_panels(QUARTER_LUOYANG)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 2 * panel_queries()
    with time_machine.travel(TODAY, tick=False), django_assert_max_num_queries(panel_queries()):
        projects_panels(QUARTER)


@pytest.mark.parametrize(
    ("name", "queries"), [("cooperation_projects", 2), ("project_pipeline", 5), ("project_months", 3)]
)
def test_the_rows_take_the_same_queries_for_more_data(
    data, officer, name, queries, django_assert_num_queries
):
    with time_machine.travel(TODAY, tick=False), django_assert_num_queries(queries):
        few = list(REPORTS[name].rows(QUARTER))
    for index in range(6):
        more = entered_on(
            date(2026, 5, 1 + index), officer, partner_country="NL", industries=("finance", "robots")
        )
        publish(more, officer, date(2026, 5, 2 + index))
        expressed(more, at(date(2026, 5, 3 + index)))
    with time_machine.travel(TODAY, tick=False), django_assert_num_queries(queries):
        many = list(REPORTS[name].rows(QUARTER))
    assert len(many) >= len(few)


def test_an_empty_database_gives_empty_panels(db):
    with time_machine.travel(TODAY, tick=False):
        sections = projects_panels(QUARTER)
        assert [row[1:] for row in month_rows(QUARTER)] == [(0,) * 6] * 3
        assert list(project_rows(QUARTER)) == []
    assert all(not figure.value for section in sections for figure in section.figures)
    assert all(
        not value for section in sections for chart in section.charts for _n, v in chart.series for value in v
    )


def test_the_panels_reach_the_shared_dashboard(data):
    with time_machine.travel(TODAY, tick=False):
        keys = [section.key for section in dashboard_sections(QUARTER)]
    assert {"projects_pipeline", "projects_interest"} <= set(keys)
    assert set(REPORT_NAMES) <= set(REPORTS)


def test_figure_links_go_to_the_back_office_lists(data):
    found, _figures = section(QUARTER_LUOYANG, "projects_pipeline")
    entered = found.figures[0].url
    assert entered.startswith("/admin/projects/cooperationproject/?")
    assert (
        "stage=all" in entered and "area=luoyang" in entered and "created_at__date__gte=2026-04-01" in entered
    )
    assert found.figures[-1].url.endswith("?stage=all&overdue=yes&area=luoyang")
    assert found.charts[0].urls[0].endswith("?stage=lead&area=luoyang")
    interest_found, _figures = section(QUARTER, "projects_interest")
    assert interest_found.figures[3].url == "/admin/projects/interest/?state=received"
    industries = dict(zip(found.charts[3].labels, found.charts[3].urls, strict=True))
    assert "industry=robots" in industries["Robots"]


def test_every_figure_and_bar_opens_a_list_the_back_office_accepts(data, client, officer):
    client.force_login(officer)
    with time_machine.travel(TODAY, tick=False):
        sections = projects_panels(QUARTER) + projects_panels(QUARTER_LUOYANG)
        links = {figure.url for section in sections for figure in section.figures if figure.url}
        links |= {url for section in sections for chart in section.charts for url in chart.urls if url}
        for url in sorted(links):
            response = client.get(url)
            assert response.status_code == 200, url  # an unknown parameter would redirect to ?e=1

        def listed(url: str) -> set[int]:
            return {row.pk for row in client.get(url).context["cl"].result_list}

        pipeline, interest_figures, luoyang = sections[0].figures, sections[1].figures, sections[2].figures
        found = {
            "entered": listed(pipeline[0].url),
            "signed": listed(pipeline[1].url),
            "signed in the period": listed(pipeline[5].url),
            "open": listed(pipeline[6].url),
            "overdue": listed(pipeline[-1].url),
            "received": listed(interest_figures[0].url),
            "waiting": listed(interest_figures[3].url),
            "published in the period": listed(interest_figures[5].url),
            "achievements": listed(interest_figures[6].url),
            "luoyang": listed(luoyang[0].url),
        }
    pks = {key: data[key].pk for key in "ABCDEF"}
    assert found["entered"] == {pks[key] for key in "ABCDE"}
    assert found["signed"] == found["signed in the period"] == {pks["A"], pks["C"]}
    assert found["open"] == {pks[key] for key in "ABCEF"} and found["overdue"] == {pks["E"]}
    assert found["received"] == {lead.pk for lead in data["interests"][:4]}
    assert found["waiting"] == {data["interests"][index].pk for index in (1, 4, 5)}
    assert found["published in the period"] == {pks["A"], pks["C"]}
    assert found["achievements"] == {data["story"].pk} and found["luoyang"] == {pks["C"]}
    # The interest figures of an area link to the interest list narrowed to the projects of that area.
    assert all("area=luoyang" in figure.url for figure in sections[3].figures[:4])


def test_the_dashboard_page_shows_the_panels_to_a_manager(data, client, manager):
    client.cookies["django_language"] = "en"
    client.force_login(manager)
    with time_machine.travel(TODAY, tick=False):
        response = client.get("/reports/", {"date_from": "2026-04-01", "date_to": "2026-06-30"})
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        'data-testid="section-projects_pipeline"' in html
        and 'data-testid="section-projects_interest"' in html
    )
    assert "From lead to signed" in html and "Expressions of interest by month" in html
    assert "<caption" in html  # each chart's numbers as a table
    for name in REPORT_NAMES:
        assert f'data-report="{name}"' in html


def test_the_api_has_the_projects_sections_and_reports(data, api_as, manager, applicant):
    client = api_as(manager)
    with time_machine.travel(TODAY, tick=False):
        body = client.get(
            "/api/v1/reports/dashboard/", {"date_from": "2026-04-01", "date_to": "2026-06-30"}
        ).json()
    sections = {section["key"]: section for section in body["sections"]}
    pipeline = sections["projects_pipeline"]
    assert pipeline["figures"][0]["value"] == 5
    assert pipeline["figures"][0]["url"].startswith("http://testserver/admin/projects/cooperationproject/?")
    assert all(len(s["values"]) == len(c["labels"]) for c in pipeline["charts"] for s in c["series"])
    # The API answers in the default language, Chinese: months as Chinese writes them.
    assert sections["projects_interest"]["charts"][0]["labels"] == ["2026年4月", "2026年5月", "2026年6月"]
    catalogue = {entry["name"]: entry for entry in client.get("/api/v1/reports/catalogue/").json()}
    assert set(REPORT_NAMES) <= set(catalogue)
    assert catalogue["project_months"]["formats"] == ["pdf", "csv", "xlsx"]
    assert api_as(applicant).get("/api/v1/reports/dashboard/").status_code == 403


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

    def typed(value):
        return None if value == "" else float(value) if isinstance(value, Decimal) else value

    assert [[plain(value) for value in row] for row in rows[1:]] == [
        [typed(value) for value in row] for row in expected
    ]


def test_text_that_looks_like_a_formula_is_quoted_in_the_spreadsheets(data, officer):
    entered_on(date(2026, 6, 20), officer, title_en='=HYPERLINK("http://evil.example")', title_zh="")
    content, _count = export("cooperation_projects", write_csv, language="en")
    assert "'=HYPERLINK" in content.decode("utf-8-sig")


def pdf_text(name: str, language="zh-hans") -> tuple[list[str], bytes]:
    content, _count = export(name, write_pdf, language=language)
    reader = PdfReader(io.BytesIO(content))
    return [page.extract_text() for page in reader.pages], content


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("name", REPORT_NAMES)
def test_each_report_as_pdf_in_chinese(data, name):
    texts, content = pdf_text(name)
    assert content.startswith(b"%PDF")
    whole = squeezed("\n".join(texts))
    with time_machine.travel(TODAY, tick=False), translation.override("zh-hans"):
        title = str(REPORTS[name].title)
        sections = [str(section.title) for section in REPORTS[name].sections(QUARTER)]
    assert squeezed(title) in squeezed(texts[0]) and "河南省人民政府外事侨务办公室" in texts[0]
    assert [label for label in labels(name, "zh-hans") if squeezed(label) not in whole] == []
    assert [title for title in sections if squeezed(title) not in whole] == []
    if name == "cooperation_projects":
        # Titles are cut to their column (the CSV has them whole); a short one is read whole.
        assert data["C"].reference in whole and "新加坡冷链物流合作" in whole and "中国香港" in whole
    elif name == "project_pipeline":
        assert "现代物流" in whole and "德国" in whole
    else:
        assert "2026年4月" in whole


def test_the_project_report_pdf_in_english_shows_the_figures(data):
    texts, _content = pdf_text("cooperation_projects", language="en")
    whole = "\n".join(texts)
    assert "Cooperation projects" in texts[0]
    assert "Median days from entry to signing" in whole and "Projects entered by channel" in whole
    assert data["B"].reference in whole and "Singapore" in whole and "12,000,000" in whole


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(("key", "choices"), [("stage", Stage), ("publication", Publication)])
def test_every_stage_and_publication_is_printed_whole_in_the_pdf_list(key, choices, language):
    register_fonts()
    definition = REPORTS["cooperation_projects"]
    geometry = Geometry(definition.landscape)
    total = sum(max(column.width, 0.1) for column in definition.columns)
    column = next(column for column in definition.columns if column.key == key)
    room = (geometry.right - geometry.left) * column.width / total - 2 * PADDING
    with translation.override(language):
        found = [str(label) for label in choices.labels]
    too_wide = [label for label in found if stringWidth(label, REGULAR, FONT_SIZE) > room * SQUEEZE]
    assert too_wide == [], f"cut in a {room:.0f} pt column: {too_wide}"


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm (apt-get install poppler-utils)")
def test_a_pdf_page_is_drawn_as_an_image(data):
    texts, content = pdf_text("cooperation_projects")
    with translation.override("zh-hans"):
        from django.utils.translation import gettext as _

        label = squeezed(_("Open projects by stage"))
    page = next(index for index, text in enumerate(texts) if label in squeezed(text)) + 1
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / "projects-report.pdf"
    pdf.write_bytes(content)
    for number, target in ((1, "projects-report-cover"), (page, "projects-report-charts")):
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "60",
                "-png",
                "-singlefile",
                "-f",
                str(number),
                "-l",
                str(number),
                pdf,
                ARTIFACTS / target,
            ],
            check=True,
        )
        assert (ARTIFACTS / f"{target}.png").stat().st_size > 10_000
    pdf.unlink()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_chart_labels_of_fixed_choices_are_short_enough_to_be_read_whole(data, language):
    """The charts cut a label after 18 characters (foreign_affairs.reports.charts); industries and countries
    are the taxonomy's and CLDR's names, cut where they must be (the numbers table shows them whole)."""
    with time_machine.travel(TODAY, tick=False), translation.override(language):
        sections = projects_panels(QUARTER)
    fixed = [chart for section in sections for chart in section.charts if "industry" not in str(chart.title)]
    fixed = [chart for chart in fixed if "country" not in str(chart.title)]
    long = [label for chart in fixed for label in chart.labels if len(label) > 18]
    assert long == []
