"""Training's figures, its three exported reports (CSV, XLSX and PDF read back, and one through the shared
report jobs) and its dashboard panels, checked against a small quarter built through the services, whose
figures are counted by hand below.

April to June 2026, seen on 20 June 2026 at noon (organisation A of the Zhengzhou area, B of Luoyang):

    S0  PD  20 Mar (before the quarter)   A2 completed                                  not counted
    S1  PD  10 Apr, 3 places              A1 completed, A2 absent, B1 never ticked; A3 waiting
    S2  PR  15 May, with an assessment    A1 passed, B1 failed, B2 attended (no attempt yet); B3 cancelled
    S5  OF  20 May, the office's course   an officer completed
    S3  PD  25 Jun (to come)              A4 enrolled
    S4  PD  10 Jul (after the quarter)    B2 enrolled                                   not counted

Places taken 8 (S1 3, S2 3, S5 1, S3 1), waiting 1; places in sessions held 7, attended 5 (A1, A1, B1, B2,
officer), completed 3 (A1 twice, officer): attendance 71.4 %, completion 42.9 %.

Pre-departure certificates on 20 June: A1 until 9 Apr 2027, A2 until 19 Mar 2027, C1 until 1 Jul 2026, C2 until
1 Aug 2026, C3 revoked, C4 expired on 30 Apr 2026. Trips: T1 (A, approved, departs 15 Jul) with A1 C1 C2 C3 C4
A4; T2 (B, permit issued, departs 1 Aug) with B1 B2; T3 (A, draft), T4 (A, rejected), T5 (A, departed 10 Jun)
and T6 (A, submitted, departs 30 Sep, with A1 and A2, both covered) list nobody. Lapsing: C1 (ends before
departure), C2 (ends within 30 days after it), C3, C4, A4 (booked in S3), B1, B2 (booked in S4).
"""

import csv
import io
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db.models import Count, F, Q
from django.utils import timezone, translation
from openpyxl import load_workbook
from pypdf import PdfReader

from approvals.models import DelegationMember
from foreign_affairs.reports import services as report_services
from foreign_affairs.reports.exporters import write_csv, write_pdf, write_xlsx
from foreign_affairs.reports.exporters.personal import NOTICE
from foreign_affairs.reports.filters import Filters
from foreign_affairs.reports.models import JobState
from foreign_affairs.reports.registry import REPORTS, dashboard_sections
from tests.approvals.factories import ApplicationFactory
from tests.factories import PersonFactory, enterprise_user
from training import services
from training.models import Certificate, Enrolment
from training.reporting import lapsing, lapsing_summary, rate_rows, tally, training_panels

from .factories import answers_for, course, session

pytestmark = pytest.mark.django_db

TODAY = timezone.make_aware(datetime(2026, 6, 20, 12, 0))
QUARTER = Filters(date(2026, 4, 1), date(2026, 6, 30))
QUARTER_LUOYANG = Filters(date(2026, 4, 1), date(2026, 6, 30), "luoyang")
REPORT_NAMES = ("training_enrolments", "training_rates", "training_predeparture_lapsing")
# The dashboard: the enrolments grouped by course and organisation, the lapsing travellers.
PANEL_QUERIES = 2
# Each report's rows, its PDF front matter (sections) and its count: one query each.
ROW_QUERIES = 1
FRONT_QUERIES = 1
COUNT_QUERIES = 1


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def at(day: date, hour: int = 9):
    return time_machine.travel(timezone.make_aware(datetime(day.year, day.month, day.day, hour)), tick=False)


def held_on(officer, course_obj, day: date, capacity: int = 10):
    """A session of `course_obj` from 9:00 to 12:00 on `day`, scheduled ten days before."""
    with at(day - timedelta(days=10)):
        return session(
            officer=officer,
            course_obj=course_obj,
            starts_in=timedelta(days=10),
            capacity=capacity,
        )


def certify(officer, liaison, person, issued: date, predeparture_course) -> Certificate:
    """The person completes a pre-departure session on `issued` (its certificate issued that day)."""
    held = held_on(officer, predeparture_course, issued)
    with at(issued - timedelta(days=5)):
        enrolment = services.enrol(session=held, actor=liaison, person=person)
    with at(issued, 10):
        services.mark(enrolment=enrolment, actor=officer, attended=True)
    return Certificate.objects.get(enrolment=enrolment)


