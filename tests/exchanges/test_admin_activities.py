"""The back office of exchange activities: the queue (tabs, filters, search, a leader's first view), the
calendar, an officer proposing and changing an activity, the lifecycle's buttons for the right role and
their refusals for the wrong one, the agenda's editor, the reception checklist, documents, outcomes, linked
travel applications, what leaders and managers may not do, who cannot reach the back office at all, and lists
whose queries do not grow with their rows."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from exchanges.models import Activity, ActivityDocument, AgendaItem, ChecklistItem, FollowUp
from exchanges.services import activities as services
from exchanges.workflow import State
from foreign_affairs.accounts.roles import Role
from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.notifications.models import Notification
from tests.approvals.factories import ApplicationFactory
from tests.factories import OrganizationFactory, enterprise_user, office_user

from .factories import ACTIVITY, activity, days, run

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:exchanges_activity_changelist")
ADD = reverse("admin:exchanges_activity_add")
CALENDAR = reverse("admin:exchanges_activity_calendar")


def url(item, name="change"):
    return reverse(f"admin:exchanges_activity_{name}", args=[item.pk])


def rows(page) -> list:
    assert page.status_code == 200, (page.status_code, page.get("Location"), page.content[:300])
    return list(page.context["cl"].result_list)


def messages_of(page) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in page.context["messages"]]


def buttons(page) -> list[str]:
    return [button["name"] for button in page.context["group"]["buttons"]]


def press(client, item, name, comment=""):
    return client.post(url(item, "transition"), {"transition": name, "comment": comment}, follow=True)


def state_of(item) -> str:
    return Activity.objects.values_list("state", flat=True).get(pk=item.pk)


def png(name="photo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def form_data(**changes) -> dict:
    """The activity's form as posted (code sets as lists, dates as text)."""
    data = {
        **ACTIVITY,
        "starts_on": days(20).isoformat(),
        "ends_on": days(22).isoformat(),
        "owner": "",
        "friendship_city": "",
        "enterprises_visited": [],
        "zone_presented": "on",
        "briefing_by": "自贸区郑州片区管委会",
        "materials": "",
        "public": "",
        "delegation_size": "8",
    }
    data.update(changes)
    return data


# The queue --------------------------------------------------------------------------------------------------


def test_the_queue_opens_on_planned_activities_by_first_day_with_their_checklist(client, officer, leader):
    later = activity(officer, starts_in=30)
    sooner = activity(officer, starts_in=5, direction="outgoing", country="FR", kind="provincial_exchange")
    held = run(activity(officer, starts_in=0), leader, "approve")
    held = run(held, officer, "confirm", "hold")
    item = ChecklistItem.objects.filter(activity=later).order_by("order").first()
    services.checklist_update(item=item, actor=officer, data={"done": True})
    client.force_login(officer)
    page = client.get(QUEUE)
    assert rows(page) == [sooner, later]  # planned only, the first day first
    html = page.content.decode()
    assert 'data-checklist="1/7"' in html  # the incoming visit; the delegation abroad has no checklist
    assert "德国" in html and "Dr. Anna Huber" in html and 'data-state="proposed"' in html
    tabs = {tab["key"]: tab for tab in page.context["tabs"]}
    assert tabs["planned"]["current"] and next(iter(tabs)) == "planned"
    assert rows(client.get(tabs["report"]["url"])) == [held]
    assert rows(client.get(tabs["all"]["url"])) == [later, sooner, held]  # the latest first
    assert rows(client.get(tabs["approve"]["url"])) == [sooner, later]


