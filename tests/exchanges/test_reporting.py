"""The exchanges' figures, the five exported reports (CSV, XLSX and PDF read back, and one through the shared
report jobs) and the dashboard panels, checked against the half year of reporting_factories.py, whose
figures are known, and against counts made here from the activities themselves.

April to June 2026: 5 exchanges held (A1 A2 A3 A4 A10), 3 presenting the zone (60 %), 3 planned (proposed,
confirmed, postponed), 1 cancelled; 3 agreements in 2 activities. Friendship cities: 2 dormant, 1 needing
attention, 1 active.
"""

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from exchanges import selectors
from exchanges.health import Health
from exchanges.models import Activity, Agreement, AgreementKind, FriendshipCity, RelationshipKind
from exchanges.reporting import (
    activity_rows,
    agreement_rows,
    agreements_section,
    breakdown_rows,
    city_rows,
    exchanges_panels,
    tally,
    zone_rows,
)
from exchanges.workflow import HELD_STATES, PLANNED_STATES, Direction, Focus, Kind, State
from foreign_affairs.accounts.models import FTZArea
from foreign_affairs.accounts.roles import Role
from foreign_affairs.reports import services as report_services
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
from foreign_affairs.reports.models import JobState
from foreign_affairs.reports.registry import REPORTS, dashboard_sections
from foreign_affairs.security.countries import country_name
from tests.factories import office_user

from .factories import activity, run
from .reporting_factories import TODAY, exchange_half_year

pytestmark = pytest.mark.django_db
QUARTER = Filters(date(2026, 4, 1), date(2026, 6, 30))
QUARTER_LUOYANG = Filters(date(2026, 4, 1), date(2026, 6, 30), "luoyang")
YEAR = Filters(date(2026, 1, 1), date(2026, 7, 1))
REPORT_NAMES = (
    "exchange_activities",
    "exchange_breakdown",
    "zone_presentation",
    "exchange_agreements",
    "friendship_city_health",
)
# The rows of each report: one query, two for the breakdown (its countries are grouped apart).
ROW_QUERIES = {
    "exchange_activities": 1,
    "exchange_breakdown": 2,
    "zone_presentation": 1,
    "exchange_agreements": 1,
    "friendship_city_health": 1,
}
# The PDF's front matter (its sections) and the count: the breakdown counts its rows by making them, the
# presentation of the zone has a fixed number of rows.
FRONT_QUERIES = {
    "exchange_activities": (1, 1),
    "exchange_breakdown": (1, 2),
    "zone_presentation": (1, 0),
    "exchange_agreements": (2, 1),
    "friendship_city_health": (1, 1),
}
# The dashboard: the exchanges and their agreements (conditional aggregates), the friendship cities.
PANEL_QUERIES = 2


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def other_officer(db):
    return office_user(Role.OFFICER)


@pytest.fixture
def data(officer, other_officer, leader, organization):
    return exchange_half_year(officer, other_officer, leader, organization)


def at_today(function, *args):
    with time_machine.travel(TODAY, tick=False):
        result = function(*args)
        return list(result) if not isinstance(result, (list, dict)) else result


def sections(filters: Filters = QUARTER) -> dict:
    return {section.key: section for section in at_today(exchanges_panels, filters)}


def figures(section) -> dict:
    return {str(figure.label): figure.value for figure in section.figures}


def chart(section, title: str) -> dict:
    (match,) = [chart for chart in section.charts if str(chart.title) == title]
    return {label: values for label, values, _url in match.rows}


# Counted here, from the activities one by one -----------------------------------------------------------


def in_period(filters: Filters) -> list[Activity]:
    return [
        item
        for item in Activity.objects.prefetch_related("enterprises_visited")
        if filters.date_from <= item.starts_on <= filters.date_to
        and (not filters.ftz_area or filters.ftz_area in item.area_codes)
    ]


def measured(items: list[Activity]) -> dict:
    held = [item for item in items if item.state in HELD_STATES]
    return {
        "held": len(held),
        "presented": sum(1 for item in held if item.zone_presented),
        "visited": sum(1 for item in held if list(item.enterprises_visited.all())),
        "materials": sum(1 for item in held if item.materials),
        "planned": sum(1 for item in items if item.state in PLANNED_STATES),
        "cancelled": sum(1 for item in items if item.state == State.CANCELLED),
    }


