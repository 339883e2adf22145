"""The start page's exchange tasks and tiles for leaders, officers, managers and the enterprises visited, in a
fixed number of queries whatever the data, and nothing for those concerned by none. The half year of
reporting_factories.py: today is 2026-07-01 10:00.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from exchanges.dashboard import exchanges as start_page_exchanges
from exchanges.models import Activity, MediaRequest
from exchanges.services import activities
from foreign_affairs.accounts.models import OrganizationKind
from foreign_affairs.accounts.roles import Role
from foreign_affairs.dashboard import Dashboard
from tests.factories import OrganizationFactory, UserFactory, enterprise_user, office_user

from .factories import activity, city, media_request, run
from .reporting_factories import TODAY, exchange_half_year

pytestmark = pytest.mark.django_db
ZONE = ZoneInfo("Asia/Shanghai")
# The user's roles and the roles they hold as a substitute (each read once for every provider of the start
# page), then the area's own: the activities, the reception checklist and the follow-up tasks for everyone of
# the office; the friendship cities for officers and managers; the interview requests for officers.
LEADER_QUERIES = 2 + 3
OFFICER_QUERIES = 2 + 5
MANAGER_QUERIES = 2 + 4
# The roles, the enterprise (the membership), the visits.
ENTERPRISE_QUERIES = 3


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


def start_page(user, queries, count, when=TODAY) -> Dashboard:
    board = Dashboard()
    user = type(user).objects.get(pk=user.pk)  # nothing cached
    with time_machine.travel(when, tick=False), queries(count):
        start_page_exchanges(user, board)
    return board


def change_url(item) -> str:
    return f"/admin/exchanges/activity/{item.pk}/change/"


def tasks_of(board) -> list[tuple[str, str, str]]:
    return [(task.tone, task.url, task.text) for task in board.tasks]


def tiles_of(board) -> dict:
    return {str(tile.label): (tile.value, tile.hint, tile.url) for tile in board.tiles}


def test_the_leader_sees_what_awaits_approval(data, leader, django_assert_num_queries):
    board = start_page(leader, django_assert_num_queries, LEADER_QUERIES)
    # A5 is proposed; A11, postponed, is not (it is proposed again when taken up).
    assert tasks_of(board) == [
        ("warning", "/admin/exchanges/activity/?state=proposed", "1 exchange activity awaits your approval.")
    ]
    assert board.tiles == []


def test_the_officers_tasks(data, officer, django_assert_num_queries):
    board = start_page(officer, django_assert_num_queries, OFFICER_QUERIES)
    assert tasks_of(board) == [
        (
            "danger",
            change_url(data["A9"]),
            "3 reception checklist items are yours to do; the first: Interpreters, for “A delegation of Saxony "
            "visits Kaifeng”, due on 30 Jun 2026.",
        ),
        (
            "danger",
            change_url(data["A1"]),
            "1 follow-up task of yours is overdue: Send the logistics study, for “Bavarian economic "
            "delegation visits the Zhengzhou area”, was due on 25 Jun 2026.",
        ),
        (
            "warning",
            change_url(data["A2"]),
            "1 follow-up task of yours is due within 7 days: Invite the region to the expo, for “Henan "
            "delegation meets Auvergne-Rhône-Alpes”, on 5 Jul 2026.",
        ),
        (
            "warning",
            "/admin/exchanges/activity/?state=held&owner=me&ends_on__lt=2026-06-17",
            "2 exchanges in your charge were held more than 14 days ago and are still to be reported.",
        ),
        (
            "warning",
            "/admin/exchanges/mediarequest/?state=requested",
            "2 interview requests from foreign journalists are to be arranged.",
        ),
        (
            "info",
            "/admin/exchanges/friendshipcity/?health=dormant",
            "2 friendship cities are dormant: no exchange for years.",
        ),
    ]
    assert board.tiles == []


def test_the_other_officer_sees_their_own_assignments(data, other_officer, django_assert_num_queries):
    board = start_page(other_officer, django_assert_num_queries, OFFICER_QUERIES)
    assert tasks_of(board)[:2] == [
        (
            "danger",
            change_url(data["A9"]),
            "1 reception checklist item is yours to do: Arrival and departure, for “A delegation of Saxony "
            "visits Kaifeng”, due on 29 Jun 2026.",
        ),
        (
            "warning",
            change_url(data["A2"]),
            "1 follow-up task of yours is due within 7 days: Translate the minutes, for “Henan delegation "
            "meets Auvergne-Rhône-Alpes”, on 3 Jul 2026.",
        ),
    ]
    # The activities held and not reported are the officer's in charge, not theirs.
    assert [task.text for task in board.tasks[2:]] == [
        "2 interview requests from foreign journalists are to be arranged.",
        "2 friendship cities are dormant: no exchange for years.",
    ]


def test_a_checklist_item_without_a_date_comes_last_and_is_named_when_alone(
    data, officer, django_assert_num_queries
):
    with time_machine.travel(TODAY, tick=False):
        for item in data["A9"].checklist.filter(kind="interpreters"):
            activities.checklist_update(item=item, actor=officer, data={"done": True})
        for item in data["A7"].checklist.filter(kind="gifts"):
            activities.checklist_update(item=item, actor=officer, data={"done": True})
    board = start_page(officer, django_assert_num_queries, OFFICER_QUERIES)
    assert tasks_of(board)[0] == (
        "info",
        change_url(data["A7"]),
        "1 reception checklist item is yours to do: Arrival and departure, for “Singaporean entrepreneurs "
        "visit the enterprise”.",
    )


def test_the_managers_figures(data, manager, django_assert_num_queries):
    board = start_page(manager, django_assert_num_queries, MANAGER_QUERIES)
    assert board.tasks == []
    held = "state=all&state__in=held%2Creported%2Cclosed&starts_on__gte=2026-01-01&starts_on__lte=2026-07-01"
    assert tiles_of(board) == {
        # A8 in March, and the five of the second quarter.
        "Exchanges held this year": (6, "held, reported or closed", f"/admin/exchanges/activity/?{held}"),
        "Free trade zone presented this year": (
            4,
            "in 67% of the exchanges held",
            f"/admin/exchanges/activity/?{held}&zone_presented__exact=1",
        ),
        "Dormant friendship cities": (
            2,
            "1 needs attention",
            "/admin/exchanges/friendshipcity/?health=dormant",
        ),
    }


def test_the_enterprise_visited_sees_its_upcoming_visits(
    data, applicant, liaison, other_applicant, django_assert_num_queries
):
    expected = {"Upcoming visits to your enterprise": (1, "the first on 20 Jul 2026", "/exchanges/visits/")}
    for user in (applicant, liaison):
        board = start_page(user, django_assert_num_queries, ENTERPRISE_QUERIES)
        assert board.tasks == [] and tiles_of(board) == expected
    # A1, which visited it in April, is over; the other enterprise is visited by none.
    assert start_page(other_applicant, django_assert_num_queries, ENTERPRISE_QUERIES).tiles == []
    # A visit under way says so.
    during = datetime(2026, 7, 21, 10, tzinfo=ZONE)
    board = start_page(applicant, django_assert_num_queries, ENTERPRISE_QUERIES, when=during)
    assert tiles_of(board)["Upcoming visits to your enterprise"][:2] == (1, "one is under way")


def test_a_proposed_visit_is_not_shown_to_the_enterprise(
    officer, leader, applicant, organization, django_assert_num_queries
):
    with time_machine.travel(TODAY, tick=False):
        proposed = activity(
            officer,
            starts_on=date(2026, 8, 1),
            ends_on=date(2026, 8, 2),
            enterprises_visited=[organization.pk],
        )
        cancelled = activity(
            officer,
            starts_on=date(2026, 8, 3),
            ends_on=date(2026, 8, 4),
            enterprises_visited=[organization.pk],
        )
        run(run(cancelled, leader, "approve"), officer, "cancel", comment="The guests could not come.")
    assert start_page(applicant, django_assert_num_queries, ENTERPRISE_QUERIES).tiles == []
    with time_machine.travel(TODAY, tick=False):
        run(proposed, leader, "approve")
    assert start_page(applicant, django_assert_num_queries, ENTERPRISE_QUERIES).tiles[0].value == 1


def test_those_concerned_by_nothing_see_nothing(db, django_assert_num_queries, django_assert_max_num_queries):
    for role in (Role.LEADER, Role.OFFICER):
        queries = LEADER_QUERIES if role == Role.LEADER else OFFICER_QUERIES
        board = start_page(office_user(role), django_assert_num_queries, queries)
        assert board.tasks == [] and board.tiles == []
    assert start_page(enterprise_user(), django_assert_num_queries, ENTERPRISE_QUERIES).tiles == []
    member = enterprise_user(OrganizationFactory(kind=OrganizationKind.FOREIGN))
    board = start_page(member, django_assert_num_queries, 2)  # roles, membership
    assert board.tasks == [] and board.tiles == []
    board = start_page(UserFactory(is_superuser=True, is_staff=True), django_assert_max_num_queries, 3)
    assert board.tasks == [] and board.tiles == []


def test_the_queries_do_not_grow_with_the_data(
    data, officer, leader, manager, applicant, organization, django_assert_num_queries
):
    with time_machine.travel(TODAY, tick=False):
        for index in range(4):
            item = activity(
                officer,
                starts_on=date(2026, 8, 1 + index),
                ends_on=date(2026, 8, 2 + index),
                enterprises_visited=[organization.pk],
            )
            for checklist_item in item.checklist.all()[:2]:
                activities.checklist_update(
                    item=checklist_item, actor=officer, data={"assignee": officer.pk, "due_on": "2026-07-10"}
                )
            run(item, leader, "approve")
            media_request()
            city(officer, foreign_name_en=f"Town {index}", established_on="2012-01-01")
        for held in Activity.objects.filter(state="held"):
            activities.follow_up_add(
                activity=held,
                actor=officer,
                data={"task": "Call back", "owner": officer.pk, "due_on": "2026-06-01"},
            )
    board = start_page(officer, django_assert_num_queries, OFFICER_QUERIES)
    assert board.tasks[0].text.startswith(
        "11 reception checklist items are yours to do; the first: Interpreters"
    )
    assert board.tasks[1].text.startswith("4 follow-up tasks of yours are overdue; the first:")
    assert MediaRequest.objects.filter(state="requested").count() == 6
    assert board.tasks[-1].text == "6 friendship cities are dormant: no exchange for years."
    start_page(leader, django_assert_num_queries, LEADER_QUERIES)
    start_page(manager, django_assert_num_queries, MANAGER_QUERIES)
    board = start_page(applicant, django_assert_num_queries, ENTERPRISE_QUERIES)
    assert tiles_of(board)["Upcoming visits to your enterprise"][:2] == (5, "the first on 20 Jul 2026")


def test_the_start_page_shows_each_roles_tasks(data, client, officer, leader, applicant, other_applicant):
    client.cookies["django_language"] = "en"
    pages = {}
    for user in (officer, leader, applicant, other_applicant):
        client.force_login(user)
        with time_machine.travel(TODAY, tick=False):
            response = client.get("/dashboard/")
        assert response.status_code == 200
        pages[user] = response.content.decode()
    assert "2 interview requests from foreign journalists are to be arranged." in pages[officer]
    assert 'href="/admin/exchanges/friendshipcity/?health=dormant"' in pages[officer]
    assert "awaits your approval" not in pages[officer]
    assert "1 exchange activity awaits your approval." in pages[leader]
    assert 'href="/admin/exchanges/activity/?state=proposed"' in pages[leader]
    assert "interview request" not in pages[leader]
    assert (
        "Upcoming visits to your enterprise" in pages[applicant]
        and 'href="/exchanges/visits/"' in pages[applicant]
    )
    assert "Upcoming visits to your enterprise" not in pages[other_applicant]


def test_the_links_open_the_lists_behind_them(
    data, client, officer, leader, manager, django_assert_num_queries, django_assert_max_num_queries
):
    pks = {key: data[key].pk for key in data if key.startswith("A")}
    boards = {
        officer: start_page(officer, django_assert_num_queries, OFFICER_QUERIES),
        leader: start_page(leader, django_assert_num_queries, LEADER_QUERIES),
        manager: start_page(manager, django_assert_num_queries, MANAGER_QUERIES),
    }
    found = {}
    for user, board in boards.items():
        client.force_login(user)
        for item in [*board.tasks, *board.tiles]:
            with time_machine.travel(TODAY, tick=False):
                response = client.get(item.url)
            assert response.status_code == 200, item.url
            if "cl" in response.context:
                found[item.url] = {row.pk for row in response.context["cl"].result_list}
    officer_urls = [task.url for task in boards[officer].tasks]
    assert found[officer_urls[3]] == {pks["A3"], pks["A4"]}
    assert found[officer_urls[4]] == {request.pk for request in data["media"]}
    assert found[officer_urls[5]] == {data["lyon"].pk, data["tours"].pk}
    assert found[boards[leader].tasks[0].url] == {pks["A5"]}
    held, presented, dormant = (tile.url for tile in boards[manager].tiles)
    assert found[held] == {pks[key] for key in ("A1", "A2", "A3", "A4", "A10", "A8")}
    assert found[presented] == {pks[key] for key in ("A1", "A2", "A4", "A8")}
    assert found[dormant] == {data["lyon"].pk, data["tours"].pk}