def test_the_queue_filters_and_searches(client, officer):
    other_officer = office_user(Role.OFFICER)
    visit = activity(officer, starts_in=3)
    abroad = activity(
        other_officer,
        starts_in=40,
        kind="friendship_city",
        direction="outgoing",
        country="JP",
        ftz_areas=["luoyang"],
        focus=["plans"],
        title_zh="洛阳友城交流",
        title_en="Luoyang friendship exchange",
        foreign_organisation="Okayama Prefecture",
        head_name="Taro Yamada",
        owner=other_officer.pk,
    )
    past = run(activity(officer, starts_in=-5, length=1), officer, "cancel", comment="Weather.")
    client.force_login(officer)
    assert rows(client.get(QUEUE, {"kind": "friendship_city"})) == [abroad]
    assert rows(client.get(QUEUE, {"direction": "incoming"})) == [visit]
    assert rows(client.get(QUEUE, {"area": "luoyang"})) == [abroad]
    assert rows(client.get(QUEUE, {"area": "zhengzhou"})) == [visit]
    assert rows(client.get(QUEUE, {"focus": "plans"})) == [abroad]
    assert rows(client.get(QUEUE, {"focus": "platforms"})) == [visit]
    assert rows(client.get(QUEUE, {"owner": "me"})) == [visit]
    assert rows(client.get(QUEUE, {"period": "next3"})) == [visit, abroad]
    assert rows(client.get(QUEUE, {"period": "past"})) == [past]  # a period looks through every state
    assert rows(client.get(QUEUE, {"country": "JP"})) == [abroad]
    assert "日本" in client.get(QUEUE).content.decode()  # the country filter names the countries in use
    assert rows(client.get(QUEUE, {"q": abroad.reference})) == [abroad]
    assert rows(client.get(QUEUE, {"q": "Okayama"})) == [abroad]
    assert rows(client.get(QUEUE, {"q": "yamada"})) == [abroad]
    assert rows(client.get(QUEUE, {"q": "友城"})) == [abroad]
    assert rows(client.get(QUEUE, {"q": past.reference})) == [past]  # a search looks through every state


def test_the_this_month_tab_shows_what_takes_place_this_month(client, officer):
    today = timezone.localdate()
    now = activity(officer, starts_in=0)
    next_year = activity(officer, starts_in=400)
    client.force_login(officer)
    tabs = {tab["key"]: tab for tab in client.get(QUEUE).context["tabs"]}
    found = rows(client.get(tabs["month"]["url"]))
    assert now in found and next_year not in found
    assert all(item.starts_on.month == today.month or item.ends_on.month == today.month for item in found)


def test_a_leader_opens_the_queue_on_what_awaits_approval(client, officer, leader):
    proposed = activity(officer, starts_in=10)
    approved = run(activity(officer, starts_in=5), leader, "approve")
    client.force_login(leader)
    page = client.get(QUEUE)
    assert rows(page) == [proposed]
    tabs = page.context["tabs"]
    assert tabs[0]["key"] == "approve" and tabs[0]["current"]
    planned = {tab["key"]: tab for tab in tabs}["planned"]
    assert rows(client.get(planned["url"])) == [approved, proposed]
    assert "add_url" in page.context and not page.context["add_url"]  # leaders do not propose


def test_the_queue_and_the_calendar_take_the_same_queries_for_many_rows(
    client, officer, django_assert_max_num_queries
):
    for n in range(3):
        activity(officer, starts_in=n + 1)
    client.force_login(officer)
    with django_assert_max_num_queries(30) as few:
        assert len(rows(client.get(QUEUE))) == 3
    with django_assert_max_num_queries(30) as few_calendar:
        assert client.get(CALENDAR).status_code == 200
    enterprise = OrganizationFactory()
    for n in range(20):
        activity(officer, starts_in=(n % 25) + 1, enterprises_visited=[enterprise.pk])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(rows(client.get(QUEUE))) == 23
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(rows(client.get(QUEUE, {"state": "all", "q": "Bavarian"}))) == 23
    with django_assert_max_num_queries(len(few_calendar.captured_queries)):
        assert client.get(CALENDAR).status_code == 200


# The calendar -----------------------------------------------------------------------------------------------


def test_the_calendar_shows_each_activity_on_its_days_in_its_state_colour(client, officer, leader):
    first = timezone.localdate().replace(day=1) + timedelta(days=40)
    month = first.replace(day=1)
    start = month + timedelta(days=9)  # the 10th
    visit = activity(officer, starts_on=start, ends_on=start + timedelta(days=2))
    visit = run(visit, leader, "approve")
    cancelled = run(
        activity(officer, starts_on=start, ends_on=start),
        officer,
        "cancel",
        comment="The guests cannot come.",
    )
    client.force_login(officer)
    page = client.get(CALENDAR, {"month": f"{month:%Y-%m}"})
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count(f'data-activity="{visit.reference}"') == 3  # the 10th, 11th and 12th
    assert 'data-state="approved"' in html and "state-progress" in html
    assert cancelled.reference not in html  # only when asked for
    assert (
        cancelled.reference
        in client.get(CALENDAR, {"month": f"{month:%Y-%m}", "cancelled": "1"}).content.decode()
    )
    cells = {cell.day: cell for week in page.context["month"].weeks for cell in week}
    assert [a.pk for a in cells[start].activities] == [visit.pk]
    assert not cells[start + timedelta(days=3)].activities
    assert page.context["month"].weeks[0][0].day.weekday() == 0  # Monday first
    # A month that is no month shows this one; the queue links to the calendar.
    assert client.get(CALENDAR, {"month": "2026-13"}).context["month"].first == timezone.localdate().replace(
        day=1
    )
    assert client.get(CALENDAR, {"month": "<script>"}).status_code == 200
    assert CALENDAR in client.get(QUEUE).content.decode()