def counted_here(filters: Filters) -> dict:
    items = in_period(filters)
    found = {"all": measured(items)}
    for value in Kind.values:
        found[f"kind_{value}"] = measured([item for item in items if item.kind == value])
    for value in FTZArea.values:
        found[f"area_{value}"] = measured([item for item in items if value in item.area_codes])
    found["area_none"] = measured([item for item in items if not item.area_codes])
    for value in Focus.values:
        found[f"focus_{value}"] = measured([item for item in items if value in item.focus_codes])
    found["focus_none"] = measured([item for item in items if not item.focus_codes])
    for index, (first, last) in enumerate(filters.months()):
        found[f"month_{index}"] = measured([item for item in items if first <= item.starts_on <= last])
    signed = [
        agreement
        for agreement in Agreement.objects.select_related("activity")
        if filters.date_from <= agreement.signed_on <= filters.date_to
        and (not filters.ftz_area or filters.ftz_area in agreement.activity.area_codes)
    ]
    found["agreements"] = {
        "signed": len(signed),
        "activities": len({agreement.activity_id for agreement in signed}),
    }
    return found


# The figures ---------------------------------------------------------------------------------------------


def test_the_exchanges_held_and_the_zone_presented(data):
    found = sections()["exchanges_activities"]
    assert figures(found) == {
        "Exchanges held": 5,
        "Free trade zone presented": 3,
        "Share presenting the zone": 60.0,
        "Agreements signed": 3,
        "Planned": 3,
        "Cancelled": 1,
    }
    assert chart(found, "Exchanges held by kind") == {
        "External exchange": [1, 1],
        "Dignitary visit": [1, 1],
        "Overseas Chinese": [0, 0],  # A5 is only proposed
        "Friendship city": [1, 0],
        "Media interview": [1, 1],
        "Other": [1, 0],
    }
    # A2 is of the Zhengzhou and the Luoyang areas: it counts in both.
    assert chart(found, "Exchanges held by area") == {
        "Zhengzhou area": [2, 2],
        "Luoyang area": [2, 2],
        "Kaifeng area": [1, 0],
        "Outside the FTZ": [0, 0],
    }
    # Zone presented, held.
    assert chart(found, "Zone presented by focus") == {
        "Plans": [1, 1],
        "Pivots": [1, 1],
        "Connectivity": [1, 1],
        "Coordination": [0, 1],
        "Platforms": [2, 2],
    }
    assert chart(found, "Exchanges held by month") == {
        "April 2026": [1, 1],
        "May 2026": [2, 1],
        "June 2026": [2, 1],
    }
    assert found.figures[3].hint == "in 2 activities"


@pytest.mark.parametrize(
    "filters",
    [
        QUARTER,
        QUARTER_LUOYANG,
        YEAR,
        Filters(date(2026, 6, 1), date(2026, 6, 30)),
        # A8 started on Mar 20 and its agreement was signed on Mar 21: the agreement counts, A8 does not.
        Filters(date(2026, 3, 21), date(2026, 4, 30), "kaifeng"),
    ],
)
def test_every_count_equals_the_one_made_from_the_activities(data, filters):
    found = at_today(tally, filters)
    assert found == counted_here(filters)
    assert found["all"]["held"] + found["all"]["planned"] + found["all"]["cancelled"] == len(
        in_period(filters)
    )


def test_proposed_postponed_and_cancelled_activities_are_not_held(data):
    found = at_today(tally, QUARTER)
    assert found["kind_overseas_chinese"] == {
        "held": 0,
        "presented": 0,
        "visited": 0,
        "materials": 0,
        "planned": 1,
        "cancelled": 0,
    }
    # A6 was to present the zone, A9 and A11 are dignitary visits still planned: none counts as held.
    assert found["kind_dignitary_visit"] == {
        "held": 1,
        "presented": 1,
        "visited": 1,
        "materials": 1,
        "planned": 2,
        "cancelled": 1,
    }
    assert found["all"]["held"] == sum(found[f"kind_{value}"]["held"] for value in Kind.values)


