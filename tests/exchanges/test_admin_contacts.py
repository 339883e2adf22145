"""The back office of overseas-Chinese contacts: personal data for office staff only. The list shows no
contact details and logs nothing; every display of a contact's page logs exactly one look for the viewer,
whatever their office role, and shows the contact's access log; officers register and change contacts (the
exchanges as a searchable multiple select), export one person's data as JSON and erase a person on request,
after which no table of exchanges nor the audit log holds the name, the phone or the e-mail; Django's own
delete leads to the erasure; leaders and managers read without changing; enterprise users never reach it; the
whole access log is a read-only list; lists whose queries do not grow with their rows."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from exchanges.models import AccessDoor, ContactAccess, OverseasContact
from exchanges.services import contacts as services
from foreign_affairs.audit.models import AuditEvent

from .factories import CONTACT, activity, contact

pytestmark = pytest.mark.django_db

CONTACTS = reverse("admin:exchanges_overseascontact_changelist")
CONTACT_ADD = reverse("admin:exchanges_overseascontact_add")
ACCESS_LOG = reverse("admin:exchanges_contactaccess_changelist")
ACTIVITIES = reverse("admin:exchanges_overseascontact_activities")
DETAILS = ["+39 02 1234 5678", "chen.lihua@example.it", "lihua_milano"]


def url(person, name="change"):
    return reverse(f"admin:exchanges_overseascontact_{name}", args=[person.pk])


def rows(page) -> list:
    assert page.status_code == 200, (page.status_code, page.get("Location"), page.content[:300])
    return list(page.context["cl"].result_list)


def messages_of(page) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in page.context["messages"]]


def looks(person, viewer=None, door=None) -> int:
    found = ContactAccess.objects.filter(reference=person.reference)
    if viewer is not None:
        found = found.filter(viewer=viewer)
    if door is not None:
        found = found.filter(door=door)
    return found.count()


def form_data(**changes) -> dict:
    data = {**CONTACT, "wechat": "lihua_milano", "notes": "", "activities": []}
    data.update(changes)
    return data


def erase_data(**changes) -> dict:
    data = {
        "requested_on": timezone.localdate().isoformat(),
        "channel": "email",
        "details": "Asked to be removed from the registry.",
        "confirm": "on",
    }
    data.update(changes)
    return data


# The list ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["officer", "leader", "manager"])
def test_the_list_shows_no_contact_details_and_logs_no_look(client, officer, role, request):
    viewer = request.getfixturevalue(role)
    person = contact(officer, wechat="lihua_milano")
    other = contact(
        officer,
        name_zh="王芳",
        name_latin="Wang Fang",
        country="DE",
        association="德国华侨华人联合会",
        phone="+49 30 555 0100",
    )
    # Registered before the consent was asked: none recorded.
    OverseasContact.objects.filter(pk=other.pk).update(consent=False, consent_on=None, consent_basis="")
    client.force_login(viewer)
    page = client.get(CONTACTS)
    assert {row.pk for row in rows(page)} == {person.pk, other.pk}
    html = page.content.decode()
    assert "陈立华" in html and "意大利河南同乡会" in html and person.reference in html
    for detail in [*DETAILS, "+49 30 555 0100"]:
        assert detail not in html
    assert 'data-consent="yes"' in html and 'data-consent="no"' in html
    # Filters and the search (name, association, reference) log nothing either.
    assert [row.pk for row in rows(client.get(CONTACTS, {"country": "DE"}))] == [other.pk]
    assert [row.pk for row in rows(client.get(CONTACTS, {"consent": "yes"}))] == [person.pk]
    assert [row.pk for row in rows(client.get(CONTACTS, {"consent": "no"}))] == [other.pk]
    assert [row.pk for row in rows(client.get(CONTACTS, {"q": "Wang"}))] == [other.pk]
    assert [row.pk for row in rows(client.get(CONTACTS, {"q": "同乡会"}))] == [person.pk]
    assert [row.pk for row in rows(client.get(CONTACTS, {"q": person.reference.lower()}))] == [person.pk]
    assert rows(client.get(CONTACTS, {"q": "+39 02"})) == []  # contact details are not searched
    assert not ContactAccess.objects.exists()


# The page: every display logged -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["officer", "leader", "manager"])
def test_each_display_of_the_page_logs_exactly_one_look_for_the_viewer(client, officer, role, request):
    viewer = request.getfixturevalue(role)
    person = contact(officer, wechat="lihua_milano")
    client.force_login(viewer)
    page = client.get(url(person))
    assert page.status_code == 200
    assert looks(person) == 1 and looks(person, viewer, AccessDoor.PAGE) == 1
    html = page.content.decode()
    for detail in DETAILS:
        assert detail in html
    # The page shows the access log, this very look included.
    assert [access.viewer_id for access in page.context["accesses"]] == [viewer.pk]
    assert 'data-testid="access-log"' in html
    page = client.get(url(person))
    assert looks(person, viewer) == 2 and len(page.context["accesses"]) == 2
    # The list still logs nothing.
    client.get(CONTACTS)
    assert looks(person) == 2


def test_the_page_shows_exchanges_accesses_of_others_and_the_timeline(client, officer, leader):
    item = activity(officer, kind="overseas_chinese")
    person = contact(officer, activities=[item.pk])
    services.contact_view(contact=person, actor=leader, door=AccessDoor.API)
    client.force_login(officer)
    page = client.get(url(person))
    assert [a.reference for a in page.context["activities"]] == [item.reference]
    assert reverse("admin:exchanges_activity_change", args=[item.pk]) in page.content.decode()
    assert [(a.viewer_id, a.door) for a in page.context["accesses"]] == [
        (officer.pk, AccessDoor.PAGE),
        (leader.pk, AccessDoor.API),
    ]
    assert [event.action for event in page.context["events"]] == ["overseas_contact.create"]
    # The whole log of the contact is a link away, narrowed to its reference.
    log = client.get(page.context["access_log_url"])
    assert {row.reference for row in rows(log)} == {person.reference}


# Registering and changing -----------------------------------------------------------------------------------


def test_an_officer_registers_and_changes_a_contact_through_the_services(client, officer):
    item = activity(
        officer, kind="overseas_chinese", title_en="Overseas Chinese leaders meet the Luoyang area"
    )
    other = activity(officer, title_zh="德国代表团访问", title_en="German delegation visits")
    client.force_login(officer)
    assert client.get(CONTACT_ADD).status_code == 200
    # The exchanges are searched by reference or words of a title (select2's JSON).
    found = client.get(ACTIVITIES, {"term": "Luoyang"}).json()
    assert [row["id"] for row in found["results"]] == [str(item.pk)] and not found["pagination"]["more"]
    assert [row["id"] for row in client.get(ACTIVITIES, {"term": other.reference}).json()["results"]] == [
        str(other.pk)
    ]
    # Consent without its date is refused beside the date, and what was typed stays.
    page = client.post(CONTACT_ADD, form_data(consent_on=""))
    assert "consent_on" in page.context["form"].errors
    assert page.context["form"]["name_latin"].value() == "Chen Lihua"
    assert not OverseasContact.objects.exists()
    page = client.post(CONTACT_ADD, form_data(activities=[str(item.pk)]), follow=True)
    person = OverseasContact.objects.get()
    assert messages_of(page)[0][0] == "success" and person.reference in messages_of(page)[0][1]
    assert list(person.activities.all()) == [item] and person.created_by == officer
    assert AuditEvent.objects.filter(action="overseas_contact.create", object_id=str(person.pk)).exists()
    # The page it lands on logged the look; opening the change form logs another.
    assert looks(person) == 1
    page = client.get(url(person, "edit"))
    assert page.status_code == 200 and looks(person) == 2
    page = client.post(
        url(person, "edit"), form_data(activities=[str(item.pk), str(other.pk)], role="名誉会长"), follow=True
    )
    person.refresh_from_db()
    assert person.role == "名誉会长" and person.activities.count() == 2
    event = AuditEvent.objects.get(action="overseas_contact.update")
    assert event.data["fields"] == ["role", "activities"]
    assert "名誉会长" not in json.dumps(event.data, ensure_ascii=False)  # fields named, values never


# On the person's request ------------------------------------------------------------------------------------


def test_the_export_is_a_json_download_with_everything_and_is_logged(client, officer, leader):
    item = activity(officer, kind="overseas_chinese")
    person = contact(officer, activities=[item.pk], wechat="lihua_milano", notes="喜欢喝茶")
    client.force_login(leader)
    client.get(url(person))
    client.force_login(officer)
    # Only a POST exports.
    assert client.get(url(person, "export")).status_code == 302 and looks(person, door=AccessDoor.EXPORT) == 0
    answer = client.post(url(person, "export"))
    assert answer.status_code == 200 and answer["Content-Type"].startswith("application/json")
    assert f'filename="{person.reference}-personal-data.json"' in answer["Content-Disposition"]
    assert "no-store" in answer["Cache-Control"]
    data = json.loads(answer.content)
    assert data["reference"] == person.reference and data["name_zh"] == "陈立华"
    assert data["phone"] == CONTACT["phone"] and data["email"] == CONTACT["email"]
    assert (
        data["wechat"] == "lihua_milano"
        and data["notes"] == "喜欢喝茶"
        and data["consent_on"] == "2026-03-01"
    )
    assert [e["reference"] for e in data["exchanges"]] == [item.reference]
    assert [(a["viewer"], a["door"]) for a in data["accesses"]] == [
        (leader.username, "page"),
        (officer.username, "export"),
    ]
    assert looks(person, officer, AccessDoor.EXPORT) == 1
    assert AuditEvent.objects.filter(action="overseas_contact.export", object_id=str(person.pk)).count() == 1


def _dump(tables) -> str:
    with connection.cursor() as cursor:
        text = []
        for table in tables:
            # The names come from the database's own catalogue.
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            text.append(repr(cursor.fetchall()))
    return "\n".join(text)


def _tables() -> list[str]:
    names = connection.introspection.table_names()
    return [name for name in names if name.startswith(("exchanges_", "audit_")) or name == "django_admin_log"]


def test_erasure_asks_for_the_request_and_leaves_only_the_reference(client, officer, leader):
    item = activity(officer, kind="overseas_chinese")
    person = contact(officer, activities=[item.pk], wechat="lihua_milano", notes="喜欢喝茶")
    reference = person.reference
    client.force_login(leader)
    client.get(url(person))
    client.force_login(officer)
    client.get(url(person))
    client.post(url(person, "edit"), form_data(activities=[str(item.pk)], notes="喜欢喝茶，住在米兰"))
    client.post(url(person, "export"))
    # Django's delete leads to the erasure; the confirmation itself logs no look.
    answer = client.get(url(person, "delete"))
    assert answer.status_code == 302 and answer["Location"] == url(person, "erase")
    before = looks(person)
    page = client.get(url(person, "erase"))
    assert page.status_code == 200 and looks(person) == before
    # The request is asked for; a reason naming the person is refused (it would outlive the erasure).
    page = client.post(url(person, "erase"), erase_data(channel="", confirm=""))
    assert {"channel", "confirm"} <= set(page.context["form"].errors)
    page = client.post(url(person, "erase"), erase_data(details="Chen Lihua asked by e-mail."))
    assert "details" in page.context["form"].errors
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    page = client.post(url(person, "erase"), erase_data(requested_on=future))
    assert "requested_on" in page.context["form"].errors
    assert OverseasContact.objects.filter(pk=person.pk).exists()
    page = client.post(url(person, "erase"), erase_data(), follow=True)
    assert page.redirect_chain[-1][0] == CONTACTS
    assert messages_of(page)[-1][0] == "success" and reference in messages_of(page)[-1][1]
    assert not OverseasContact.objects.exists() and item.overseas_contacts.count() == 0
    event = AuditEvent.objects.get(action="overseas_contact.erase")
    assert event.data == {"reference": reference} and "Asked to be removed" in event.comment
    # Nothing personal is left in the tables of exchanges, the audit log or the admin's log: the reference
    # only.
    dump = _dump(_tables())
    for value in ["陈立华", "Chen Lihua", "1234 5678", "chen.lihua@example.it", "lihua_milano", "喜欢喝茶"]:
        assert value not in dump, value
    assert reference in dump
    log = rows(client.get(ACCESS_LOG, {"q": reference}))
    assert len(log) == looks(person) == 3 and all(access.contact_id is None for access in log)
    assert client.get(url(person)).status_code == 302  # gone


# Who may do what --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["leader", "manager"])
def test_leaders_and_managers_read_but_change_nothing(client, officer, role, request):
    reader = request.getfixturevalue(role)
    person = contact(officer)
    client.force_login(reader)
    assert client.get(CONTACTS).context["add_url"] == ""
    page = client.get(url(person))
    assert page.status_code == 200
    assert (
        page.context["edit_url"] == ""
        and page.context["export_url"] == ""
        and page.context["erase_url"] == ""
    )
    seen = looks(person)
    for refused in (
        client.get(CONTACT_ADD),
        client.post(CONTACT_ADD, form_data(name_zh="王芳")),
        client.get(url(person, "edit")),
        client.post(url(person, "edit"), form_data(role="秘书长")),
        client.post(url(person, "export")),
        client.get(url(person, "erase")),
        client.post(url(person, "erase"), erase_data()),
        client.get(url(person, "delete")),
        client.post(url(person, "delete"), {"post": "yes"}),
        client.get(ACTIVITIES, {"term": "HNEX"}),
    ):
        assert refused.status_code == 403
    client.post(url(person), form_data(role="秘书长"))
    person.refresh_from_db()
    assert person.role == "会长" and OverseasContact.objects.count() == 1 and looks(person) == seen
    assert not AuditEvent.objects.filter(
        action__in=["overseas_contact.update", "overseas_contact.export"]
    ).exists()
    # The access log is theirs to review, read-only.
    assert client.get(ACCESS_LOG).status_code == 200


def test_enterprise_users_never_reach_the_contacts(client, officer, applicant, liaison):
    person = contact(officer)
    for user in (applicant, liaison):
        client.force_login(user)
        for page_url in (
            CONTACTS,
            url(person),
            url(person, "edit"),
            url(person, "erase"),
            ACCESS_LOG,
            ACTIVITIES,
        ):
            answer = client.get(page_url)
            assert answer.status_code == 302 and reverse("admin:login") in answer["Location"], page_url
        answer = client.post(url(person, "export"))
        assert answer.status_code == 302 and not answer.has_header("Content-Disposition")
    assert not ContactAccess.objects.exists()


# The access log ---------------------------------------------------------------------------------------------


def test_the_access_log_is_read_only_with_its_filters(client, officer, leader):
    person = contact(officer)
    other = contact(officer, name_zh="王芳", name_latin="Wang Fang")
    services.contact_view(contact=person, actor=leader)
    services.contact_view(contact=other, actor=officer, door=AccessDoor.API)
    client.force_login(officer)
    page = client.get(ACCESS_LOG)
    assert len(rows(page)) == 2
    html = page.content.decode()
    assert "陈立华" not in html and 'name="_selected_action"' not in html
    assert [row.reference for row in rows(client.get(ACCESS_LOG, {"door": "api"}))] == [other.reference]
    assert [row.reference for row in rows(client.get(ACCESS_LOG, {"viewer": leader.pk}))] == [
        person.reference
    ]
    today = timezone.localdate()
    dated = {"at__year": today.year, "at__month": today.month, "at__day": today.day}
    assert len(rows(client.get(ACCESS_LOG, dated))) == 2
    access = ContactAccess.objects.first()
    assert client.get(reverse("admin:exchanges_contactaccess_add")).status_code == 403
    delete = reverse("admin:exchanges_contactaccess_delete", args=[access.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    client.post(reverse("admin:exchanges_contactaccess_change", args=[access.pk]), {"door": "export"})
    access.refresh_from_db()
    assert access.door != AccessDoor.EXPORT and ContactAccess.objects.count() == 2


# Queries ----------------------------------------------------------------------------------------------------


def _queries(client, page_url) -> int:
    client.get(page_url)  # warm caches (sessions, content types, the country names)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(page_url).status_code == 200
    return len(captured)


def _some_contacts(officer, start: int, count: int) -> None:
    countries = ["IT", "DE", "FR", "US", "JP"]
    for n in range(start, start + count):
        person = contact(
            officer,
            name_zh=f"联系人{n}",
            name_latin=f"Person {n}",
            country=countries[n % 5],
        )
        services.contact_view(contact=person, actor=officer)


def test_the_lists_keep_their_queries_flat(client, officer, django_assert_max_num_queries):
    _some_contacts(officer, 0, 3)
    client.force_login(officer)
    pages = [
        CONTACTS,
        f"{CONTACTS}?consent=yes",
        f"{CONTACTS}?q=Person",
        ACCESS_LOG,
        f"{ACCESS_LOG}?door=page",
    ]
    few = {page_url: _queries(client, page_url) for page_url in pages}
    _some_contacts(officer, 3, 12)
    for page_url, count in few.items():
        with django_assert_max_num_queries(count):
            page = client.get(page_url)
        assert len(page.context["cl"].result_list) > 3, page_url
