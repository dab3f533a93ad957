"""A real Celery worker process takes a task from the broker and runs it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from celery import Celery

from tests.services import require_redis

ROOT = Path(__file__).resolve().parents[2]


def start_worker(environment: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "asa_portal", "worker",
            "--pool=solo", "--loglevel=INFO", "--without-gossip", "--without-mingle",
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


def run_ping(client: Celery, environment: dict[str, str]) -> None:
    worker = start_worker(environment)
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
        broker="filesystem://",
        backend=f"file://{results}",
        broker_transport_options={
            "data_folder_in": str(folder / "queue"),
            "data_folder_out": str(folder / "queue"),
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


def test_a_worker_on_redis_runs_a_task_end_to_end():
    url = require_redis()
    client = Celery(broker=url, backend=url)
    client.connection_for_write().default_channel.client.flushdb()
    run_ping(client, {"CELERY_BROKER_URL": url, "CELERY_RESULT_BACKEND": url})
