"""Faults, with real parts: a real SMTP server (aiosmtpd), real Celery workers on a Redis
server of this test's own (started and stopped by the test), PostgreSQL. Each test counts
what arrived: every person gets exactly one email; a second copy is allowed only of a
message the SMTP server had accepted when its worker was killed, and those are counted.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from celery._state import _set_task_join_will_block
from django.db import connection
from django.utils import timezone
from kombu import pools
from redis import Redis

from meetings.services import meeting_publish
from notifications import services
from notifications.models import Notification, ReminderTime
from tests.factories.accounts import UserFactory
from tests.factories.meetings import DraftMeetingFactory, MeetingFactory, WorkingGroupFactory
from tests.services import missing, require_postgresql
from tests.smtp_sink import free_port

ROOT = Path(__file__).resolve().parents[2]
# The workers' lease on the rows they claim, and how long a handed row may stay queued
# before the sweep hands it again: ten and five minutes in production, seconds here.
LEASE_SECONDS = 10
STALE_AFTER = dt.timedelta(seconds=5)


def database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_until(condition, *, seconds: float, every: float = 0.25, what: str = "") -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"Still waiting after {seconds} s: {what}")
        time.sleep(every)


class RedisServer:
    """A redis-server of this test only, on a free port: it can be stopped and started."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip

        def answers() -> bool:
            try:
                return Redis.from_url(self.url, socket_timeout=1).ping()
            except OSError:
                return False
            except Exception:  # redis.ConnectionError before it listens
                return False

        wait_until(answers, seconds=20, what="redis-server to answer")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


@pytest.fixture
def redis_server(tmp_path):
    require_postgresql()
    if not shutil.which("redis-server"):
        missing("redis-server")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


def _forget_broker_connections(app) -> None:
    # kombu keeps one pool per broker address for the whole process: closing a pool and
    # leaving it there would hand later tests a closed pool, so the registry is emptied.
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker(redis_server, monkeypatch):
    """Tasks queued by this test go to its own Redis instead of running at once."""
    from asa_portal.celery import app

    monkeypatch.setenv("CELERY_BROKER_URL", redis_server.url)
    monkeypatch.setattr(services, "STALE_AFTER", STALE_AFTER)
    # Without CELERY_BROKER_URL the settings chose the filesystem transport and options.
    saved = app.conf.broker_transport, app.conf.broker_transport_options
    app.conf.broker_transport, app.conf.broker_transport_options = None, {}
    _forget_broker_connections(app)
    app.conf.task_always_eager = False
    yield redis_server
    app.conf.task_always_eager = True
    app.conf.broker_transport, app.conf.broker_transport_options = saved
    _forget_broker_connections(app)


@pytest.fixture
def workers(broker, smtp, settings, tmp_path):
    """Starts real worker processes (solo pool, as many as asked) on the test's Redis."""
    started: list[subprocess.Popen] = []

    def start() -> subprocess.Popen:
        log = open(tmp_path / f"worker-{len(started)}.log", "w")  # noqa: SIM115
        process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "tests.notifications.worker_app",
                "worker", "--pool=solo", "--loglevel=INFO", "--without-gossip",
                "--without-mingle", "--without-heartbeat",
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "CELERY_BROKER_URL": broker.url,
                "DATABASE_URL": database_url(),
                "EMAIL_URL": f"smtp://127.0.0.1:{settings.EMAIL_PORT}",
                "EMAIL_TIMEOUT": "3",
                "SITE_URL": settings.SITE_URL,
                "TEST_LEASE_SECONDS": str(LEASE_SECONDS),
            },
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def addresses(smtp) -> Counter:
    return Counter(address for item in smtp.received for address in item.envelope_to)


