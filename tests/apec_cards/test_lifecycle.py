"""The card application's state machine through the services: who may do what, in which state."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apec_cards import services
from apec_cards.models import Card, Decision, PreClearance
from apec_cards.terms import add_months
from apec_cards.workflow import CardState, State
from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.errors import RulesFailed, StateConflict

from .helpers import card_person, decide, draft, issued_card, run, to_preclearance

pytestmark = pytest.mark.django_db


def test_new_card_from_draft_to_issue(applicant, liaison, officer):
    person = card_person(applicant.organization)
    application = draft(applicant, person)
    assert application.reference.startswith(f"ABTC-{timezone.localdate().year}-")
    assert set(application.economies.values_list("code", flat=True)) == {"AU", "JP", "SG"}

    application = run(application, applicant, "submit")
    assert application.state == State.SUBMITTED
    application = run(application, liaison, "endorse")
    assert (application.state, application.endorsed_by) == (State.ENDORSED, liaison)
    application = run(application, officer, "start_review")
    assert (application.state, application.assigned_officer) == (State.IN_REVIEW, officer)
    application = run(application, officer, "request_preclearance")
    assert application.state == State.PRE_CLEARANCE
    assert set(PreClearance.objects.filter(application=application).values_list("economy", "decision")) == {
        ("AU", "pending"),
        ("JP", "pending"),
        ("SG", "pending"),
    }

    actions = list(
        AuditEvent.objects.timeline_for(application).values_list("action", "from_state", "to_state")
    )
    assert ("card_application.endorse", "submitted", "endorsed") in actions
    assert ("card_application.request_preclearance", "in_review", "pre_clearance") in actions


def test_issue_needs_one_approved_economy_then_gives_an_early_card(
    applicant, liaison, officer, django_capture_on_commit_callbacks
):
    application = to_preclearance(
        draft(applicant, card_person(applicant.organization)),
        applicant=applicant,
        liaison=liaison,
        officer=officer,
    )
    with pytest.raises(RulesFailed) as refused:
        run(application, officer, "issue")
    assert refused.value.findings[0]["code"] == "no_economy_approved"

    decide(application, officer, "JP", "refused")
    decide(application, officer, "AU", "approved")
    application = run(application, officer, "issue")
    card = Card.objects.get(application=application)
    assert application.state == State.ISSUED
    assert list(card.card_economies.values_list("economy_id", flat=True)) == ["AU"]
    assert card.state == CardState.ACTIVE

    # Singapore answers after the early card: it joins the card and the letter is rendered again.
    version = card.letter_version
    with django_capture_on_commit_callbacks(execute=True):
        decide(application, officer, "SG")
    card.refresh_from_db()
    assert sorted(card.card_economies.values_list("economy_id", flat=True)) == ["AU", "SG"]
    assert card.letter_version == version + 1
    assert card.letter_rendered_version == card.letter_version  # tasks run eagerly here


def test_expiry_is_five_years_or_the_passport_whichever_is_sooner(applicant, liaison, officer):
    long_passport = card_person(applicant.organization, passport_years=9)
    card = issued_card(applicant=applicant, liaison=liaison, officer=officer, person=long_passport)
    assert card.expires_on == add_months(timezone.localdate(), 60)

    short_passport = card_person(applicant.organization, passport_years=2)
    card = issued_card(applicant=applicant, liaison=liaison, officer=officer, person=short_passport)
    assert card.expires_on == short_passport.passport_expiry


def test_roles_are_checked_on_every_transition(applicant, liaison, officer, other_applicant):
    application = draft(applicant, card_person(applicant.organization))
    with pytest.raises(PermissionDenied):
        run(application, officer, "submit")
    with pytest.raises(PermissionDenied):
        run(application, other_applicant, "submit")
    application = run(application, applicant, "submit")
    with pytest.raises(PermissionDenied):
        run(application, applicant, "endorse")
    with pytest.raises(StateConflict):
        run(application, officer, "start_review")
    with pytest.raises(StateConflict):
        run(application, applicant, "submit")


def test_return_for_changes_needs_a_comment_and_resubmit_goes_back_to_the_liaison(
    applicant, liaison, officer
):
    application = run(draft(applicant, card_person(applicant.organization)), applicant, "submit")
    with pytest.raises(ValidationError):
        run(application, liaison, "return_for_changes")
    application = run(application, liaison, "return_for_changes", "请补充近三年出访记录。")
    assert application.state == State.RETURNED
    services.application_update(
        application=application, actor=applicant, data={"travel_history": "2024 日本"}
    )
    application = run(application, applicant, "resubmit")
    assert application.state == State.SUBMITTED


def test_reject_and_withdraw(applicant, liaison, officer):
    application = run(draft(applicant, card_person(applicant.organization)), applicant, "submit")
    application = run(application, liaison, "endorse")
    with pytest.raises(ValidationError):
        run(application, officer, "reject")
    application = run(application, officer, "reject", "出访需求不足。")
    assert application.state == State.REJECTED

    other = draft(applicant, card_person(applicant.organization))
    other = run(run(other, applicant, "submit"), applicant, "withdraw")
    assert other.state == State.WITHDRAWN
    with pytest.raises(StateConflict):
        run(other, applicant, "submit")


def test_submit_refuses_an_incomplete_application_and_changes_nothing(applicant):
    person = card_person(applicant.organization, passport_years=0)
    person.passport_expiry = timezone.localdate() + timedelta(days=90)
    person.save()
    application = draft(applicant, person, attach=False)
    with pytest.raises(RulesFailed) as refused:
        run(application, applicant, "submit")
    codes = {finding["code"] for finding in refused.value.findings}
    assert codes == {"passport_validity", "passport_page_missing", "photo_missing"}
    application.refresh_from_db()
    assert application.state == State.DRAFT


def test_one_open_application_per_person(applicant):
    person = card_person(applicant.organization)
    draft(applicant, person, attach=False)
    with pytest.raises(ValidationError) as refused:
        draft(applicant, person, attach=False)
    assert "person" in refused.value.message_dict


def test_economies_must_pre_clear(applicant):
    with pytest.raises(ValidationError) as refused:
        draft(
            applicant, card_person(applicant.organization), economies=["US", "CN", "AU", "XX"], attach=False
        )
    message = refused.value.message_dict["economies"][0]
    assert "CN" in message and "US" in message and "XX" in message


def test_a_new_card_is_refused_to_a_holder(applicant, liaison, officer):
    card = issued_card(applicant=applicant, liaison=liaison, officer=officer)
    application = draft(applicant, card.holder)
    with pytest.raises(RulesFailed) as refused:
        run(application, applicant, "submit")
    assert [finding["code"] for finding in refused.value.findings] == ["card_held"]


def test_preclearance_is_recorded_once_and_only_by_officers(applicant, liaison, officer):
    application = to_preclearance(
        draft(applicant, card_person(applicant.organization)),
        applicant=applicant,
        liaison=liaison,
        officer=officer,
    )
    with pytest.raises(PermissionDenied):
        decide(application, liaison, "AU")
    with pytest.raises(ValidationError):
        decide(application, officer, "KR")  # not asked
    with pytest.raises(ValidationError):
        services.preclearance_record(
            application=application,
            actor=officer,
            economy="AU",
            decision="approved",
            decided_on=timezone.localdate() + timedelta(days=1),
        )
    first = decide(application, officer, "AU")
    again = decide(application, officer, "AU")  # the same answer again: nothing changes
    assert first.pk == again.pk and again.decision == Decision.APPROVED
    with pytest.raises(ValidationError):
        decide(application, officer, "AU", "refused")


def test_preclearance_before_the_request_is_a_conflict(applicant, officer):
    application = draft(applicant, card_person(applicant.organization))
    with pytest.raises(StateConflict):
        decide(application, officer, "AU")


def test_notifications_go_to_whoever_acts_next(applicant, liaison, officer):
    from foreign_affairs.notifications.models import Notification

    def told(name):
        return set(
            Notification.objects.filter(channel="in_app", key__contains=f":{name}:").values_list(
                "recipient", flat=True
            )
        )

    application = run(draft(applicant, card_person(applicant.organization)), applicant, "submit")
    assert told("submit") == {liaison.pk}
    application = run(application, liaison, "endorse")
    assert told("endorse") == {officer.pk}
    application = run(application, officer, "start_review")
    application = run(application, officer, "request_preclearance")
    decide(application, officer, "AU")
    run(application, officer, "issue")
    assert told("issue") == {applicant.pk, liaison.pk}
    issued = Notification.objects.get(recipient=applicant, channel="in_app", key__contains=":issue:")
    assert application.reference in issued.subject
