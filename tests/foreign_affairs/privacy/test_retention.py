"""Retention (foreign_affairs.privacy.retention): with frozen time, exactly what is past its period goes,
nothing while its case is open; the dry run removes nothing and lists what would go; a second run removes
nothing more; each purge leaves an audit event without personal data; files leave storage."""

import dataclasses
import io
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from apec_cards import retention as apec_retention
from approvals import retention as approvals_retention
from approvals.models import Attachment, DelegationMember, Disclosure, PassportHandover, TravelApplication
from exchanges import retention as exchanges_retention
from exchanges.models import ContactAccess, MediaMessage, MediaRequest
from exchanges.services import media as media_services
from exchanges.workflow import MediaState
from foreign_affairs.accounts.roles import Role
from foreign_affairs.areas import registry
from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.documents.models import Document, private_storage
from foreign_affairs.documents.services import document_create
from foreign_affairs.privacy import admin_retention, retention
from foreign_affairs.privacy.models import PersonalDataAccess, RetentionRule, Seen
from foreign_affairs.privacy.tasks import apply_retention
from tests.apec_cards import helpers as apec
from tests.approvals.factories import ApplicationFactory
from tests.exchanges.factories import media_request
from tests.factories import PersonFactory, office_user

# privacy/admin.py imports the module; imported here too, before the first URL is resolved.
assert admin_retention.RetentionRuleAdmin
SHANGHAI = ZoneInfo("Asia/Shanghai")
CLOSED_ON = datetime(2023, 3, 15, 10, 0, tzinfo=SHANGHAI)


def months_after(moment, months, days=0):
    return retention.months_before(moment, -months) + timedelta(days=days)


@pytest.fixture(autouse=True)
def area_kinds(monkeypatch):
    """The areas' kinds, as their area.py registers them."""
    for name, module in (
        ("approvals", approvals_retention),
        ("apec_cards", apec_retention),
        ("exchanges", exchanges_retention),
    ):
        area = registry.get(name)
        monkeypatch.setitem(registry._areas, name, dataclasses.replace(area, retention=module.RETENTION))


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """apply() at `now`, with the after-commit file deletions run."""

    def apply_at(now, **kwargs):
        with time_machine.travel(now, tick=False), django_capture_on_commit_callbacks(execute=True):
            return retention.apply(**kwargs)

    return apply_at


