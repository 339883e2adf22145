"""A real Celery worker renders the decision letter the services queue, and renders it again when an
economy joins the card later."""

from pathlib import Path

import pytest

from apec_cards import tasks
from apec_cards.models import Card
from foreign_affairs.audit.models import AuditEvent
from tests.conftest import requires_services

from .helpers import decide, issued_card


@requires_services
@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_renders_the_letter_and_its_new_version(
    applicant, liaison, officer, settings, monkeypatch, celery_worker_process
):
    private = Path(settings.STORAGES["private"]["OPTIONS"]["location"])
    worker = celery_worker_process(PRIVATE_MEDIA_ROOT=str(private))
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from foreign_affairs.celery import app

    with app.connection_for_write(worker.redis_url) as connection:
        # What the services queue after commit goes to this test's worker (its own Redis database).
        monkeypatch.setattr(
            tasks.render_letter,
            "delay",
            lambda card_id: tasks.render_letter.apply_async([card_id], connection=connection),
        )
        card = issued_card(applicant=applicant, liaison=liaison, officer=officer, approve=("AU",))
        worker.wait_for(
            lambda: Card.objects.get(pk=card.pk).letter_rendered_version == 1,
            timeout=90,
            message="the worker did not render the letter",
        )
        decide(card.application, officer, "JP")
        worker.wait_for(
            lambda: Card.objects.get(pk=card.pk).letter_rendered_version == 2,
            timeout=60,
            message="the worker did not render the second version",
        )
    card.refresh_from_db()
    assert card.letter_error == ""
    assert sorted(path.name for path in private.rglob("*.pdf") if "letters" in str(path)) == [
        f"{card.number}.pdf"
    ]
    assert AuditEvent.objects.timeline_for(card).filter(action="card.letter").count() == 2
