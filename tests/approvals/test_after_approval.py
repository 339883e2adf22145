"""After approval, through the API: the permit, public notices and objections, custody, the report; and
their deadlines and reminders with frozen time."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from approvals import services
from approvals.models import PassportHandover
from approvals.reminders import send_report_and_passport_reminders
from approvals.workflow import State
from foreign_affairs.notifications.models import Notification
from tests.approvals.factories import ApplicationFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/travel-applications/"
ZHENGZHOU = timezone.get_default_timezone()


@pytest.fixture
def issued(organization, officer, applicant, settings, django_capture_on_commit_callbacks):
    settings.DISCLOSURE_WORKING_DAYS = 0
    application = ApplicationFactory(organization=organization, in_review=True, created_by=applicant)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_transition(application=application, actor=officer, name="approve")
    application.refresh_from_db()
    return application


def test_the_api_shows_and_serves_the_permit(api_as, applicant, other_applicant, organization, issued):
    api = api_as(applicant)
    detail = api.get(f"{URL}{issued.pk}/").json()
    permit = issued.permit
    assert detail["state"] == "permit_issued"
    assert detail["permit"] == {
        "number": permit.number,
        "verification_code": permit.verification_code,
        "verify_url": permit.verify_url,
        "issued_at": detail["permit"]["issued_at"],
        "valid_until": permit.valid_until.isoformat(),
        "status": "valid",
    }
    assert detail["permit"]["verify_url"].endswith(f"/verify/{permit.verification_code}/")
    download = api.get(f"{URL}{issued.pk}/permit/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert api_as(other_applicant).get(f"{URL}{issued.pk}/permit/").status_code == 404
    draft = ApplicationFactory(organization=organization)
    assert (
        api.get(f"{URL}{draft.pk}/permit/").status_code == 404
        and api.get(f"{URL}{draft.pk}/").json()["permit"] is None
    )


def test_public_notices_and_objections_through_the_api(
    api_client, api_as, officer, organization, settings, django_capture_on_commit_callbacks
):
    settings.DISCLOSURE_WORKING_DAYS = 5
    cache.clear()
    application = ApplicationFactory(organization=organization, in_review=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_transition(application=application, actor=officer, name="approve")
    notices = api_client.get("/api/v1/notices/").json()["results"]  # anonymous
    assert [n["content"]["reference"] for n in notices] == [application.reference]
    assert "passport" not in str(notices[0]["content"]).lower()
    notice = notices[0]["id"]
    filed = api_client.post(
        f"/api/v1/notices/{notice}/objections/", {"text": "邀请函系伪造。"}, format="json"
    )
    assert filed.status_code == 201
    statuses = [
        api_client.post(
            f"/api/v1/notices/{notice}/objections/", {"text": f"第{n}条"}, format="json"
        ).status_code
        for n in range(5)
    ]
    assert statuses[-1] == 429  # five an hour per client
    officer_api = api_as(officer)
    pending = officer_api.get("/api/v1/objections/", {"status": "pending"}).json()["results"]
    assert len(pending) == 5
    assert api_client.get("/api/v1/objections/").status_code == 401
    no_reason = officer_api.post(f"/api/v1/objections/{pending[-1]['id']}/dismiss/", {}, format="json")
    assert no_reason.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        upheld = officer_api.post(
            f"/api/v1/objections/{pending[-1]['id']}/uphold/", {"comment": "属实"}, format="json"
        )
    assert upheld.status_code == 200 and upheld.json()["status"] == "upheld"
    application.refresh_from_db()
    assert application.state == State.IN_REVIEW
    assert api_client.get("/api/v1/notices/").json()["count"] == 0
    cache.clear()


def test_the_report_through_the_api_and_its_deadline(
    api_as, applicant, officer, organization, settings, django_capture_on_commit_callbacks
):
    settings.DISCLOSURE_WORKING_DAYS = 0
    past = timezone.localdate() - timedelta(days=12)
    application = ApplicationFactory(
        organization=organization, approved=True, trip__departure=past, created_by=applicant
    )
    services.permit_issue(application_id=application.pk)
    application.refresh_from_db()
    assert application.report_due_on == application.return_date + timedelta(days=15)
    body = {
        "summary": "完成考察",
        "outcomes": "意向书两份",
        "agreements": "《合作意向书》",
        "actual_return_date": application.return_date.isoformat(),
        "actual_spending": "-1",
    }
    assert (
        api_as(applicant).post(f"{URL}{application.pk}/submit_report/", body, format="json").status_code
        == 400
    )
    body["actual_spending"] = "88000.50"
    response = api_as(applicant).post(f"{URL}{application.pk}/submit_report/", body, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["report_agreements"], response.json()["actual_spending"]) == (
        "《合作意向书》",
        "88000.50",
    )
    accepted = api_as(officer).post(f"{URL}{application.pk}/accept_report/", {}, format="json")
    assert accepted.json()["state"] == "closed"


def test_report_reminders_before_and_after_the_deadline_and_the_rule_that_blocks(
    organization, applicant, liaison, officer, settings, django_capture_on_commit_callbacks
):
    settings.DISCLOSURE_WORKING_DAYS = 0
    with time_machine.travel(datetime(2026, 9, 1, 9, tzinfo=ZHENGZHOU), tick=False):
        application = ApplicationFactory(
            organization=organization, approved=True, created_by=applicant, trip__departure=date(2026, 10, 12)
        )
        services.permit_issue(application_id=application.pk)
    application.refresh_from_db()
    due = application.report_due_on
    assert due == date(2026, 10, 18) + timedelta(days=15)

    def inbox(user):
        return Notification.objects.filter(
            recipient=user, channel="in_app", key__startswith="report-"
        ).count()

    for day, applicant_inbox, officer_inbox in [
        (due - timedelta(days=4), 0, 0),  # too early
        (due - timedelta(days=3), 1, 0),  # "due soon", once
        (due - timedelta(days=1), 1, 0),
        (due + timedelta(days=1), 2, 1),  # overdue: the officers hear of it too
        (due + timedelta(days=5), 2, 1),
    ]:
        send_report_and_passport_reminders(today=day)
        assert (inbox(applicant), inbox(officer)) == (applicant_inbox, officer_inbox), day
    assert inbox(liaison) == 2

    with time_machine.travel(datetime.combine(due + timedelta(days=1), datetime.min.time(), ZHENGZHOU)):
        next_trip = ApplicationFactory(
            organization=organization, created_by=applicant, trip__departure=due + timedelta(days=60)
        )
        from foreign_affairs.errors import RulesFailed

        with pytest.raises(RulesFailed) as refused:
            services.application_transition(application=next_trip, actor=applicant, name="submit")
    assert refused.value.findings[0]["code"] == "overdue_reports"


def test_passport_custody_with_its_deadline(
    api_as, liaison, applicant, officer, organization, issued, django_capture_on_commit_callbacks
):
    member = issued.members.first().person
    api = api_as(liaison)
    refused = api_as(applicant).post(
        "/api/v1/passport-handovers/", {"application": issued.pk, "person": member.pk}, format="json"
    )
    assert refused.status_code == 403
    out = api.post(
        "/api/v1/passport-handovers/",
        {"application": issued.pk, "person": member.pk, "handed_to": "本人"},
        format="json",
    )
    assert out.status_code == 201, out.json()
    from foreign_affairs.workdays.selectors import add_working_days

    handover = PassportHandover.objects.get()
    assert handover.due_on == add_working_days(issued.return_date, 5)
    twice = api.post(
        "/api/v1/passport-handovers/", {"application": issued.pk, "person": member.pk}, format="json"
    )
    assert twice.status_code == 400  # one passport, one open handover

    send_report_and_passport_reminders(today=handover.due_on)
    assert not Notification.objects.filter(key__startswith="passport-overdue").exists()
    send_report_and_passport_reminders(today=handover.due_on + timedelta(days=1))
    send_report_and_passport_reminders(today=handover.due_on + timedelta(days=2))
    assert (
        Notification.objects.filter(
            recipient=liaison, key__startswith="passport-overdue", channel="in_app"
        ).count()
        == 1
    )
    assert (
        Notification.objects.filter(
            recipient=officer, key__startswith="passport-overdue", channel="in_app"
        ).count()
        == 1
    )

    back = api.post(f"/api/v1/passport-handovers/{handover.pk}/return/", format="json")
    assert back.status_code == 200 and back.json()["returned_at"]
    assert api.post(f"/api/v1/passport-handovers/{handover.pk}/return/", format="json").status_code == 400
    assert api_as(officer).get("/api/v1/passport-handovers/").json()["count"] == 1


def test_only_official_passports_of_members_are_kept(liaison, organization, issued):
    from django.core.exceptions import ValidationError

    from tests.factories import PersonFactory

    outsider = PersonFactory(organization=organization)
    with pytest.raises(ValidationError):
        services.passport_hand_out(application=issued, person=outsider, actor=liaison)
    member = issued.members.first().person
    member.passport_type = "ordinary"
    member.save()
    with pytest.raises(ValidationError):
        services.passport_hand_out(application=issued, person=member, actor=liaison)


def test_cancelling_revokes_the_permit(api_as, applicant, issued):
    response = api_as(applicant).post(f"{URL}{issued.pk}/cancel/", {"comment": "展会取消"}, format="json")
    assert response.status_code == 200
    assert response.json()["permit"]["status"] == "revoked"


def test_the_api_records_the_day_a_passport_came_back(api_as, liaison, applicant, officer, issued):
    """`returned_on` is optional (today); a day in the future or before the hand-out is a 400 on the field."""
    from drf_spectacular.generators import SchemaGenerator

    from tests.factories import enterprise_user

    member = issued.members.first().person
    with time_machine.travel(timezone.now() - timedelta(days=4)):
        handover = services.passport_hand_out(application=issued, person=member, actor=liaison)
    url = f"/api/v1/passport-handovers/{handover.pk}/return/"
    api = api_as(liaison)
    today = timezone.localdate()

    for day in (
        "2026-02-30",
        "yesterday",
        (today + timedelta(days=1)).isoformat(),
        (today - timedelta(days=5)).isoformat(),
    ):
        refused = api.post(url, {"returned_on": day}, format="json")
        assert refused.status_code == 400, day
        assert [error["field"] for error in refused.json()["errors"]] == ["returned_on"], refused.json()
    assert api_as(applicant).post(url, {"returned_on": today.isoformat()}, format="json").status_code == 403
    stranger = enterprise_user(liaison=True)
    assert api_as(stranger).post(url, {"returned_on": today.isoformat()}, format="json").status_code == 404
    handover.refresh_from_db()
    assert handover.returned_at is None

    came_back = today - timedelta(days=2)
    back = api.post(url, {"returned_on": came_back.isoformat()}, format="json")
    assert back.status_code == 200, back.json()
    assert datetime.fromisoformat(back.json()["returned_at"]).astimezone(ZHENGZHOU).date() == came_back
    handover.refresh_from_db()
    assert timezone.localtime(handover.returned_at).date() == came_back and handover.received_by == liaison

    # The schema declares the optional date.
    schema = SchemaGenerator().get_schema(request=None, public=True)
    body = schema["paths"]["/api/v1/passport-handovers/{id}/return/"]["post"]["requestBody"]["content"]
    reference = body["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    fields = schema["components"]["schemas"][reference]
    assert fields["properties"]["returned_on"]["format"] == "date" and "returned_on" not in fields.get(
        "required", []
    )