def build_quarter(officer, organization, other_organization):
    liaison_a = enterprise_user(organization, liaison=True)
    liaison_b = enterprise_user(other_organization, liaison=True)
    people = {}
    for key, org in (
        ("A1", organization),
        ("A2", organization),
        ("A3", organization),
        ("A4", organization),
        ("C1", organization),
        ("C2", organization),
        ("C3", organization),
        ("C4", organization),
        ("B1", other_organization),
        ("B2", other_organization),
        ("B3", other_organization),
    ):
        people[key] = PersonFactory(
            organization=org, full_name=f"学员{key}", email=f"{key.lower()}@example.cn"
        )
    users = {
        key: enterprise_user(people[key].organization, email=people[key].email) for key in ("A1", "B1", "B2")
    }
    liaisons = {"A": liaison_a, "B": liaison_b}

    def liaison_of(key):
        return liaisons[key[0]] if key[0] in "AB" else liaison_a

    predeparture = course(code="PD-01", title_zh="出国（境）前教育", title_en="Pre-departure briefing")
    protocol = course(
        code="PR-01",
        topic="protocol",
        title_zh="涉外礼仪",
        title_en="Protocol",
        pass_mark=60,
        questions=2,
        max_attempts=1,
    )
    internal = course(code="OF-01", topic="discipline", audience="office", title_zh="外事纪律", title_en="")

    def enrol(held, *keys):
        with at(timezone.localtime(held.starts_at).date() - timedelta(days=5)):
            return {
                key: services.enrol(session=held, actor=liaison_of(key), person=people[key]) for key in keys
            }

    # Before the quarter: A2's certificate.
    s0 = held_on(officer, predeparture, date(2026, 3, 20))
    with at(date(2026, 3, 20), 10):
        services.mark(enrolment=enrol(s0, "A2")["A2"], actor=officer, attended=True)
    # S1: three places, a waiting list.
    s1 = held_on(officer, predeparture, date(2026, 4, 10), capacity=3)
    e1 = enrol(s1, "A1", "A2", "B1", "A3")
    assert e1["A3"].state == "waiting"
    with at(date(2026, 4, 10), 10):
        services.mark(enrolment=e1["A1"], actor=officer, attended=True)
        services.mark(enrolment=e1["A2"], actor=officer, attended=False)
    # S2: the assessment.
    s2 = held_on(officer, protocol, date(2026, 5, 15))
    e2 = enrol(s2, "A1", "B1", "B2", "B3")
    with at(date(2026, 5, 10)):
        services.enrolment_cancel(enrolment=e2["B3"], actor=liaison_b)
    with at(date(2026, 5, 15), 10):
        for key in ("A1", "B1", "B2"):
            services.mark(enrolment=e2[key], actor=officer, attended=True)
        services.assessment_submit(enrolment=e2["A1"], actor=users["A1"], answers=answers_for(protocol, 2))
        services.assessment_submit(enrolment=e2["B1"], actor=users["B1"], answers=answers_for(protocol, 0))
    # S5: the office's own course.
    s5 = held_on(officer, internal, date(2026, 5, 20))
    with at(date(2026, 5, 15)):
        own = services.enrol_self(session=s5, actor=officer)
    with at(date(2026, 5, 20), 10):
        services.mark(enrolment=own, actor=officer, attended=True)
    # To come: S3 in the quarter, S4 after it.
    s3 = held_on(officer, predeparture, date(2026, 6, 25))
    enrol(s3, "A4")
    s4 = held_on(officer, predeparture, date(2026, 7, 10))
    enrol(s4, "B2")
    # Certificates valid, ending before or soon after a departure, revoked and expired.
    certify(officer, liaison_a, people["C1"], date(2025, 7, 2), predeparture)
    certify(officer, liaison_a, people["C2"], date(2025, 8, 2), predeparture)
    revoked = certify(officer, liaison_a, people["C3"], date(2025, 10, 1), predeparture)
    with at(date(2026, 1, 5)):
        services.certificate_revoke(certificate=revoked, actor=officer, reason="培训记录有误")
    certify(officer, liaison_a, people["C4"], date(2025, 5, 1), predeparture)

    def trip(org, departure: date, *keys, **state):
        with at(date(2026, 6, 1)):
            application = ApplicationFactory(
                organization=org, trip__departure=departure, trip__members=0, **state
            )
        for key in keys:
            DelegationMember.objects.create(application=application, person=people[key])
        return application

    trips = {
        "T1": trip(organization, date(2026, 7, 15), "A1", "C1", "C2", "C3", "C4", "A4", approved=True),
        "T2": trip(other_organization, date(2026, 8, 1), "B1", "B2", permit_issued=True),
        "T3": trip(organization, date(2026, 7, 10), "C1"),
        "T4": trip(organization, date(2026, 7, 20), "C3", rejected=True),
        "T5": trip(organization, date(2026, 6, 10), "C4", permit_issued=True),
        "T6": trip(organization, date(2026, 9, 30), "A1", "A2", submitted=True),
    }
    return {"people": people, "trips": trips, "sessions": {"S1": s1, "S2": s2, "S3": s3, "S5": s5}}


