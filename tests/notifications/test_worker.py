"""A real Celery worker on Redis sends a meeting's 200 invitations to a real SMTP server:
each person gets exactly one, over one connection per batch."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from meetings import services
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


@pytest.fixture
def broker():
    """The app's own Redis broker, with tasks going to it instead of running eagerly."""
    require_redis()
    require_postgresql()
    from asa_portal.celery import app

    if not str(app.conf.broker_url).startswith("redis://"):
        pytest.skip("Set CELERY_BROKER_URL=redis://… to run the worker test.")
    app.control.purge()
    app.conf.task_always_eager = False
    yield app.conf.broker_url
    app.conf.task_always_eager = True


@pytest.fixture
def worker(broker, smtp, settings):
    process = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "asa_portal", "worker",
            "--pool=solo", "--loglevel=INFO", "--without-gossip", "--without-mingle",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "CELERY_BROKER_URL": broker,
            "DATABASE_URL": database_url(),
            "EMAIL_URL": f"smtp://127.0.0.1:{settings.EMAIL_PORT}",
            "SITE_URL": "https://portal.example.org",
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    yield process
    process.terminate()
    try:
        process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_200_invitations_once_each(worker, smtp):
    group = WorkingGroupFactory(code="WG4")
    people = UserFactory.create_batch(PEOPLE)
    group.members.add(*people)
    meeting = DraftMeetingFactory(working_group=group)
    services.meeting_publish(meeting=meeting)  # commits: the batches go to Redis
    deadline = time.monotonic() + 180
    while len(smtp.received) < PEOPLE and time.monotonic() < deadline:
        if worker.poll() is not None:
            pytest.fail(f"The worker stopped:\n{worker.communicate()[0]}")
        time.sleep(0.5)
    time.sleep(1)  # nothing more arrives
    addresses = sorted(a for item in smtp.received for a in item.envelope_to)
    assert addresses == sorted(person.email for person in people)
    assert len(smtp.peers) == PEOPLE // 100  # one connection per batch of 100
    sent = Notification.objects.filter(meeting=meeting, kind="invitation", status="sent")
    assert sent.count() == PEOPLE
