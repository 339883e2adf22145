"""End to end on the real services: PostgreSQL, Redis, a Celery worker and its beat, an SMTP server."""

import pytest

from foreign_affairs.accounts.models import Membership
from foreign_affairs.notifications.models import Channel, Notification, Status
from foreign_affairs.notifications.services import notify
from tests.conftest import requires_services


@requires_services
@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_retries_a_failed_email_and_delivers_it(
    applicant, organization, smtp, settings, celery_worker_process
):
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 1
    # The first attempt runs right after commit and fails: the mail server is not up yet.
    notify(
        recipient=applicant,
        template="accounts/membership",
        link="/dashboard/",
        context={"membership": Membership.objects.get(user=applicant), "organization": organization},
    )
    email = Notification.objects.get(recipient=applicant, channel=Channel.EMAIL)
    assert (email.status, email.attempts) == (Status.PENDING, 1)

    worker = celery_worker_process(
        beat=True,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}",
        NOTIFICATION_RETRY_INTERVAL="1",  # the beat job runs every second instead of every minute
        NOTIFICATION_RETRY_BASE_SECONDS="1",
    )
    smtp.start()

    def delivered():
        email.refresh_from_db()
        return email.status == Status.SENT

    worker.wait_for(delivered, timeout=90, message="the e-mail was not delivered by the worker")
    assert email.attempts >= 2 and email.last_error == ""
    assert len(smtp.messages) == 1 and smtp.messages[0]["To"] == applicant.email
    assert "notifications.retry_pending" in worker.output()
    assert "notifications.deliver" in worker.output()