# Proposing and changing ------------------------------------------------------------------------------------


def test_an_officer_proposes_an_activity_with_its_groups_and_the_leaders_hear_of_it(client, officer, leader):
    enterprise = OrganizationFactory(name_zh="郑州航空港物流有限公司")
    client.force_login(officer)
    page = client.get(ADD)
    assert page.status_code == 200
    titles = [str(title) for title, _hint, _fields in page.context["form"].section_rows()]
    assert len(titles) == 5  # the outcomes come later
    html = page.content.decode()
    assert 'type="checkbox" name="ftz_areas"' in html and 'type="checkbox" name="focus"' in html
    assert reverse("admin:exchanges_activity_enterprises") in html
    response = client.post(
        ADD, form_data(ftz_areas=["zhengzhou", "kaifeng"], enterprises_visited=[str(enterprise.pk)])
    )
    item = Activity.objects.get()
    assert response.status_code == 302 and response["Location"] == url(item)
    assert item.state == State.PROPOSED and item.owner == officer and item.zone_presented
    assert item.area_codes == ["zhengzhou", "kaifeng"] and item.focus_codes == ["platforms", "connectivity"]
    assert list(item.enterprises_visited.all()) == [enterprise]
    assert item.checklist.count() == 7  # a visit to Henan gets its reception checklist
    assert Notification.objects.filter(recipient=leader).exists()
    # The enterprises' autocomplete finds the enterprise by a part of its name.
    found = client.get(reverse("admin:exchanges_activity_enterprises"), {"term": "航空港"}).json()
    assert [row["id"] for row in found["results"]] == [str(enterprise.pk)]


def test_the_form_keeps_what_was_typed_and_says_what_is_wrong_beside_the_field(client, officer):
    client.force_login(officer)
    page = client.post(ADD, form_data(ends_on=days(10).isoformat(), title_zh="", title_en="", venue="某宾馆"))
    assert page.status_code == 200 and not Activity.objects.exists()
    errors = page.context["form"].errors
    assert "ends_on" in errors and "title_zh" in errors  # the service's rules, beside their fields
    html = page.content.decode()
    assert 'data-testid="error-summary"' in html and 'value="某宾馆"' in html
    page = client.post(ADD, form_data(country="CN"))
    assert "country" in page.context["form"].errors and not Activity.objects.exists()


