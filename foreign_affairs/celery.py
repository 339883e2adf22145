"""The Celery application.

Configuration comes from the Django settings (every `CELERY_*` name): a Redis broker when REDIS_URL
is set, JSON messages only, time limits, late acknowledgement for idempotent tasks, the queues of the
tasks (CELERY_TASK_ROUTES) and the beat schedule. Without REDIS_URL tasks run eagerly in-process (the
embedded default).

    celery -A foreign_affairs worker -l info -Q celery,notifications,pdf,exports   (one worker for all)
    celery -A foreign_affairs worker -l info -Q pdf                                (or one per queue)
    celery -A foreign_affairs beat -l info
"""

import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foreign_affairs.settings")

app = Celery("foreign_affairs")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def queues() -> list[str]:
    """Every queue a task is sent to: the default one and those of CELERY_TASK_ROUTES. A worker started
    with `-Q` must consume them all, or one per queue between them."""
    routed = {route["queue"] for route in (app.conf.task_routes or {}).values()}
    return sorted({app.conf.task_default_queue, *routed})


@worker_process_init.connect
def _warm_up(**kwargs) -> None:
    """Each worker process loads the PDF fonts, templates, URL patterns and translations when it starts,
    so that its first permit does not wait for them (foreign_affairs.warm_up). A font that cannot be
    loaded stops the worker here, at start."""
    from foreign_affairs.warm_up import warm_up

    warm_up()
