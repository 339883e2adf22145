"""Playing the demo's history on the days it happened (seed_demo only; never imported by the portal itself).

The demo data is made through the same services as real data, so its times come from
`django.utils.timezone.now()`: the application's, its stays in each state (StatePeriod), the public notices',
the permit's, the passport ledger's and the audit events'. Audit events are HMAC-chained and append-only:
a time cannot be moved once written. So the history is not made today and moved back; it is *played*, in
order, on a clock set to each moment.

`DemoClock` sets the time that `timezone.now()` and `timezone.localdate()` answer — for every caller,
the models' `default=timezone.now` and `auto_now` included (it replaces the `datetime` class that
`django.utils.timezone` reads, not the functions that other modules hold) — and does what the Celery
worker would have done at the time: tasks queued for after commit run right after the step that queued
them, on the same clock (the permit is rendered the day it was issued). E-mails of the past count as
delivered when they were written; none goes to the console now.

`Timeline` holds the steps of a history and plays them in order of time. A step the services refuse is
recorded in `failures`, and the rest of its thread (one application's steps) is skipped, instead of
stopping the seeding; the tests require no failures.
"""

import datetime as dt
import heapq
import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from unittest import mock

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from . import tasking
from .errors import RulesFailed, StateConflict

logger = logging.getLogger(__name__)

# What the services answer when they refuse a step: a recorded failure, not a crash.
REFUSALS = (ValidationError, PermissionDenied, StateConflict, RulesFailed)


class _DatetimeType(type):
    """isinstance(value, <the clock's datetime>) holds for every datetime, as it does for the real class
    (django.utils.timezone.template_localtime asks)."""

    def __instancecheck__(cls, instance):
        return isinstance(instance, dt.datetime)

    def __subclasscheck__(cls, subclass):
        return issubclass(subclass, dt.datetime)


class DemoClock:
    """A clock for the services while the demo's history is played.

    with DemoClock() as clock:
        clock.set(moment)   # an aware datetime, never after the real now
        ...services...
        clock.settle()      # what the worker would do now: tasks after commit, e-mails delivered
    """

    def __init__(self):
        self.real_now = self.now = timezone.now()
        self._after_commit: list[Callable] = []
        self._mail: list[int] = []
        self._patches = []
        self._logging_disabled = logging.NOTSET
        self.mail_delivered = 0

    # The clock ------------------------------------------------------------------------------------------

    def set(self, moment: dt.datetime) -> None:
        """Move the clock to `moment` (aware); never past the real now, which has not happened yet."""
        if timezone.is_naive(moment):
            raise ValueError("DemoClock.set needs an aware datetime")
        self.now = min(moment, self.real_now).astimezone(dt.UTC)

    def __enter__(self) -> "DemoClock":
        clock = self

        class ClockDatetime(dt.datetime, metaclass=_DatetimeType):
            @classmethod
            def now(cls, tz=None):
                return (
                    clock.now.astimezone(tz)
                    if tz is not None
                    else clock.now.astimezone().replace(tzinfo=None)
                )

        class AfterStep:
            """Stands in for django.db.transaction in foreign_affairs.tasking: work queued "after commit"
            runs when the step is done (settle), as a worker would have run it then."""

            @staticmethod
            def on_commit(func, using=None, robust=False):
                clock._after_commit.append(func)

        self._patches = [
            mock.patch.object(timezone, "datetime", ClockDatetime),
            # DEBUG keeps every query for the debug toolbar and the error page: a history of thousands of
            # steps needs none of them, and logging them costs a tenth of the time (forcing still works).
            mock.patch.object(
                BaseDatabaseWrapper, "queries_logged", property(lambda self: self.force_debug_cursor)
            ),
            mock.patch.object(tasking, "transaction", AfterStep),
            mock.patch.object(tasking, "enqueue", self._run_task),
        ]
        for patch in self._patches:
            patch.start()
        # The history's routine log lines (a permit rendered, a task done) are not news today; warnings are.
        self._logging_disabled = logging.root.manager.disable
        logging.disable(max(logging.INFO, self._logging_disabled))
        return self

    def __exit__(self, *exc_info) -> None:
        try:
            if exc_info[0] is None:
                self.settle()
        finally:
            for patch in reversed(self._patches):
                patch.stop()
            self._patches = []
            logging.disable(self._logging_disabled)

    # What the worker does -------------------------------------------------------------------------------

    def _run_task(self, task_name: str, *args) -> None:
        if task_name == "notifications.deliver":
            self._mail.append(args[0])
            return
        # The task's own code, here and now (eager or not: a broker would run it later, on the real clock).
        tasking.registered_task(task_name)(*args)

    def mark(self) -> tuple[int, int]:
        return len(self._after_commit), len(self._mail)

    def discard(self, mark: tuple[int, int]) -> None:
        """Forget what a refused step queued (its transaction was rolled back)."""
        del self._after_commit[mark[0] :]
        del self._mail[mark[1] :]

    def settle(self) -> None:
        """Run the tasks queued since the last settle (and those they queue), and deliver the e-mails."""
        while self._after_commit:
            queued, self._after_commit = self._after_commit, []
            for callback in queued:
                callback()
        if self._mail:
            from .notifications.models import Channel, Notification, Status

            self.mail_delivered += Notification.objects.filter(
                pk__in=self._mail, channel=Channel.EMAIL, status=Status.PENDING
            ).update(status=Status.SENT, sent_at=self.now, attempts=1, next_attempt_at=None, last_error="")
            self._mail = []


