"""Notifications are plain text: the e-mail and the stored copy hold the characters as typed (no HTML
entities); the pages that show the stored copy escape it themselves."""

import pytest
from django.core import mail

from foreign_affairs.accounts.models import Membership
from foreign_affairs.notifications.models import Channel, Notification
from foreign_affairs.notifications.services import notify
from tests.factories import OrganizationFactory, enterprise_user

pytestmark = pytest.mark.django_db
NAME = 'R&D "Ltd" <b>O\'Brien</b>'


@pytest.fixture
def recipient():
    organization = OrganizationFactory(name_zh=NAME, name_en=NAME)
    return enterprise_user(organization, preferred_language="en")


def _tell(user):
    return notify(
        recipient=user,
        template="accounts/membership",
        link="/dashboard/",
        context={"membership": Membership.objects.get(user=user), "organization": user.organization},
    )


def test_the_email_and_the_stored_copies_are_not_html_escaped(recipient, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        in_app, email = _tell(recipient)
    assert [message.to for message in mail.outbox] == [[recipient.email]]
    sent = mail.outbox[0]
    assert sent.subject == f"Your portal account now belongs to {NAME}"
    assert f"now belongs to {NAME}." in sent.body
    assert sent.content_subtype == "plain" and not getattr(sent, "alternatives", [])
    for copy in (in_app, email):
        copy.refresh_from_db()
        assert copy.subject == sent.subject
        assert NAME in copy.body
        assert not any(entity in copy.subject + copy.body for entity in ("&amp;", "&quot;", "&#x27;", "&lt;"))


def test_the_in_app_list_escapes_the_stored_text(client, recipient, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _tell(recipient)
    assert Notification.objects.filter(recipient=recipient, channel=Channel.IN_APP).count() == 1
    client.force_login(recipient)
    page = client.get("/notifications/").content.decode()
    escaped = "R&amp;D &quot;Ltd&quot; &lt;b&gt;O&#x27;Brien&lt;/b&gt;"
    assert page.count(escaped) == 2  # the subject and the body
    assert "<b>O" not in page and "R&D" not in page


def test_html_pages_rendered_after_a_notification_are_still_escaped(
    client, recipient, django_capture_on_commit_callbacks
):
    """The text rendering leaves the template engine as it was: the next page escapes as always."""
    with django_capture_on_commit_callbacks(execute=True):
        _tell(recipient)
    Notification.objects.create(
        recipient=recipient, channel=Channel.IN_APP, status="sent", subject="<script>x</script>", body="<i>"
    )
    client.force_login(recipient)
    page = client.get("/notifications/").content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "<script>x" not in page
