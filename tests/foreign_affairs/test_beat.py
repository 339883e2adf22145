"""The one beat (foreign_affairs.beat.LockedScheduler): of two beats sharing a Redis, only the one holding
the lock sends the periodic jobs; the other stands by, keeps its schedule in step and takes over when the
lock is released or runs out, without sending again what the first one sent.

Sending a job is the scheduler's `apply_entry`; here it notes the job instead of publishing it (the tests
run tasks eagerly, so a real send would run the job in the test)."""

import os
import uuid
from datetime import timedelta

import pytest
import redis
import time_machine
from django.conf import settings
from django.utils import timezone

from foreign_affairs.beat import LockedScheduler
from foreign_affairs.celery import app as celery_app

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis (set REDIS_URL)")

EVERY = 60  # seconds between two runs of the test's job


@pytest.fixture
def beats(tmp_path):
    """`beats("a")`: a beat with a schedule file of its own and one job every minute, sharing the test's
    lock key with the other beats of the test; all are closed afterwards."""
    key = f"test:beat:{uuid.uuid4().hex}"
    made = []

    class Beat(LockedScheduler):
        lock_key = key

        def __init__(self, *args, **kwargs):
            self.sent = []
            super().__init__(*args, **kwargs)
            self.schedule.clear()
            self.update_from_dict({"job": {"task": "tests.beat.job", "schedule": timedelta(seconds=EVERY)}})

        def apply_entry(self, entry, producer=None):
            self.sent.append(timezone.now())

    def make(name):
        beat = Beat(app=celery_app, schedule_filename=str(tmp_path / name))
        made.append(beat)
        return beat

    make.client = redis.Redis.from_url(settings.REDIS_URL)
    make.key = key
    yield make
    for beat in made:
        beat.close()
    make.client.delete(key)


def run_for(clock, beats, seconds):
    """Tick every beat once a second for `seconds` seconds of the travelling clock."""
    for _ in range(seconds):
        clock.shift(1)
        for beat in beats:
            while beat.tick() == 0:  # 0: it sent a job and another may be due at once
                pass


def test_only_the_beat_holding_the_lock_sends_and_the_other_stands_by(beats):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        first, second = beats("first"), beats("second")
        run_for(clock, [first, second], 3 * EVERY + 5)
    assert len(first.sent) == 3 and second.sent == []
    assert first.leading and not second.leading
    ttl = beats.client.ttl(beats.key)
    assert 0 < ttl <= settings.BEAT_LOCK_TIMEOUT


def test_a_standby_takes_over_when_the_leader_stops_without_sending_its_jobs_again(beats):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        first, second = beats("first"), beats("second")
        run_for(clock, [first, second], EVERY + 5)
        first.close()  # beat stopped: the lock is released
        run_for(clock, [second], EVERY - 10)
        assert second.leading and second.sent == []  # the job the first one sent is not sent again
        run_for(clock, [second], 10)
    assert len(first.sent) == 1 and len(second.sent) == 1
    assert second.sent[0] - first.sent[0] == timedelta(seconds=EVERY)


def test_a_leader_whose_lock_ran_out_stands_by_once_another_took_over(beats):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        first, second = beats("first"), beats("second")
        run_for(clock, [first, second], 5)
        beats.client.delete(beats.key)  # what Redis does when the first beat paused past the time-out
        run_for(clock, [second, first], 2 * EVERY)
    assert not first.leading and second.leading
    assert first.sent == [] and len(second.sent) == 2