def test_an_officer_changes_an_activity_and_writes_its_outcomes_there(client, officer):
    item = activity(officer)
    client.force_login(officer)
    page = client.get(url(item))
    assert page.context["edit_url"] == url(item, "edit")
    edit = client.get(url(item, "edit"))
    assert edit.status_code == 200 and len(edit.context["form"].section_rows()) == 6
    response = client.post(
        url(item, "edit"),
        form_data(
            starts_on=item.starts_on.isoformat(),
            ends_on=item.ends_on.isoformat(),
            venue="郑州国际会展中心",
            ftz_areas=["zhengzhou"],
            focus=["platforms", "connectivity"],
        ),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.venue == "郑州国际会展中心" and item.zone_presented
    event = AuditEvent.objects.filter(action="exchange_activity.update", object_id=str(item.pk)).get()
    assert "venue" in event.data["fields"]
    assert "郑州国际会展中心" in client.get(url(item)).content.decode()


# The lifecycle's buttons -----------------------------------------------------------------------------------


def test_a_leader_approves_and_an_officer_may_not(client, officer, leader):
    item = activity(officer)
    client.force_login(officer)
    assert "approve" not in buttons(client.get(url(item)))
    page = press(client, item, "approve")
    assert page.status_code == 200 and state_of(item) == State.PROPOSED
    assert messages_of(page)[-1][0] == "error"
    client.force_login(leader)
    page = client.get(url(item))
    assert buttons(page)[0] == "approve" and "edit_url" in page.context and not page.context["edit_url"]
    page = press(client, item, "approve")
    assert state_of(item) == State.APPROVED
    assert messages_of(page)[-1][0] == "success"
    assert "exchange_activity.approve" in page.content.decode() or page.context["events"][-1].action.endswith(
        "approve"
    )


def test_the_lifecycle_through_the_buttons_and_its_refusals(client, officer, leader, manager):
    item = run(activity(officer, starts_in=0, length=1), leader, "approve")
    client.force_login(manager)
    page = client.get(url(item))
    assert page.status_code == 200 and buttons(page) == []  # managers read
    page = press(client, item, "cancel", comment="No.")
    assert state_of(item) == State.APPROVED and messages_of(page)[-1][0] == "error"
    client.force_login(officer)
    page = press(client, item, "cancel")  # a reason is required
    assert state_of(item) == State.APPROVED and messages_of(page)[-1][0] == "error"
    press(client, item, "confirm")
    press(client, item, "hold")
    assert state_of(item) == State.HELD
    page = client.get(url(item))
    assert "report" in buttons(page)
    assert page.context["group"]["notes"]  # "write the outcomes first", said before the button is pressed
    page = press(client, item, "report")
    assert state_of(item) == State.HELD and messages_of(page)[-1][0] == "error"
    assert "outcomes" in messages_of(page)[-1][1].lower() or "成果" in messages_of(page)[-1][1]
    client.post(url(item, "outcomes"), {"outcomes-outcome_summary_zh": "签署物流合作备忘录一份。"})
    assert not client.get(url(item)).context["group"]["notes"]
    press(client, item, "report")
    assert state_of(item) == State.REPORTED
    client.force_login(leader)
    page = press(client, item, "close")
    assert state_of(item) == State.CLOSED
    assert not page.context["edit_url"]
    assert [event.action for event in page.context["events"]][-1] == "exchange_activity.close"


def test_holding_before_the_first_day_is_refused_with_the_reason(client, officer, leader):
    item = run(activity(officer, starts_in=5), leader, "approve")
    item = run(item, officer, "confirm")
    client.force_login(officer)
    page = press(client, item, "hold")
    assert state_of(item) == State.CONFIRMED
    assert messages_of(page)[-1][0] == "error"


def test_a_cancellation_asks_for_confirmation_and_keeps_the_reason_after_a_refusal(client, officer, leader):
    item = activity(officer)
    client.force_login(officer)
    page = client.get(url(item))
    cancel = next(b for b in page.context["group"]["buttons"] if b["name"] == "cancel")
    assert cancel["destructive"] and cancel["confirm"] and cancel["comment"] == "required"
    press(client, item, "cancel", comment="The delegation postponed its trip.")
    assert state_of(item) == State.CANCELLED
    page = client.get(url(item))
    assert buttons(page) == [] and not page.context["edit_url"] and not page.context["agenda_url"]
    # Pressed again (another tab): a message, nothing changes, no error page.
    page = press(client, item, "postpone", comment="Later.")
    assert page.status_code == 200 and messages_of(page)[-1][0] == "warning"


def test_enterprise_users_and_strangers_have_no_back_office(client, officer, applicant):
    item = activity(officer, enterprises_visited=[applicant.organization.pk])
    for target in (QUEUE, CALENDAR, url(item), url(item, "edit")):
        assert client.get(target).status_code == 302  # the admin's sign-in
    client.force_login(applicant)
    for target in (QUEUE, CALENDAR, url(item), ADD):
        response = client.get(target)
        assert response.status_code == 302 and "login" in response["Location"]
    response = client.post(url(item, "transition"), {"transition": "cancel", "comment": "x"})
    assert response.status_code == 302 and state_of(item) == State.PROPOSED


def test_leaders_and_managers_may_not_change_or_add(client, officer, leader, manager):
    item = activity(officer)
    for user in (leader, manager):
        client.force_login(user)
        assert client.get(ADD).status_code == 403
        assert client.get(url(item, "edit")).status_code == 403
        assert client.get(url(item, "agenda")).status_code == 403
        assert (
            client.post(
                url(item, "checklist/add".replace("/", "_")), {"checklist-add-label": "x"}
            ).status_code
            == 403
        )
        page = client.get(url(item))
        assert (
            page.status_code == 200 and page.context["staff"] == [] and page.context["document_form"] is None
        )
    assert ChecklistItem.objects.filter(activity=item).count() == 7


# The agenda -----------------------------------------------------------------------------------------------


def agenda_post(rows_, *, initial=0) -> dict:
    data = {
        "agenda-TOTAL_FORMS": str(len(rows_)),
        "agenda-INITIAL_FORMS": str(initial),
        "agenda-MIN_NUM_FORMS": "0",
        "agenda-MAX_NUM_FORMS": "200",
    }
    for index, row in enumerate(rows_):
        for key, value in row.items():
            data[f"agenda-{index}-{key}"] = value
    return data


def test_the_agenda_editor_saves_rows_and_refuses_a_day_outside_the_dates(client, officer):
    item = activity(officer, starts_in=10, length=1)
    first, last = item.starts_on, item.ends_on
    client.force_login(officer)
    page = client.get(url(item, "agenda"))
    assert page.status_code == 200 and len(page.context["formset"].forms) == 3
    good = {
        "day": first.isoformat(),
        "starts_at": "09:00",
        "ends_at": "10:30",
        "title_zh": "会见",
        "place": "省政府",
    }
    outside = {
        "day": (last + timedelta(days=3)).isoformat(),
        "starts_at": "14:00",
        "title_en": "Factory visit",
    }
    page = client.post(url(item, "agenda"), agenda_post([good, outside, {}]))
    assert page.status_code == 200 and not AgendaItem.objects.filter(activity=item).exists()
    forms = page.context["formset"].forms
    assert not forms[0].errors and "day" in forms[1].errors  # beside the row, what was typed kept
    assert 'value="Factory visit"' in page.content.decode()
    outside["day"] = last.isoformat()
    response = client.post(url(item, "agenda"), agenda_post([good, outside, {}]))
    assert response.status_code == 302
    assert list(AgendaItem.objects.filter(activity=item).values_list("title_zh", "title_en")) == [
        ("会见", ""),
        ("", "Factory visit"),
    ]
    page = client.get(url(item))
    assert len(page.context["agenda_days"]) == 2 and "省政府" in page.content.decode()
    # Rows added keep what was typed; a removed row is left out.
    page = client.post(url(item, "agenda"), {**agenda_post([good]), "add_rows": "1"})
    assert len(page.context["formset"].forms) == 4 and 'value="会见"' in page.content.decode()
    client.post(url(item, "agenda"), agenda_post([good, {**outside, "DELETE": "on"}], initial=2))
    assert AgendaItem.objects.filter(activity=item).count() == 1


def test_a_time_that_is_no_time_is_refused_beside_its_field(client, officer):
    item = activity(officer)
    client.force_login(officer)
    page = client.post(
        url(item, "agenda"),
        agenda_post([{"day": item.starts_on.isoformat(), "starts_at": "25:99", "title_zh": "x"}]),
    )
    assert page.status_code == 200 and "starts_at" in page.context["formset"].forms[0].errors


# The reception checklist ------------------------------------------------------------------------------------


def test_the_checklist_is_assigned_ticked_and_added_to_and_the_assignee_is_told(client, officer, leader):
    item = activity(officer)
    colleague = office_user(Role.OFFICER, first_name="丽", last_name="刘")
    entry = ChecklistItem.objects.filter(activity=item).order_by("order").first()
    client.force_login(officer)
    page = client.get(url(item))
    assert page.context["checklist_done"] == 0 and len(page.context["checklist"]) == 7
    due = days(3).isoformat()
    prefix = f"checklist-{entry.pk}"
    page = client.post(
        url(item, "checklist"),
        {
            "item": entry.pk,
            f"{prefix}-assignee": colleague.pk,
            f"{prefix}-due_on": due,
            f"{prefix}-note": "签证",
        },
        follow=True,
    )
    assert messages_of(page)[-1][0] == "success"
    entry.refresh_from_db()
    assert entry.assignee == colleague and entry.due_on.isoformat() == due and not entry.done
    assert Notification.objects.filter(recipient=colleague, channel="in_app").exists()
    client.post(
        url(item, "checklist"),
        {
            "item": entry.pk,
            f"{prefix}-assignee": colleague.pk,
            f"{prefix}-due_on": due,
            f"{prefix}-done": "on",
        },
    )
    entry.refresh_from_db()
    assert entry.done and entry.done_by == officer
    page = client.get(url(item))
    assert page.context["checklist_done"] == 1 and "1/7" in page.content.decode()
    # Unticked again; and the assignee must be of the office.
    client.post(url(item, "checklist"), {"item": entry.pk, f"{prefix}-assignee": colleague.pk})
    entry.refresh_from_db()
    assert not entry.done
    stranger = enterprise_user()
    page = client.post(
        url(item, "checklist"), {"item": entry.pk, f"{prefix}-assignee": stranger.pk}, follow=True
    )
    assert messages_of(page)[-1][0] == "error"
    entry.refresh_from_db()
    assert entry.assignee == colleague
    # An item of one's own.
    page = client.post(url(item, "checklist_add"), {"checklist-add-label": "欢迎晚宴订餐"}, follow=True)
    assert messages_of(page)[-1][0] == "success"
    assert ChecklistItem.objects.filter(activity=item, label="欢迎晚宴订餐").exists()
    page = client.post(url(item, "checklist_add"), {"checklist-add-label": "  "}, follow=True)
    assert messages_of(page)[-1][0] == "error"
    # The queue shows the progress.
    assert 'data-checklist="0/8"' in client.get(QUEUE).content.decode()
    # An open item past its due date is marked in red with its days.
    services.checklist_update(item=entry, actor=officer, data={"due_on": days(-2)})
    assert 'data-overdue="2"' in client.get(url(item)).content.decode()


# Documents and outcomes -------------------------------------------------------------------------------------


def test_documents_are_attached_and_removed(client, officer):
    item = activity(officer)
    client.force_login(officer)
    page = client.post(url(item, "document"), {"document-kind": "photo", "document-file": png()}, follow=True)
    assert messages_of(page)[-1][0] == "success"
    attachment = ActivityDocument.objects.get(application=item)
    html = page.content.decode()
    assert reverse("admin:documents_document_download", args=[attachment.document_id]) in html
    assert client.get(reverse("documents:download", args=[attachment.document_id])).status_code == 200
    page = client.post(url(item, "document"), {"document-kind": "photo"}, follow=True)
    assert messages_of(page)[-1][0] == "error"
    client.post(url(item, "documents"), {"attachment": attachment.pk})
    assert not ActivityDocument.objects.filter(application=item).exists()


def test_outcomes_are_recorded_once_confirmed(client, officer, leader):
    item = activity(officer, starts_in=0, length=1)
    client.force_login(officer)
    page = client.get(url(item))
    assert page.context["agreement_form"] is None and 'data-testid="outcomes-later"' in page.content.decode()
    page = client.post(
        url(item, "follow_up"),
        {"follow-up-task": "x", "follow-up-owner": officer.pk, "follow-up-due_on": days(5).isoformat()},
        follow=True,
    )
    assert messages_of(page)[-1][0] == "warning" and not FollowUp.objects.exists()
    item = run(item, leader, "approve")
    item = run(item, officer, "confirm", "hold")
    client.post(url(item, "document"), {"document-kind": "agreement", "document-file": png("mou.png")})
    document = ActivityDocument.objects.get(application=item)
    page = client.post(
        url(item, "agreement"),
        {
            "agreement-kind": "memorandum",
            "agreement-title": "郑州—巴伐利亚物流合作备忘录",
            "agreement-parties": "省外办；巴州经济部",
            "agreement-signed_on": timezone.localdate().isoformat(),
            "agreement-document": document.pk,
        },
        follow=True,
    )
    assert messages_of(page)[-1][0] == "success"
    assert "郑州—巴伐利亚物流合作备忘录" in page.content.decode()
    page = client.post(
        url(item, "agreement"),
        {
            "agreement-kind": "memorandum",
            "agreement-title": "Later",
            "agreement-signed_on": days(3).isoformat(),
        },
        follow=True,
    )
    assert messages_of(page)[-1][0] == "error" and item.agreements.count() == 1
    colleague = office_user(Role.LEADER)
    page = client.post(
        url(item, "follow_up"),
        {
            "follow-up-task": "寄送合作意向书",
            "follow-up-owner": colleague.pk,
            "follow-up-due_on": days(14).isoformat(),
        },
        follow=True,
    )
    assert messages_of(page)[-1][0] == "success"
    follow_up = FollowUp.objects.get(activity=item)
    assert Notification.objects.filter(recipient=colleague).exists()
    page = client.post(
        url(item, "coverage"),
        {
            "coverage-url": "https://www.henan.gov.cn/news/1",
            "coverage-outlet": "河南日报",
            "coverage-title": "巴州代表团访豫",
        },
        follow=True,
    )
    assert messages_of(page)[-1][0] == "success" and item.coverage.count() == 1
    page = client.post(url(item, "coverage"), {"coverage-url": "ftp://x"}, follow=True)
    assert messages_of(page)[-1][0] == "error"
    # The follow-up's owner (a leader) ticks it; the outcomes allow the report.
    client.force_login(colleague)
    assert client.get(url(item)).context["follow_ups"][0].may_tick
    client.post(url(item, "follow_up_done"), {"follow_up": follow_up.pk})
    follow_up.refresh_from_db()
    assert follow_up.done_at is not None
    client.force_login(officer)
    client.post(
        url(item, "outcomes"), {"outcomes-outcome_summary_en": "A memorandum on logistics was signed."}
    )
    page = press(client, item, "report")
    assert state_of(item) == State.REPORTED and messages_of(page)[-1][0] == "success"


# Travel applications ----------------------------------------------------------------------------------------


def test_a_travel_application_is_linked_by_its_reference_and_unlinked(client, officer):
    item = activity(officer, direction="outgoing", country="DE")
    application = ApplicationFactory(in_review=True, trip=False)
    client.force_login(officer)
    page = client.post(
        url(item, "applications"), {"application-reference": application.reference.lower()}, follow=True
    )
    assert messages_of(page)[-1][0] == "success"
    assert list(item.travel_applications.all()) == [application]
    html = page.content.decode()
    assert reverse("admin:approvals_travelapplication_change", args=[application.pk]) in html
    assert application.get_state_display() in html
    page = client.post(url(item, "applications"), {"application-reference": "HNFA-1999-000001"}, follow=True)
    assert messages_of(page)[-1][0] == "error"
    client.post(url(item, "applications"), {"unlink": application.pk})
    assert not item.travel_applications.exists()
    assert AuditEvent.objects.filter(
        action="exchange_activity.unlink_application", object_id=str(item.pk)
    ).exists()


def test_the_page_shows_the_timeline_and_takes_the_same_queries_with_more_rows(
    client, officer, django_assert_max_num_queries
):
    item = activity(officer)
    client.force_login(officer)
    with django_assert_max_num_queries(60) as few:
        page = client.get(url(item))
    assert [event.action for event in page.context["events"]] == ["exchange_activity.create"]
    for n in range(5):
        services.checklist_add(activity=item, actor=officer, label=f"任务{n}")
        services.application_link(activity=item, actor=officer, application=ApplicationFactory(trip=False))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url(item))
    assert len(page.context["checklist"]) == 12 and len(page.context["applications"]) == 5


