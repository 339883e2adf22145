"""Service levels: deadlines in working days, a reminder when passed, the leaders told later; once each."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from approvals import services
from approvals.reminders import send_reminders
from approvals.tasks import send_reminders_task
from foreign_affairs.notifications.models import Notification
from tests.approvals.factories import ApplicationFactory

pytestmark = pytest.mark.django_db
# Monday 2026-11-30 at 09:00 in Zhengzhou.
MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.get_default_timezone())


def _inbox(user):
    return list(
        Notification.objects.filter(recipient=user, channel="in_app").values_list("subject", flat=True)
    )


def test_an_overdue_review_reminds_the_assignee_then_the_leaders(
    organization, applicant, liaison, officer, leader, django_capture_on_commit_callbacks
):
    with time_machine.travel(MONDAY, tick=False), django_capture_on_commit_callbacks(execute=True):
        application = ApplicationFactory(
            organization=organization, created_by=applicant, trip__departure=date(2027, 2, 1)
        )
        services.application_transition(application=application, actor=applicant, name="submit")
        services.application_transition(application=application, actor=liaison, name="endorse")
        services.application_assign(application=application, actor=officer, officer=officer)
        application.refresh_from_db()
        assert application.due_on == date(2026, 12, 7)  # five working days
        assert send_reminders() == 0
    before = len(_inbox(officer))

    with time_machine.travel(datetime(2026, 12, 8, 9, 0, tzinfo=MONDAY.tzinfo), tick=False):
        assert send_reminders_task() == 1  # the assigned officer
        assert send_reminders() == 0  # once only
    assert len(_inbox(officer)) == before + 1
    assert _inbox(leader) == []

    with time_machine.travel(datetime(2026, 12, 10, 9, 0, tzinfo=MONDAY.tzinfo), tick=False):
        assert send_reminders() == 1  # three working days late: the leaders now
        assert send_reminders() == 0
    assert len(_inbox(leader)) == 1


def test_weekends_and_holidays_do_not_count(organization, applicant):
    # Endorsement (3 working days) of an application submitted on Wednesday 2026-09-30, before National Day.
    with time_machine.travel(datetime(2026, 9, 30, 10, 0, tzinfo=MONDAY.tzinfo), tick=False):
        application = ApplicationFactory(
            organization=organization, created_by=applicant, trip__departure=date(2026, 12, 20)
        )
        services.application_transition(application=application, actor=applicant, name="submit")
    application.refresh_from_db()
    assert application.due_on == date(2026, 10, 10)  # 1–7 October are holidays, Saturday the 10th is worked


def test_applications_that_moved_on_are_not_reminded(organization, applicant, liaison):
    with time_machine.travel(MONDAY, tick=False):
        application = ApplicationFactory(
            organization=organization, created_by=applicant, trip__departure=date(2027, 2, 1)
        )
        services.application_transition(application=application, actor=applicant, name="submit")
    with time_machine.travel(MONDAY + timedelta(days=1), tick=False):
        services.application_transition(application=application, actor=liaison, name="endorse")
    with time_machine.travel(MONDAY + timedelta(days=5), tick=False):
        assert send_reminders() == 0  # the new deadline (in review) has not passed