@dataclass(order=True)
class _Step:
    at: dt.datetime
    order: int
    action: Callable = field(compare=False)
    thread: object = field(compare=False, default=None)
    label: str = field(compare=False, default="")


class Timeline:
    """The steps of a history, played in order of time on a DemoClock.

    `add(moment, action, thread=..., label=...)`; `run()` plays every step up to the real now (later
    ones are left: they have not happened yet). Steps may add steps. A refused step is recorded in
    `failures` and the later steps of its thread are skipped.
    """

    def __init__(self, clock: DemoClock):
        self.clock = clock
        self._steps: list[_Step] = []
        self._order = itertools.count()
        self._failed: set = set()
        self.failures: list[str] = []
        self.played = 0

    def add(self, moment: dt.datetime, action: Callable, *, thread=None, label: str = "") -> None:
        heapq.heappush(self._steps, _Step(moment, next(self._order), action, thread, label))

    def run(self, until: dt.datetime | None = None) -> None:
        until = min(until or self.clock.real_now, self.clock.real_now)
        while self._steps and self._steps[0].at <= until:
            step = heapq.heappop(self._steps)
            if step.thread is not None and step.thread in self._failed:
                continue
            self.clock.set(step.at)
            mark = self.clock.mark()
            try:
                step.action()
            except REFUSALS as error:
                self.clock.discard(mark)
                if step.thread is not None:
                    self._failed.add(step.thread)
                details = getattr(error, "findings", None) or getattr(error, "message_dict", None) or error
                failure = (
                    f"{timezone.localtime(step.at):%Y-%m-%d %H:%M} {step.label or step.action}: {details}"
                )
                self.failures.append(failure)
                logger.warning("demo step refused: %s", failure)
                continue
            self.clock.settle()
            self.played += 1
        self._steps = []


class BackgroundPDFs:
    """Renders the PDFs of a long history in other processes while it plays (WeasyPrint takes 0.1–0.3 s a
    page; a year of permits would double the seeding's time on one core).

    `render(template_name, context)` stands in for documents.pdf.render_pdf inside a service: it writes
    the HTML now — in this process, on the clock, in the language of the moment — hands it to a worker
    process and returns a placeholder, unique to the job, that the service stores as the file. `finish()`
    waits for the workers and returns {placeholder: the real PDF}; the caller puts each in place of its
    placeholder (file and checksum). Only for PDFs whose checksum no audit event records.
    """

    def __init__(self, processes: int | None = None):
        import os

        self.processes = processes or max(1, min(4, (os.cpu_count() or 2) - 1))
        self._pool = None
        self._jobs: dict[bytes, object] = {}

    def render(
        self, template_name: str, context: dict | None = None, *, stylesheets: tuple[str, ...] = ()
    ) -> bytes:
        import multiprocessing
        import uuid

        from django.template.loader import render_to_string

        if self._pool is None:
            self._pool = multiprocessing.get_context().Pool(self.processes)
        html = render_to_string(template_name, context or {})
        placeholder = f"%PDF-1.7 placeholder {uuid.uuid4()}".encode()
        self._jobs[placeholder] = self._pool.apply_async(_html_to_pdf, (html, stylesheets))
        return placeholder

    def finish(self) -> dict[bytes, bytes]:
        if self._pool is None:
            return {}
        try:
            return {placeholder: job.get() for placeholder, job in self._jobs.items()}
        finally:
            self._pool.close()
            self._pool.join()
            self._pool, self._jobs = None, {}


_renderer = None


def _html_to_pdf(html: str, stylesheets: tuple[str, ...] = ()) -> bytes:
    """In a worker process: the HTML as documents.pdf.render_pdf renders it (its stylesheet, fonts and
    fetcher). A spawned worker sets Django up first; a forked one has it already."""
    global _renderer
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
    from django.conf import settings
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from .documents import pdf

    base_url = f"{settings.PORTAL_BASE_URL}/"
    if _renderer is None:
        fetcher, fonts = pdf.PortalURLFetcher(), FontConfiguration()
        css = CSS(
            filename=finders.find(pdf.BASE_STYLESHEET),
            base_url=base_url + settings.STATIC_URL.lstrip("/") + "css/",
            url_fetcher=fetcher,
            font_config=fonts,
        )
        _renderer = (fetcher, fonts, css)
    fetcher, fonts, css = _renderer
    extra = [CSS(string=text, font_config=fonts, url_fetcher=fetcher) for text in stylesheets]
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(
        stylesheets=[css, *extra], font_config=fonts
    )
