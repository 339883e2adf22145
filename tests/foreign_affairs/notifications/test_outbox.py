"""The outbox: messages are stored first, e-mailed after commit, retried until delivered."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from foreign_affairs.notifications.models import Channel, Notification, Status
from foreign_affairs.notifications.services import notification_retry, notify
from foreign_affairs.notifications.tasks import retry_pending

pytestmark = pytest.mark.django_db


def _welcome(user, organization, **kwargs):
    from foreign_affairs.accounts.models import Membership

    membership = Membership.objects.get(user=user)
    return notify(
        recipient=user,
        template="accounts/membership",
        link="/dashboard/",
        context={"membership": membership, "organization": organization},
        **kwargs,
    )


def test_notify_stores_an_in_app_copy_and_queues_the_email_until_commit(
    applicant, organization, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        in_app, email = _welcome(applicant, organization)
    assert (in_app.channel, in_app.status) == (Channel.IN_APP, Status.SENT)
    assert (email.channel, email.status) == (Channel.EMAIL, Status.PENDING)
    assert len(callbacks) == 1 and mail.outbox == []  # nothing leaves before the transaction commits
    callbacks[0]()
    email.refresh_from_db()
    assert email.status == Status.SENT and email.attempts == 1
    assert mail.outbox[0].to == [applicant.email]
    assert "http://127.0.0.1:8000/dashboard/" in mail.outbox[0].body


def test_messages_are_written_in_the_recipients_language(
    applicant, organization, django_capture_on_commit_callbacks
):
    applicant.preferred_language = "en"
    with django_capture_on_commit_callbacks(execute=True):
        english = _welcome(applicant, organization)[0]
    applicant.preferred_language = "zh-hans"
    with django_capture_on_commit_callbacks(execute=True):
        chinese = _welcome(applicant, organization)[0]
    assert english.subject == f"Your portal account now belongs to {organization.name_en}"
    assert chinese.subject == f"您的平台账号已归属{organization.name_zh}"


def test_a_key_makes_notify_idempotent(applicant, organization, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _welcome(applicant, organization, key="welcome")
        second = _welcome(applicant, organization, key="welcome")
    assert len(first) == 2 and second == []
    assert Notification.objects.filter(recipient=applicant).count() == 2


def test_no_email_address_means_no_email(applicant, organization, django_capture_on_commit_callbacks):
    applicant.email = ""
    with django_capture_on_commit_callbacks(execute=True):
        created = _welcome(applicant, organization)
    assert [n.channel for n in created] == [Channel.IN_APP]


def test_a_failed_send_is_retried_with_back_off_and_delivered(
    applicant, organization, smtp, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 60
    with django_capture_on_commit_callbacks(execute=True):  # the mail server is down
        email = _welcome(applicant, organization)[1]
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.PENDING, 1)
    assert "Connection refused" in email.last_error or "Errno" in email.last_error
    assert timedelta(seconds=55) < email.next_attempt_at - timezone.now() <= timedelta(seconds=60)

    assert retry_pending() == 0  # not due yet
    smtp.start()
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert retry_pending() == 1
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (Status.SENT, 2, "")
    assert [message["To"] for message in smtp.messages] == [applicant.email]
    assert organization.name_zh in smtp.messages[0]["Subject"]
    assert retry_pending() == 0  # a sent e-mail is never sent again


def test_after_the_last_attempt_the_email_fails_and_an_officer_can_requeue_it(
    applicant, organization, officer, smtp, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 1
    with django_capture_on_commit_callbacks(execute=True):
        email = _welcome(applicant, organization)[1]
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        retry_pending()
    email.refresh_from_db()
    assert (email.status, email.attempts, email.next_attempt_at) == (Status.FAILED, 2, None)
    smtp.start()
    with django_capture_on_commit_callbacks(execute=True):
        notification_retry(notification=email, actor=officer)
    email.refresh_from_db()
    assert email.status == Status.SENT
    assert len(smtp.messages) == 1


def test_delivering_twice_sends_once(applicant, organization, django_capture_on_commit_callbacks):
    from foreign_affairs.notifications.tasks import deliver

    with django_capture_on_commit_callbacks(execute=True):
        email = _welcome(applicant, organization)[1]
    assert deliver(email.pk) == "skipped"
    assert len(mail.outbox) == 1


def test_the_email_task_is_queued_by_name_and_runs_in_process_when_eager(
    applicant, organization, settings, django_capture_on_commit_callbacks
):
    """The services name the task (no import of the tasks module, which imports them); under
    CELERY_TASK_ALWAYS_EAGER the registered task runs in-process, as `delay()` does."""
    from celery.exceptions import NotRegistered

    from foreign_affairs.notifications.tasks import deliver
    from foreign_affairs.tasking import registered_task

    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert registered_task("notifications.deliver") is deliver._get_current_object()
    with pytest.raises(NotRegistered):
        registered_task("notifications.no_such_task")
    with django_capture_on_commit_callbacks(execute=True):
        _in_app, email = _welcome(applicant, organization)
    email.refresh_from_db()
    assert email.status == Status.SENT and [message.to for message in mail.outbox] == [[applicant.email]]
