"""The no-server broker works from the first process that queues a task.

Each test runs a fresh process, as a fresh clone does: no worker has ever run, and the
broker's folders do not exist yet.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery.worker import state
from kombu import Connection, Queue

ROOT = Path(__file__).resolve().parents[2]


def manage(tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess:
    """Runs manage.py from tmp_path (the working folder a person happens to be in), with
    SQLite and the filesystem broker in tmp_path."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CELERY_BROKER_URL", "EMAIL_URL", "CACHE_URL"}
    }
    environment.update(
        DEBUG="true",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CELERY_FILESYSTEM_BROKER_DIR=str(tmp_path / "var" / "broker"),
    )
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *arguments],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def queued(tmp_path: Path) -> list[str]:
    return sorted(path.name for path in (tmp_path / "var" / "broker" / "queue").glob("*.msg"))


def test_a_shell_queues_a_task_before_any_worker_has_run(tmp_path):
    done = manage(tmp_path, "shell", "-c", "from asa_portal.celery import ping; ping.delay()")
    assert done.returncode == 0, done.stderr
    assert len(queued(tmp_path)) == 1


def test_queuing_a_task_warns_of_no_missing_host(tmp_path):
    done = manage(tmp_path, "shell", "-c", "from asa_portal.celery import ping; ping.delay()")
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stdout + done.stderr


def test_the_broker_keeps_its_exchange_files_under_var_not_in_the_working_folder(tmp_path):
    done = manage(tmp_path, "shell", "-c", "from asa_portal.celery import ping; ping.delay()")
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "control").exists()
    assert (tmp_path / "var" / "broker" / "control" / "celery.exchange").is_file()


def test_seed_demo_on_a_fresh_folder_queues_its_emails_and_a_second_run_queues_none(tmp_path):
    assert manage(tmp_path, "migrate", "--no-input", "-v0").returncode == 0
    first = manage(tmp_path, "seed_demo")
    assert first.returncode == 0, first.stderr
    after_first = queued(tmp_path)
    assert after_first, "seeding publishes practices, which queues their review emails"
    second = manage(tmp_path, "seed_demo")
    assert second.returncode == 0, second.stderr
    assert queued(tmp_path) == after_first


def test_a_worker_asked_to_stop_stops_polling_the_filesystem_broker_at_once(tmp_path, monkeypatch):
    # Celery's worker drains for up to 2 s at a time, and once more after Ctrl-C: with
    # kombu's own loop that is up to 5 s, when honcho kills it.
    options = {
        "data_folder_in": str(tmp_path),
        "data_folder_out": str(tmp_path),
        "control_folder": str(tmp_path),
    }
    with (
        Connection(
            "filesystem://", transport="asa_portal.broker:Transport", transport_options=options
        ) as connection,
        connection.Consumer(Queue("idle"), callbacks=[lambda body, message: None]),
    ):
        monkeypatch.setattr(state, "should_stop", 0)  # what a warm shutdown sets (EX_OK)
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            connection.drain_events(timeout=2.0)
        assert time.monotonic() - started < 0.5


def test_the_filesystem_broker_still_waits_out_the_timeout_while_the_worker_runs(tmp_path):
    options = {
        "data_folder_in": str(tmp_path),
        "data_folder_out": str(tmp_path),
        "control_folder": str(tmp_path),
        "polling_interval": 0.1,
    }
    with (
        Connection(
            "filesystem://", transport="asa_portal.broker:Transport", transport_options=options
        ) as connection,
        connection.Consumer(Queue("idle"), callbacks=[lambda body, message: None]),
    ):
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            connection.drain_events(timeout=0.5)
        assert time.monotonic() - started >= 0.5
