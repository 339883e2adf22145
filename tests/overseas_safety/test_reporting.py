"""The overseas-safety figures, report rows and start page, checked against incidents whose times are known.

Today is 2026-07-01 10:00 (Wednesday). Incidents (Z: Zhengzhou, L: Luoyang), each reported at 09:00 on its
day; minutes to acknowledge and hours to resolve after the report:

    #  org day     kind      level country  ack   resolve  state
    1  Z   Jun 3   security  II    NG        10    2        closed      (2 people: one injured, one safe)
    2  Z   Jun 10  security  III   NG        20    4        resolved
    3  Z   Jun 15  health    IV    ID        30    10       closed
    4  L   Jun 20  accident  III   PK        40    30       closed
    5  Z   Jun 25  disaster  II    BR        100   —        responding  (escalated: 30 minutes for level II)
    6  Z   Jun 25  disaster  II    BR        —     —        merged into 5 (a duplicate taken by phone)
    7  Z   Jun 30  other     IV    DE        —     —        reported    (4 working hours: due 13:00 on Jun 30)
    8  Z   May 28  security  IV    NG        15    1        closed

June: 6 incidents (6 is merged: counted apart), 2 of level I–II, 1 person harmed; acknowledged 10, 20, 30,
40, 100 minutes → median 30, 90th percentile 40 + 0.6 × 60 = 76; in time 4 of 5 (80 %); resolved in 2, 4,
10, 30 hours → median 7, 90th percentile 10 + 0.7 × 20 = 24. Now: open 5 and 7; 7 overdue.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from approvals.models import DelegationMember, ItineraryLeg
from approvals.workflow import State as TripState
from foreign_affairs.dashboard import Dashboard
from foreign_affairs.reports.filters import Filters
from overseas_safety.dashboard import overseas_safety
from overseas_safety.models import AlertRecipient, DutyShift, Incident, SafetyAlert, SendState
from overseas_safety.reporting import incident_rows, presence_by_country, presence_rows, safety_panels
from overseas_safety.services.incidents import incident_report
from overseas_safety.workflow import IncidentKind, Level, PersonStatus, State
from tests.approvals.factories import ApplicationFactory
from tests.factories import PersonFactory, office_user
from tests.overseas_safety.factories import SiteFactory, StationingFactory, report

pytestmark = pytest.mark.django_db
ZONE = ZoneInfo("Asia/Shanghai")
TODAY = datetime(2026, 7, 1, 10, tzinfo=ZONE)
JUNE = Filters(date(2026, 6, 1), date(2026, 6, 30))
MAY_JUNE = Filters(date(2026, 5, 1), date(2026, 6, 30))
JUNE_LUOYANG = Filters(date(2026, 6, 1), date(2026, 6, 30), "luoyang")


def incident(actor, organization, day, kind, level, country, *, state, ack=None, resolve=None, **data):
    """An incident reported through the service at 09:00 on `day`; then its state and times as the rows
    say (minutes to acknowledge, hours to resolve)."""
    at = datetime.combine(day, datetime.min.time(), tzinfo=ZONE).replace(hour=9)
    with time_machine.travel(at, tick=False):
        found = report(
            actor,
            organization,
            kind=kind,
            level=level,
            country=country,
            occurred_at=at - timedelta(minutes=5),
            **data,
        )
    fields = {"state": state}
    if ack is not None:
        fields["acknowledged_at"] = found.reported_at + timedelta(minutes=ack)
    if resolve is not None:
        fields["resolved_at"] = found.reported_at + timedelta(hours=resolve)
    Incident.objects.filter(pk=found.pk).update(**fields)
    return Incident.objects.get(pk=found.pk)


@pytest.fixture
def incidents(applicant, officer, other_organization):
    organization = applicant.organization
    hurt, safe = PersonFactory(organization=organization), PersonFactory(organization=organization)
    S, H, A, D, X = (IncidentKind.SECURITY, IncidentKind.HEALTH, IncidentKind.ACCIDENT, IncidentKind.DISASTER,
                     IncidentKind.OTHER)  # fmt: skip
    rows = {
        1: incident(
            applicant, organization, date(2026, 6, 3), S, Level.II, "NG", state=State.CLOSED, ack=10, resolve=2,
            people=[hurt.pk, safe.pk], statuses={hurt.pk: PersonStatus.INJURED, safe.pk: PersonStatus.SAFE},
        ),
        2: incident(applicant, organization, date(2026, 6, 10), S, Level.III, "NG", state=State.RESOLVED, ack=20,
                    resolve=4),
        3: incident(applicant, organization, date(2026, 6, 15), H, Level.IV, "ID", state=State.CLOSED, ack=30,
                    resolve=10),
        4: incident(officer, other_organization, date(2026, 6, 20), A, Level.III, "PK", state=State.CLOSED, ack=40,
                    resolve=30),
        5: incident(applicant, organization, date(2026, 6, 25), D, Level.II, "BR", state=State.RESPONDING, ack=100),
        7: incident(applicant, organization, date(2026, 6, 30), X, Level.IV, "DE", state=State.REPORTED),
        8: incident(applicant, organization, date(2026, 5, 28), S, Level.IV, "NG", state=State.CLOSED, ack=15,
                    resolve=1),
    }  # fmt: skip
    Incident.objects.filter(pk=rows[5].pk).update(escalated_at=rows[5].ack_due_at + timedelta(minutes=1))
    with time_machine.travel(rows[5].reported_at + timedelta(minutes=20), tick=False):
        duplicate = incident_report(
            actor=officer,
            organization=organization,
            data={
                "title": "Call: flood at the site",
                "kind": D,
                "level": Level.II,
                "country": "BR",
                "occurred_at": rows[5].occurred_at,
                "description": "The same flood, by phone.",
                "allow_duplicate": True,
            },
        )
    Incident.objects.filter(pk=duplicate.pk).update(state=State.MERGED, merged_into=rows[5])
    rows[6] = duplicate
    return rows


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def section(filters: Filters, key: str = "overseas_incidents"):
    with time_machine.travel(TODAY, tick=False):
        found = {section.key: section for section in safety_panels(filters)}[key]
    return found, {str(figure.label): figure.value for figure in found.figures}


def chart(found, title: str) -> dict:
    (match,) = [chart for chart in found.charts if str(chart.title) == title]
    return {label: values for label, values, _url in match.rows}


# The figures ---------------------------------------------------------------------------------------------


def test_incidents_by_month_kind_level_and_country(incidents):
    found, figures = section(JUNE)
    assert (figures["Incidents reported"], figures["Level I–II incidents"]) == (6, 2)
    assert figures["People harmed or in danger"] == 1
    assert figures["Duplicate reports merged"] == 1
    assert chart(found, "Incidents by kind") == {
        "Security (crime, terrorism, unrest)": [2],
        "Natural disaster": [1],
        "Accident": [1],
        "Health (illness, epidemic)": [1],
        "Other": [1],
    }
    assert [values[0] for values in chart(found, "Incidents by level").values()] == [0, 2, 2, 2]
    assert chart(found, "Incidents by country") == {
        "Nigeria": [2],
        "Brazil": [1],
        "Germany": [1],
        "Indonesia": [1],
        "Pakistan": [1],
    }
    months, _figures = section(MAY_JUNE)
    assert list(chart(months, "Incidents by month").values()) == [[1], [6]]


def test_times_to_acknowledge_and_to_resolve(incidents):
    found, figures = section(JUNE)
    assert figures["Median time to acknowledge"] == 30
    assert figures["90th percentile time to acknowledge"] == 76
    assert figures["Acknowledged in time"] == 80.0
    assert figures["Escalated to the leaders"] == 1
    assert figures["Median time to resolve"] == 7.0
    assert figures["90th percentile time to resolve"] == 24.0
    by_level = chart(found, "Minutes to acknowledge, by level")
    assert by_level["Level II: major"] == [55, 91]  # 10 and 100 minutes: median 55, p90 10 + 0.9 × 90
    assert by_level["Level I: especially major"] == [0, 0]


def test_what_is_open_now_whatever_the_period(incidents):
    _found, figures = section(Filters(date(2025, 1, 1), date(2025, 1, 31)))
    assert figures["Incidents reported"] == 0 and figures["Median time to acknowledge"] is None
    assert (figures["Open incidents now"], figures["Not acknowledged in time, now"]) == (2, 1)


def test_an_ftz_area_narrows_every_figure(incidents):
    _found, figures = section(JUNE_LUOYANG)
    assert figures["Incidents reported"] == 1
    assert figures["Median time to acknowledge"] == 40
    assert figures["Median time to resolve"] == 30.0
    assert (figures["Open incidents now"], figures["Duplicate reports merged"]) == (0, 0)


def test_every_figure_links_to_a_list_the_back_office_accepts(incidents, client, officer):
    client.force_login(officer)
    found, _figures = section(JUNE)
    links = [figure.url for figure in found.figures] + [url for chart in found.charts for url in chart.urls]
    with time_machine.travel(TODAY, tick=False):
        for url in links:
            assert client.get(url).status_code == 200, url
        reported = client.get(found.figures[0].url)
        overdue = client.get(found.figures[-1].url)
    assert {row.pk for row in reported.context["cl"].result_list} == {
        incidents[n].pk for n in (1, 2, 3, 4, 5, 7)
    }
    assert [row.pk for row in overdue.context["cl"].result_list] == [incidents[7].pk]


def test_report_rows(incidents):
    with time_machine.travel(TODAY, tick=False):
        rows = list(incident_rows(JUNE))
    assert [row[0] for row in rows] == [incidents[n].reference for n in (1, 2, 3, 4, 5, 7)]
    first = rows[0]
    assert first[3:6] == ("Security (crime, terrorism, unrest)", "Level II: major", "Nigeria")
    assert (first[7], first[8], first[9], first[10], first[11]) == (date(2026, 6, 3), 10, 2.0, 2, "Closed")
    assert rows[-1][8:10] == (None, None)


# People abroad -------------------------------------------------------------------------------------------


def trip(organization, country, people, first: date, last: date):
    application = ApplicationFactory(organization=organization, trip=False, state=TripState.APPROVED)
    ItineraryLeg.objects.create(
        application=application,
        position=0,
        country=country,
        city="Berlin",
        arrive_on=first,
        leave_on=last,
        host_organization="Host",
    )
    for index, person in enumerate(people):
        DelegationMember.objects.create(
            application=application, person=person, position_on_trip="团员", is_leader=index == 0
        )


def test_people_abroad_by_country_count_each_person_once(organization):
    day = TODAY.date()
    berlin = SiteFactory(organization=organization, country="DE", city="Berlin", chinese_staff_count=4)
    lagos = SiteFactory(organization=organization, country="NG")
    since = day - timedelta(days=30)
    stationed = StationingFactory(site=berlin, starts_on=since).person
    StationingFactory(site=lagos, starts_on=since)
    StationingFactory(site=lagos, starts_on=day + timedelta(days=1))  # not there yet
    trip(
        organization,
        "DE",
        [stationed, PersonFactory(organization=organization)],
        day,
        day + timedelta(days=3),
    )
    trip(
        organization,
        "FR",
        [PersonFactory(organization=organization)],
        day - timedelta(days=5),
        day - timedelta(1),
    )

    assert presence_by_country(day) == [("DE", 2), ("NG", 1)]
    assert presence_by_country(day, "luoyang") == []
    with time_machine.travel(TODAY, tick=False):
        rows = list(presence_rows(Filters(date(2026, 6, 1), date(2026, 12, 31))))
        _found, figures = section(Filters(date(2026, 6, 1), date(2026, 12, 31)), "overseas_presence")
    assert rows == [("Germany", 2, 1, 4), ("Nigeria", 1, 1, 12)]
    assert (figures["People abroad"], figures["Sites abroad in use"]) == (3, 2)


# The start page ------------------------------------------------------------------------------------------


def start_page(user, queries, count):
    dashboard = Dashboard()
    user = type(user).objects.get(pk=user.pk)  # nothing cached
    with time_machine.travel(TODAY, tick=False), queries(count):
        overseas_safety(user, dashboard)
    return dashboard


def test_the_officers_start_page(incidents, officer, django_assert_max_num_queries):
    dashboard = start_page(officer, django_assert_max_num_queries, 6)
    assert [(task.tone, "ack=overdue" in task.url) for task in dashboard.tasks] == [
        ("danger", True),
        ("warning", False),
    ]
    tiles = {str(tile.label): tile for tile in dashboard.tiles}
    assert tiles["Open incidents abroad"].value == 2
    assert tiles["Open incidents abroad"].hint == "Level I 0 · II 1 · III 0 · IV 1"
    assert tiles["Duty officer today"].value == "nobody"

    deputy = office_user("Officer")
    DutyShift.objects.create(day=TODAY.date(), officer=officer, deputy=deputy)
    dashboard = start_page(officer, django_assert_max_num_queries, 6)
    assert len(dashboard.tasks) == 1
    duty = {str(tile.label): tile for tile in dashboard.tiles}["Duty officer today"]
    assert duty.value == officer.get_full_name() and deputy.get_full_name() in duty.hint


def test_the_enterprises_start_page(
    incidents, applicant, other_applicant, officer, django_assert_max_num_queries
):
    alert = SafetyAlert.objects.create(
        reference="HNSA-2026-0001", country="NG", title="Elections", message="Stay in.", created_by=officer,
        state=SendState.SENT, answers_expire_at=TODAY + timedelta(days=3),
    )  # fmt: skip
    for person, answer in [
        (PersonFactory(organization=applicant.organization), ""),
        (PersonFactory(organization=applicant.organization), "safe"),
        (PersonFactory(organization=other_applicant.organization), ""),
    ]:
        AlertRecipient.objects.create(
            alert=alert, person=person, organization=person.organization, source="stationed", answer=answer
        )
    dashboard = start_page(applicant, django_assert_max_num_queries, 4)
    (task,) = dashboard.tasks
    assert task.tone == "danger" and task.text.startswith("1 of your people")
    (tile,) = dashboard.tiles
    assert (tile.value, tile.url) == (2, "/safety/incidents/?state=open")
    assert tile.hint == "1 not yet acknowledged by the office"

    other = start_page(other_applicant, django_assert_max_num_queries, 4)
    assert other.tiles[0].url == "/safety/incidents/report/"
    assert other.tasks[0].text.startswith("1 of your people")
