"""The Celery application.

Configuration comes from the Django settings (every `CELERY_*` name): a Redis broker when REDIS_URL
is set, JSON messages only, time limits, late acknowledgement for idempotent tasks and the beat
schedule. Without REDIS_URL tasks run eagerly in-process (the embedded default).

    celery -A foreign_affairs worker -l info
    celery -A foreign_affairs beat -l info
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foreign_affairs.settings")

app = Celery("foreign_affairs")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
