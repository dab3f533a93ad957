"""A real Celery worker process takes a task from the broker and runs it."""

import importlib
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery
from redis import Redis

from tests.services import require_redis

ROOT = Path(__file__).resolve().parents[2]


def start_worker(
    environment: dict[str, str], app: str = "asa_portal", pool: str = "solo"
) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", app, "worker",
            f"--pool={pool}", "--loglevel=INFO", "--without-gossip", "--without-mingle",
        ],
        cwd=ROOT,
        env={**os.environ, **environment},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip


def stop(worker: subprocess.Popen) -> str:
    worker.terminate()
    try:
        output, _ = worker.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        output, _ = worker.communicate()
    return output


# Each client below is a Celery app of its own, kept from becoming the current app: the
# portal's shared_task tasks queue on the current app, and would go to this test's broker
# in every later test of the run.


def run_ping(client: Celery, environment: dict[str, str], app: str = "asa_portal") -> None:
    worker = start_worker(environment, app)
    try:
        result = client.send_task("asa_portal.ping").get(timeout=60)
    except Exception:
        pytest.fail(f"The worker ran no task. Its output:\n{stop(worker)}")
    output = stop(worker)
    assert result == "pong"
    assert "asa_portal.ping" in output
    assert "succeeded" in output


@pytest.fixture(autouse=True)
def _broker_from_the_test(monkeypatch):
    # Celery prefers the CELERY_BROKER_URL variable to the broker it is given.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)


def test_a_worker_on_the_filesystem_broker_runs_a_task_end_to_end(tmp_path):
    folder = tmp_path / "broker"
    (folder / "queue").mkdir(parents=True)
    results = tmp_path / "results"
    results.mkdir()
    client = Celery(
        set_as_current=False,
        broker="filesystem://",
        backend=f"file://{results}",
        broker_transport_options={
            "data_folder_in": str(folder / "queue"),
            "data_folder_out": str(folder / "queue"),
            "control_folder": str(folder / "control"),
        },
    )
    run_ping(
        client,
        {
            "CELERY_BROKER_URL": "filesystem://",
            "CELERY_FILESYSTEM_BROKER_DIR": str(folder),
            "CELERY_RESULT_BACKEND": f"file://{results}",
        },
    )


def test_a_worker_on_redis_runs_a_task_end_to_end_and_leaves_other_runs_keys_alone():
    url = require_redis()
    prefix = f"test-{uuid.uuid4().hex}:"
    client = Celery(
        set_as_current=False,
        broker=url,
        backend=url,
        broker_transport_options={"global_keyprefix": prefix},
        result_backend_transport_options={"global_keyprefix": prefix},
    )
    redis = Redis.from_url(url)
    # What another test run, or a portal on the same Redis, keeps there.
    other_run = f"another-run-{uuid.uuid4().hex}"
    redis.set(other_run, "theirs")
    try:
        run_ping(
            client,
            {
                "CELERY_BROKER_URL": url,
                "CELERY_RESULT_BACKEND": url,
                "TEST_KEY_PREFIX": prefix,
            },
            app="tests.core.celery_isolated",
        )
        assert redis.get(other_run) == b"theirs"
    finally:
        redis.delete(other_run)
        ours = list(redis.scan_iter(match=f"{prefix}*"))
        if ours:
            redis.delete(*ours)


# -- The portal's own tasks, run by a real worker ----------------------------------------


def portal_tasks() -> set[str]:
    """Every task the portal can queue: the web process imports each app's tasks.py
    when it queues one, whether or not the Celery app finds the module itself."""
    from django.apps import apps

    from asa_portal.celery import app

    for config in apps.get_app_configs():
        if (Path(config.path) / "tasks.py").exists():
            importlib.import_module(f"{config.name}.tasks")
    return {name for name in app.tasks if not name.startswith(("celery.", "tests."))}


def worker_database_url(tmp_path: Path) -> str:
    """A database the worker process can open that holds this test's rows: the test
    database itself on PostgreSQL; on SQLite (in memory, in this process) a copy."""
    import sqlite3

    from django.db import connection

    settings = connection.settings_dict
    if settings["ENGINE"] == "django.db.backends.sqlite3":
        copy = tmp_path / "worker.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(copy) as target:
            connection.connection.backup(target)
        return f"sqlite:///{copy}"
    auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    return f"postgres://{auth}@{host}/{settings['NAME']}"


def queued_invitation():
    from notifications.models import Notification
    from tests.factories.accounts import UserFactory
    from tests.factories.meetings import MeetingFactory, WorkingGroupFactory

    person = UserFactory(email="invited@example.org")
    meeting = MeetingFactory(working_group=WorkingGroupFactory(members=[person]))
    return Notification.objects.create(
        kind=Notification.Kind.INVITATION, person=person, meeting=meeting
    )


@pytest.mark.django_db(transaction=True)
def test_a_worker_runs_every_task_the_portal_queues(tmp_path):
    """Each task goes through the broker to a worker started as in production; a task the
    worker does not know (a tasks module it does not import, a renamed task) fails here."""
    from notifications.models import Notification

    notification = queued_invitation()
    arguments = {
        "asa_portal.ping": [],
        "notifications.tasks.notifications_send": [[notification.pk]],
        "notifications.tasks.notifications_sweep": [],
        # No kept message has this id: the task runs and passes nothing on.
        "inbound.tasks.inbound_forward": [0],
        # Nothing is old in the test database: the task runs and removes nothing.
        "privacy.tasks.old_data_remove": [],
    }
    assert set(arguments) == portal_tasks(), "give a new task its arguments here"
    folder = tmp_path / "broker"
    (folder / "queue").mkdir(parents=True)
    options = {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "control_folder": str(folder / "control"),
    }
    log = tmp_path / "worker.log"
    environment = {
        "CELERY_BROKER_URL": "filesystem://",
        "CELERY_FILESYSTEM_BROKER_DIR": str(folder),
        "DATABASE_URL": worker_database_url(tmp_path),
        "EMAIL_URL": "console://",
    }
    client = Celery(set_as_current=False, broker="filesystem://", broker_transport_options=options)
    sent = {name: client.send_task(name, args=args).id for name, args in sorted(arguments.items())}
    with log.open("w") as output:
        worker = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "asa_portal", "worker",
                "--pool=solo", "--loglevel=INFO", "--without-gossip", "--without-mingle",
            ],
            cwd=ROOT,
            env={**os.environ, **environment},
            stdout=output,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline and worker.poll() is None:
                text = log.read_text()
                if all(f"[{task_id}] succeeded" in text for task_id in sent.values()):
                    break
                time.sleep(0.5)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
    text = log.read_text()
    for name, task_id in sent.items():
        assert f"{name}[{task_id}] succeeded" in text, f"{name} did not run:\n{text}"
    assert "unregistered task" not in text.lower()
    if environment["DATABASE_URL"].startswith("postgres"):
        notification.refresh_from_db()
        assert notification.status == Notification.Status.SENT
    else:
        assert "Subject: Invitation:" in text  # the console backend wrote the email
