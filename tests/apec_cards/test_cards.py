"""The card's life: renewal window, lost-card replacement, new passport, cancellation, expiry and the
reminders before it (with frozen time), and the decision letter."""

import hashlib
import io
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from pypdf import PdfReader

from apec_cards import services
from apec_cards.models import Card
from apec_cards.terms import add_months, card_expiry, renewal_opens_on
from apec_cards.workflow import CardState, State
from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.errors import RulesFailed, StateConflict
from foreign_affairs.notifications.models import Channel, Notification

from .helpers import card_person, decide, draft, issued_card, run

pytestmark = pytest.mark.django_db
ZHENGZHOU = ZoneInfo("Asia/Shanghai")


def _at(day):
    """Travel to 10:00 in Zhengzhou on `day`."""
    return time_machine.travel(datetime(day.year, day.month, day.day, 10, tzinfo=ZHENGZHOU), tick=False)


def _walk_follow_up(application, *, applicant, liaison, officer, preclear=True):
    application = run(application, applicant, "submit")
    application = run(application, liaison, "endorse")
    application = run(application, officer, "start_review")
    if preclear:
        application = run(application, officer, "request_preclearance")
        decide(application, officer, "AU")
    return run(application, officer, "issue")


# Terms ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "passport", "expected"),
    [
        ("2026-03-10", None, "2031-03-10"),
        ("2028-02-29", None, "2033-02-28"),
        ("2026-03-10", "2029-01-31", "2029-01-31"),
        ("2026-03-10", "2035-01-31", "2031-03-10"),
    ],
)
def test_card_expiry_is_the_earlier_of_five_years_and_the_passport(start, passport, expected):
    passport_expiry = date.fromisoformat(passport) if passport else None
    assert card_expiry(date.fromisoformat(start), passport_expiry) == date.fromisoformat(expected)


def test_renewal_window_opens_six_months_before_expiry():
    assert renewal_opens_on(date(2031, 8, 31)) == date(2031, 2, 28)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)


# Renewal --------------------------------------------------------------------------------------------------


def test_renewal_is_refused_before_the_window_and_accepted_in_it(applicant, liaison, officer):
    card = issued_card(applicant=applicant, liaison=liaison, officer=officer)
    opens_on = renewal_opens_on(card.expires_on)

    with _at(opens_on - timedelta(days=1)):
        application = draft(applicant, card.holder, kind="renewal")
        assert application.replaces_card == card
        with pytest.raises(RulesFailed) as refused:
            run(application, applicant, "submit")
        assert [finding["code"] for finding in refused.value.findings] == ["renewal_too_early"]

    with _at(opens_on):
        application = run(application, applicant, "submit")
        application = run(application, liaison, "endorse")
        application = run(application, officer, "start_review")
        application = run(application, officer, "request_preclearance")
        decide(application, officer, "JP")
        application = run(application, officer, "issue")
        renewed = application.card
        card.refresh_from_db()
        assert card.state == CardState.REPLACED
        assert renewed.replaces == card
        assert renewed.term_started_on == opens_on
        assert list(renewed.card_economies.values_list("economy_id", flat=True)) == ["JP"]


def test_renewal_of_a_person_without_a_card_is_refused_at_once(applicant):
    with pytest.raises(ValidationError) as refused:
        draft(applicant, card_person(applicant.organization), kind="renewal", attach=False)
    assert "kind" in refused.value.message_dict


# Lost card, replacement and new passport ---------------------------------------------------------------------


def test_lost_card_is_replaced_with_its_economies_and_term(applicant, liaison, officer):
    card = issued_card(applicant=applicant, liaison=liaison, officer=officer, approve=("AU", "JP"))
    card = services.card_transition(
        card=card, actor=applicant, name="report_lost", comment="2026-11 在新加坡樟宜机场遗失"
    )
    assert card.state == CardState.REPORTED_LOST
    assert services.available_card_transitions(card, applicant) == []

    application = draft(applicant, card.holder, kind="replacement", economies=None)
    assert application.economies.count() == 0  # the card's economies carry over
    with pytest.raises(RulesFailed) as refused:  # no pre-clearance for a replacement
        application = run(application, applicant, "submit")
        application = run(application, liaison, "endorse")
        application = run(application, officer, "start_review")
        run(application, officer, "request_preclearance")
    assert refused.value.findings[0]["code"] == "no_preclearance"
    application = run(application, officer, "issue")
    replacement = application.card
    card.refresh_from_db()
    assert card.state == CardState.REPLACED
    assert replacement.term_started_on == card.term_started_on
    assert replacement.expires_on == card.expires_on
    assert sorted(replacement.card_economies.values_list("economy_id", flat=True)) == ["AU", "JP"]