def test_an_ftz_area_narrows_the_exchanges_and_the_agreements(data):
    found = sections(QUARTER_LUOYANG)["exchanges_activities"]
    assert figures(found) == {
        "Exchanges held": 2,  # A2 and A4
        "Free trade zone presented": 2,
        "Share presenting the zone": 100.0,
        "Agreements signed": 0,
        "Planned": 1,  # A11, postponed
        "Cancelled": 0,
    }
    assert chart(found, "Exchanges held by area")["Zhengzhou area"] == [1, 1]  # A2, shared with Zhengzhou
    assert [row[0] for row in at_today(activity_rows, QUARTER_LUOYANG)] == [
        data[key].reference for key in ("A2", "A11", "A4")
    ]
    with time_machine.travel(TODAY, tick=False):
        kaifeng = agreements_section(Filters(date(2026, 1, 1), date(2026, 6, 30), "kaifeng"))
    assert figures(kaifeng)["Agreements signed"] == 2  # A8's in March, A3's in May


def test_the_friendship_cities_by_health(data):
    found = sections()["exchanges_cities"]
    assert figures(found) == {
        "Friendship cities": 4,
        "Dormant": 2,
        "Needs attention": 1,
        "Active": 1,
        "Agreements to renew": 1,
    }
    assert [figure.tone for figure in found.figures[1:]] == ["danger", "warning", "", "warning"]
    assert chart(found, "Friendship cities by health") == {
        "Dormant": [2],
        "Needs attention": [1],
        "Active": [1],
    }


def test_the_figures_say_what_the_rows_say(data):
    found = sections()
    activity_figures, city_figures = (
        figures(found["exchanges_activities"]),
        figures(found["exchanges_cities"]),
    )
    listed = at_today(activity_rows, QUARTER)
    held_labels = {str(State(value).label) for value in HELD_STATES}
    held = [row for row in listed if row[9] in held_labels]
    assert len(held) == activity_figures["Exchanges held"]
    assert sum(1 for row in held if row[10] == "Yes") == activity_figures["Free trade zone presented"]
    assert sum(1 for row in listed if row[9] == "Cancelled") == activity_figures["Cancelled"]
    assert sum(row[12] for row in listed) == activity_figures["Agreements signed"]
    assert len(at_today(agreement_rows, QUARTER)) == activity_figures["Agreements signed"]
    cities = at_today(city_rows, QUARTER)
    assert len(cities) == city_figures["Friendship cities"]
    for label in ("Dormant", "Needs attention", "Active"):
        assert sum(1 for row in cities if row[0] == label) == city_figures[label]
    zone = at_today(zone_rows, QUARTER)
    assert zone[0][2:5] == (5, 3, 60.0)


def test_the_activity_list_holds_every_activity_starting_in_the_period(data, officer):
    rows = {row[0]: row for row in at_today(activity_rows, QUARTER)}
    assert list(rows) == [
        data[key].reference for key in ("A1", "A2", "A11", "A3", "A4", "A6", "A5", "A10", "A9")
    ]
    assert rows[data["A1"].reference] == (
        data["A1"].reference,
        "Bavarian economic delegation visits the Zhengzhou area",
        "Foreign dignitary visit",
        "Visit to Henan",
        "Zhengzhou area",
        "Germany",
        "Bayerisches Staatsministerium für Wirtschaft",
        date(2026, 4, 10),
        date(2026, 4, 12),
        "Closed",
        "Yes",
        "Platforms, Connectivity",
        2,
        officer.get_full_name() or officer.username,
    )
    a2, a10 = rows[data["A2"].reference], rows[data["A10"].reference]
    assert a2[4] == "Zhengzhou area, Luoyang area" and a2[9] == "Reported"
    assert (a10[4], a10[5], a10[11], a10[12]) == ("", "", "", 0)
    with time_machine.travel(TODAY, tick=False), translation.override("zh-hans"):
        chinese = {row[0]: row for row in activity_rows(QUARTER)}
    assert chinese[data["A2"].reference][1] == "河南省代表团与法国奥弗涅-罗讷-阿尔卑斯大区会谈"
    assert chinese[data["A1"].reference][5] == "德国"