def test_a_planned_activity_past_its_last_day_shows_overdue_with_its_days(client, officer, leader):
    late = activity(officer, starts_in=-5, length=2)  # its last day three days ago, still proposed
    held = run(run(activity(officer, starts_in=-5, length=1), leader, "approve"), officer, "confirm", "hold")
    client.force_login(officer)
    html = client.get(QUEUE, {"state": "all"}).content.decode()
    assert html.count('data-overdue="3"') == 1 and html.count("data-overdue") == 1
    assert held.reference in html
    assert client.get(url(late)).context["overdue_days"] == 3


def test_tampered_posts_meet_a_message_never_an_error_page(client, officer):
    item = activity(officer)
    client.force_login(officer)
    posts = [
        ("checklist", {"item": "abc"}),
        ("documents", {"attachment": "x"}),
        ("follow_up_done", {"follow_up": "'"}),
        ("applications", {"unlink": "1; drop"}),
        ("applications", {"application-reference": ""}),
        ("transition", {"transition": "explode"}),
        ("agenda", {"agenda-TOTAL_FORMS": "abc", "add_rows": "1"}),
        ("agenda", {"agenda-TOTAL_FORMS": "abc"}),
    ]
    for name, data in posts:
        response = client.post(url(item, name), data)
        assert response.status_code in (200, 302), (name, response.status_code)
    assert state_of(item) == State.PROPOSED and ChecklistItem.objects.filter(activity=item).count() == 7