def test_replacing_a_valid_card_needs_the_damage_described(applicant, liaison, officer):
    card = issued_card(applicant=applicant, liaison=liaison, officer=officer)
    application = draft(applicant, card.holder, kind="replacement", economies=None)
    with pytest.raises(RulesFailed) as refused:
        run(application, applicant, "submit")
    assert [finding["code"] for finding in refused.value.findings] == ["replacement_reason_missing"]
    services.application_update(
        application=application, actor=applicant, data={"replacement_reason": "卡片芯片损坏"}
    )
    application = _walk_follow_up(
        application, applicant=applicant, liaison=liaison, officer=officer, preclear=False
    )
    assert application.state == State.ISSUED


def test_new_passport_carries_the_economies_and_ends_with_the_new_passport(applicant, liaison, officer):
    person = card_person(applicant.organization, passport_years=3)
    card = issued_card(
        applicant=applicant, liaison=liaison, officer=officer, person=person, approve=("AU", "SG")
    )
    assert card.expires_on == person.passport_expiry

    same = draft(applicant, person, kind="passport_change", economies=None)
    with pytest.raises(RulesFailed) as refused:
        run(same, applicant, "submit")
    assert [finding["code"] for finding in refused.value.findings] == ["passport_unchanged"]
    run(same, applicant, "withdraw")

    new_expiry = timezone.localdate() + timedelta(days=365 * 10)
    application = draft(
        applicant,
        person,
        kind="passport_change",
        economies=None,
        passport_number="EJ7654321",
        passport_expiry=new_expiry,
    )
    application = _walk_follow_up(
        application, applicant=applicant, liaison=liaison, officer=officer, preclear=False
    )
    new_card = application.card
    assert new_card.passport_number == "EJ7654321"
    assert new_card.expires_on == add_months(card.term_started_on, 60)  # the term, no longer the passport
    assert sorted(new_card.card_economies.values_list("economy_id", flat=True)) == ["AU", "SG"]


# Cancelling ----------------------------------------------------------------------------------------------


def test_cancel_needs_a_reason_and_a_liaison_or_officer(applicant, liaison, officer, other_applicant):
    card = issued_card(applicant=applicant, liaison=liaison, officer=officer)
    with pytest.raises(PermissionDenied):
        services.card_transition(card=card, actor=applicant, name="cancel", comment="离职")
    with pytest.raises(PermissionDenied):
        services.card_transition(card=card, actor=other_applicant, name="report_lost")
    with pytest.raises(ValidationError):
        services.card_transition(card=card, actor=liaison, name="cancel")
    card = services.card_transition(
        card=card, actor=liaison, name="cancel", comment="持卡人已于2026年11月离职。"
    )
    assert (card.state, card.end_reason) == (CardState.CANCELLED, "持卡人已于2026年11月离职。")
    with pytest.raises(StateConflict):
        services.card_transition(card=card, actor=officer, name="report_lost")
    with pytest.raises(StateConflict):
        services.card_transition(card=card, actor=officer, name="expire")
    assert AuditEvent.objects.timeline_for(card).filter(action="card.cancel", actor=liaison).exists()


def test_a_cancelled_card_gains_no_late_economy(applicant, liaison, officer):
    card = issued_card(applicant=applicant, liaison=liaison, officer=officer, approve=("AU",))
    services.card_transition(card=card, actor=officer, name="cancel", comment="单位申请注销")
    decide(card.application, officer, "JP")
    assert list(card.card_economies.values_list("economy_id", flat=True)) == ["AU"]


# Expiry and reminders ------------------------------------------------------------------------------------------