def test_the_breakdown_by_kind_area_country_and_month(data):
    rows = at_today(breakdown_rows, QUARTER)
    by = {(row[0], row[1]): row[2:] for row in rows}
    # held, zone presented, share %, planned, cancelled
    assert by[("Kind", "Foreign dignitary visit")] == (1, 1, 100.0, 2, 1)
    assert by[("Kind", "Overseas-Chinese leaders' exchange")] == (0, 0, None, 1, 0)
    assert by[("FTZ area", "Zhengzhou area")] == (2, 2, 100.0, 1, 1)
    assert by[("FTZ area", "Kaifeng area")] == (1, 0, 0.0, 1, 0)
    assert by[("FTZ area", "No area given")] == (1, 0, 0.0, 0, 0)
    countries = [row[1:] for row in rows if row[0] == "Country or region"]
    # Most held first, then most planned, then by name; no country last.
    assert countries[0] == ("Germany", 1, 1, 100.0, 1, 0)
    assert [row[0] for row in countries[1:4]] == ["France", "Japan", "United States"]
    assert countries[-1] == ("No country given", 1, 0, 0.0, 0, 0)
    assert {row[0] for row in countries[4:-1]} == {country_name(code, "en") for code in ("GB", "IT", "KR")}
    assert [row[1:] for row in rows if row[0] == "Month"] == [
        ("April 2026", 1, 1, 100.0, 0, 0),
        ("May 2026", 2, 1, 50.0, 1, 0),
        ("June 2026", 2, 1, 50.0, 2, 1),
    ]
    for dimension in ("Kind", "Country or region", "Month"):
        assert sum(row[2] for row in rows if row[0] == dimension) == 5
    assert len(rows) == len(Kind.values) + len(FTZArea.values) + 1 + 8 + 3


def test_how_the_zone_was_presented_by_area_focus_and_kind(data):
    rows = at_today(zone_rows, QUARTER)
    by = {(row[0], row[1]): row[2:] for row in rows}
    # held, zone presented, share %, enterprises visited, materials handed over
    assert by[("All", "Exchanges held in the period")] == (5, 3, 60.0, 1, 1)
    assert by[("FTZ area", "Luoyang area")] == (2, 2, 100.0, 0, 0)
    assert by[("FTZ area", "No area given")] == (1, 0, 0.0, 0, 0)
    assert by[("Focus", "Platforms")] == (2, 2, 100.0, 1, 1)
    assert by[("Focus", "Coordination")] == (1, 0, 0.0, 0, 0)
    assert by[("Focus", "No focus given")] == (1, 0, 0.0, 0, 0)
    assert by[("Kind", "Foreign media interview")] == (1, 1, 100.0, 0, 0)
    with time_machine.travel(TODAY, tick=False):
        assert REPORTS["zone_presentation"].count(QUARTER) == len(rows)


def test_the_agreements_signed(data):
    rows = at_today(agreement_rows, QUARTER)
    assert rows[0] == (
        date(2026, 4, 11),
        "郑州—巴伐利亚物流合作协议",
        "Agreement",
        "郑州市人民政府；Bayerisches Staatsministerium",
        data["A1"].reference,
        "Bavarian economic delegation visits the Zhengzhou area",
        "Foreign dignitary visit",
        "Germany",
        "Zhengzhou area",
    )
    assert [(row[0], row[2], row[4]) for row in rows[1:]] == [
        (date(2026, 4, 12), "Memorandum of understanding", data["A1"].reference),
        (date(2026, 5, 21), "Letter of intent", data["A3"].reference),
    ]
    with time_machine.travel(TODAY, tick=False):
        found = agreements_section(QUARTER)
    assert figures(found) == {
        "Agreements signed": 3,
        "Activities with an agreement": 2,
        "Agreement": 1,
        "Memorandum of understanding": 1,
        "Letter of intent": 1,
        "Other": 0,
    }
    assert chart(found, "Agreements signed by month") == {
        "April 2026": [2],
        "May 2026": [1],
        "June 2026": [0],
    }
    assert chart(found, "Agreements signed by country") == {"Germany": [2], "Japan": [1]}