def png(name="passport.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), "white").save(buffer, format="PNG")
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def attach(application, kind, attachment_kind="other", name="张三护照.png"):
    document = document_create(
        uploaded_file=png(name), kind=kind, organization=application.organization, uploaded_by=None
    )
    return Attachment.objects.create(application=application, kind=attachment_kind, document=document)


def closed_application(at=CLOSED_ON, **kwargs):
    with time_machine.travel(at, tick=False):
        return ApplicationFactory(closed=True, state_changed_at=timezone.now(), **kwargs)


def purge_events():
    return list(AuditEvent.objects.filter(action=retention.PURGE_ACTION).order_by("pk"))


def event_text(event) -> str:
    return json.dumps(event.data, ensure_ascii=False) + event.object_repr + event.comment


# Approvals: scans and photographs --------------------------------------------------------------------------


@pytest.mark.django_db
def test_scans_of_a_closed_application_go_24_months_after_closure_not_a_day_earlier(run):
    application = closed_application()
    scan = attach(application, "passport_scan")
    photo = attach(application, "other", attachment_kind="photo", name="照片.png")
    names = [scan.document.file.name, photo.document.file.name]
    assert all(private_storage().exists(name) for name in names)
    person = application.members.first().person

    run(months_after(CLOSED_ON, 24, days=-1))
    assert Attachment.objects.filter(application=application).count() == 3
    assert not purge_events()

    summary = run(months_after(CLOSED_ON, 24, days=1))
    assert summary["kinds"]["travel_scans"]["purged"] == 1
    assert list(Attachment.objects.filter(application=application).values_list("kind", flat=True)) == [
        "invitation"
    ]
    assert not Document.objects.filter(pk__in=[scan.document_id, photo.document_id]).exists()
    assert not any(private_storage().exists(name) for name in names)
    [event] = purge_events()
    assert event.actor is None and event.object_repr == ""
    assert event.data["kind"] == "travel_scans" and event.data["case"] == application.reference
    assert event.data["removed"] == {"attachments": 2, "files": 2}
    assert event.data["closed_at"].startswith("2023-03-15")
    text = event_text(event)
    assert person.full_name not in text and person.passport_number not in text and "护照" not in text


@pytest.mark.django_db
def test_an_open_applications_scans_never_go_however_old(run):
    with time_machine.travel(CLOSED_ON - timedelta(days=3650), tick=False):
        application = ApplicationFactory(permit_issued=True, state_changed_at=timezone.now())
    scan = attach(application, "passport_scan")
    now = months_after(CLOSED_ON, 240)
    with time_machine.travel(now, tick=False):
        assert not [item for item in retention.plan() if item.case == application.reference]
    run(now)
    assert Attachment.objects.filter(pk=scan.pk).exists()
    assert private_storage().exists(scan.document.file.name)
    assert not purge_events()


@pytest.mark.django_db
def test_the_dry_run_lists_what_goes_and_removes_nothing_and_a_second_run_removes_nothing_more(run):
    old = closed_application()
    attach(old, "passport_scan")
    young = closed_application(at=CLOSED_ON + timedelta(days=60))
    attach(young, "passport_scan")
    now = months_after(CLOSED_ON, 24, days=1)

    with time_machine.travel(now, tick=False):
        listed = {(item.kind, item.case) for item in retention.plan()}
    assert ("travel_scans", old.reference) in listed
    assert ("travel_scans", young.reference) not in listed

    summary = run(now, dry_run=True)
    assert summary["dry_run"] and summary["purged"] == 0 and summary["due"] == len(listed)
    assert Attachment.objects.filter(document__kind="passport_scan").count() == 2
    assert not purge_events()

    summary = run(now)
    purged = {(event.data["kind"], event.data["case"]) for event in purge_events()}
    assert purged == listed and summary["purged"] == len(listed)
    assert Attachment.objects.filter(application=young, document__kind="passport_scan").exists()

    events = AuditEvent.objects.count()
    summary = run(now)
    assert summary["due"] == 0 and summary["purged"] == 0
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_a_kind_not_enforced_is_listed_but_nothing_goes(run):
    application = closed_application()
    attach(application, "passport_scan")
    retention.rules_create_missing()
    RetentionRule.objects.filter(kind="travel_scans").update(enabled=False)
    summary = run(months_after(CLOSED_ON, 30))
    assert summary["kinds"]["travel_scans"] == {**summary["kinds"]["travel_scans"], "due": 1, "purged": 0}
    assert Attachment.objects.filter(application=application, document__kind="passport_scan").exists()


@pytest.mark.django_db
def test_the_office_sets_the_months(run):
    application = closed_application()
    attach(application, "passport_scan")
    retention.rules_create_missing()
    RetentionRule.objects.filter(kind="travel_scans").update(months=6)
    run(months_after(CLOSED_ON, 6, days=-1))
    assert Attachment.objects.filter(application=application, document__kind="passport_scan").exists()
    run(months_after(CLOSED_ON, 6, days=1))
    assert not Attachment.objects.filter(application=application, document__kind="passport_scan").exists()


# Approvals: the archive period ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_travellers_data_goes_after_the_archive_period_and_the_shell_stays(run):
    officer = office_user(Role.OFFICER)
    application = closed_application()
    people = [member.person for member in application.members.all()]
    with time_machine.travel(CLOSED_ON - timedelta(days=30), tick=False):
        PassportHandover.objects.create(
            person=people[0],
            application=application,
            passport_number=people[0].passport_number,
            handed_out_by=officer,
            handed_to="王秘书",
            due_on=timezone.localdate() + timedelta(days=20),
            returned_at=timezone.now() + timedelta(days=15),
        )
    Disclosure.objects.create(
        application=application,
        kind="trip",
        content={"reference": application.reference, "members": [{"name": people[0].full_name}]},
        ends_on=CLOSED_ON.date(),
        outcome="completed",
    )
    invitation = application.attachments.get().document_id

    run(months_after(CLOSED_ON, 120, days=-1))
    assert DelegationMember.objects.filter(application=application).count() == 3

    run(months_after(CLOSED_ON, 120, days=1))
    application = TravelApplication.objects.get(pk=application.pk)
    assert not DelegationMember.objects.filter(application=application).exists()
    assert not PassportHandover.objects.filter(application=application).exists()
    assert not Document.objects.filter(pk=invitation).exists()
    assert "members" not in application.disclosures.get().content
    assert (application.contact_name, application.contact_phone, application.leader_name) == ("", "", "")
    # The shell, for the statistics.
    assert application.reference and application.countries == "DE,FR" and application.member_count == 3
    assert application.legs.count() == 2
    [event] = [event for event in purge_events() if event.data["kind"] == "travel_applications"]
    assert event.data["removed"]["members"] == 3 and event.data["removed"]["passport_handovers"] == 1
    text = event_text(event)
    assert all(person.full_name not in text and person.passport_number not in text for person in people)
    assert "李娜" not in text and "王秘书" not in text


@pytest.mark.django_db
def test_an_application_whose_passport_is_still_out_keeps_its_data(run):
    officer = office_user(Role.OFFICER)
    application = closed_application()
    person = application.members.first().person
    PassportHandover.objects.create(
        person=person,
        application=application,
        passport_number=person.passport_number,
        handed_out_by=officer,
        handed_to="王秘书",
        due_on=CLOSED_ON.date(),
    )
    run(months_after(CLOSED_ON, 130))
    assert DelegationMember.objects.filter(application=application).count() == 3
    assert PassportHandover.objects.filter(application=application).exists()


# APEC cards --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_apec_scans_go_24_months_after_the_decision_and_never_while_an_economy_has_not_answered(
    run, applicant, liaison, officer
):
    with time_machine.travel(CLOSED_ON, tick=False):
        person = apec.card_person(applicant.organization)
        rejected = apec.to_preclearance(
            apec.draft(applicant, person), applicant=applicant, liaison=liaison, officer=officer
        )
        rejected = apec.run(rejected, officer, "reject", comment="不符合条件")
        issued = apec.issued_card(applicant=applicant, liaison=liaison, officer=officer).application
    files = [attachment.document.file.name for attachment in rejected.attachments.select_related("document")]
    assert len(files) == 2

    run(months_after(CLOSED_ON, 24, days=-1))
    assert rejected.attachments.count() == 2

    run(months_after(CLOSED_ON, 24, days=1))
    assert not rejected.attachments.filter(kind__in=["passport", "photo"]).exists()
    assert not any(private_storage().exists(name) for name in files)
    # Two economies of the card issued early have not answered: the case is open.
    assert issued.attachments.filter(kind__in=["passport", "photo"]).count() == 2
    [event] = purge_events()
    assert event.data["case"] == rejected.reference and event.data["kind"] == "apec_scans"
    assert person.full_name not in event_text(event) and person.passport_number not in event_text(event)


