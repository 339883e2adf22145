"""The start page's cooperation-project tasks and tiles, for officers, leaders and the enterprises involved, in a
fixed number of queries whatever the data.

Today is 2026-07-01 10:00. The officer owns P1 (the applicant's enterprise's, published, next step due Jun 20:
overdue); the other officer owns P2 (the applicant's, in review), P3 (the applicant's draft) and P4 (the other
enterprise's, published, next step due Jun 1: overdue). Expressions of interest:

    P1  Apr 10 forwarded (an old lead) · Jun 20 forwarded (a new lead) · Jun 25 received (the officer's to forward)
    P4  Jun 28 forwarded (the other enterprise's new lead) · Jun 29 received
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from foreign_affairs.accounts.models import OrganizationKind
from foreign_affairs.accounts.roles import Role
from foreign_affairs.dashboard import Dashboard
from projects.dashboard import projects as start_page_projects
from projects.services import projects as services
from tests.factories import OrganizationFactory, enterprise_user, office_user

from .factories import project
from .test_reporting import at, entered_on, expressed, publish

pytestmark = pytest.mark.django_db
ZONE = ZoneInfo("Asia/Shanghai")
TODAY = datetime(2026, 7, 1, 10, tzinfo=ZONE)
# The user's roles (read once for every provider of the start page; a leader's substitutions too), the
# enterprise users' membership, then the provider's own: the projects and the expressions of interest.
OFFICER_QUERIES = 3
LEADER_QUERIES = 4
ENTERPRISE_QUERIES = 4


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def other_officer(db):
    return office_user(Role.OFFICER)


@pytest.fixture
def data(officer, other_officer, applicant, organization, other_organization):
    made = {}
    made["P1"] = entered_on(
        date(2026, 4, 1),
        officer,
        enterprises=[organization],
        next_step="Call",
        next_step_due=date(2026, 6, 20),
    )
    publish(made["P1"], officer, date(2026, 4, 2))
    with time_machine.travel(at(date(2026, 5, 4)), tick=False):
        made["P2"] = project(
            applicant, title_zh="郑州跨境电商合作", title_en="Cross-border e-commerce in Zhengzhou"
        )
        made["P3"] = project(applicant, title_zh="开封文创合作", title_en="Creative design in Kaifeng")
        services.publication_run(project=made["P2"], actor=applicant, name="submit_for_review")
        for key in ("P2", "P3"):
            services.project_assign(project=made[key], actor=officer, owner=other_officer)
    made["P4"] = entered_on(
        date(2026, 5, 10),
        other_officer,
        enterprises=[other_organization],
        next_step="Visit",
        next_step_due=date(2026, 6, 1),
    )
    publish(made["P4"], other_officer, date(2026, 5, 11))
    made["leads"] = [
        expressed(made["P1"], at(date(2026, 4, 10)), "forward", officer),
        expressed(made["P1"], at(date(2026, 6, 20)), "forward", officer),
        expressed(made["P1"], at(date(2026, 6, 25))),
        expressed(made["P4"], at(date(2026, 6, 28)), "forward", other_officer),
        expressed(made["P4"], at(date(2026, 6, 29))),
    ]
    return made


def start_page(user, queries, count, when=TODAY):
    board = Dashboard()
    user = type(user).objects.get(pk=user.pk)  # nothing cached
    with time_machine.travel(when, tick=False), queries(count):
        start_page_projects(user, board)
    return board


def test_the_officers_tasks_and_tiles(data, officer, django_assert_num_queries):
    board = start_page(officer, django_assert_num_queries, OFFICER_QUERIES)
    assert [(task.tone, task.url, task.text) for task in board.tasks] == [
        (
            "danger",
            "/admin/projects/cooperationproject/?overdue=yes&owner=me",
            "1 next step of your cooperation projects is overdue.",
        ),
        (
            "warning",
            "/admin/projects/cooperationproject/?publication=in_review",
            "1 cooperation project awaits publication review.",
        ),
        (
            "warning",
            "/admin/projects/interest/?state=received&owner=me",
            "1 expression of interest in your projects is to be forwarded to the enterprise.",
        ),
    ]
    tiles = {str(tile.label): (tile.value, tile.hint, tile.url) for tile in board.tiles}
    assert tiles == {
        "Open cooperation projects": (
            4,
            "1 in your charge",
            "/admin/projects/cooperationproject/?stage=open",
        ),
        "Projects in the public catalogue": (
            2,
            "1 awaiting review",
            "/admin/projects/cooperationproject/?publication=published",
        ),
        "Expressions of interest to forward": (
            2,
            "1 in your projects",
            "/admin/projects/interest/?state=received",
        ),
    }


def test_the_other_officer_counts_their_own(data, other_officer, django_assert_num_queries):
    board = start_page(other_officer, django_assert_num_queries, OFFICER_QUERIES)
    texts = [task.text for task in board.tasks]
    assert texts[0] == "1 next step of your cooperation projects is overdue."  # P4's, not P1's
    assert texts[-1] == "1 expression of interest in your projects is to be forwarded to the enterprise."
    tiles = {str(tile.label): tile for tile in board.tiles}
    assert tiles["Open cooperation projects"].hint == "3 in your charge"


def test_an_officer_with_nothing_to_do_has_no_tasks(officer, django_assert_num_queries):
    board = start_page(officer, django_assert_num_queries, OFFICER_QUERIES)
    assert board.tasks == []
    assert [tile.value for tile in board.tiles] == [0, 0, 0]


def test_the_queries_do_not_grow_with_the_data(data, officer, organization, django_assert_num_queries):
    for index in range(5):
        more = entered_on(
            date(2026, 6, 1 + index), officer, enterprises=[organization], next_step_due=date(2026, 6, 10)
        )
        publish(more, officer, date(2026, 6, 2 + index))
        expressed(more, at(date(2026, 6, 3 + index)))
    board = start_page(officer, django_assert_num_queries, OFFICER_QUERIES)
    assert board.tasks[0].text == "6 next steps of your cooperation projects are overdue."
    assert (
        board.tasks[-1].text
        == "6 expressions of interest in your projects are to be forwarded to the enterprises."
    )
    applicant = organization.memberships.first().user
    enterprise = start_page(applicant, django_assert_num_queries, ENTERPRISE_QUERIES)
    assert {str(tile.label): tile.value for tile in enterprise.tiles}["Our cooperation projects"] == 8


@pytest.mark.parametrize("role", [Role.LEADER, Role.MANAGER])
def test_leaders_and_managers_see_the_tiles_without_the_tasks(data, role, django_assert_num_queries):
    board = start_page(office_user(role), django_assert_num_queries, LEADER_QUERIES)
    assert board.tasks == []
    tiles = {str(tile.label): tile for tile in board.tiles}
    assert (tiles["Open cooperation projects"].value, tiles["Open cooperation projects"].hint) == (
        4,
        "2 with an overdue next step",
    )
    assert tiles["Expressions of interest to forward"].hint == ""


def test_the_enterprise_sees_its_new_leads_and_drafts(data, applicant, django_assert_num_queries):
    board = start_page(applicant, django_assert_num_queries, ENTERPRISE_QUERIES)
    assert [(task.tone, task.url, task.text) for task in board.tasks] == [
        ("info", "/projects/our/leads/", "1 new lead: a visitor is interested in your cooperation projects."),
        (
            "info",
            "/projects/our/?publication=draft",
            "1 draft of a cooperation project is not yet submitted for publication.",
        ),
    ]
    tiles = {str(tile.label): (tile.value, tile.hint, tile.url) for tile in board.tiles}
    assert tiles == {
        "Our cooperation projects": (3, "1 published", "/projects/our/"),
        "Leads": (2, "1 in the last 30 days", "/projects/our/leads/"),
    }


def test_another_enterprise_sees_only_its_own(data, other_applicant, liaison, django_assert_num_queries):
    board = start_page(other_applicant, django_assert_num_queries, ENTERPRISE_QUERIES)
    assert [task.text for task in board.tasks] == [
        "1 new lead: a visitor is interested in your cooperation projects."
    ]
    tiles = {str(tile.label): tile.value for tile in board.tiles}
    assert tiles == {"Our cooperation projects": 1, "Leads": 1}
    # The liaison of the applicant's enterprise sees the enterprise's, like the applicant.
    colleague = start_page(liaison, django_assert_num_queries, ENTERPRISE_QUERIES)
    assert {str(tile.label): tile.value for tile in colleague.tiles} == {
        "Our cooperation projects": 3,
        "Leads": 2,
    }


def test_a_lead_is_new_for_thirty_days(data, applicant, django_assert_num_queries):
    later = datetime(2026, 7, 21, 10, tzinfo=ZONE)
    board = start_page(applicant, django_assert_num_queries, ENTERPRISE_QUERIES, when=later)
    assert [task.url for task in board.tasks] == ["/projects/our/?publication=draft"]


def test_an_enterprise_without_projects_is_invited_to_enter_one(db, applicant, django_assert_num_queries):
    board = start_page(applicant, django_assert_num_queries, ENTERPRISE_QUERIES)
    assert board.tasks == []
    (projects_tile, leads_tile) = board.tiles
    assert projects_tile.value == 0 and projects_tile.hint == "Seeking partners abroad? Enter your project."
    assert leads_tile.value == 0


def test_members_of_a_foreign_organisation_see_nothing(data, django_assert_num_queries):
    member = enterprise_user(OrganizationFactory(kind=OrganizationKind.FOREIGN))
    board = start_page(member, django_assert_num_queries, 2)  # roles, membership
    assert board.tasks == [] and board.tiles == []


def test_the_start_page_shows_the_tasks(data, client, officer, applicant, other_applicant):
    client.cookies["django_language"] = "en"
    client.force_login(officer)
    with time_machine.travel(TODAY, tick=False):
        html = client.get("/dashboard/").content.decode()
    assert "1 cooperation project awaits publication review." in html
    assert 'href="/admin/projects/cooperationproject/?publication=in_review"' in html
    client.force_login(applicant)
    with time_machine.travel(TODAY, tick=False):
        html = client.get("/dashboard/").content.decode()
    assert "1 new lead: a visitor is interested in your cooperation projects." in html
    assert 'href="/projects/our/?publication=draft"' in html
    assert "awaits publication review" not in html


def test_the_officers_links_open_the_lists_behind_them(data, client, officer, django_assert_num_queries):
    board = start_page(officer, django_assert_num_queries, OFFICER_QUERIES)
    client.force_login(officer)
    found = {}
    with time_machine.travel(TODAY, tick=False):
        for item in [*board.tasks, *board.tiles]:
            response = client.get(item.url)
            assert response.status_code == 200, item.url
            found[item.url] = {row.pk for row in response.context["cl"].result_list}
    assert found["/admin/projects/cooperationproject/?overdue=yes&owner=me"] == {data["P1"].pk}
    assert found["/admin/projects/cooperationproject/?publication=in_review"] == {data["P2"].pk}
    assert found["/admin/projects/cooperationproject/?stage=open"] == {
        data[key].pk for key in ("P1", "P2", "P3", "P4")
    }
    # Every received expression of interest (the tile), and those in the officer's own projects (the task).
    assert found["/admin/projects/interest/?state=received"] == {data["leads"][2].pk, data["leads"][4].pk}
    mine = found["/admin/projects/interest/?state=received&owner=me"]
    assert len(mine) == 1 and mine < found["/admin/projects/interest/?state=received"]
