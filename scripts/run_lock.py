"""One scripts/run per checkout: a second would start a second worker and beat on the same
database and queue, and send the first one's emails with links to its own port.

The lock is flock(2) on var/run.lock, so it dies with the processes that hold it: a run
that crashed or was killed never blocks the next one. scripts/run takes it (`take`), and
each process it starts holds it too (`hold`, in Procfile.dev): while any of them still
runs, even after the run itself was killed, a second run is refused. Standard library
only: `take` runs before .venv exists.

    run_lock.py take PID        (on descriptor 9, var/run.lock opened by scripts/run)
    run_lock.py hold COMMAND…   (runs COMMAND holding the lock)

scripts/run_address.py adds the port to var/run.lock once it is known.
"""

import fcntl
import os
import sys
from pathlib import Path

LOCK = Path(__file__).resolve().parent.parent / "var" / "run.lock"
DESCRIPTOR = 9


def recorded() -> dict[str, str]:
    try:
        lines = LOCK.read_text().splitlines()
    except OSError:
        return {}
    return dict(line.split("=", 1) for line in lines if "=" in line)


def alive(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def holders() -> list[str]:
    """The processes holding the lock, where the system says (Linux: /proc/locks)."""
    try:
        inode = LOCK.stat().st_ino
        table = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return []
    pids = []
    for line in table:
        fields = line.split()
        if "->" in fields:
            continue  # a waiter, not a holder
        if len(fields) > 5 and fields[5].rsplit(":", 1)[-1] == str(inode):
            pids.append(fields[4])
    return sorted(set(pids), key=int)


def refusal() -> str:
    first = recorded()
    pid, port = first.get("pid", "?"), first.get("port")
    where = f", serving http://127.0.0.1:{port}/ (port {port})" if port else ""
    if alive(pid):
        who = f"already running: scripts/run with pid {pid}{where}"
        stop = f"stop it first (Ctrl-C where it runs, or kill {pid})"
    else:
        others = " ".join(pid for pid in holders() if alive(pid))
        who = f"still running: scripts/run with pid {pid}{where} has ended, but processes it "
        who += f"started still run (pids {others})" if others else "started still run"
        stop = f"stop them first (kill {others})" if others else "stop them first"
    return (
        f"This checkout's portal is {who}.\n"
        "A second run would start a second worker and beat on the same database and queue, "
        "and send the first one's emails with links to its own port.\n"
        f"Use the one that runs, or {stop}; then start again."
    )


def take(pid: str) -> None:
    try:
        fcntl.flock(DESCRIPTOR, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        sys.exit(refusal())
    os.ftruncate(DESCRIPTOR, 0)
    os.write(DESCRIPTOR, f"pid={pid}\n".encode())
    # Shared from now on, so that web, worker and beat can hold it beside the run.
    fcntl.flock(DESCRIPTOR, fcntl.LOCK_SH)


def record_port(port: str) -> None:
    with LOCK.open("a") as lock:
        lock.write(f"port={port}\n")


def hold(command: list[str]) -> None:
    descriptor = os.open(LOCK, os.O_RDONLY | os.O_CREAT, 0o644)
    fcntl.flock(descriptor, fcntl.LOCK_SH)
    # Kept open across exec: the lock lasts as long as the command runs.
    os.set_inheritable(descriptor, True)
    os.execvp(command[0], command)  # noqa: S606 (the Procfile's own command line)


if __name__ == "__main__":
    action, *arguments = sys.argv[1:]
    if action == "take":
        take(*arguments)
    elif action == "hold":
        hold(arguments)
    else:
        sys.exit("usage: run_lock.py take PID | run_lock.py hold COMMAND...")