def everyone_has_one(smtp, people, *, sweep: bool = True):
    emails = {person.email for person in people}

    def check() -> bool:
        if sweep:  # what beat does every minute; here every second
            services.notifications_sweep()
        return emails <= set(addresses(smtp))

    return check


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_and_restarted_sends_one_email_each_but_the_one_in_flight(
    smtp, workers
):
    people = UserFactory.create_batch(services.BATCH_SIZE + 50)  # two batches
    meeting = DraftMeetingFactory(working_group=WorkingGroupFactory(members=people))
    first = workers()
    in_flight = []

    def kill_the_worker_at_the_30th(received) -> None:
        # The server has the message; the worker dies before it hears "250 OK", so it
        # never marks its row sent: the one case where a resend is possible.
        if len(smtp.received) == 30 and not in_flight:
            os.kill(first.pid, signal.SIGKILL)
            in_flight.append(received)

    smtp.on_accept = kill_the_worker_at_the_30th
    meeting_publish(meeting=meeting)  # commits: the two batches go to Redis
    wait_until(lambda: first.poll() is not None, seconds=120, what="the kill")
    smtp.on_accept = None
    assert len(smtp.received) == 30
    workers()  # restarted: the second batch waits for it in Redis; what the killed
    # worker held comes back through the sweep once its lease is over.
    wait_until(everyone_has_one(smtp, people), seconds=180, every=1, what="every invitation")
    time.sleep(3)  # nothing more arrives
    count = addresses(smtp)
    assert set(count) == {person.email for person in people}
    twice = [address for address, n in count.items() if n > 1]
    assert twice == in_flight[0].envelope_to
    copies = [item.message["Message-ID"] for item in smtp.to(twice[0])]
    assert len(copies) == 2 and copies[0] == copies[1]  # the same Message-ID: recognisable
    assert set(meeting.notifications.values_list("status", flat=True)) == {"sent"}


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_emails_queued_while_the_broker_is_down_go_out_once_when_it_is_back(smtp, broker, workers):
    people = UserFactory.create_batch(20)
    meeting = DraftMeetingFactory(working_group=WorkingGroupFactory(members=people))
    worker = workers()
    broker.stop()
    meeting_publish(meeting=meeting)  # no error: the change is committed, the rows kept
    assert meeting.notifications.filter(status="queued").count() == 20
    time.sleep(2)
    assert smtp.received == []
    broker.start()  # the worker reconnects; the sweep hands the rows on
    wait_until(everyone_has_one(smtp, people), seconds=180, every=1, what="every invitation")
    time.sleep(3)
    assert worker.poll() is None
    assert set(addresses(smtp).values()) == {1}
    assert set(meeting.notifications.values_list("status", flat=True)) == {"sent"}


@pytest.mark.django_db(transaction=True)
def test_a_server_answering_4xx_then_2xx_gets_each_email_once_after_a_recorded_retry(
    smtp, workers
):
    people = UserFactory.create_batch(20)
    meeting = DraftMeetingFactory(working_group=WorkingGroupFactory(members=people))
    smtp.refuse = 5  # "451 Try again later" to the first five
    workers()
    refused_at = timezone.now()
    meeting_publish(meeting=meeting)
    wait_until(lambda: len(smtp.received) == 15, seconds=120, what="the 15 accepted")
    later = meeting.notifications.filter(status="queued")
    wait_until(lambda: later.filter(attempts=1).count() == 5, seconds=30, what="5 refusals")
    for row in later:
        assert row.last_error == "451 4.3.0 Try again later"
        # Back-off: the first retry a minute later (then 2, 4, 8 … minutes).
        first_retry = row.due_at - services.retry_delay(1)
        assert refused_at <= first_retry <= timezone.now()
    # A minute passes (the back-off's timing is proven with time-machine in test_outbox).
    later.update(due_at=timezone.now())
    wait_until(everyone_has_one(smtp, people), seconds=120, every=1, what="the retries")
    time.sleep(2)
    assert set(addresses(smtp).values()) == {1}
    retried = meeting.notifications.filter(attempts=2)
    assert retried.count() == 5
    assert set(retried.values_list("status", "last_error")) == {
        ("sent", "451 4.3.0 Try again later")
    }
    assert smtp.refused == 5


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_reminder_and_retry_once(smtp, settings):
    require_postgresql()
    now = timezone.now()
    people = UserFactory.create_batch(10)
    meetings = MeetingFactory.create_batch(30, start=now + dt.timedelta(hours=23))
    expected = Counter()
    for meeting in meetings:
        Notification.objects.bulk_create(
            Notification(meeting=meeting, person=p, kind="invitation", status="sent")
            for p in people
        )
        # Its 1-day reminder fell due an hour ago.
        ReminderTime.objects.create(meeting=meeting, hours=24, due_at=now - dt.timedelta(hours=1))
        expected.update(person.email for person in people)
    # And 50 rows handed long ago that never arrived (the broker lost them).
    lost = MeetingFactory(start=now + dt.timedelta(days=5))
    an_hour_ago = now - dt.timedelta(hours=1)
    Notification.objects.bulk_create(
        Notification(meeting=lost, person=p, kind="update", revision=1, queued_at=an_hour_ago)
        for p in UserFactory.create_batch(50)
    )
    expected.update(lost.notifications.values_list("person__email", flat=True))

    start = threading.Barrier(2)
    spans, errors = [], []

    def beat() -> None:
        try:
            start.wait()
            began = time.monotonic()
            services.notifications_sweep()  # Celery is eager here: it also sends
            spans.append((began, time.monotonic()))
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=beat) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Celery's eager apply saves and restores one process-wide "joins would block" flag;
    # two threads doing it at once can leave it set, which breaks later tests' result.get().
    _set_task_join_will_block(False)
    assert errors == []
    (a_start, a_end), (b_start, b_end) = spans
    assert a_start < b_end and b_start < a_end  # they did run at the same time
    assert addresses(smtp) == expected
    assert not Notification.objects.exclude(status="sent").exists()