@pytest.fixture
def data(officer, organization, other_organization):
    return build_quarter(officer, organization, other_organization)


def at_today(function, *args):
    with time_machine.travel(TODAY, tick=False):
        result = function(*args)
        return list(result) if isinstance(result, Iterator) else result


def sections(filters: Filters = QUARTER) -> dict:
    return {section.key: section for section in at_today(training_panels, filters)}


def figures(section) -> dict:
    return {str(figure.label): figure.value for figure in section.figures}


def chart(section, title: str) -> dict:
    (match,) = [item for item in section.charts if str(item.title) == title]
    return {label: values for label, values, _url in match.rows}


# The figures ---------------------------------------------------------------------------------------------


def test_the_states_of_the_quarter_are_as_built(data):
    people = data["people"]
    states = {
        (enrolment.session.course.code, enrolment.person and enrolment.person.full_name[2:]): enrolment.state
        for enrolment in Enrolment.objects.select_related("session__course", "person")
        .filter(session__starts_at__gte=timezone.make_aware(datetime(2026, 4, 1)))
        .filter(session__starts_at__lt=timezone.make_aware(datetime(2026, 7, 1)))
    }
    assert states == {
        ("PD-01", "A1"): "completed",
        ("PD-01", "A2"): "absent",
        ("PD-01", "B1"): "enrolled",
        ("PD-01", "A3"): "waiting",
        ("PR-01", "A1"): "completed",
        ("PR-01", "B1"): "failed",
        ("PR-01", "B2"): "attended",
        ("PR-01", "B3"): "cancelled",
        ("OF-01", None): "completed",
        ("PD-01", "A4"): "enrolled",
    }
    assert people["A1"].training_certificates.count() == 2


def test_enrolments_attendance_and_completion(data):
    found = sections()["training"]
    assert figures(found) == {
        "Enrolments": 8,
        "Attendance rate": 71.4,
        "Completion rate": 42.9,
        "Organisations with trainees": 2,
    }
    assert found.figures[0].hint.endswith("1 more on waiting lists")
    assert found.figures[1].hint == "5 of 7 places in sessions held"
    assert chart(found, "Enrolments by course") == {
        "PD-01 Pre-departure briefing": [4, 1, 1],
        "PR-01 Protocol": [3, 3, 1],
        "OF-01 外事纪律": [1, 1, 1],  # no English title: the Chinese one
    }
    assert chart(found, "Attendance and completion by course") == {
        "PD-01 Pre-departure briefing": [33.3, 33.3],
        "PR-01 Protocol": [100.0, 33.3],
        "OF-01 外事纪律": [100.0, 100.0],
    }
    # Only the areas with sessions held; office staff apart.
    assert chart(found, "Attendance and completion by area") == {
        "Zhengzhou area": [66.7, 66.7],
        "Luoyang area": [66.7, 0.0],
        "Office staff": [100.0, 100.0],
    }
    organizations = chart(found, "Enrolments by organisation")
    assert list(organizations.values()) == [[4, 2, 2], [3, 2, 0]]


