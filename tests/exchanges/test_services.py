"""The services of exchanges: the activity lifecycle and its refusals, the agenda, the reception checklist,
outcomes, interview requests, scoping, and the overseas-Chinese contacts' access log, export and
erasure."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from exchanges import selectors
from exchanges.models import (
    AccessDoor,
    Activity,
    ChecklistKind,
    ContactAccess,
    MediaMessage,
    MediaRequest,
    OverseasContact,
)
from exchanges.services import activities, contacts, media
from exchanges.workflow import MediaState, State
from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.errors import RulesFailed, StateConflict
from foreign_affairs.notifications.models import Notification
from tests.conftest import on_postgresql

from .factories import ACTIVITY, activity, contact, days, media_request, run

pytestmark = pytest.mark.django_db


def _actions(obj) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_id=str(obj.pk), action__startswith=obj._meta.model_name[:5])
        .order_by("pk")
        .values_list("action", flat=True)
    )


# The lifecycle -----------------------------------------------------------------------------------------


def test_an_officer_proposes_and_the_leaders_are_told(officer, leader):
    item = activity(officer)
    assert item.state == State.PROPOSED and item.owner == officer and item.reference.startswith("HNEX-")
    assert item.area_codes == ["zhengzhou"] and item.focus_codes == ["platforms", "connectivity"]
    assert Notification.objects.filter(recipient=leader, channel="in_app").count() == 1
    assert AuditEvent.objects.filter(action="exchange_activity.create", object_id=str(item.pk)).exists()


def test_the_lifecycle_runs_to_closed_and_every_step_is_audited(officer, leader):
    item = activity(officer, starts_in=0, length=1)
    item = run(item, leader, "approve")
    assert item.approved_at is not None
    item = run(item, officer, "confirm", "hold")
    activities.activity_update(
        activity=item, actor=officer, data={"outcome_summary_zh": "签署物流合作备忘录一份。"}
    )
    item = run(item, officer, "report")
    assert item.reported_at is not None
    item = run(item, leader, "close")
    assert item.state == State.CLOSED
    actions = set(
        AuditEvent.objects.filter(
            object_id=str(item.pk), action__startswith="exchange_activity."
        ).values_list("action", flat=True)
    )
    for name in ("create", "approve", "confirm", "hold", "report", "close"):
        assert f"exchange_activity.{name}" in actions
    assert Notification.objects.filter(recipient=officer, channel="in_app").exists()  # told of approval


def test_lifecycle_refusals(officer, leader, manager, applicant):
    item = activity(officer)
    with pytest.raises(PermissionDenied):
        run(item, officer, "approve")  # a leader approves
    with pytest.raises(PermissionDenied):
        run(item, manager, "cancel", comment="No.")
    with pytest.raises(PermissionDenied):
        run(item, applicant, "approve")
    with pytest.raises(StateConflict):
        run(item, officer, "confirm")  # not approved yet
    item = run(item, leader, "approve")
    item = run(item, officer, "confirm")
    with pytest.raises(RulesFailed) as refused:
        run(item, officer, "hold")  # it starts in ten days
    assert refused.value.findings[0]["code"] == "not_started"
    with pytest.raises(ValidationError):
        run(item, officer, "postpone")  # a reason is required
    assert Activity.objects.get(pk=item.pk).state == State.CONFIRMED


def test_reporting_needs_outcomes(officer, leader):
    item = run(activity(officer, starts_in=-3, length=1), leader, "approve")
    item = run(item, officer, "confirm", "hold")
    with pytest.raises(RulesFailed) as refused:
        run(item, officer, "report")
    assert refused.value.findings[0]["code"] == "outcomes_missing"
    assert Activity.objects.get(pk=item.pk).state == State.HELD


def test_postponed_resumes_only_with_dates_to_come_and_is_approved_again(officer, leader):
    item = run(activity(officer, starts_in=5), leader, "approve")
    item = run(item, leader, "postpone", comment="The delegation asked for another date.")
    assert item.state == State.POSTPONED
    Activity.objects.filter(pk=item.pk).update(starts_on=days(-10), ends_on=days(-9))
    item.refresh_from_db()
    with pytest.raises(RulesFailed):
        run(item, officer, "resume")
    activities.activity_update(
        activity=item, actor=officer, data={"starts_on": days(30), "ends_on": days(31)}
    )
    item = run(Activity.objects.get(pk=item.pk), officer, "resume")
    assert item.state == State.PROPOSED and item.approved_at is None
    item = run(item, officer, "cancel", comment="Cancelled by the foreign side.")
    assert item.state == State.CANCELLED
    with pytest.raises(StateConflict):
        activities.activity_update(activity=item, actor=officer, data={"title_en": "Again"})


def test_the_enterprises_visited_hear_of_a_confirmation(officer, leader, applicant, organization):
    item = activity(officer, enterprises_visited=[organization.pk])
    item = run(item, leader, "approve")
    assert not Notification.objects.filter(recipient=applicant).exists()
    run(item, officer, "confirm")
    assert Notification.objects.filter(recipient=applicant, channel="in_app").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_leaders_approving_at_once_give_one_approval_and_one_conflict():
    if not on_postgresql():
        pytest.skip("parallel row locks need PostgreSQL; SQLite serialises writers")
    from foreign_affairs.accounts.roles import Role
    from tests.factories import office_user

    item = activity(office_user(Role.OFFICER))
    leaders = [office_user(Role.LEADER), office_user(Role.LEADER)]
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(leader):
        try:
            barrier.wait()
            activities.activity_run(activity=item, actor=leader, name="approve")
            outcomes.append("approved")
        except StateConflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(leader,)) for leader in leaders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["approved", "conflict"]
    assert AuditEvent.objects.filter(action="exchange_activity.approve").count() == 1


# Validation --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"country": "CN"}, "country"),
        ({"ftz_areas": ["atlantis"]}, "ftz_areas"),
        ({"focus": ["speed"]}, "focus"),
        ({"kind": "party"}, "kind"),
        ({"title_zh": "", "title_en": ""}, "title_zh"),
        ({"starts_on": "2026-13-01"}, "starts_on"),
        ({"head_rank": "emperor"}, "head_rank"),
    ],
)
def test_bad_values_are_refused_beside_their_field(officer, overrides, field):
    with pytest.raises(ValidationError) as refused:
        activity(officer, **overrides)
    assert field in refused.value.message_dict
    assert not Activity.objects.exists()


def test_dates_owner_and_enterprises_are_checked(officer, applicant, other_organization):
    with pytest.raises(ValidationError) as refused:
        activities.activity_create(
            actor=officer, data={**ACTIVITY, "starts_on": days(5), "ends_on": days(3), "owner": applicant.pk}
        )
    assert {"ends_on", "owner"} <= set(refused.value.message_dict)
    with pytest.raises(PermissionDenied):
        activity(applicant)


# Agenda, checklist and outcomes -------------------------------------------------------------------------


def test_the_agenda_is_replaced_and_checked_against_the_dates(officer):
    item = activity(officer, starts_in=10, length=1)
    agenda = activities.agenda_set(
        activity=item,
        actor=officer,
        items=[
            {
                "day": days(10),
                "starts_at": "09:00",
                "ends_at": "10:30",
                "title_zh": "会见",
                "place": "省外办",
            },
            {"day": days(11).isoformat(), "starts_at": "14:00", "title_en": "Visit to the airport zone"},
        ],
    )
    assert [a.title for a in agenda] == ["会见", "Visit to the airport zone"]
    with pytest.raises(ValidationError) as refused:
        activities.agenda_set(
            activity=item,
            actor=officer,
            items=[
                {"day": days(30), "starts_at": "09:00", "title_en": "Too late"},
                {"day": days(10), "starts_at": "9 o'clock", "title_en": "Bad time"},
                {"day": days(10), "starts_at": "10:00", "ends_at": "09:00", "title_en": "Backwards"},
            ],
        )
    assert {"agenda.0.day", "agenda.1.starts_at", "agenda.2.ends_at"} <= set(refused.value.message_dict)
    assert item.agenda.count() == 2  # nothing changed


def test_an_incoming_visit_gets_the_reception_checklist_and_an_outgoing_one_does_not(officer, leader):
    incoming = activity(officer)
    assert list(incoming.checklist.values_list("kind", flat=True)) == [
        ChecklistKind.INVITATION,
        ChecklistKind.ARRIVAL,
        ChecklistKind.ACCOMMODATION,
        ChecklistKind.INTERPRETERS,
        ChecklistKind.GIFTS,
        ChecklistKind.SECURITY,
        ChecklistKind.PRESS,
    ]
    assert not activity(officer, direction="outgoing").checklist.exists()
    item = incoming.checklist.get(kind=ChecklistKind.INTERPRETERS)
    item = activities.checklist_update(
        item=item, actor=officer, data={"assignee": leader.pk, "due_on": days(5)}
    )
    assert (
        Notification.objects.filter(
            recipient=leader, key__startswith="exchange-checklist:", channel="in_app"
        ).count()
        == 1
    )
    item = activities.checklist_update(item=item, actor=officer, data={"done": True})
    assert item.done and item.done_by == officer
    item = activities.checklist_update(item=item, actor=officer, data={"done": False})
    assert not item.done
    extra = activities.checklist_add(activity=incoming, actor=officer, label="清真餐饮安排")
    assert extra.kind == ChecklistKind.OTHER and incoming.checklist.count() == 8
    with pytest.raises(ValidationError):
        activities.checklist_update(item=item, actor=officer, data={"assignee": 999999})


def test_outcomes_are_recorded_once_confirmed(officer, leader):
    item = activity(officer, starts_in=-1, length=1)
    with pytest.raises(StateConflict):
        activities.agreement_add(activity=item, actor=officer, data={"title": "MoU", "signed_on": days(-1)})
    item = run(run(item, leader, "approve"), officer, "confirm", "hold")
    agreement = activities.agreement_add(
        activity=item,
        actor=officer,
        data={"kind": "memorandum", "title": "郑州—巴伐利亚物流合作备忘录", "signed_on": days(-1)},
    )
    assert agreement.pk
    with pytest.raises(ValidationError):
        activities.agreement_add(activity=item, actor=officer, data={"title": "Future", "signed_on": days(3)})
    follow_up = activities.follow_up_add(
        activity=item, actor=officer, data={"task": "寄送会谈纪要", "owner": leader.pk, "due_on": days(7)}
    )
    assert Notification.objects.filter(recipient=leader, key=f"exchange-follow-up:{follow_up.pk}").exists()
    assert activities.follow_up_done(follow_up=follow_up, actor=leader).done_at is not None
    coverage = activities.coverage_add(
        actor=officer, activity=item, data={"url": "https://news.example.de/henan", "outlet": "BR24"}
    )
    assert coverage.pk
    with pytest.raises(ValidationError):
        activities.coverage_add(actor=officer, activity=item, data={"url": "javascript:alert(1)"})


# Interview requests ------------------------------------------------------------------------------------


def test_a_journalists_request_is_acknowledged_and_the_officers_told(officer):
    request = media_request()
    assert request.state == MediaState.REQUESTED and request.language == "en"
    message = MediaMessage.objects.get(request=request)
    assert request.reference in message.subject and message.to == "claire.martin@example.fr"
    assert Notification.objects.filter(recipient=officer, key=f"media-request:{request.pk}:received").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"outlet_country": "CN"}, "outlet_country"),
        ({"email": "not-an-address"}, "email"),
        ({"topic": ""}, "topic"),
    ],
)
def test_bad_requests_are_refused_and_nothing_is_stored(overrides, field):
    with pytest.raises(ValidationError) as refused:
        media_request(**overrides)
    assert field in refused.value.message_dict
    assert not MediaRequest.objects.exists()


def test_past_or_backwards_dates_are_refused():
    with pytest.raises(ValidationError) as refused:
        media_request(wished_from=days(-2), wished_until=days(-3))
    assert {"wished_from", "wished_until"} <= set(refused.value.message_dict)


def test_an_interview_is_arranged_held_and_closed(officer, leader):
    request = media_request()
    with pytest.raises(RulesFailed):
        media.media_request_run(request=request, actor=officer, name="arrange")
    media.media_request_update(
        request=request,
        actor=officer,
        data={
            "arranged_interviewees": "自贸区郑州片区管委会副主任",
            "escort": officer.pk,
            "arranged_on": days(21),
        },
    )
    with pytest.raises(PermissionDenied):
        media.media_request_run(request=request, actor=leader, name="arrange")
    request = media.media_request_run(request=request, actor=officer, name="arrange")
    assert MediaMessage.objects.filter(request=request, key__endswith=":arrange").count() == 1
    request = media.media_request_run(request=request, actor=officer, name="hold")
    request = media.media_request_run(request=request, actor=officer, name="close")
    assert request.state == MediaState.CLOSED
    with pytest.raises(StateConflict):
        media.media_request_update(request=request, actor=officer, data={"office_note": "late"})


def test_a_declined_request_needs_a_reason_and_tells_the_journalist(officer):
    request = media_request()
    with pytest.raises(ValidationError):
        media.media_request_run(request=request, actor=officer, name="decline")
    request = media.media_request_run(request=request, actor=officer, name="decline", comment="No slot.")
    assert request.state == MediaState.DECLINED
    assert MediaMessage.objects.filter(request=request).count() == 2


# Who sees what -----------------------------------------------------------------------------------------


def test_enterprises_see_the_activities_visiting_them_from_approval_on(
    officer, leader, applicant, other_applicant, organization, manager
):
    item = activity(officer, enterprises_visited=[organization.pk])
    assert not selectors.activities_for(applicant).exists()
    run(item, leader, "approve")
    assert list(selectors.activities_for(applicant)) == [item]
    assert not selectors.activities_for(other_applicant).exists()
    assert selectors.activities_for(manager).count() == 1
    assert not selectors.media_requests_for(applicant).exists()
    assert not selectors.contacts_for(applicant).exists()


def test_the_public_calendar_shows_public_activities_once_confirmed(officer, leader):
    shown = activity(officer, public=True)
    hidden = activity(officer, public=False)
    assert not selectors.public_activities().exists()
    for item in (shown, hidden):
        run(run(item, leader, "approve"), officer, "confirm")
    assert list(selectors.public_activities()) == [shown]
    run(Activity.objects.get(pk=shown.pk), leader, "postpone", comment="Weather.")
    assert not selectors.public_activities().exists()


# Overseas-Chinese contacts ----------------------------------------------------------------------------


def test_consent_needs_its_date_and_a_name_is_required(officer):
    with pytest.raises(ValidationError) as refused:
        contact(officer, consent_on="", name_zh="", name_latin="")
    assert {"consent_on", "name_zh"} <= set(refused.value.message_dict)
    with pytest.raises(ValidationError) as refused:
        contact(officer, consent=False)
    assert "consent" in refused.value.message_dict  # no contact without the person's consent


def test_only_office_staff_see_a_contact_and_every_look_is_logged(officer, manager, applicant):
    person = contact(officer)
    with pytest.raises(PermissionDenied):
        contacts.contact_view(contact=person, actor=applicant)
    contacts.contact_view(contact=person, actor=manager)
    contacts.contact_view(contact=person, actor=officer, door=AccessDoor.API)
    assert list(ContactAccess.objects.order_by("pk").values_list("viewer", "door")) == [
        (manager.pk, "page"),
        (officer.pk, "api"),
    ]
    with pytest.raises(PermissionDenied):
        contacts.contact_create(actor=manager, data={"name_zh": "某人", "country": "IT", "association": "x"})


def test_the_export_holds_everything_about_the_person(officer, leader):
    item = activity(officer, kind="overseas_chinese")
    person = contact(officer, activities=[item.pk])
    contacts.contact_view(contact=person, actor=leader)
    exported = contacts.contact_export(contact=person, actor=officer)
    assert exported["name_zh"] == "陈立华" and exported["phone"] == "+39 02 1234 5678"
    assert [e["reference"] for e in exported["exchanges"]] == [item.reference]
    assert [a["door"] for a in exported["accesses"]] == ["page", "export"]
    assert AuditEvent.objects.filter(action="overseas_contact.export").count() == 1


def test_erasure_leaves_no_personal_data_behind(officer):
    item = activity(officer, kind="overseas_chinese")
    person = contact(officer, activities=[item.pk])
    contacts.contact_update(contact=person, actor=officer, data={"notes": "喜欢喝茶"})
    contacts.contact_view(contact=person, actor=officer)
    with pytest.raises(ValidationError):
        contacts.contact_erase(contact=person, actor=officer, reason="")
    reference = contacts.contact_erase(
        contact=person, actor=officer, reason="Request by e-mail of 1 December."
    )
    assert not OverseasContact.objects.exists()
    assert ContactAccess.objects.get().reference == reference
    assert AuditEvent.objects.filter(action="overseas_contact.erase", data__reference=reference).exists()
    personal = ["陈立华", "Chen Lihua", "1234 5678", "chen.lihua@example.it", "喜欢喝茶", "意大利河南同乡会"]
    with connection.cursor() as cursor:
        for table in ("audit_auditevent", "exchanges_contactaccess", "exchanges_overseascontact"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (table names are ours)
            dump = repr(cursor.fetchall())
            for value in personal:
                assert value not in dump, (table, value)