# Exchanges ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_journalists_details_go_36_months_after_the_request_closed(run, officer):
    with time_machine.travel(CLOSED_ON, tick=False):
        declined = media_request()
        declined = media_services.media_request_run(
            request=declined, actor=officer, name="decline", comment="日程已满"
        )
        still_open = media_request(journalist_name="Jean Dupont", email="jean@example.fr")
    assert declined.state == MediaState.DECLINED

    run(months_after(CLOSED_ON, 36, days=-1))
    assert MediaRequest.objects.get(pk=declined.pk).journalist_name == "Claire Martin"

    run(months_after(CLOSED_ON, 36, days=1))
    declined = MediaRequest.objects.get(pk=declined.pk)
    assert (declined.journalist_name, declined.email, declined.phone, declined.press_card) == ("", "", "", "")
    assert declined.outlet == "Le Quotidien Économique" and declined.reference
    assert not MediaMessage.objects.filter(request=declined).exists()
    assert MediaRequest.objects.get(pk=still_open.pk).journalist_name == "Jean Dupont"
    [event] = [event for event in purge_events() if event.data["kind"] == "interview_requests"]
    assert event.data["case"] == declined.reference
    assert "Claire" not in event_text(event) and "claire.martin" not in event_text(event)


# Shared kinds ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_access_records_go_36_months_after_they_were_written(run, officer):
    person = PersonFactory()
    with time_machine.travel(CLOSED_ON, tick=False):
        old = PersonalDataAccess.objects.create(
            user=officer, person=person, seen=Seen.PASSPORT_NUMBER, door="page"
        )
    with time_machine.travel(CLOSED_ON + timedelta(days=2), tick=False):
        young = PersonalDataAccess.objects.create(
            user=officer, person=person, seen=Seen.PASSPORT_NUMBER, door="page"
        )
        ContactAccess.objects.create(reference="HNOC-2023-0001", viewer=officer, door="page")

    run(months_after(CLOSED_ON, 36, days=-1))
    assert PersonalDataAccess.objects.filter(pk=old.pk).exists()

    run(months_after(CLOSED_ON, 36, days=1))
    assert not PersonalDataAccess.objects.filter(pk=old.pk).exists()
    assert PersonalDataAccess.objects.filter(pk=young.pk).exists()
    [event] = [event for event in purge_events() if event.data["kind"] == "access_records"]
    assert event.data == {**event.data, "case": "2023-03-15", "removed": {"access_records": 1}}

    run(months_after(CLOSED_ON, 36, days=3))
    assert not PersonalDataAccess.objects.exists() and not ContactAccess.objects.exists()