def test_the_friendship_city_list_has_each_health_with_its_reasons(data, officer):
    rows = at_today(city_rows, QUARTER)
    assert [(row[0], row[2]) for row in rows] == [
        ("Dormant", "Tours"),  # Luoyang before Zhengzhou
        ("Dormant", "Lyon"),
        ("Needs attention", "Bremen"),
        ("Active", "Toda"),
    ]
    toda = rows[-1]
    assert toda[1:9] == (
        "Kaifeng",
        "Toda",
        "Japan",
        "Friendship city (formal)",
        date(2010, 5, 1),
        date(2026, 5, 21),
        1,
        1,
    )
    assert toda[9:11] == (0, None)
    assert (
        toda[11]
        == "Last exchange: 21 May 2026; 1 exchange in the last three years; 0 active cooperation projects"
    )
    bremen = rows[2]
    assert bremen[4] == "Friendly exchange relationship" and bremen[10] == date(2026, 10, 1)
    # The reasons that set the level first (the PDF's list cuts a long cell).
    assert bremen[11].startswith("No exchange for 2 years; An agreement is to be renewed by 1 Oct 2026; ")
    assert rows[0][11].startswith("No exchange for 3 years; No exchange recorded since the relationship was")
    # The same health and reasons as the city's own page.
    with time_machine.travel(TODAY, tick=False):
        for row, city in zip(rows, [data["tours"], data["lyon"], data["bremen"], data["toda"]], strict=True):
            assessment = selectors.city_assessment(city)
            assert row[0] == assessment.label
            assert sorted(row[11].split("; ")) == sorted(assessment.reasons)
        with translation.override("zh-hans"):
            chinese = list(city_rows(QUARTER))
    assert chinese[-1][2] == "户田市" and "；" in chinese[-1][11]


# Queries -------------------------------------------------------------------------------------------------


def more_activities(officer, leader, organization, count: int) -> None:
    with time_machine.travel(TODAY, tick=False):
        for index in range(count):
            first = date(2026, 5, 1 + index)
            item = activity(
                officer,
                starts_on=first,
                ends_on=first,
                country=["NL", "BE", "AT"][index % 3],
                ftz_areas=["luoyang", "kaifeng"],
                zone_presented=bool(index % 2),
                enterprises_visited=[organization.pk],
            )
            item = run(item, leader, "approve")
            item = run(item, officer, "confirm", "hold")
            from exchanges.services import activities

            activities.agreement_add(
                activity=item, actor=officer, data={"title": f"Agreement {index}", "signed_on": first}
            )


def test_the_panels_take_the_same_queries_for_more_data(
    data, officer, leader, organization, django_assert_num_queries
):
    with time_machine.travel(TODAY, tick=False), django_assert_num_queries(PANEL_QUERIES):
        exchanges_panels(QUARTER)
    more_activities(officer, leader, organization, 6)
    with time_machine.travel(TODAY, tick=False), django_assert_num_queries(PANEL_QUERIES):
        exchanges_panels(QUARTER)
    with time_machine.travel(TODAY, tick=False), django_assert_num_queries(PANEL_QUERIES):
        found = {section.key: section for section in exchanges_panels(QUARTER_LUOYANG)}
    assert figures(found["exchanges_activities"])["Exchanges held"] == 2 + 6


@pytest.mark.parametrize("name", REPORT_NAMES)
def test_the_rows_take_the_same_queries_for_more_data(
    data, officer, leader, organization, name, django_assert_num_queries
):
    with time_machine.travel(TODAY, tick=False), django_assert_num_queries(ROW_QUERIES[name]):
        few = list(REPORTS[name].rows(QUARTER))
    more_activities(officer, leader, organization, 6)
    with time_machine.travel(TODAY, tick=False), django_assert_num_queries(ROW_QUERIES[name]):
        many = list(REPORTS[name].rows(QUARTER))
    assert len(many) >= len(few)
    sections_queries, count_queries = FRONT_QUERIES[name]
    with time_machine.travel(TODAY, tick=False), django_assert_num_queries(sections_queries):
        REPORTS[name].sections(QUARTER)
    with time_machine.travel(TODAY, tick=False), django_assert_num_queries(count_queries):
        REPORTS[name].count(QUARTER)


