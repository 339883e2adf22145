"""Run the periodic jobs in-process: the embedded default's Celery beat (no Redis, so no beat and no worker).

    python manage.py run_periodic        # `make run` starts it beside runserver and stops it with it

The jobs are the Celery app's beat schedule — the shared ones of settings.CELERY_BEAT_SCHEDULE and each
area's `periodic` (foreign_affairs/areas/apps.py merges them) — timed by celery.beat's own scheduler, so
an interval or a crontab means here what it means to `celery beat`, crontabs in TIME_ZONE. A due job runs
here and now through its registered task (`task.apply`, as CELERY_TASK_ALWAYS_EAGER runs every task),
one at a time; a job that fails is logged and runs again when next due. One log line per run.

When each job last ran is kept in a file (var/periodic-schedule, `--schedule`): a job that fell due while
the command was stopped runs once when it starts again; a job is never run twice for one due time. SIGTERM
or SIGINT stops it once the job in hand is done.

With a broker (REDIS_URL set, CELERY_TASK_ALWAYS_EAGER off) `celery beat` is the scheduler (make beat):
the command refuses, so that no job runs twice.
"""

import logging
import signal
import time

from celery.beat import PersistentScheduler
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connections

from foreign_affairs.celery import app as celery_app
from foreign_affairs.tasking import registered_task

logger = logging.getLogger("foreign_affairs.periodic")


def _tidy_connections() -> None:
    """As a Celery worker does around each task: drop database connections that broke or outlived
    CONN_MAX_AGE. Never inside a transaction (a test's), where closing would end it."""
    if not any(connection.in_atomic_block for connection in connections.all(initialized_only=True)):
        close_old_connections()


class InProcessScheduler(PersistentScheduler):
    """celery.beat's scheduler (heap of due times, state in a shelve file), but a due job runs in this
    process instead of being sent to a broker. `entries` replaces the app's beat schedule (tests)."""

    producer = None  # nothing is published: celery.beat.Scheduler.tick passes it to apply_entry only
    # The longest sleep between two looks at the schedule (also how soon a clock change is noticed).
    max_interval = 30

    def __init__(self, app, *args, entries=None, **kwargs):
        self.entries = entries
        super().__init__(app, *args, **kwargs)

    def merge_inplace(self, b):
        super().merge_inplace(self.entries if self.entries is not None else b)

    def adjust(self, n, drift=0):
        """Sleep until a job is due, not celery.beat's 10 ms less (which only wakes it twice)."""
        return super().adjust(n, drift=drift)

    def install_default_entries(self, data):
        """No result backend, so none of the result clean-up `celery beat` adds for one."""

    def apply_entry(self, entry, producer=None):
        # tick() has already moved the entry on to its next due time (reserve); keep that on disk first,
        # so that a job is not run again for the same due time after a crash or a restart.
        self._do_sync()
        self.run(entry)

    def apply_async(self, entry, producer=None, advance=True, **kwargs):
        entry = self.reserve(entry) if advance else entry
        self._do_sync()
        return self.run(entry)

    def run(self, entry) -> bool:
        """Run the entry's task here; log the outcome. Never raises: the loop goes on."""
        _tidy_connections()
        started = time.monotonic()
        try:
            task = registered_task(entry.task)
            # As foreign_affairs.tasking.enqueue: a task with a retry policy runs as its own last attempt
            # (no worker comes back in a minute); the job's next due time is the retry.
            options = {"retries": task.max_retries} if getattr(task, "autoretry_for", ()) else {}
            task.apply(entry.args, entry.kwargs, throw=True, **options)
        except Exception:
            logger.exception(
                "Periodic job %s (%s) failed after %.1f s; it runs again when next due.",
                entry.name,
                entry.task,
                time.monotonic() - started,
            )
            return False
        else:
            logger.info(
                "Periodic job %s (%s) done in %.1f s.", entry.name, entry.task, time.monotonic() - started
            )
            return True
        finally:
            _tidy_connections()

    def run_due(self) -> float:
        """Run every job due now, one after the other; return the seconds until the next look."""
        while (delay := self.tick()) <= 0:
            pass
        return delay


def _sleep(seconds: float, *, until) -> None:
    """Sleep `seconds`, in short naps, waking early once `until()` is true."""
    deadline = time.monotonic() + seconds
    while not until() and (left := deadline - time.monotonic()) > 0:
        time.sleep(min(left, 0.5))


class Command(BaseCommand):
    help = (
        "Run the periodic jobs (the Celery beat schedule) in this process, for the embedded default where "
        "tasks run in-process and there is no Celery beat. Stops on SIGTERM or SIGINT."
    )
    requires_system_checks = []  # runserver, beside it, reports them

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule",
            default=str(settings.VAR_DIR / "periodic-schedule"),
            help="File that keeps when each job last ran (default: var/periodic-schedule).",
        )

    def handle(self, *args, schedule, **options):
        if not celery_app.conf.task_always_eager:
            raise CommandError(
                "Tasks go to a broker (REDIS_URL is set), so Celery beat runs the periodic jobs: start one "
                "beat (make beat) and a worker (make worker). run_periodic is for the embedded default."
            )
        stopping = []

        def request_stop(signum, frame):
            # Only noted (logging here could re-enter a write the signal interrupted): the job in hand
            # finishes, and the loop below ends within half a second.
            stopping.append(signum)

        previous = {number: signal.signal(number, request_stop) for number in (signal.SIGTERM, signal.SIGINT)}
        scheduler = None
        try:
            if not {entry["task"] for entry in celery_app.conf.beat_schedule.values()} <= set(
                celery_app.tasks
            ):
                celery_app.loader.import_default_modules()  # the tasks modules, as a worker does at start
            scheduler = InProcessScheduler(celery_app, schedule_filename=schedule)
            logger.info(
                "Periodic jobs run in this process (times in %s): %s.",
                celery_app.timezone,
                ", ".join(sorted(scheduler.schedule)),
            )
            while not stopping:
                delay = scheduler.tick()
                if delay > 0:
                    _sleep(delay, until=lambda: bool(stopping))
            logger.info("Periodic jobs: %s received, stopping.", signal.Signals(stopping[0]).name)
        finally:
            if scheduler is not None:
                scheduler.close()
            for number, handler in previous.items():
                signal.signal(number, handler)
            logger.info("Periodic jobs stopped.")