@pytest.mark.django_db
def test_emails_to_people_without_an_account_are_blanked_12_months_after_sending(run):
    with time_machine.travel(CLOSED_ON, tick=False):
        request = media_request()
    message = MediaMessage.objects.get(request=request)
    MediaMessage.objects.filter(pk=message.pk).update(sent_at=CLOSED_ON)

    run(months_after(CLOSED_ON, 12, days=-1))
    assert MediaMessage.objects.get(pk=message.pk).to == "claire.martin@example.fr"

    run(months_after(CLOSED_ON, 12, days=1))
    message = MediaMessage.objects.get(pk=message.pk)
    assert (message.to, message.subject, message.body) == ("", "", "")
    [event] = [event for event in purge_events() if event.data["kind"] == "outbox_messages"]
    assert event.data["case"] == request.reference and "claire" not in event_text(event).lower()
    # The request is open: its own details stay.
    assert MediaRequest.objects.get(pk=request.pk).email == "claire.martin@example.fr"


# Rules, the job, the command and the back office ----------------------------------------------------------


@pytest.mark.django_db
def test_every_kind_has_a_rule_with_its_default_months():
    retention.rules_create_missing()
    rules = dict(RetentionRule.objects.values_list("kind", "months"))
    assert rules == {**rules, "access_records": 36, "outbox_messages": 12, "travel_scans": 24}
    assert (
        rules["travel_applications"] == 120
        and rules["apec_scans"] == 24
        and rules["interview_requests"] == 36
    )
    RetentionRule.objects.filter(kind="travel_scans").update(months=18)
    assert retention.rules_create_missing() == 0
    assert RetentionRule.objects.get(kind="travel_scans").months == 18


@pytest.mark.django_db
def test_the_shared_rules_exist_after_migrate():
    assert set(RetentionRule.objects.values_list("kind", flat=True)) >= {"access_records", "outbox_messages"}


