"""The no-server broker works from the first process that queues a task.

Each test runs a fresh process, as a fresh clone does: no worker has ever run, and the
broker's folders do not exist yet.
"""

import os
import subprocess
import sys
from pathlib import Path

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
