"""A real Celery worker on Redis sends a meeting's 200 invitations to a real SMTP server:
each person gets exactly one, over one connection per batch."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection
from kombu import pools
from redis import Redis

from meetings import services
from notifications import services as outbox
from notifications.models import Notification
from tests.factories.accounts import UserFactory
from tests.factories.meetings import DraftMeetingFactory, WorkingGroupFactory
from tests.services import require_postgresql, require_redis

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = 200


def database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _forget_broker_connections(app) -> None:
    # kombu keeps one pool per broker address for the whole process: emptied, so that the
    # next connection is made with the transport options in force (as test_faults does).
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def key_prefix() -> str:
    return f"test-{uuid.uuid4().hex}:"


@pytest.fixture
def broker(key_prefix):
    """The app's own Redis broker, with tasks going to it instead of running eagerly.

    Every key this test's tasks use starts with a prefix of its own (the worker's too,
    see tests/core/celery_isolated.py): another test run or a portal on the same Redis
    database keeps its queue, and nothing is purged or flushed."""
    require_redis()
    require_postgresql()
    from asa_portal.celery import app

    if not str(app.conf.broker_url).startswith("redis://"):
        pytest.skip("Set CELERY_BROKER_URL=redis://… to run the worker test.")
    saved = app.conf.broker_transport_options
    app.conf.broker_transport_options = {**(saved or {}), "global_keyprefix": key_prefix}
    _forget_broker_connections(app)
    app.conf.task_always_eager = False
    yield app.conf.broker_url
    app.conf.task_always_eager = True
    app.conf.broker_transport_options = saved
    _forget_broker_connections(app)
    redis = Redis.from_url(app.conf.broker_url)
    ours = list(redis.scan_iter(match=f"{key_prefix}*"))
    if ours:
        redis.delete(*ours)


@pytest.fixture
def another_run(broker) -> str:
    """The id of a task that another test run (or a portal, as the README runs both on
    one Redis database) has queued for its own worker: this test's worker must not take
    it. Whatever is left of it is removed afterwards."""
    client = Celery(set_as_current=False, broker=broker)
    task_id = client.send_task("asa_portal.ping").id
    yield task_id
    redis = Redis.from_url(broker)
    # kombu keeps a list per priority, each named after the queue ("celery"…).
    for key in redis.scan_iter(match="celery*", _type="list"):
        for message in redis.lrange(key, 0, -1):
            if task_id.encode() in message:
                redis.lrem(key, 0, message)
    client.close()


@pytest.fixture
def worker(broker, key_prefix, smtp, settings, tmp_path):
    """The worker process; its output is in `process.log` (a file, read at any time)."""
    log = tmp_path / "worker.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "tests.core.celery_isolated", "worker",
                "--pool=solo", "--loglevel=INFO", "--without-gossip", "--without-mingle",
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "CELERY_BROKER_URL": broker,
                "TEST_KEY_PREFIX": key_prefix,
                "DATABASE_URL": database_url(),
                "EMAIL_URL": f"smtp://127.0.0.1:{settings.EMAIL_PORT}",
                "SITE_URL": "https://portal.example.org",
            },
            stdout=output,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    process.log = log
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_200_invitations_once_each(another_run, worker, smtp):
    group = WorkingGroupFactory(code="WG4")
    people = UserFactory.create_batch(PEOPLE)
    group.members.add(*people)
    meeting = DraftMeetingFactory(working_group=group)
    services.meeting_publish(meeting=meeting)  # commits: the batches go to Redis
    deadline = time.monotonic() + 180
    while len(smtp.received) < PEOPLE and time.monotonic() < deadline:
        if worker.poll() is not None:
            pytest.fail(f"The worker stopped:\n{worker.log.read_text()}")
        time.sleep(0.5)
    time.sleep(1)  # nothing more arrives
    addresses = sorted(a for item in smtp.received for a in item.envelope_to)
    assert addresses == sorted(person.email for person in people)
    batches = -(-PEOPLE // outbox.BATCH_SIZE)  # rounded up
    assert len(smtp.peers) == batches  # one connection a batch
    sent = Notification.objects.filter(meeting=meeting, kind="invitation", status="sent")
    assert sent.count() == PEOPLE
    # This worker took nothing that another run had queued.
    assert another_run not in worker.log.read_text()
