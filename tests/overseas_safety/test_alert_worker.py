"""A real Celery worker sends an alert to a few hundred people once, though "Send" was pressed twice."""

from datetime import timedelta

import pytest
from django.utils import timezone

from foreign_affairs.errors import StateConflict
from foreign_affairs.notifications.models import Notification
from overseas_safety.models import SafetyAlert, Stationing
from overseas_safety.services import alerts
from tests.conftest import requires_services
from tests.factories import PersonFactory, enterprise_user

from .factories import SiteFactory

PEOPLE_PER_ORGANISATION = 100


@requires_services
@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_sends_an_alert_to_hundreds_once(officer, celery_worker_process):
    from foreign_affairs.celery import app

    liaisons = []
    for _ in range(3):
        liaison = enterprise_user(liaison=True)
        liaisons.append(liaison)
        site = SiteFactory(organization=liaison.organization, country="DE", city="Berlin")
        people = PersonFactory.build_batch(PEOPLE_PER_ORGANISATION, organization=liaison.organization)
        for index, person in enumerate(people):
            person.passport_number = f"W{site.pk:03d}{index:05d}"
        people = type(people[0]).objects.bulk_create(people)
        Stationing.objects.bulk_create(
            Stationing(
                site=site, person=person, post="Engineer", starts_on=timezone.localdate() - timedelta(days=1)
            )
            for person in people
        )
    alert = alerts.alert_create(
        actor=officer, data={"country": "DE", "title": "Storm", "message": "Stay in."}
    )

    # The worker consumes the test process's own broker, so that alert_send's enqueue_on_commit reaches it.
    worker = celery_worker_process(REDIS_URL=app.conf.broker_url)
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        alerts.alert_send(alert=alert, actor=officer)
        with pytest.raises(StateConflict):
            alerts.alert_send(alert=alert, actor=officer)
    finally:
        app.conf.task_always_eager = eager

    worker.wait_for(
        lambda: SafetyAlert.objects.get(pk=alert.pk).state == "sent",
        timeout=120,
        message="the worker did not finish sending the alert",
    )
    alert.refresh_from_db()
    total = 3 * PEOPLE_PER_ORGANISATION
    assert (alert.recipient_count, alert.sent_count) == (total, total)
    for liaison in liaisons:
        assert Notification.objects.filter(recipient=liaison, channel="in_app").count() == 1
    assert worker.output().count("overseas_safety.deliver_alert") >= 1
    assert "Retry in" not in worker.output()
