"""Text messages: the "sms" channel of the outbox, sent after commit through a pluggable backend."""

import pytest

from foreign_affairs.notifications import sms
from foreign_affairs.notifications.models import Channel, Notification, Status
from foreign_affairs.notifications.selectors import inbox_for
from foreign_affairs.notifications.services import notification_deliver, notify

pytestmark = pytest.mark.django_db

LOCMEM = "foreign_affairs.notifications.sms.LocmemBackend"


@pytest.fixture
def texts(settings):
    """SMS through the locmem backend; the messages it kept."""
    settings.NOTIFICATION_SMS_BACKEND = LOCMEM
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def reachable(applicant):
    applicant.phone = "+86 138 0000 0000"
    applicant.preferred_language = "en"
    applicant.save(update_fields=["phone", "preferred_language"])
    return applicant


def _welcome(user, **kwargs):
    from foreign_affairs.accounts.models import Membership

    membership = Membership.objects.select_related("organization").get(user=user)
    return notify(
        recipient=user,
        template="accounts/membership",
        link="/dashboard/",
        context={"membership": membership, "organization": membership.organization},
        **kwargs,
    )


def test_a_text_message_is_queued_and_sent_after_commit_through_the_backend(
    reachable, texts, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        (message,) = _welcome(reachable, channels=(Channel.SMS,))
    assert (message.channel, message.status) == (Channel.SMS, Status.PENDING)
    assert texts == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 1)
    (sent,) = texts
    assert sent.phone == "+86 138 0000 0000"
    assert sent.text.startswith("Your portal account now belongs to")
    assert sent.text.endswith("http://127.0.0.1:8000/dashboard/")
    assert list(inbox_for(reachable)) == []  # the portal's notification page lists in-app ones only


def test_without_a_backend_or_a_phone_number_the_channel_is_skipped(
    reachable, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATION_SMS_BACKEND = ""
    with django_capture_on_commit_callbacks(execute=True):
        created = _welcome(reachable, channels=(Channel.IN_APP, Channel.EMAIL, Channel.SMS))
    assert [n.channel for n in created] == [Channel.IN_APP, Channel.EMAIL]

    settings.NOTIFICATION_SMS_BACKEND = LOCMEM
    reachable.phone = ""
    with django_capture_on_commit_callbacks(execute=True):
        assert _welcome(reachable, channels=(Channel.SMS,)) == []
    assert not Notification.objects.filter(channel=Channel.SMS).exists()


def test_a_key_sends_the_text_once_and_delivering_twice_sends_once(
    reachable, texts, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _welcome(reachable, channels=(Channel.SMS,), key="welcome")
        second = _welcome(reachable, channels=(Channel.SMS,), key="welcome")
    assert len(first) == 1 and second == []
    assert notification_deliver(notification_id=first[0].pk) is None  # already sent
    assert len(texts) == 1


def test_a_gateway_failure_is_kept_and_retried_like_an_email(
    reachable, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATION_SMS_BACKEND = "foreign_affairs.notifications.sms.BaseBackend"  # send() raises
    with django_capture_on_commit_callbacks(execute=True):
        (message,) = _welcome(reachable, channels=(Channel.SMS,))
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.PENDING, 1)
    assert message.last_error.startswith("NotImplementedError")
    assert message.next_attempt_at is not None