def test_the_breakdown_by_course_organisation_and_area(data, organization, other_organization):
    rows = {(row[0], row[1]): row[2:] for row in at_today(rate_rows, QUARTER)}
    # enrolments, waiting, places held, attended, attendance %, completed, completion %
    assert rows[("All", "All enrolments")] == (8, 1, 7, 5, 71.4, 3, 42.9)
    assert rows[("Course", "PD-01 Pre-departure briefing")] == (4, 1, 3, 1, 33.3, 1, 33.3)
    assert rows[("Course", "PR-01 Protocol")] == (3, 0, 3, 3, 100.0, 1, 33.3)
    assert rows[("Organisation", organization.name_en)] == (4, 1, 3, 2, 66.7, 2, 66.7)
    assert rows[("Organisation", other_organization.name_en)] == (3, 0, 3, 2, 66.7, 0, 0.0)
    assert rows[("Organisation", "Office staff")] == (1, 0, 1, 1, 100.0, 1, 100.0)
    assert rows[("FTZ area", "Zhengzhou area")] == (4, 1, 3, 2, 66.7, 2, 66.7)
    assert rows[("FTZ area", "Luoyang area")] == (3, 0, 3, 2, 66.7, 0, 0.0)
    assert rows[("FTZ area", "Kaifeng area")] == (0, 0, 0, 0, None, 0, None)
    assert rows[("FTZ area", "Office staff")] == (1, 0, 1, 1, 100.0, 1, 100.0)
    # The office staff are last among the organisations.
    order = [key for key in rows if key[0] == "Organisation"]
    assert order[-1] == ("Organisation", "Office staff")


def test_an_ftz_area_narrows_the_figures_and_leaves_the_office_out(data, other_organization):
    found = at_today(tally, QUARTER_LUOYANG)
    assert found.total.values == {
        "enrolled": 3,
        "waiting": 0,
        "held": 3,
        "attended": 2,
        "absent": 0,
        "completed": 0,
    }
    assert [group.label for group in found.organizations] == [other_organization.name_en]
    assert [group.label for group in found.areas] == ["Luoyang area"]
    assert figures(sections(QUARTER_LUOYANG)["training"])["Completion rate"] == 0.0


def test_the_travellers_whose_predeparture_training_lapses(data):
    found = sections()["training_predeparture"]
    assert figures(found) == {
        "Travellers without valid training at departure": 6,
        "Certificates ending soon after departure": 1,
        "Booked in a pre-departure session": 2,
    }
    assert found.figures[2].hint == "of the travellers listed: 7, in 2 travel applications"
    assert [figure.tone for figure in found.figures] == ["danger", "warning", ""]
    with time_machine.travel(TODAY, tick=False):
        assert lapsing_summary(QUARTER_LUOYANG) == {
            "people": 2,
            "applications": 1,
            "missing": 2,
            "expiring": 0,
            "booked": 1,
        }
    rows = at_today(REPORTS["training_predeparture_lapsing"].rows, QUARTER)
    t1, t2 = data["trips"]["T1"].reference, data["trips"]["T2"].reference
    listed = {(row[1], row[5].split(" ")[0]): (row[6], row[8], row[9], row[10]) for row in rows}
    s3, s4 = (
        data["sessions"]["S3"],
        Enrolment.objects.get(person=data["people"]["B2"], state="enrolled").session,
    )
    assert listed == {
        (t1, "学员C1"): ("Expires before departure", date(2026, 7, 1), None, ""),
        (t1, "学员C2"): ("Expires within 30 days after departure", date(2026, 8, 1), None, ""),
        (t1, "学员C3"): ("No valid certificate", None, None, ""),
        (t1, "学员C4"): ("No valid certificate", None, None, ""),
        (t1, "学员A4"): ("No valid certificate", None, date(2026, 6, 25), s3.reference),
        (t2, "学员B1"): ("No valid certificate", None, None, ""),
        (t2, "学员B2"): ("No valid certificate", None, date(2026, 7, 10), s4.reference),
    }
    assert [row[0] for row in rows] == [date(2026, 7, 15)] * 5 + [date(2026, 8, 1)] * 2  # soonest first
    # On the boundary: a certificate ending on the 30th day after the departure is enough.
    c2 = Certificate.objects.get(person=data["people"]["C2"])
    Certificate.objects.filter(pk=c2.pk).update(valid_until=date(2026, 8, 14))
    assert at_today(lapsing_summary, QUARTER)["expiring"] == 0
    Certificate.objects.filter(pk=c2.pk).update(valid_until=date(2026, 8, 13))
    assert at_today(lapsing_summary, QUARTER)["expiring"] == 1


