"""In-app notifications read in the reader's language of the moment; e-mails stay in the language the
recipient had when they were written."""

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from approvals import notifying
from foreign_affairs.accounts.models import Membership
from foreign_affairs.notifications.models import Channel, Notification
from foreign_affairs.notifications.services import notify
from tests.approvals.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_of_the_next_test():
    """A request leaves its language active in the thread; the next test starts from the default."""
    yield
    translation.deactivate()


def _welcome(user, organization):
    return notify(
        recipient=user,
        template="accounts/membership",
        link="/dashboard/",
        context={"membership": Membership.objects.get(user=user), "organization": organization},
    )


@pytest.fixture
def told_in_chinese(applicant, organization, django_capture_on_commit_callbacks):
    """The applicant, who reads Chinese, is told of the membership; then switches to English."""
    applicant.preferred_language = "zh-hans"
    applicant.save()
    with django_capture_on_commit_callbacks(execute=True):
        _welcome(applicant, organization)
    applicant.preferred_language = "en"
    applicant.save()
    return applicant


def test_a_notification_made_in_chinese_reads_in_english_after_the_reader_switches(
    client, told_in_chinese, organization
):
    client.force_login(told_in_chinese)
    page = client.get("/notifications/").content.decode()
    assert f"Your portal account now belongs to {organization.name_en}" in page
    assert "您的平台账号已归属" not in page

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert f"您的平台账号已归属{organization.name_zh}" in client.get("/notifications/").content.decode()


def test_the_api_gives_the_callers_language(api_as, told_in_chinese, organization):
    api = api_as(told_in_chinese)
    english = api.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]
    assert english["subject"] == f"Your portal account now belongs to {organization.name_en}"
    assert "Henan Foreign Affairs Service Portal" in english["body"]
    chinese = api.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="zh-Hans").json()["results"][0]
    assert chinese["subject"] == f"您的平台账号已归属{organization.name_zh}"
    assert api.get("/api/v1/notifications/unread_count/").json() == {"unread": 1}


def test_the_email_stays_in_the_language_it_was_written_in(told_in_chinese, organization):
    assert mail.outbox[0].subject == f"您的平台账号已归属{organization.name_zh}"
    email = Notification.objects.get(channel=Channel.EMAIL)
    assert (email.template, email.texts) == ("accounts/membership", {})


def test_an_areas_notice_is_written_from_the_values_of_its_moment(client, applicant, officer, organization):
    """The state and the people named are those of when it happened, in each language."""
    officer.preferred_language = "zh-hans"
    application = ApplicationFactory(organization=organization, in_review=True)
    notifying.assigned(application, officer=officer, actor=applicant)
    officer.preferred_language = "en"
    officer.save()

    client.force_login(officer)
    page = client.get("/notifications/").content.decode()
    assert f"[{application.reference}] An application was assigned to you" in page
    assert f"{applicant.get_full_name()} assigned this application to you." in page


def test_older_notifications_keep_their_words(client, applicant):
    Notification.objects.create(
        recipient=applicant, channel="in_app", status="sent", subject="审批进度", body="旧的正文"
    )
    client.force_login(applicant)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/notifications/").content.decode()
    assert "审批进度" in page and "旧的正文" in page


def test_the_list_costs_the_same_queries_for_two_notifications_or_twenty_five(
    client, applicant, organization
):
    client.force_login(applicant)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/notifications/").status_code == 200
        return len(captured)

    for _ in range(2):
        _welcome(applicant, organization)
    few = queries()
    for _ in range(23):
        _welcome(applicant, organization)
    assert queries() == few
