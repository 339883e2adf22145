"""The one beat: a Celery beat scheduler that sends the periodic jobs only while it holds a lock in Redis.

Two beats started by mistake (a second `docker compose up` on another host, a scaled beat service) would
send every periodic job twice. A lock file does not help across hosts, so the lock lives in Redis, which
every beat already shares as its broker: a key with a time-out (BEAT_LOCK_TIMEOUT), taken by the first
beat and renewed on every tick. Another beat waits as a standby: it sends nothing, but keeps its own
schedule in step (what falls due is marked as sent, since the leader sent it), so that when it takes over
it does not send again what the leader already sent. A leader that dies keeps the lock until it times out;
the standby then takes over. A job due within that window is not sent then but at its next time: every
periodic job of the portal catches up (it acts on whatever is due when it runs).
"""

import logging

import redis
from celery.beat import PersistentScheduler
from django.conf import settings

logger = logging.getLogger(__name__)


class LockedScheduler(PersistentScheduler):
    lock_key = "fa:beat:lock"

    def __init__(self, *args, **kwargs):
        self.lock_timeout = settings.BEAT_LOCK_TIMEOUT
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=5)
        # Not thread-local: the embedded beat of `celery worker --beat` ticks in a thread of its own.
        self.lock = client.lock(self.lock_key, timeout=self.lock_timeout, blocking=False, thread_local=False)
        self.leading = False
        super().__init__(*args, **kwargs)
        # Tick at least three times per time-out, so that the lock is renewed well before it runs out.
        self.max_interval = min(self.max_interval, self.lock_timeout / 3)

    def tick(self, *args, **kwargs):
        if self._lead():
            return super().tick(*args, **kwargs)
        self._follow()
        return self.max_interval

    def _lead(self) -> bool:
        """True while this beat holds the lock: renewed if held, taken if free."""
        try:
            leading = self.lock.reacquire() if self.lock.owned() else self.lock.acquire()
        except redis.RedisError:
            # Without Redis nothing can be sent anyway, and after the time-out another beat may lead.
            logger.warning("beat lock: Redis cannot be reached; no periodic job is sent", exc_info=True)
            leading = False
        if leading != self.leading:
            logger.info(
                "beat lock %s",
                "taken: this beat sends the periodic jobs" if leading else "held elsewhere: standing by",
            )
            self.leading = leading
        return leading

    def _follow(self) -> None:
        """Standing by: what falls due is the leader's to send; mark it as sent here."""
        for entry in list(self.schedule.values()):
            if entry.is_due().is_due:
                self.reserve(entry)
                self._heap = None  # rebuilt from the schedule on taking over

    def close(self):
        """Beat stops (SIGTERM, Ctrl-C): the lock is released, so that a standby takes over at once."""
        super().close()
        try:
            if self.lock.owned():
                self.lock.release()
        except redis.RedisError:
            pass  # the lock times out by itself