def test_an_empty_database_gives_empty_panels_and_reports(db):
    with time_machine.travel(TODAY, tick=False):
        found = exchanges_panels(QUARTER)
        assert list(activity_rows(QUARTER)) == list(agreement_rows(QUARTER)) == list(city_rows(QUARTER)) == []
        assert all(row[2:] == (0, 0, None, 0, 0) for row in breakdown_rows(QUARTER))
        assert len(list(zone_rows(QUARTER))) == REPORTS["zone_presentation"].count(QUARTER)
    assert all(not figure.value for section in found for figure in section.figures)
    assert all(
        not value for section in found for chart in section.charts for _n, v in chart.series for value in v
    )


# The catalogue and the dashboard -------------------------------------------------------------------------


def test_the_reports_and_panels_are_in_the_catalogue(data):
    assert set(REPORT_NAMES) <= set(REPORTS)
    with time_machine.travel(TODAY, tick=False):
        keys = [section.key for section in dashboard_sections(QUARTER)]
    assert {"exchanges_activities", "exchanges_cities"} <= set(keys)


def test_the_dashboard_page_shows_the_panels_to_a_manager(data, client, manager):
    client.cookies["django_language"] = "en"
    client.force_login(manager)
    with time_machine.travel(TODAY, tick=False):
        response = client.get("/reports/", {"date_from": "2026-04-01", "date_to": "2026-06-30"})
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        'data-testid="section-exchanges_activities"' in html
        and 'data-testid="section-exchanges_cities"' in html
    )
    assert "Share presenting the zone" in html and "Friendship cities by health" in html
    for name in REPORT_NAMES:
        assert f'data-report="{name}"' in html


def test_the_api_has_the_exchanges_sections_and_reports(data, api_as, manager, applicant):
    client = api_as(manager)
    with time_machine.travel(TODAY, tick=False):
        body = client.get(
            "/api/v1/reports/dashboard/", {"date_from": "2026-04-01", "date_to": "2026-06-30"}
        ).json()
    found = {section["key"]: section for section in body["sections"]}
    held = found["exchanges_activities"]["figures"][0]
    assert held["value"] == 5 and held["url"].startswith("http://testserver/admin/exchanges/activity/?")
    assert [figure["value"] for figure in found["exchanges_cities"]["figures"][:4]] == [4, 2, 1, 1]
    catalogue = {entry["name"]: entry for entry in client.get("/api/v1/reports/catalogue/").json()}
    assert set(REPORT_NAMES) <= set(catalogue)
    assert catalogue["zone_presentation"]["formats"] == ["pdf", "csv", "xlsx"]
    assert api_as(applicant).get("/api/v1/reports/dashboard/").status_code == 403


