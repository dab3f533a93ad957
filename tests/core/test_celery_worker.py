"""A real Celery worker process takes a task from the broker and runs it."""

import os
import subprocess
import sys
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