def test_expiry_job_expires_each_card_once(applicant, liaison, officer):
    card = issued_card(applicant=applicant, liaison=liaison, officer=officer)
    with _at(card.expires_on):
        assert services.expire_cards() == 0  # valid through its last day
    with _at(card.expires_on + timedelta(days=1)):
        assert services.expire_cards() == 1
        assert services.expire_cards() == 0
    card.refresh_from_db()
    assert card.state == CardState.EXPIRED
    assert AuditEvent.objects.timeline_for(card).filter(action="card.expire").count() == 1


def test_reminders_six_months_and_one_month_before_expiry(applicant, liaison, officer):
    card = issued_card(applicant=applicant, liaison=liaison, officer=officer)
    recipients = {applicant.pk, liaison.pk}

    def reminders():
        return Notification.objects.filter(
            channel=Channel.IN_APP, subject__contains=card.number, key__startswith="card-expiry:"
        )

    with _at(add_months(card.expires_on, -6) - timedelta(days=1)):
        assert services.send_expiry_reminders() == 0
    with _at(add_months(card.expires_on, -6)):
        assert services.send_expiry_reminders() == 1
        assert services.send_expiry_reminders() == 0
    assert {n.recipient_id for n in reminders()} == recipients
    with _at(add_months(card.expires_on, -1) - timedelta(days=1)):
        assert services.send_expiry_reminders() == 0
    with _at(add_months(card.expires_on, -1)):
        assert services.send_expiry_reminders() == 1
        assert services.send_expiry_reminders() == 0
    assert reminders().count() == 2 * len(recipients)
    card.refresh_from_db()
    assert card.expiry_reminders_sent == 2


def test_a_card_issued_inside_the_last_month_gets_only_the_last_reminder(applicant, liaison, officer):
    person = card_person(applicant.organization, passport_years=0)
    person.passport_expiry = timezone.localdate() + timedelta(days=400)
    person.save()
    card = issued_card(applicant=applicant, liaison=liaison, officer=officer, person=person)
    with _at(card.expires_on - timedelta(days=10)):
        assert services.send_expiry_reminders() == 1
    card.refresh_from_db()
    assert card.expiry_reminders_sent == 2
    assert Notification.objects.filter(key=f"card-expiry:{card.pk}:1").exists()
    assert not Notification.objects.filter(key=f"card-expiry:{card.pk}:6").exists()


# The decision letter ----------------------------------------------------------------------------------------------


def test_decision_letter_text_names_the_card_the_economies_and_the_code(
    applicant, liaison, officer, django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        card = issued_card(applicant=applicant, liaison=liaison, officer=officer, approve=("AU", "JP"))
    card.refresh_from_db()
    assert card.letter_rendered_version == 1 and card.letter_error == ""
    data = card.letter.open("rb").read()
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages)
    compact = "".join(text.split())
    assert card.number in text
    assert card.verification_code in text
    assert card.application.reference in text
    assert "郑州测试贸易有限公司" in compact
    assert "澳大利亚" in compact and "日本" in compact
    assert "新加坡" in compact  # still awaiting an answer: listed as such
    assert card.holder.passport_number not in text  # masked
    fonts = {
        str(font.get("/BaseFont"))
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
        for font in [font.get_object()]
    }
    assert any(font.endswith("Portal-Sans") for font in fonts), fonts  # the shipped Noto Sans SC
    assert not [
        record
        for record in caplog.records
        if record.name.startswith("weasyprint") and record.levelname == "ERROR"
    ]


def _letter_as_rendered(card) -> tuple:
    card.refresh_from_db()
    with card.letter.open("rb") as handle:
        content = handle.read()
    assert hashlib.sha256(content).hexdigest() == card.letter_sha256
    # The file's modification time shows whether it was written again, even with the same bytes.
    written = Path(card.letter.path).stat().st_mtime_ns
    return card.letter.name, content, card.letter_sha256, card.letter_rendered_at, written