def test_every_figure_and_bar_opens_a_list_the_back_office_accepts(data, client, officer):
    client.force_login(officer)
    pks = {key: data[key].pk for key in data if key.startswith("A")}
    with time_machine.travel(TODAY, tick=False):
        found = sections()
        luoyang = sections(QUARTER_LUOYANG)["exchanges_activities"]
        links = {
            figure.url for section in [*found.values(), luoyang] for figure in section.figures if figure.url
        }
        links |= {
            url
            for section in [*found.values(), luoyang]
            for chart in section.charts
            for url in chart.urls
            if url
        }
        listed = {}
        for url in sorted(links):
            response = client.get(url)
            assert response.status_code == 200, url  # an unknown parameter would redirect to ?e=1
            listed[url] = {row.pk for row in response.context["cl"].result_list}
    activities, cities = found["exchanges_activities"], found["exchanges_cities"]
    assert listed[activities.figures[0].url] == {pks[key] for key in ("A1", "A2", "A3", "A4", "A10")}
    assert listed[activities.figures[1].url] == {pks[key] for key in ("A1", "A2", "A4")}
    assert listed[activities.figures[4].url] == {pks[key] for key in ("A5", "A9", "A11")}
    assert listed[activities.figures[5].url] == {pks["A6"]}
    assert listed[luoyang.figures[0].url] == {pks["A2"], pks["A4"]}
    by_focus = dict(zip(activities.charts[2].labels, activities.charts[2].urls, strict=True))
    assert listed[by_focus["Platforms"]] == {pks["A1"], pks["A4"]}
    by_month = dict(zip(activities.charts[3].labels, activities.charts[3].urls, strict=True))
    assert listed[by_month["June 2026"]] == {pks["A4"], pks["A10"]}
    assert listed[cities.figures[1].url] == {data["lyon"].pk, data["tours"].pk}
    assert listed[cities.figures[0].url] == set(FriendshipCity.objects.values_list("pk", flat=True))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_chart_labels_are_short_enough_to_be_read_whole(data, language):
    """The charts cut a label after 18 characters (foreign_affairs.reports.charts); country names are CLDR's,
    cut where they must be (the numbers table shows them whole)."""
    with time_machine.travel(TODAY, tick=False), translation.override(language):
        found = [*exchanges_panels(QUARTER), agreements_section(QUARTER)]
    long = [
        label
        for section in found
        for chart in section.charts
        if "country" not in str(chart.title)
        for label in chart.labels
        if len(label) > 18
    ]
    assert long == []


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


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("name", REPORT_NAMES)
def test_each_report_as_pdf_in_chinese(data, name):
    content, _count = export(name, write_pdf)
    assert content.startswith(b"%PDF")
    texts = [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]
    whole = squeezed("\n".join(texts))
    with time_machine.travel(TODAY, tick=False), translation.override("zh-hans"):
        title = str(REPORTS[name].title)
        titles = [str(section.title) for section in REPORTS[name].sections(QUARTER)]
    assert squeezed(title) in squeezed(texts[0]) and "河南省人民政府外事侨务办公室" in texts[0]
    assert [label for label in labels(name, "zh-hans") if squeezed(label) not in whole] == []
    assert [title for title in titles if squeezed(title) not in whole] == []
    if name == "exchange_activities":
        assert data["A1"].reference in whole and "德国" in whole
    elif name == "exchange_agreements":
        assert "跨境电商合作备忘录" in whole
    elif name == "friendship_city_health":
        assert "户田市" in whole


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    ("name", "key", "choices"),
    [
        ("exchange_activities", "state", State),
        ("exchange_activities", "direction", Direction),
        ("friendship_city_health", "health", Health),
        ("friendship_city_health", "kind", RelationshipKind),
        ("exchange_agreements", "kind", AgreementKind),
    ],
)
def test_states_directions_and_health_are_printed_whole_in_the_pdf_list(name, key, choices, language):
    """Cut to its column, a state or a health would be misread; the kinds of activity, long in English, may be
    cut (the CSV and XLSX have them whole)."""
    register_fonts()
    definition = REPORTS[name]
    geometry = Geometry(definition.landscape)
    total = sum(max(column.width, 0.1) for column in definition.columns)
    column = next(column for column in definition.columns if column.key == key)
    room = (geometry.right - geometry.left) * column.width / total - 2 * PADDING
    with translation.override(language):
        found = [str(label) for label in choices.labels]
    too_wide = [label for label in found if stringWidth(label, REGULAR, FONT_SIZE) > room * SQUEEZE]
    assert too_wide == [], f"cut in a {room:.0f} pt column: {too_wide}"


def test_an_export_runs_through_the_shared_report_jobs(data, manager):
    manager.preferred_language = "en"
    manager.save(update_fields=["preferred_language"])
    with time_machine.travel(TODAY, tick=False), translation.override("en"):
        job = report_services.job_start(
            actor=manager,
            report="exchange_breakdown",
            format="csv",
            filters={"date_from": "2026-04-01", "date_to": "2026-06-30", "ftz_area": "luoyang"},
        )
        job = report_services.job_run(job_id=job.pk)
    assert job.state == JobState.DONE, job.error
    with job.file.open("rb") as handle:
        rows = list(csv.reader(io.StringIO(handle.read().decode("utf-8-sig"))))
    assert job.rows == len(rows) - 1
    by = {(row[0], row[1]): row[2:] for row in rows[1:]}
    assert by[("FTZ area", "Luoyang area")][:2] == ["2", "2"] and by[("FTZ area", "Zhengzhou area")][:2] == [
        "1",
        "1",
    ]
