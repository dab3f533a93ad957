"""One scripts/run per checkout (scripts/run_lock.py), with a lock that dies with the
processes holding it. Run here in a copy of scripts/, as scripts/run runs it: descriptor
9 opened on var/run.lock by the shell, which then becomes the run (here: sleep)."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def checkout(tmp_path) -> Path:
    shutil.copytree(ROOT / "scripts", tmp_path / "scripts")
    (tmp_path / "var").mkdir()
    return tmp_path


def start_run(checkout: Path) -> subprocess.Popen:
    """A run that takes the lock and then lives on, as honcho does."""
    script = (
        f'exec 9>>var/run.lock; "{sys.executable}" scripts/run_lock.py take "$$" || exit 1; '
        "exec sleep 60"
    )
    return subprocess.Popen(
        ["bash", "-c", script], cwd=checkout, stderr=subprocess.PIPE, text=True
    )


def started(run: subprocess.Popen) -> bool:
    """True once the process holds the lock (it has become sleep), False if it stopped."""
    for _ in range(100):
        if run.poll() is not None:
            return False
        if Path(f"/proc/{run.pid}/cmdline").read_bytes().startswith(b"sleep\0"):
            return True
        time.sleep(0.05)
    raise AssertionError("the run neither started nor stopped")


def test_a_second_run_is_refused_naming_the_first_pid_and_port(checkout):
    first = start_run(checkout)
    try:
        assert started(first)
        with (checkout / "var" / "run.lock").open("a") as lock:
            lock.write("port=18123\n")  # as scripts/run_address.py records it
        second = start_run(checkout)
        assert not started(second)
        message = second.stderr.read()
        assert second.returncode == 1
        assert (
            f"This checkout's portal is already running: scripts/run with pid {first.pid}, "
            "serving http://127.0.0.1:18123/ (port 18123)."
        ) in message
        assert f"or stop it first (Ctrl-C where it runs, or kill {first.pid})" in message
    finally:
        first.kill()
        first.wait()


def test_a_run_that_was_killed_does_not_block_the_next(checkout):
    first = start_run(checkout)
    assert started(first)
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    second = start_run(checkout)
    try:
        assert started(second)
    finally:
        second.kill()
        second.wait()


def test_a_process_the_run_started_holds_the_lock_after_the_run_was_killed(checkout):
    first = start_run(checkout)
    assert started(first)
    worker = subprocess.Popen(
        [sys.executable, "scripts/run_lock.py", "hold", "sleep", "60"], cwd=checkout
    )
    try:
        assert started(worker)  # it has its share of the lock once it runs its command
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        second = start_run(checkout)
        assert not started(second)
        message = second.stderr.read()
        assert (
            f"This checkout's portal is still running: scripts/run with pid {first.pid}" in message
        )
        assert "has ended, but processes it started still run" in message
        assert f"(pids {worker.pid})" in message
        worker.kill()
        worker.wait()
        third = start_run(checkout)
        assert started(third)
        third.kill()
        third.wait()
    finally:
        worker.kill()
        worker.wait()
