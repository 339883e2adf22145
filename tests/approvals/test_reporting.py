"""The managers' travel figures and report rows, checked against a small fixture computed by hand.

Period: the first half of 2026. Zhengzhou (Z) and Luoyang (L) organisations:

    A1 Z  submitted 02-01, decided 02-05 (4 days)   closed          departs 03-10  Belt and Road, exhibition
    A2 Z  submitted 03-01, decided 03-03 (2 days)   permit issued   departs 04-15  report due 05-10 (overdue),
                                                                                   a passport due 05-01
    A3 L  submitted 04-01, decided 04-11 (10 days)  not approved
    A4 L  submitted 05-01, returned once, resubmitted, in review, overdue now
    A5 Z  submitted 2025-12-20, decided 01-10 (21 days), approved, departs 02-20
    A6 Z  draft
    A7 Z  permit issued, abroad now (left two days ago, back in four), two members

Decision days in the period: 2, 4, 10, 21 → median 7.0, 90th percentile 17.7 (interpolated).
Waiting steps left in the period: 8, of which 6 on time → 75 %.
Days in "awaiting endorsement": 0.5, 1, 1, 1, 2 → median 1.0, p90 1.6; "in review": 1.5, 3, 8 → median 3.0, p90 7.0.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from approvals.models import PassportHandover, StatePeriod
from approvals.reporting import (
    abroad_section,
    applications_section,
    approval_rows,
    delegation_rows,
    overdue_rows,
    trips_section,
)
from approvals.summary import rebuild
from approvals.workflow import State
from foreign_affairs.reports.filters import Filters
from tests.factories import OrganizationFactory

from .factories import ApplicationFactory

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
H1 = Filters(date(2026, 1, 1), date(2026, 6, 30))
MONTHS = ["January", "February", "March", "April", "May", "June"]
H1_LUOYANG = Filters(date(2026, 1, 1), date(2026, 6, 30), "luoyang")


def at(month, day, hour=10, year=2026):
    return datetime(year, month, day, hour, tzinfo=TZ)


def stay(application, state, entered, left, due):
    StatePeriod.objects.create(
        application=application, state=state, entered_at=entered, left_at=left, due_on=due
    )


@pytest.fixture
def fixture(officer):
    today = timezone.localdate()
    z = OrganizationFactory(ftz_area="zhengzhou", name_zh="郑州甲公司")
    lo = OrganizationFactory(ftz_area="luoyang", name_zh="洛阳乙公司")
    a1 = ApplicationFactory(
        organization=z,
        state=State.CLOSED,
        submitted_at=at(2, 1),
        decided_at=at(2, 5),
        belt_and_road=True,
        mission_type="exhibition",
        trip__departure=date(2026, 3, 10),
    )
    a2 = ApplicationFactory(
        organization=z,
        state=State.PERMIT_ISSUED,
        submitted_at=at(3, 1),
        decided_at=at(3, 3),
        report_due_on=date(2026, 5, 10),
        trip__departure=date(2026, 4, 15),
    )
    a3 = ApplicationFactory(
        organization=lo,
        state=State.REJECTED,
        submitted_at=at(4, 1),
        decided_at=at(4, 11),
        trip__departure=date(2026, 6, 1),
    )
    a4 = ApplicationFactory(
        organization=lo,
        state=State.IN_REVIEW,
        submitted_at=at(5, 3),
        due_on=today - timedelta(days=2),
        trip__departure=date(2026, 7, 1),
    )
    a4.submitted_at = at(5, 1)  # first received on 05-01 (the resubmission does not count again)
    a4.save(update_fields=["submitted_at"])
    a5 = ApplicationFactory(
        organization=z,
        state=State.APPROVED,
        submitted_at=at(12, 20, year=2025),
        decided_at=at(1, 10),
        trip__departure=date(2026, 2, 20),
    )
    ApplicationFactory(organization=z, state=State.DRAFT)
    a7 = ApplicationFactory(
        organization=z, state=State.PERMIT_ISSUED, trip__departure=today - timedelta(days=2), trip__members=2
    )
    stay(a1, State.SUBMITTED, at(2, 1), at(2, 2), date(2026, 2, 4))
    stay(a1, State.IN_REVIEW, at(2, 2), at(2, 5), date(2026, 2, 4))  # late
    stay(a2, State.SUBMITTED, at(3, 1), at(3, 1, 22), date(2026, 3, 4))
    stay(a2, State.IN_REVIEW, at(3, 1, 22), at(3, 3), date(2026, 3, 6))
    stay(a3, State.SUBMITTED, at(4, 1), at(4, 3), date(2026, 4, 3))  # left on its due day: on time
    stay(a3, State.IN_REVIEW, at(4, 3), at(4, 11), date(2026, 4, 10))  # late
    stay(a4, State.SUBMITTED, at(5, 1), at(5, 2), date(2026, 5, 6))
    stay(a4, State.RETURNED, at(5, 2), at(5, 3), None)
    stay(a4, State.SUBMITTED, at(5, 3), at(5, 4), date(2026, 5, 6))
    stay(a4, State.IN_REVIEW, at(5, 4), None, today - timedelta(days=2))
    member = a2.members.select_related("person").first()
    PassportHandover.objects.create(
        person=member.person,
        application=a2,
        passport_number=member.person.passport_number,
        handed_out_by=officer,
        handed_to=member.person.full_name,
        due_on=date(2026, 5, 1),
    )
    # The factories write the rows directly, past the services that keep the dashboard's daily summary.
    rebuild()
    return {"a1": a1, "a2": a2, "a3": a3, "a4": a4, "a5": a5, "a7": a7}


def figures(section) -> dict:
    return {str(figure.label): figure.value for figure in section.figures}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_application_figures(fixture):
    section = applications_section(H1)
    assert figures(section) == {
        "Applications received": 4,
        "Approved": 3,
        "Not approved": 1,
        "Returned for changes": 1,
        "Median time to a decision": 7.0,
        "90th percentile time to a decision": 17.7,
        "Decided within the service level": 75.0,
        "Overdue now": 1,
    }
    by_month, waiting = section.charts
    assert by_month.kind == "line" and by_month.labels == [f"{month} 2026" for month in MONTHS]
    assert by_month.series[0][1] == [0, 1, 1, 1, 1, 0]  # received: A1 to A4 (A5 was received in 2025)
    assert by_month.series[1][1] == [1, 1, 1, 1, 0, 0]  # decided: A5, A1, A2, A3
    assert "submitted_at__date__gte=2026-02-01" in by_month.urls[1]
    assert waiting.labels == ["Awaiting endorsement", "In review", "Awaiting leader sign-off"]
    assert waiting.series[0][1] == [1.0, 3.0, 0]
    assert waiting.series[1][1] == [1.6, 7.0, 0]


def test_application_figures_of_one_area(fixture):
    found = figures(applications_section(H1_LUOYANG))
    assert (found["Applications received"], found["Approved"], found["Not approved"]) == (2, 0, 1)
    assert found["Median time to a decision"] == 10.0
    assert found["Decided within the service level"] == 75.0  # 3 of A3 and A4's 4 steps
    assert found["Overdue now"] == 1


def test_trip_figures(fixture):
    section = trips_section(H1)
    assert figures(section) == {"Approved trips departing": 3, "Belt and Road share": 33.3}
    by_country, by_month, by_organization, by_mission = section.charts
    assert by_country.labels == ["Germany", "France"] and by_country.series[0][1] == [3, 3]  # ties by code
    assert by_month.series[0][1] == [0, 1, 1, 1, 0, 0]  # every month of the period, empty ones too
    assert "departure_date__lte=2026-02-28" in by_month.urls[1]
    assert by_organization.labels == [
        "Henan Test Enterprise" in by_organization.labels[0] and by_organization.labels[0]
    ]
    assert by_organization.series[0][1] == [3]
    assert dict(zip(by_mission.labels, by_mission.series[0][1], strict=True)) == {
        "Business negotiation": 2,
        "Exhibition or fair": 1,
    }
    assert all("country=" in url for url in by_country.urls)


def test_now_figures(fixture):
    assert figures(abroad_section(H1)) == {
        "Members abroad now": 2,
        "Returning within a week": 2,
        "Post-trip reports overdue": 1,
        "Passports overdue": 1,
    }
    assert figures(abroad_section(H1_LUOYANG))["Members abroad now"] == 0


def test_every_figure_links_to_a_list_that_the_back_office_accepts(fixture, client, officer):
    client.force_login(officer)
    sections = [applications_section(H1_LUOYANG), trips_section(H1), abroad_section(H1)]
    links = [figure.url for section in sections for figure in section.figures if figure.url]
    links += [url for section in sections for chart in section.charts for url in chart.urls]
    assert len(links) >= 15
    for url in links:
        response = client.get(url)
        assert response.status_code == 200, url
    received = client.get(applications_section(H1).figures[0].url)
    assert received.context["cl"].result_count == 4
    returned = client.get(applications_section(H1).figures[3].url)
    assert [row.reference for row in returned.context["cl"].result_list] == [fixture["a4"].reference]


def test_report_rows(fixture):
    rows = list(approval_rows(H1))
    assert [row[0] for row in rows] == [fixture[name].reference for name in ("a1", "a2", "a3", "a4")]
    assert rows[0][2] == "Zhengzhou area" and rows[0][9] == "Closed" and rows[0][5] == "Germany, France"
    assert rows[0][10] == date(2026, 2, 1) and rows[0][11] == date(2026, 2, 5)
    assert len(list(delegation_rows(H1))) == 9  # A1, A2 and A5, three members each
    overdue = list(overdue_rows(H1))
    assert [(row[0], row[1]) for row in overdue] == [
        ("Post-trip report", fixture["a2"].reference),
        ("Passport", fixture["a2"].reference),
    ]
    assert overdue[0][5] == (timezone.localdate() - date(2026, 5, 10)).days
