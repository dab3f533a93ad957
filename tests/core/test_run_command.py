"""The README's run command, as a newcomer runs it: in a fresh clone of the repository.

The clone's .venv is a link to the virtualenv running these tests, and SKIP_VENV_INSTALL=1
tells scripts/_venv.sh to use it as it is, so that nothing is installed from the network.
Everything else is the clone's own: SQLite, the filesystem broker and var/.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.services import missing

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow

# What a newcomer has not set; each test sets PORT itself.
UNSET = {"DATABASE_URL", "CELERY_BROKER_URL", "EMAIL_URL", "CACHE_URL", "DEBUG", "SECRET_KEY"}
UNSET |= {"SITE_URL", "HOST", "PORT", "CELERY_FILESYSTEM_BROKER_DIR", "MEDIA_ROOT"}


@pytest.fixture
def clone(tmp_path) -> Path:
    """A fresh clone of the committed HEAD: no .venv of its own, no var/, no database."""
    if shutil.which("git") is None:
        missing("git")
    folder = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(folder)], check=True, timeout=60)
    (folder / ".venv").symlink_to(Path(sys.prefix).resolve(), target_is_directory=True)
    return folder


def environment(port: int) -> dict[str, str]:
    values = {key: value for key, value in os.environ.items() if key not in UNSET}
    return {**values, "PORT": str(port), "SKIP_VENV_INSTALL": "1"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError:
        return 0, ""


def process_table() -> dict[int, tuple[int, str, str]]:
    """pid: (parent pid, start time, command line) of every process now running."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        table[int(entry.name)] = (int(fields[1]), fields[19], command)
    return table


def descendants(root: int) -> dict[int, tuple[str, str]]:
    """The processes started from root, in whatever session or group: pid: (start time,
    command line). honcho starts web, worker and beat each in a session of its own."""
    table = process_table()
    found, frontier = {}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, started, command) in table.items():
            if ppid == parent and pid not in found:
                found[pid] = (started, command)
                frontier.append(pid)
    return found


def still_running(processes: dict[int, tuple[str, str]]) -> list[str]:
    table = process_table()
    return [
        command
        for pid, (started, command) in processes.items()
        if pid in table and table[pid][1] == started and "<defunct>" not in command
    ]


def test_a_fresh_clone_runs_the_portal_and_ctrl_c_stops_web_worker_and_beat(clone):
    port = free_port()
    log = clone.parent / "run.log"
    with log.open("w") as output:
        run = subprocess.Popen(
            ["scripts/run"],
            cwd=clone,
            env=environment(port),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    processes: dict[int, tuple[str, str]] = {}
    try:
        deadline = time.monotonic() + 240
        while get(f"http://127.0.0.1:{port}/healthz")[0] != 200:
            assert run.poll() is None, f"scripts/run exited:\n{log.read_text()[-3000:]}"
            assert time.monotonic() < deadline, f"/healthz never 200:\n{log.read_text()[-3000:]}"
            time.sleep(0.5)
        status, page = get(f"http://127.0.0.1:{port}/meetings/")
        assert status == 200
        assert "WG4" in page
        # Let the worker take what seeding queued, as a person would before stopping.
        time.sleep(3)
        processes = descendants(run.pid)
        commands = " | ".join(command for _, command in processes.values())
        assert "runserver" in commands
        assert "asa_portal worker" in commands
        assert "asa_portal beat" in commands

        os.killpg(run.pid, signal.SIGINT)  # Ctrl-C, as a terminal sends it
        run.wait(timeout=20)
        deadline = time.monotonic() + 5
        while still_running(processes) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert still_running(processes) == []
        output = log.read_text()
        assert "SIGKILL" not in output, "honcho had to kill what did not stop within 5 s"
        assert "Traceback" not in output, output[-3000:]
        status = subprocess.run(
            ["git", "status", "--porcelain"], cwd=clone, capture_output=True, text=True
        )
        assert status.stdout == ""
    finally:
        # Whatever a failure left running: only what this test started (the run's group,
        # not yet reaped, and descendants whose start time still matches).
        with contextlib.suppress(OSError):
            os.killpg(run.pid, signal.SIGKILL)
        table = process_table()
        for pid, (started, _) in processes.items():
            if pid in table and table[pid][1] == started:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
        run.wait(timeout=10)


def test_with_its_port_taken_the_run_command_says_to_set_port_and_starts_nothing(clone):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            ["scripts/run"],
            cwd=clone,
            env=environment(port),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode != 0
    assert (
        f"Port {port} on 127.0.0.1 is already in use by another program (not this "
        "checkout's portal, which would have been named)"
    ) in done.stderr
    assert "PORT=" in done.stderr
    assert "runs at" not in done.stdout
    assert not (clone / "db.sqlite3").exists()
    # Nothing but the lock of this run, gone with it.
    assert [path.name for path in (clone / "var").iterdir()] == ["run.lock"]


def test_a_port_that_is_not_a_number_is_refused_before_anything_starts(clone):
    done = subprocess.run(
        ["scripts/run"],
        cwd=clone,
        env={**environment(8000), "PORT": "80a"},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "PORT must be a number from 1 to 65535, not '80a'." in done.stderr
    assert not (clone / "db.sqlite3").exists()


def start(clone: Path, port: int, log: Path) -> subprocess.Popen:
    with log.open("w") as output:
        return subprocess.Popen(
            ["scripts/run"],
            cwd=clone,
            env=environment(port),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_until_healthy(run: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + 240
    while get(f"http://127.0.0.1:{port}/healthz")[0] != 200:
        assert run.poll() is None, f"scripts/run exited:\n{log.read_text()[-3000:]}"
        assert time.monotonic() < deadline, f"/healthz never 200:\n{log.read_text()[-3000:]}"
        time.sleep(0.5)


def kill_all(run: subprocess.Popen, processes: dict[int, tuple[str, str]]) -> None:
    """SIGKILL to the run and to each process it started (each in its own session)."""
    with contextlib.suppress(OSError):
        os.killpg(run.pid, signal.SIGKILL)
    table = process_table()
    for pid, (started, _) in processes.items():
        if pid in table and table[pid][1] == started:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
    run.wait(timeout=10)


def test_a_second_run_of_the_same_checkout_is_refused_until_the_first_is_killed(clone):
    port, second_port = free_port(), free_port()
    first = start(clone, port, clone.parent / "first.log")
    processes: dict[int, tuple[str, str]] = {}
    try:
        wait_until_healthy(first, port, clone.parent / "first.log")
        processes = descendants(first.pid)
        second = subprocess.run(
            ["scripts/run"],
            cwd=clone,
            env=environment(second_port),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode != 0
        assert (
            f"This checkout's portal is already running: scripts/run with pid {first.pid}, "
            f"serving http://127.0.0.1:{port}/ (port {port})."
        ) in second.stderr
        assert get(f"http://127.0.0.1:{second_port}/healthz")[0] == 0
        assert descendants(first.pid).keys() == processes.keys()

        # A crash: every process of the first run killed, none of them cleaning up.
        kill_all(first, processes)
        third = start(clone, second_port, clone.parent / "third.log")
        try:
            wait_until_healthy(third, second_port, clone.parent / "third.log")
        finally:
            kill_all(third, descendants(third.pid))
    finally:
        kill_all(first, processes)