def test_the_summary_counts_what_the_list_holds(data):
    """lapsing_summary() counts with joins what lapsing() lists with subqueries: the same figures, for
    every area and on the boundary days."""
    missing = Q(certificate_until__isnull=True) | Q(certificate_until__lt=F("application__departure_date"))
    for filters in (QUARTER, QUARTER_LUOYANG):
        for day in (TODAY, TODAY + timedelta(days=20), TODAY + timedelta(days=40)):
            with time_machine.travel(day, tick=False):
                listed = lapsing(filters).aggregate(
                    people=Count("person", distinct=True),
                    applications=Count("application", distinct=True),
                    missing=Count("person", distinct=True, filter=missing),
                    expiring=Count("person", distinct=True, filter=~missing),
                    booked=Count("person", distinct=True, filter=Q(booked_on__isnull=False)),
                )
                assert lapsing_summary(filters) == listed, (filters, day)
    assert listed["people"] < at_today(lapsing_summary, QUARTER)["people"]  # the later days list fewer


def test_an_empty_database_gives_empty_panels_and_reports(db):
    found = at_today(training_panels, QUARTER)
    assert all(not figure.value for section in found for figure in section.figures)
    assert all(
        not value for section in found for item in section.charts for _n, v in item.series for value in v
    )
    for name in ("training_enrolments", "training_predeparture_lapsing"):
        assert at_today(REPORTS[name].rows, QUARTER) == []
    assert at_today(rate_rows, QUARTER)[0][2:] == (0, 0, 0, 0, None, 0, None)


# Queries -------------------------------------------------------------------------------------------------


def more_data(officer, organization):
    """Another session of the quarter with three trainees, and a trip departing with two of them."""
    extra = course(code="FT-01", topic="ftz_policy", title_zh="自贸区政策", title_en="FTZ policy")
    held = held_on(officer, extra, date(2026, 6, 5))
    liaison = enterprise_user(organization, liaison=True)
    people = [PersonFactory(organization=organization) for _ in range(3)]
    with at(date(2026, 6, 1)):
        for person in people:
            services.enrol(session=held, actor=liaison, person=person)
        application = ApplicationFactory(
            organization=organization, trip__departure=date(2026, 7, 30), trip__members=0, in_review=True
        )
    for person in people[:2]:
        DelegationMember.objects.create(application=application, person=person)


def test_the_panels_take_the_same_queries_for_more_data(
    data, officer, organization, django_assert_num_queries
):
    with time_machine.travel(TODAY, tick=False), django_assert_num_queries(PANEL_QUERIES):
        training_panels(QUARTER)
    more_data(officer, organization)
    with time_machine.travel(TODAY, tick=False), django_assert_num_queries(PANEL_QUERIES):
        found = {section.key: section for section in training_panels(QUARTER)}
    assert figures(found["training"])["Enrolments"] == 8 + 3
    assert figures(found["training_predeparture"])["Travellers without valid training at departure"] == 6 + 2
    with time_machine.travel(TODAY, tick=False), django_assert_num_queries(PANEL_QUERIES):
        training_panels(QUARTER_LUOYANG)


def test_the_rows_take_the_same_queries_for_more_data(data, officer, organization, django_assert_num_queries):
    few = {}
    for name in REPORT_NAMES:
        with time_machine.travel(TODAY, tick=False), django_assert_num_queries(ROW_QUERIES):
            few[name] = list(REPORTS[name].rows(QUARTER))
    more_data(officer, organization)
    for name in REPORT_NAMES:
        with time_machine.travel(TODAY, tick=False), django_assert_num_queries(ROW_QUERIES):
            many = list(REPORTS[name].rows(QUARTER))
        assert len(many) > len(few[name]), name
        with time_machine.travel(TODAY, tick=False), django_assert_num_queries(FRONT_QUERIES):
            REPORTS[name].sections(QUARTER)
        with time_machine.travel(TODAY, tick=False), django_assert_num_queries(COUNT_QUERIES):
            assert REPORTS[name].count(QUARTER) == len(many), name


# The catalogue and the dashboard -------------------------------------------------------------------------


def test_the_reports_and_panels_are_in_the_catalogue(data):
    assert set(REPORT_NAMES) <= set(REPORTS)
    with time_machine.travel(TODAY, tick=False):
        keys = [section.key for section in dashboard_sections(QUARTER)]
    assert {"training", "training_predeparture"} <= set(keys)


