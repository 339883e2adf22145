"""The state machine: every state × transition × role, concurrency, notifications after commit, audit."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connections, transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition

from approvals import services
from approvals.models import TravelApplication
from approvals.workflow import TRANSITIONS, State
from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.errors import StateConflict
from foreign_affairs.notifications.models import Notification
from tests.approvals.factories import ApplicationFactory
from tests.conftest import on_postgresql

pytestmark = pytest.mark.django_db

WITHDRAWABLE = [State.DRAFT, State.SUBMITTED, State.IN_REVIEW, State.RETURNED, State.PENDING_SIGNOFF]
CANCELLABLE = [State.APPROVED, State.PERMIT_ISSUED]
# Who may run each transition, and from which states (DESIGN.md, CONTRACT.md).
MAY = {
    "submit": {"applicant": [State.DRAFT], "liaison": [State.DRAFT]},
    "endorse": {"liaison": [State.SUBMITTED]},
    "return_for_changes": {
        "liaison": [State.SUBMITTED],
        "officer": [State.IN_REVIEW],
        "leader": [State.PENDING_SIGNOFF],
    },
    "resubmit": {"applicant": [State.RETURNED], "liaison": [State.RETURNED]},
    "approve": {"officer": [State.IN_REVIEW]},
    "escalate": {"officer": [State.IN_REVIEW]},
    "sign_off": {"leader": [State.PENDING_SIGNOFF]},
    "reject": {"officer": [State.IN_REVIEW], "leader": [State.PENDING_SIGNOFF]},
    "withdraw": {"applicant": WITHDRAWABLE, "liaison": WITHDRAWABLE},
    "cancel": {"applicant": CANCELLABLE, "liaison": CANCELLABLE, "officer": CANCELLABLE},
    "submit_report": {"applicant": [State.PERMIT_ISSUED], "liaison": [State.PERMIT_ISSUED]},
    "accept_report": {"officer": [State.REPORT_SUBMITTED]},
    "reopen": {"officer": [State.APPROVED]},
    "return_report": {"officer": [State.REPORT_SUBMITTED]},
}
ROLES = ["applicant", "liaison", "officer", "leader", "manager", "other_applicant"]
USER_TRANSITIONS = [name for name in TRANSITIONS if name != "issue_permit"]


def expected(role: str, name: str, state: str) -> int:
    if role == "other_applicant":
        return 404  # another organisation's application does not exist for them
    allowed = MAY[name]
    if role not in allowed:
        return 403
    if state not in allowed[role]:
        return 409
    if name == "submit_report":
        return 400  # the trip (60 days ahead) has not ended yet
    return 200


@pytest.fixture
def people(request, organization, other_organization):
    return {role: request.getfixturevalue(role) for role in ROLES}


def _body(name):
    if name == "submit_report":
        return {"summary": "完成", "actual_return_date": timezone.localdate().isoformat()}
    return {"comment": "请补充邀请函原件。"}


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("name", USER_TRANSITIONS)
def test_transition_matrix(api_as, people, organization, name, state, django_capture_on_commit_callbacks):
    application = ApplicationFactory(
        organization=organization, state=state, submitted_at=timezone.now() if state != State.DRAFT else None
    )
    for role in ROLES:
        want = expected(role, name, state)
        with django_capture_on_commit_callbacks(execute=True):
            response = api_as(people[role]).post(
                f"/api/v1/travel-applications/{application.pk}/{name}/", _body(name), format="json"
            )
        assert response.status_code == want, (role, name, state, response.json())
        application.refresh_from_db()
        if want == 200:
            assert (
                application.state == getattr(TravelApplication, name)._django_fsm.get_transition(state).target
            )
            application = ApplicationFactory(
                organization=organization, state=state, submitted_at=timezone.now()
            )
        else:
            assert application.state == state, "a refused transition changed the state"
            if want == 409:
                assert response.json()["state"] == state
                assert name not in response.json()["available_transitions"]


@pytest.mark.parametrize("state", list(State))
def test_users_only_see_the_transitions_they_may_run_now(api_as, people, organization, state):
    application = ApplicationFactory(organization=organization, state=state, submitted_at=timezone.now())
    for role in ROLES[:-1]:
        shown = api_as(people[role]).get(f"/api/v1/travel-applications/{application.pk}/").json()
        allowed = sorted(name for name in USER_TRANSITIONS if expected(role, name, state) == 200)
        assert shown["available_transitions"] == allowed, (role, state)


def test_approval_is_refused_when_the_rules_require_sign_off(api_as, officer, organization):
    application = ApplicationFactory(
        organization=organization, in_review=True, justification="需要参加两个展会"
    )
    TravelApplication.objects.filter(pk=application.pk).update(requires_signoff=True)
    response = api_as(officer).post(
        f"/api/v1/travel-applications/{application.pk}/approve/", {}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "signoff_required"
    shown = api_as(officer).get(f"/api/v1/travel-applications/{application.pk}/").json()
    assert "approve" not in shown["available_transitions"] and "escalate" in shown["available_transitions"]


@pytest.mark.parametrize("name", ["return_for_changes", "reject"])
def test_a_comment_is_required_to_return_or_reject(api_as, officer, organization, name):
    application = ApplicationFactory(organization=organization, in_review=True)
    response = api_as(officer).post(
        f"/api/v1/travel-applications/{application.pk}/{name}/", {"comment": "  "}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "comment"
    application.refresh_from_db()
    assert application.state == State.IN_REVIEW


def test_cancel_only_before_departure_and_report_only_after_return(api_as, applicant, organization):
    past = timezone.localdate() - timedelta(days=20)
    gone = ApplicationFactory(organization=organization, permit_issued=True, trip__departure=past)
    api = api_as(applicant)
    assert api.post(f"/api/v1/travel-applications/{gone.pk}/cancel/", {}, format="json").status_code == 400
    missing = api.post(
        f"/api/v1/travel-applications/{gone.pk}/submit_report/", {"summary": ""}, format="json"
    )
    assert missing.status_code == 400
    report = {
        "summary": "与汉堡港签署合作备忘录",
        "outcomes": "备忘录一份",
        "actual_return_date": (past + timedelta(days=6)).isoformat(),
    }
    done = api.post(f"/api/v1/travel-applications/{gone.pk}/submit_report/", report, format="json")
    assert done.status_code == 200, done.json()
    assert done.json()["state"] == State.REPORT_SUBMITTED
    assert done.json()["report_summary"] == "与汉堡港签署合作备忘录"


def test_submission_with_a_rule_error_changes_nothing(api_as, applicant, organization):
    application = ApplicationFactory(
        organization=organization, trip__departure=timezone.localdate() + timedelta(10)
    )
    response = api_as(applicant).post(
        f"/api/v1/travel-applications/{application.pk}/submit/", {}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"detail", "code", "errors"}
    assert {"code": "lead_time", "severity": "error"}.items() <= body["errors"][0].items()
    application.refresh_from_db()
    assert application.state == State.DRAFT and application.submitted_at is None
    assert not AuditEvent.objects.filter(action="travel_application.submit").exists()


# Concurrency -----------------------------------------------------------------------------------------


def test_a_stale_copy_cannot_approve_twice(organization, officer):
    application = ApplicationFactory(organization=organization, in_review=True)
    stale = TravelApplication.objects.get(pk=application.pk)
    services.application_transition(application=application, actor=officer, name="approve")
    with pytest.raises(StateConflict):
        services.application_transition(application=stale, actor=officer, name="approve")
    # Below the service, the state column itself refuses a save from an outdated copy.
    stale.approve()
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        stale.save()
    assert AuditEvent.objects.filter(action="travel_application.approve").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_officers_approving_at_once_give_one_approval_and_one_conflict(organization):
    if not on_postgresql():
        pytest.skip("parallel row locks need PostgreSQL; SQLite serialises writers (see the stale-copy test)")
    from foreign_affairs.accounts.roles import Role
    from tests.factories import office_user

    officers = [office_user(Role.OFFICER), office_user(Role.OFFICER)]
    application = ApplicationFactory(organization=organization, in_review=True)
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(officer):
        try:
            barrier.wait()
            services.application_transition(application=application, actor=officer, name="approve")
            outcomes.append("approved")
        except StateConflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(officer,)) for officer in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["approved", "conflict"]
    assert AuditEvent.objects.filter(action="travel_application.approve").count() == 1


# Notifications and audit -------------------------------------------------------------------------------


def test_notifications_go_to_the_next_actors_and_e_mail_leaves_after_commit(
    organization, applicant, liaison, officer, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(organization=organization, created_by=applicant)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.application_transition(application=application, actor=applicant, name="submit")
    assert list(Notification.objects.filter(channel="in_app").values_list("recipient", flat=True)) == [
        liaison.pk
    ]
    assert mail.outbox == [] and callbacks  # the e-mail waits for the commit
    for callback in callbacks:
        callback()
    assert [message.to for message in mail.outbox] == [[liaison.email]]
    assert application.reference in mail.outbox[0].subject

    with django_capture_on_commit_callbacks(execute=True):
        services.application_transition(application=application, actor=liaison, name="endorse")
    assert Notification.objects.filter(recipient=officer, channel="in_app").exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_transition(
            application=application, actor=officer, name="return_for_changes", comment="邀请函需加盖公章"
        )
    returned = Notification.objects.filter(recipient=applicant, channel="in_app").latest("created_at")
    assert "邀请函需加盖公章" in returned.body


def test_a_full_journey_leaves_an_audit_trail(
    organization, applicant, liaison, officer, leader, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(organization=organization, created_by=applicant)
    steps = [
        (applicant, "submit", ""),
        (liaison, "endorse", ""),
        (officer, "return_for_changes", "请补充日程"),
        (applicant, "resubmit", "已补充"),
        (liaison, "endorse", ""),
        (officer, "escalate", ""),
        (leader, "sign_off", "同意"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        for actor, name, comment in steps:
            services.application_transition(application=application, actor=actor, name=name, comment=comment)
    trail = list(
        AuditEvent.objects.timeline_for(application)
        .exclude(action="travel_application.create")
        .values_list("actor__username", "action", "from_state", "to_state", "comment")
    )
    assert trail == [
        (applicant.username, "travel_application.submit", "draft", "submitted", ""),
        (liaison.username, "travel_application.endorse", "submitted", "in_review", ""),
        (officer.username, "travel_application.return_for_changes", "in_review", "returned", "请补充日程"),
        (applicant.username, "travel_application.resubmit", "returned", "submitted", "已补充"),
        (liaison.username, "travel_application.endorse", "submitted", "in_review", ""),
        (officer.username, "travel_application.escalate", "in_review", "pending_signoff", ""),
        (leader.username, "travel_application.sign_off", "pending_signoff", "approved", "同意"),
        (None, "travel_application.disclose", "", "", ""),  # the public notice before the permit
    ]


def test_a_substitute_signs_off_on_behalf_of_the_leader(
    organization, officer, leader, django_capture_on_commit_callbacks
):
    from foreign_affairs.accounts.models import Substitution

    Substitution.objects.create(
        principal=leader,
        substitute=officer,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=3),
        reason="出差",
    )
    application = ApplicationFactory(organization=organization, pending_signoff=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_transition(application=application, actor=officer, name="sign_off")
    event = AuditEvent.objects.get(action="travel_application.sign_off")
    assert event.actor == officer and event.data == {"on_behalf_of": leader.username}


def test_an_expired_substitution_gives_nothing(organization, officer, leader):
    from django.core.exceptions import PermissionDenied

    from foreign_affairs.accounts.models import Substitution

    yesterday = timezone.localdate() - timedelta(days=1)
    Substitution.objects.create(
        principal=leader, substitute=officer, starts_on=yesterday - timedelta(days=5), ends_on=yesterday
    )
    application = ApplicationFactory(organization=organization, pending_signoff=True)
    with pytest.raises(PermissionDenied):
        services.application_transition(application=application, actor=officer, name="sign_off")


def test_entering_a_waiting_state_sets_its_service_level_deadline(organization, applicant, liaison):
    from foreign_affairs.workdays.selectors import add_working_days

    application = ApplicationFactory(organization=organization)
    services.application_transition(application=application, actor=applicant, name="submit")
    application.refresh_from_db()
    assert application.due_on == add_working_days(timezone.localdate(), 3)
    services.application_transition(application=application, actor=liaison, name="endorse")
    application.refresh_from_db()
    assert application.due_on == add_working_days(timezone.localdate(), 5)