@pytest.mark.django_db
def test_the_task_purges_and_is_safe_to_run_twice(django_capture_on_commit_callbacks):
    application = closed_application()
    attach(application, "passport_scan")
    with time_machine.travel(months_after(CLOSED_ON, 25), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            first = apply_retention.apply().get()
        second = apply_retention.apply().get()
    assert first["purged"] >= 1 and second == {"due": 0, "purged": 0, "failed": 0}


@pytest.mark.django_db
def test_the_command_prints_the_plan_and_the_dry_run_removes_nothing(django_capture_on_commit_callbacks):
    application = closed_application()
    attach(application, "passport_scan")
    out = io.StringIO()
    with time_machine.travel(months_after(CLOSED_ON, 25), tick=False):
        call_command("apply_retention", "--dry-run", stdout=out)
        assert f"  {application.reference}  closed 2023-03-15" in out.getvalue()
        assert "travel_scans: 1 due, kept 24 months" in out.getvalue()
        assert "nothing removed" in out.getvalue()
        assert application.attachments.count() == 2
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("apply_retention", stdout=out)
    assert "travel_scans: attachments 1, files 1" in out.getvalue()
    assert application.attachments.count() == 1


def _login(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.django_db
def test_the_dry_run_page_lists_what_would_go_and_purge_now_asks_first(
    client, django_capture_on_commit_callbacks
):
    application = closed_application()
    attach(application, "passport_scan")
    leader = office_user(Role.LEADER)
    _login(client, leader)
    with time_machine.travel(months_after(CLOSED_ON, 25), tick=True):
        page = client.get(reverse("admin:privacy_retention_dry_run"))
        assert page.status_code == 200
        html = page.content.decode()
        assert f'<tr data-case="{application.reference}">' in html and "15 Mar 2023" in html
        assert reverse("admin:privacy_retention_purge") in html
        assert application.attachments.count() == 2

        confirm = client.get(reverse("admin:privacy_retention_purge"))
        assert confirm.status_code == 200 and "Yes, purge now" in confirm.content.decode()
        assert application.attachments.count() == 2

        with django_capture_on_commit_callbacks(execute=True):
            done = client.post(reverse("admin:privacy_retention_purge"))
    assert done.status_code == 302
    assert application.attachments.count() == 1
    [event] = purge_events()
    assert event.actor == leader
    run_event = AuditEvent.objects.get(action=retention.RUN_ACTION)
    assert run_event.actor == leader and run_event.data["kinds"] == {"travel_scans": 1}


@pytest.mark.django_db
def test_officers_read_the_rules_and_the_dry_run_but_neither_change_nor_purge(client):
    retention.rules_create_missing()
    rule = RetentionRule.objects.get(kind="travel_scans")
    _login(client, office_user(Role.OFFICER))
    assert client.get(reverse("admin:privacy_retentionrule_changelist")).status_code == 200
    assert client.get(reverse("admin:privacy_retention_dry_run")).status_code == 200
    assert client.post(reverse("admin:privacy_retention_purge")).status_code == 403
    client.post(reverse("admin:privacy_retentionrule_change", args=[rule.pk]), {"months": 1, "enabled": "on"})
    assert RetentionRule.objects.get(pk=rule.pk).months == 24


@pytest.mark.django_db
def test_a_leader_changes_a_rule_and_the_change_is_audited(client):
    retention.rules_create_missing()
    rule = RetentionRule.objects.get(kind="travel_scans")
    _login(client, office_user(Role.LEADER))
    with translation.override("en"):
        listing = client.get(reverse("admin:privacy_retentionrule_changelist")).content.decode()
    assert "Passport scans and photographs of closed travel applications" in listing
    response = client.post(reverse("admin:privacy_retentionrule_change", args=[rule.pk]), {"months": 30})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.months == 30 and rule.enabled is False
    event = AuditEvent.objects.get(action=retention.RULE_ACTION)
    assert event.data["before"] == {"months": 24, "enabled": True}
    assert event.data["after"] == {"months": 30, "enabled": False}


@pytest.mark.django_db
def test_enterprise_users_do_not_reach_the_retention_pages(client, applicant):
    applicant.is_staff = True
    applicant.save()
    _login(client, applicant)
    assert client.get(reverse("admin:privacy_retention_dry_run")).status_code in (302, 403)


def test_months_before_keeps_the_day_or_takes_the_months_last():
    assert retention.months_before(datetime(2025, 3, 31, 8, 0), 1) == datetime(2025, 2, 28, 8, 0)
    assert retention.months_before(datetime(2025, 3, 15), 24) == datetime(2023, 3, 15)
    assert retention.months_before(datetime(2025, 1, 15), -2) == datetime(2025, 3, 15)
