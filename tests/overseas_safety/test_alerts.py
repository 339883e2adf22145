"""Safety alerts: the fan-out to everyone in a country now (trip travellers and stationed staff), once;
the one-click answer by signed link (GET shows, POST records; expired 410, tampered 404); "need help"
opens one incident; the counts and who has not answered; the organisation's page and the back office."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.errors import StateConflict
from foreign_affairs.notifications.models import Notification
from overseas_safety.models import AlertRecipient, DutyShift, Incident, SafetyAlert
from overseas_safety.services import alerts
from overseas_safety.workflow import IncidentKind, Level, Source
from tests.approvals.factories import ApplicationFactory
from tests.factories import PersonFactory, enterprise_user

from .factories import SiteFactory, StationingFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def on_trip(organization, members=3, country_city=("DE", "汉堡")):
    """An approved trip whose first leg (Germany, Hamburg) covers today; returns its travellers."""
    application = ApplicationFactory(
        organization=organization,
        approved=True,
        trip__departure=TODAY() - timedelta(days=1),
        trip__members=members,
    )
    return [member.person for member in application.members.select_related("person")]


def stationed(organization, count=2, country="DE", city="Berlin"):
    site = SiteFactory(organization=organization, country=country, city=city)
    return [StationingFactory(site=site).person for _ in range(count)]


def send(officer, django_capture_on_commit_callbacks, **data):
    alert = alerts.alert_create(
        actor=officer,
        data={"country": "DE", "title": "Storm warning", "message": "Stay indoors tonight.", **data},
    )
    with django_capture_on_commit_callbacks(execute=True):
        alerts.alert_send(alert=alert, actor=officer)
    return SafetyAlert.objects.get(pk=alert.pk)


def in_app(**filters):
    return Notification.objects.filter(
        channel="in_app", template__startswith="overseas_safety/alert", **filters
    )


@pytest.fixture
def world(organization, other_organization, liaison):
    """Three travellers of `organization` in Hamburg, two stationed staff of `other_organization` in
    Berlin, one person of each organisation elsewhere; a liaison each; a traveller with an account."""
    travellers = on_trip(organization)
    staff = stationed(other_organization)
    stationed(organization, count=1, country="NG", city="Lagos")  # elsewhere: not concerned
    other_liaison = enterprise_user(other_organization, liaison=True, phone="+86 379 6000 0001")
    own = travellers[0]
    own.email = "Zhang.San@Example.com"
    own.save(update_fields=["email"])
    own_account = enterprise_user(organization, email="zhang.san@example.com")
    return {
        "travellers": travellers,
        "staff": staff,
        "liaison": liaison,
        "other_liaison": other_liaison,
        "own": own,
        "own_account": own_account,
    }


def test_fan_out_reaches_travellers_and_stationed_staff_of_two_organisations(
    world, officer, django_capture_on_commit_callbacks, mailoutbox
):
    alert = send(officer, django_capture_on_commit_callbacks)
    recipients = {r.person_id: r for r in alert.recipients.all()}
    assert set(recipients) == {p.pk for p in world["travellers"] + world["staff"]}
    assert {r.source for r in recipients.values()} == {"trip", "stationed"}
    assert recipients[world["staff"][0].pk].city == "Berlin"
    assert (alert.state, alert.recipient_count, alert.sent_count) == ("sent", 5, 5)
    assert all(r.notified_at for r in recipients.values())
    # Each liaison: one message listing their own people with two links each, nobody else's.
    message = in_app(recipient=world["liaison"]).get()
    assert all(p.full_name in message.body for p in world["travellers"])
    assert message.body.count("/safety/alerts/answer/") == 6
    assert in_app(recipient=world["other_liaison"]).get().body.count("/safety/alerts/answer/") == 4
    assert len(mailoutbox) == 3  # two liaisons and the traveller with an account


def test_a_person_with_an_account_gets_their_own_two_links(
    world, officer, django_capture_on_commit_callbacks
):
    alert = send(officer, django_capture_on_commit_callbacks)
    message = in_app(recipient=world["own_account"]).get()
    recipient = alert.recipients.get(person=world["own"])
    # Each link's token is signed with its own timestamp: read them back rather than sign again.
    links = re.findall(r"(https?://[^/\s]+)/safety/alerts/answer/([^/\s]+)/\?answer=(\w+)", message.body)
    assert [(base, answer) for base, _token, answer in links] == [
        (django_settings.PORTAL_BASE_URL, "safe"),
        (django_settings.PORTAL_BASE_URL, "need_help"),
    ]
    assert {alerts.recipient_for_token(token) for _base, token, _answer in links} == {recipient}


def test_sending_twice_sends_once(world, officer, django_capture_on_commit_callbacks):
    alert = send(officer, django_capture_on_commit_callbacks)
    before = Notification.objects.count()
    with pytest.raises(StateConflict, match="HNSA-"), django_capture_on_commit_callbacks(execute=True):
        alerts.alert_send(alert=alert, actor=officer)
    assert Notification.objects.count() == before
    assert AuditEvent.objects.filter(action="alert.send").count() == 1


def test_the_fan_out_run_twice_tells_nobody_twice(world, officer, django_capture_on_commit_callbacks):
    alert = send(officer, django_capture_on_commit_callbacks)
    before = Notification.objects.count()
    assert alerts.alert_deliver(alert.pk) == 0  # sent: left alone
    # A redelivered task after a crash midway: the alert still "sending", some people not marked told.
    SafetyAlert.objects.filter(pk=alert.pk).update(state="sending")
    alert.recipients.filter(person__in=world["travellers"]).update(notified_at=None)
    alerts.alert_deliver(alert.pk)
    assert Notification.objects.count() == before
    alert.refresh_from_db()
    assert (alert.state, alert.sent_count) == ("sent", 5)


def test_only_officers_create_and_send_and_the_country_is_checked(world, officer, leader, liaison):
    with pytest.raises(PermissionDenied):
        alerts.alert_create(actor=leader, data={"country": "DE", "title": "x", "message": "y"})
    with pytest.raises(ValidationError) as refused:
        alerts.alert_create(actor=officer, data={"country": "CN", "title": "", "message": ""})
    assert set(refused.value.message_dict) == {"country", "title", "message"}
    alert = alerts.alert_create(actor=officer, data={"country": "de", "title": "x", "message": "y"})
    assert alert.reference.startswith("HNSA-") and alert.state == "draft"
    with pytest.raises(PermissionDenied):
        alerts.alert_send(alert=alert, actor=liaison)


@pytest.fixture
def sent(world, officer, django_capture_on_commit_callbacks):
    alert = send(officer, django_capture_on_commit_callbacks)
    recipient = alert.recipients.get(person=world["travellers"][1])
    return {**world, "alert": alert, "recipient": recipient, "url": alerts.answer_url(recipient)}


def path_of(url):
    return url.removeprefix(django_settings.PORTAL_BASE_URL)


def test_get_shows_the_intended_answer_without_recording_it(client, sent):
    response = client.get(path_of(sent["url"]) + "?answer=need_help")
    assert response.status_code == 200
    checked = re.findall(
        r'<input type="radio" name="answer" value="(\w+)"[^>]* checked', response.content.decode()
    )
    assert checked == ["need_help"]
    sent["recipient"].refresh_from_db()
    assert sent["recipient"].answer == ""
    assert "sessionid" not in response.cookies
    assert response["Referrer-Policy"] == "no-referrer"


def test_post_records_the_answer_and_a_change_later(client, sent):
    url = path_of(sent["url"])
    response = client.post(url, {"answer": "safe"})
    assert response.status_code == 200 and response.context["done"]
    recipient = AlertRecipient.objects.get(pk=sent["recipient"].pk)
    assert recipient.answer == "safe" and recipient.answered_at
    client.post(url, {"answer": "safe"})  # the same again: nothing new
    assert AuditEvent.objects.filter(action="alert.answer").count() == 1
    client.post(url, {"answer": "need_help"})
    events = AuditEvent.objects.filter(action="alert.answer").order_by("pk")
    assert [e.data["answer"] for e in events] == ["safe", "need_help"]
    assert events.last().data["previous"] == "safe"
    assert "sessionid" not in client.cookies


def test_an_expired_link_is_refused_with_whom_to_call(client, sent, settings):
    settings.OVERSEAS_SAFETY_ALERT_LINK_DAYS = 7
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        response = client.get(path_of(sent["url"]))
        assert response.status_code == 410
        assert response.context["liaisons"] == [sent["liaison"]]
        assert client.post(path_of(sent["url"]), {"answer": "safe"}).status_code == 410
    sent["recipient"].refresh_from_db()
    assert sent["recipient"].answer == ""


def test_a_tampered_or_foreign_token_is_not_found(client, sent):
    token = alerts.answer_token(sent["recipient"])
    other = AlertRecipient.objects.exclude(pk=sent["recipient"].pk).first()
    forged = token.replace(
        signing.b64_encode(signing.JSONSerializer().dumps([sent["alert"].pk, sent["recipient"].pk])).decode(),
        signing.b64_encode(signing.JSONSerializer().dumps([sent["alert"].pk, other.pk])).decode(),
    )
    assert forged != token
    unsalted = signing.dumps([sent["alert"].pk, sent["recipient"].pk])  # signed for something else
    for bad in (forged, token[:-2] + "xx", unsalted, "nonsense"):
        assert client.get(reverse("overseas_safety:alert_answer", args=[bad])).status_code == 404
        assert (
            client.post(reverse("overseas_safety:alert_answer", args=[bad]), {"answer": "safe"}).status_code
            == 404
        )
    assert not AlertRecipient.objects.exclude(answer="").exists()


def test_need_help_opens_exactly_one_incident_each(client, sent, officer):
    DutyShift.objects.create(day=TODAY(), officer=officer)
    url = path_of(sent["url"])
    client.post(url, {"answer": "need_help"})
    client.post(url, {"answer": "safe"})
    client.post(url, {"answer": "need_help"})
    incident = Incident.objects.get()
    assert incident.alert_answer_id == sent["recipient"].pk
    assert (incident.level, incident.kind, incident.source) == (Level.III, IncidentKind.OTHER, Source.ALERT)
    assert incident.reported_by is None and incident.duty_officer == officer
    assert incident.people.get().person_id == sent["recipient"].person_id
    assert Notification.objects.filter(recipient=officer, key=f"incident:{incident.pk}:report").exists()
    # Another person of the same organisation in the same country: their own incident, not a "duplicate".
    colleague = sent["alert"].recipients.get(person=sent["travellers"][2])
    alerts.alert_answer(recipient=colleague, answer="need_help")
    assert Incident.objects.count() == 2


def test_counts_and_who_has_not_answered(sent):
    alert = sent["alert"]
    alerts.alert_answer(recipient=sent["recipient"], answer="safe")
    staff = alert.recipients.get(person=sent["staff"][0])
    alerts.alert_answer(recipient=staff, answer="need_help")
    assert alerts.answer_counts(alert) == {"total": 5, "safe": 1, "need_help": 1, "none": 3}
    waiting = alerts.not_answered(alert)
    assert {row.person_id for row in waiting} == {
        sent["travellers"][0].pk,
        sent["travellers"][2].pk,
        sent["staff"][1].pk,
    }
    berlin = next(row for row in waiting if row.person_id == sent["staff"][1].pk)
    assert any("+86 379 6000 0001" in phone for phone in berlin.liaison_phones)


def test_the_fan_out_queries_grow_with_batches_not_with_people(organization, liaison, officer, monkeypatch):
    def deliver(people):
        alert = alerts.alert_create(actor=officer, data={"country": "DE", "title": "t", "message": "m"})
        SafetyAlert.objects.filter(pk=alert.pk).update(state="sending")
        AlertRecipient.objects.bulk_create(
            AlertRecipient(alert=alert, person=p, organization=organization, source="trip") for p in people
        )
        with CaptureQueriesContext(connection) as queries:
            alerts.alert_deliver(alert.pk)
        return len(queries)

    few = deliver(PersonFactory.create_batch(3, organization=organization))
    many = deliver(PersonFactory.create_batch(30, organization=organization))
    assert many == few  # one liaison message either way; no query per person
    monkeypatch.setattr(alerts, "BATCH_SIZE", 5)
    # Five organisations of one or three people, batches of five people: every one is told.
    others = [PersonFactory(organization=enterprise_user(liaison=True).organization) for _ in range(4)]
    alert = alerts.alert_create(actor=officer, data={"country": "DE", "title": "t", "message": "m"})
    SafetyAlert.objects.filter(pk=alert.pk).update(state="sending")
    AlertRecipient.objects.bulk_create(
        AlertRecipient(alert=alert, person=p, organization=p.organization, source="trip")
        for p in PersonFactory.create_batch(3, organization=organization) + others
    )
    alerts.alert_deliver(alert.pk)
    assert SafetyAlert.objects.get(pk=alert.pk).sent_count == 7


# The organisation's page ------------------------------------------------------------------------------------


def test_the_liaison_sees_their_people_only_and_answers_for_one(client, sent):
    client.force_login(sent["liaison"])
    page = client.get(reverse("overseas_safety:alert_list"))
    assert page.status_code == 200
    shown = {row.person_id for row in page.context["page"].object_list[0].ours}
    assert shown == {p.pk for p in sent["travellers"]}
    answer_url = reverse("overseas_safety:alert_recipient_answer", args=[sent["recipient"].pk])
    assert client.post(answer_url, {"answer": "safe"}).status_code == 302
    sent["recipient"].refresh_from_db()
    assert sent["recipient"].answer == "safe"
    event = AuditEvent.objects.get(action="alert.answer")
    assert event.actor == sent["liaison"] and event.data["by"] == "account"
    staff = sent["alert"].recipients.get(person=sent["staff"][0])
    other = reverse("overseas_safety:alert_recipient_answer", args=[staff.pk])
    assert client.post(other, {"answer": "safe"}).status_code == 404


def test_a_colleague_who_is_not_the_liaison_cannot_answer_for_others(client, sent, applicant):
    client.force_login(applicant)
    url = reverse("overseas_safety:alert_recipient_answer", args=[sent["recipient"].pk])
    client.post(url, {"answer": "safe"})
    sent["recipient"].refresh_from_db()
    assert sent["recipient"].answer == ""


# The back office ----------------------------------------------------------------------------------------------


def test_the_officer_composes_sees_who_is_there_and_sends(
    client, world, officer, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    response = client.post(
        reverse("admin:overseas_safety_safetyalert_add"),
        {"country": "DE", "city": "Berlin", "title": "Unrest", "message": "Avoid the centre."},
    )
    alert = SafetyAlert.objects.get()
    assert response.status_code == 302 and alert.city == "Berlin" and alert.state == "draft"
    page = client.get(reverse("admin:overseas_safety_safetyalert_change", args=[alert.pk]))
    assert page.context["presence"]["people"] == 2  # Berlin: the two stationed staff only
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:overseas_safety_safetyalert_send", args=[alert.pk]))
    alert.refresh_from_db()
    assert (alert.state, alert.recipient_count) == ("sent", 2)
    alerts.alert_create(actor=officer, data={"country": "FR", "title": "A draft", "message": "m"})
    listing = client.get(reverse("admin:overseas_safety_safetyalert_changelist"))
    assert listing.status_code == 200 and "A draft" in listing.content.decode()


def test_the_alert_page_lists_who_needs_help_and_who_has_not_answered(client, sent, leader):
    alerts.alert_answer(recipient=sent["recipient"], answer="need_help")
    client.force_login(leader)
    page = client.get(reverse("admin:overseas_safety_safetyalert_change", args=[sent["alert"].pk]))
    assert page.status_code == 200
    assert page.context["counts"]["need_help"] == 1
    assert page.context["need_help"][0].incident == Incident.objects.get()
    assert len(page.context["not_answered"]) == 4
    assert not page.context["can_send"]
    client.post(reverse("admin:overseas_safety_safetyalert_send", args=[sent["alert"].pk]))
    assert AuditEvent.objects.filter(action="alert.send").count() == 1


def test_the_organisations_page_shows_the_first_people_of_each_alert_and_all_of_one_on_its_own_page(
    client, liaison, organization, officer, django_capture_on_commit_callbacks
):
    from overseas_safety.views import alerts as alert_views

    staff = stationed(organization, count=alert_views.SHOWN + 3)
    alert = send(officer, django_capture_on_commit_callbacks)
    client.force_login(liaison)
    page = client.get("/safety/alerts/").content.decode()
    assert page.count("data-person=") == alert_views.SHOWN
    assert f'href="?alert={alert.pk}"' in page
    whole = client.get(f"/safety/alerts/?alert={alert.pk}").content.decode()
    assert whole.count("data-person=") == len(staff)
    assert client.get("/safety/alerts/?alert=999999").status_code == 404
    assert client.get("/safety/alerts/?alert=x").status_code == 404