def test_the_dashboard_page_shows_the_panels_to_a_manager(data, client, manager):
    client.cookies["django_language"] = "en"
    client.force_login(manager)
    with time_machine.travel(TODAY, tick=False):
        response = client.get("/reports/", {"date_from": "2026-04-01", "date_to": "2026-06-30"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="section-training"' in html and 'data-testid="section-training_predeparture"' in html
    assert "Attendance and completion by course" in html and "Travellers without valid training" in html
    for name in REPORT_NAMES:
        assert f'data-report="{name}"' in html


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_chart_labels_of_areas_are_short_enough_to_be_read_whole(data, language):
    """The charts cut a label after 18 characters; courses and organisations are named by the office and
    cut where they must be (the numbers table shows them whole)."""
    with time_machine.travel(TODAY, tick=False), translation.override(language):
        found = training_panels(QUARTER)
    areas = found[0].charts[2]  # attendance and completion by area
    assert [label for label in areas.labels if len(label) > 18] == []


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


def test_each_report_as_csv_and_xlsx_holds_its_rows(data):
    for name in REPORT_NAMES:
        content, count = export(name, write_csv)
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        if REPORTS[name].personal_data:
            assert rows[: len(NOTICE)] == [[line] for line in NOTICE]
            rows = rows[len(NOTICE) :]
        expected = expected_rows(name, "zh-hans")
        assert rows[0] == labels(name, "zh-hans")
        assert count == len(expected) == len(rows) - 1 > 0
        with time_machine.travel(TODAY, tick=False):
            assert count == REPORTS[name].count(QUARTER)
        assert rows[1:] == [[cell(value) for value in row] for row in expected]

        content, count = export(name, write_xlsx, language="en")
        sheet = load_workbook(io.BytesIO(content), read_only=True).active
        rows = list(sheet.iter_rows(values_only=True))
        if REPORTS[name].personal_data:
            assert [row[0] for row in rows[: len(NOTICE)]] == list(NOTICE)
            rows = rows[len(NOTICE) :]
        assert list(rows[0]) == labels(name, "en")
        expected = expected_rows(name, "en")
        assert count == len(expected) == len(rows) - 1
        assert [[plain(value) for value in row] for row in rows[1:]] == [
            [None if value == "" else value for value in row] for row in expected
        ]


def plain(value):
    return value.date() if isinstance(value, datetime) else value


def test_the_enrolment_list_holds_every_enrolment_of_the_quarter(data, organization):
    rows = expected_rows("training_enrolments", "en")
    assert len(rows) == 9  # 8 places and the waiting list; the cancelled enrolment is left out
    by_trainee = {(row[2].split(" ")[0], row[3].split(" ")[0]): row for row in rows}
    a1 = by_trainee[("PD-01", "学员A1")]
    certificate = Certificate.objects.get(
        enrolment__session__course__code="PD-01", person=data["people"]["A1"]
    )
    assert a1[1] == date(2026, 4, 10) and a1[4] == organization.name_en and a1[5] == "Zhengzhou area"
    assert a1[6:] == ("Completed", "Register ticked by the office", certificate.number, date(2027, 4, 9))
    assert by_trainee[("PD-01", "学员A3")][6:] == ("On the waiting list", "", "", None)
    office = next(row for row in rows if row[2].startswith("OF-01"))
    assert office[4] == "Office staff" and office[5] == ""


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_each_report_as_pdf_in_chinese(data):
    for name in REPORT_NAMES:
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
        assert "学员" in whole or name == "training_rates"


def test_an_export_runs_through_the_shared_report_jobs(data, manager):
    manager.preferred_language = "en"
    manager.save(update_fields=["preferred_language"])
    with time_machine.travel(TODAY, tick=False), translation.override("en"):
        job = report_services.job_start(
            actor=manager,
            report="training_rates",
            format="csv",
            filters={"date_from": "2026-04-01", "date_to": "2026-06-30", "ftz_area": "luoyang"},
        )
        job = report_services.job_run(job_id=job.pk)
    assert job.state == JobState.DONE, job.error
    with job.file.open("rb") as handle:
        rows = list(csv.reader(io.StringIO(handle.read().decode("utf-8-sig"))))
    assert job.rows == len(rows) - 1
    by = {(row[0], row[1]): row[2:] for row in rows[1:]}
    assert by[("All", "All enrolments")] == ["3", "0", "3", "2", "66.7", "0", "0.0"]
    assert ("FTZ area", "Zhengzhou area") not in by
