"""A real worker killed while it renders a permit: the redelivered task still issues it exactly once."""

import time
from pathlib import Path

import pytest

from approvals import services
from approvals.models import Permit, TravelApplication
from approvals.tasks import issue_permit
from approvals.workflow import State
from foreign_affairs.audit.models import AuditEvent
from tests.approvals.factories import ApplicationFactory
from tests.conftest import requires_services


@requires_services
@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_rendering_leaves_one_permit(
    organization, officer, settings, tmp_path, celery_worker_process
):
    settings.DISCLOSURE_WORKING_DAYS = 5
    application = ApplicationFactory(organization=organization, in_review=True)
    services.application_transition(application=application, actor=officer, name="approve")
    application.disclosures.update(outcome="completed")  # the notice ran its course
    private = Path(settings.STORAGES["private"]["OPTIONS"]["location"])
    worker_env = {
        "PRIVATE_MEDIA_ROOT": str(private),
        "CELERY_VISIBILITY_TIMEOUT": "3",
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "CELERY_UNACKED_RESTORE_THROTTLE": "1",
    }

    first = celery_worker_process(**worker_env)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from foreign_affairs.celery import app

    with app.connection_for_write(first.redis_url) as connection:
        issue_permit.apply_async(args=[application.pk], connection=connection)
    first.wait_for(
        lambda: "rendering permit" in first.output(), timeout=60, message="the worker did not start rendering"
    )
    first.process.kill()  # SIGKILL in the middle of rendering: no clean shutdown, no acknowledgement
    first.process.wait(timeout=10)
    assert not Permit.objects.exists()
    assert TravelApplication.objects.get(pk=application.pk).state == State.APPROVED

    time.sleep(3.5)  # past the visibility timeout, the broker hands the message out again
    second = celery_worker_process(**worker_env)
    second.wait_for(
        lambda: Permit.objects.filter(application=application).exists(),
        timeout=90,
        message="the redelivered task did not issue the permit",
    )
    second.wait_for(
        lambda: TravelApplication.objects.get(pk=application.pk).state == State.PERMIT_ISSUED, timeout=30
    )
    time.sleep(1)  # give a duplicate delivery, if any, the time to act
    assert Permit.objects.count() == 1
    assert sorted(p.name for p in private.rglob("*.pdf")) == [f"{application.reference}.pdf"]
    assert AuditEvent.objects.filter(action="travel_application.issue_permit").count() == 1
