"""The start page's foreign-organisation tasks and tiles, for officers and for a registered organisation's
members, in a fixed number of queries whatever the data.

Today is 2026-07-01 10:00 (the annual reports on 2025 fell due on 31 March 2026). G filed on time, I has not
filed (overdue); C is an enquiry past its two working days, D a case being consulted on.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import formats, translation

from foreign_affairs.dashboard import Dashboard
from foreign_offices.dashboard import foreign_offices
from foreign_offices.models import ForeignOrganisation
from foreign_offices.services import annual, changes
from foreign_offices.workflow import OrganisationState
from tests.factories import office_user

from .factories import member_of
from .test_reporting import REPORT, at, carry, opened, received_on

pytestmark = pytest.mark.django_db
ZONE = ZoneInfo("Asia/Shanghai")
TODAY = datetime(2026, 7, 1, 10, tzinfo=ZONE)
# The user's membership and roles (read once for every provider of the start page), then the provider's own:
# officers the cases, the change requests, the report window and the registry; members their registry
# entry, the report window, the year's report and their change requests.
OFFICE_QUERIES = 6
MEMBER_QUERIES = 6


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def data(officer):
    made = {
        "C": received_on(date(2026, 6, 22), "Gamma", "FR"),
        "D": carry(received_on(date(2026, 6, 29), "Delta", "IT"), officer, date(2026, 6, 30), "consult"),
    }
    for key, name, registered in [("G", "Golf", date(2025, 3, 2)), ("I", "India", date(2025, 9, 1))]:
        made[key] = opened(
            received_on(date(2025, 1, 6), name, "US"), officer, registered, registered
        ).organisation
    with time_machine.travel(at(date(2026, 3, 10)), tick=False):
        annual.report_submit(organisation=made["G"], actor=member_of(made["G"]), year=2025, data=REPORT)
    return made


def start_page(user, queries, count, when=TODAY):
    dashboard = Dashboard()
    user = type(user).objects.get(pk=user.pk)  # nothing cached
    with time_machine.travel(when, tick=False), queries(count):
        foreign_offices(user, dashboard)
    return dashboard


def test_the_officers_start_page(data, officer, django_assert_max_num_queries):
    dashboard = start_page(officer, django_assert_max_num_queries, OFFICE_QUERIES)
    tasks = [(task.tone, task.url) for task in dashboard.tasks]
    assert tasks == [
        ("danger", "/admin/foreign_offices/setupcase/?overdue=yes"),
        ("warning", "/admin/foreign_offices/setupcase/?state=enquiry"),
        ("danger", "/admin/foreign_offices/foreignorganisation/?report_overdue=yes"),
    ]
    assert dashboard.tasks[0].text == "1 setting-up case is past its deadline."
    assert dashboard.tasks[2].text == "1 foreign organisation has not filed its annual report on 2025."
    tiles = {str(tile.label): tile for tile in dashboard.tiles}
    assert tiles["Open setting-up cases"].value == 2
    assert tiles["Open setting-up cases"].hint == "2 in your charge"
    assert tiles["Foreign organisations in the registry"].value == 2
    assert tiles["Annual reports on 2025 filed"].value == 1
    assert tiles["Annual reports on 2025 filed"].hint == "of 2 organisations owing one, due on 31 Mar 2026"


def test_waiting_change_requests_and_expiring_registrations_reach_the_officer(
    data, officer, django_assert_max_num_queries
):
    with time_machine.travel(TODAY, tick=False):
        changes.change_submit(
            organisation=data["I"],
            actor=member_of(data["I"]),
            kind="address",
            proposed={"address": "郑州市郑东新区商务外环路1号"},
        )
    ForeignOrganisation.objects.filter(pk=data["G"].pk).update(registration_valid_until=date(2026, 8, 1))
    dashboard = start_page(officer, django_assert_max_num_queries, OFFICE_QUERIES)
    by_url = {task.url: task for task in dashboard.tasks}
    waiting = by_url["/admin/foreign_offices/changerequest/?state=submitted"]
    assert waiting.tone == "warning" and waiting.text.startswith("1 change request")
    expiring = by_url["/admin/foreign_offices/foreignorganisation/?registration=expiring"]
    assert expiring.text == "1 foreign organisation's registration expires within 90 days."


def test_the_officers_queries_do_not_grow_with_the_data(data, officer, django_assert_max_num_queries):
    for index in range(5):
        received_on(date(2026, 6, 1 + index), f"More{index}", "NL")
    dashboard = start_page(officer, django_assert_max_num_queries, OFFICE_QUERIES)
    assert {str(tile.label): tile.value for tile in dashboard.tiles}["Open setting-up cases"] == 7


def test_leaders_see_the_figures_without_the_tasks(data, django_assert_max_num_queries):
    leader = office_user("Leader")
    dashboard = start_page(leader, django_assert_max_num_queries, OFFICE_QUERIES + 1)  # + substitutions
    assert dashboard.tasks == []
    tiles = {str(tile.label): tile for tile in dashboard.tiles}
    assert tiles["Open setting-up cases"].hint == "1 past its deadline"


def test_enterprise_users_see_nothing_of_foreign_organisations(
    data, applicant, django_assert_max_num_queries
):
    dashboard = start_page(applicant, django_assert_max_num_queries, 3)
    assert dashboard.tasks == [] and dashboard.tiles == []


def test_a_member_whose_report_is_overdue(data, django_assert_max_num_queries):
    member = member_of(data["I"])
    dashboard = start_page(member, django_assert_max_num_queries, MEMBER_QUERIES)
    (task,) = dashboard.tasks
    assert (task.tone, task.url) == ("danger", "/foreign-offices/my/")
    assert task.text == "Your annual report on 2025 is overdue: it was due on 31 Mar 2026. File it now."
    (tile,) = dashboard.tiles
    assert (str(tile.label), tile.value) == ("Change requests waiting", 0)

    with time_machine.travel(TODAY, tick=False):
        changes.change_submit(
            organisation=data["I"],
            actor=member,
            kind="staff",
            proposed={"staff_foreign": 2, "staff_local": 9},
        )
    (tile,) = start_page(member, django_assert_max_num_queries, MEMBER_QUERIES).tiles
    assert tile.value == 1


def test_a_member_before_the_due_date_and_after_filing(data, django_assert_max_num_queries):
    member = member_of(data["I"])
    dashboard = start_page(member, django_assert_max_num_queries, MEMBER_QUERIES, at(date(2026, 3, 20)))
    (task,) = dashboard.tasks
    assert task.tone == "warning"
    assert task.text == "Your annual report on 2025 is due on 31 Mar 2026, in 11 days."
    early = start_page(member, django_assert_max_num_queries, MEMBER_QUERIES, at(date(2026, 1, 5)))
    assert early.tasks[0].tone == "info" and "in 85 days" in early.tasks[0].text
    filed = start_page(member_of(data["G"]), django_assert_max_num_queries, MEMBER_QUERIES)
    assert filed.tasks == []


def test_a_returned_report_asks_for_corrections(data, officer, django_assert_max_num_queries):
    report = data["G"].annual_reports.get()
    with time_machine.travel(at(date(2026, 3, 12)), tick=False):
        annual.report_transition(report=report, actor=officer, name="return_for_changes", comment="Staff?")
    (task,) = start_page(member_of(data["G"]), django_assert_max_num_queries, MEMBER_QUERIES).tasks
    assert task.tone == "warning" and "returned your annual report on 2025" in task.text


def test_a_closed_organisation_owes_nothing(data, django_assert_max_num_queries):
    ForeignOrganisation.objects.filter(pk=data["I"].pk).update(
        state=OrganisationState.CLOSED, closed_on=date(2026, 2, 1)
    )
    dashboard = start_page(member_of(data["I"]), django_assert_max_num_queries, MEMBER_QUERIES)
    assert dashboard.tasks == []


def test_the_due_date_reads_as_a_chinese_date_in_chinese(data, django_assert_max_num_queries):
    with translation.override("zh-hans"):
        dashboard = start_page(member_of(data["I"]), django_assert_max_num_queries, MEMBER_QUERIES)
        due = formats.date_format(date(2026, 3, 31), "DATE_FORMAT")
    assert due == "2026年3月31日"
    assert due in dashboard.tasks[0].text and "2026-03-31" not in dashboard.tasks[0].text


def test_the_officers_links_open_the_lists_behind_them(data, officer, client, django_assert_max_num_queries):
    with time_machine.travel(TODAY, tick=False):
        changes.change_submit(
            organisation=data["I"],
            actor=member_of(data["I"]),
            kind="staff",
            proposed={"staff_foreign": 1, "staff_local": 4},
        )
    ForeignOrganisation.objects.filter(pk=data["G"].pk).update(registration_valid_until=date(2026, 8, 1))
    dashboard = start_page(officer, django_assert_max_num_queries, OFFICE_QUERIES)
    client.force_login(officer)
    found = {}
    with time_machine.travel(TODAY, tick=False):
        for item in [*dashboard.tasks, *dashboard.tiles]:
            response = client.get(item.url)
            assert response.status_code == 200, item.url
            found[item.url] = {row.pk for row in response.context["cl"].result_list}
    assert found["/admin/foreign_offices/setupcase/?overdue=yes"] == {data["C"].pk}
    assert found["/admin/foreign_offices/foreignorganisation/?report_overdue=yes"] == {data["I"].pk}
    assert found["/admin/foreign_offices/foreignorganisation/?registration=expiring"] == {data["G"].pk}
    assert len(found["/admin/foreign_offices/changerequest/?state=submitted"]) == 1