def test_letter_task_is_idempotent_and_rerenders_for_a_new_economy(
    applicant, liaison, officer, django_capture_on_commit_callbacks
):
    from apec_cards.tasks import render_letter

    card = issued_card(
        applicant=applicant, liaison=liaison, officer=officer
    )  # on-commit not run: no letter yet
    assert not card.letter
    assert render_letter.apply(args=[card.pk]).get() == f"{card.number} v1"
    first = _letter_as_rendered(card)
    # The same version a day later: the same letter, not rendered again (that would carry another date).
    with time_machine.travel(timezone.now() + timedelta(days=1, hours=1)):
        assert render_letter.apply(args=[card.pk]).get() == f"{card.number} v1"
    assert _letter_as_rendered(card) == first
    assert AuditEvent.objects.timeline_for(card).filter(action="card.letter").count() == 1
    stored = Path(card.letter.storage.path(card.letter.name))
    assert [path.name for path in stored.parent.iterdir()] == [f"{card.number}.pdf"]

    with django_capture_on_commit_callbacks(execute=True):
        decide(card.application, officer, "JP")
    card.refresh_from_db()
    assert card.letter_rendered_version == 2
    assert "日本" in "".join(PdfReader(card.letter.open("rb")).pages[0].extract_text().split())


def test_a_failing_letter_is_retried_with_back_off_then_shown_to_officers(
    applicant, liaison, officer, monkeypatch
):
    from celery.exceptions import Retry

    from apec_cards import tasks
    from apec_cards.services import letters

    card = issued_card(applicant=applicant, liaison=liaison, officer=officer)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(letters, "render_pdf", broken)
    for retries, countdown in [(0, 60), (1, 120), (2, 240)]:  # Celery retries after 1, 2 and 4 minutes
        with pytest.raises(Retry) as retry:
            tasks.render_letter.apply(args=[card.pk], retries=retries)
        assert retry.value.when == countdown
    card.refresh_from_db()
    assert card.letter_error == ""
    # The last attempt, as a worker runs it: the failure goes to the task's on_failure.
    result = tasks.render_letter.apply(args=[card.pk], retries=tasks.render_letter.max_retries, throw=False)
    assert result.failed()
    card.refresh_from_db()
    assert card.letter_error == "OSError: disk full"
    assert Notification.objects.filter(recipient=officer, key__startswith=f"letter-failed:{card.pk}").exists()


def test_in_the_embedded_default_a_failing_letter_leaves_the_card_issued_and_officers_told(
    applicant, liaison, officer, monkeypatch, settings, django_capture_on_commit_callbacks
):
    from apec_cards.services import letters

    settings.CELERY_TASK_ALWAYS_EAGER = True

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(letters, "render_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        card = issued_card(applicant=applicant, liaison=liaison, officer=officer)
    card.refresh_from_db()
    assert card.state == CardState.ACTIVE and not card.letter
    assert card.letter_error == "OSError: disk full"
    assert Notification.objects.filter(recipient=officer, key=f"letter-failed:{card.pk}:1").exists()


def test_issuing_refuses_when_the_replaced_card_is_gone(applicant, liaison, officer):
    card = issued_card(applicant=applicant, liaison=liaison, officer=officer)
    application = draft(applicant, card.holder, kind="replacement", economies=None, replacement_reason="损坏")
    application = run(application, applicant, "submit")
    application = run(application, liaison, "endorse")
    application = run(application, officer, "start_review")
    services.card_transition(card=card, actor=officer, name="cancel", comment="注销")
    with pytest.raises(RulesFailed):
        run(application, officer, "issue")
    assert not Card.objects.filter(application=application).exists()


def test_issue_requires_preclearance_for_a_new_card(applicant, liaison, officer):
    application = draft(applicant, card_person(applicant.organization))
    application = run(run(run(application, applicant, "submit"), liaison, "endorse"), officer, "start_review")
    with pytest.raises(RulesFailed) as refused:
        run(application, officer, "issue")
    assert refused.value.findings[0]["code"] == "preclearance_needed"


# Verification ------------------------------------------------------------------------------------------------


def test_the_letter_code_verifies_without_personal_data(client, applicant, liaison, officer):
    card = issued_card(applicant=applicant, liaison=liaison, officer=officer, approve=("AU",))
    response = client.get(
        f"/verify/{card.verification_code.lower().replace('-', '')}/", HTTP_ACCEPT_LANGUAGE="en"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-status="valid"' in page and card.number in page
    assert card.holder.full_name not in page and card.passport_number not in page

    with _at(card.expires_on + timedelta(days=1)):
        assert 'data-status="expired"' in client.get(f"/verify/{card.verification_code}/").content.decode()
    services.card_transition(card=card, actor=officer, name="cancel", comment="注销")
    assert 'data-status="revoked"' in client.get(f"/verify/{card.verification_code}/").content.decode()
