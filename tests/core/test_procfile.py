"""The production Procfile, as a server runs it: a fresh clone of the committed HEAD, a new
virtualenv installed from requirements.lock alone (pip --require-hashes), DEBUG off,
PostgreSQL and Redis. honcho (a development tool, from the tests' own virtualenv) starts
its processes; everything they run comes from the new virtualenv.

The test has a PostgreSQL database and a redis-server of its own, made and removed here,
so that it shares nothing with tests running beside it; its SMTP server is an aiosmtpd
sink (tests/smtp_sink.py).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import smtplib
import socket
import subprocess
import sys
import time
import urllib.request
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import psycopg
import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from icalendar import Calendar, vCalAddress

from tests.core.test_run_command import descendants, process_table, still_running
from tests.services import missing, require_postgresql
from tests.smtp_sink import Received, Sink, free_port

ROOT = Path(__file__).resolve().parents[2]
SECRETARIAT = "secretariat@asa.example.org"
MEMBER = "member@example.org"

pytestmark = pytest.mark.slow


def wait_until(condition, *, seconds: float, what: str, log: Path | None = None):
    deadline = time.monotonic() + seconds
    while not (found := condition()):
        if time.monotonic() > deadline:
            pytest.fail(f"Still waiting after {seconds} s for {what}" + tail(log))
        time.sleep(0.5)
    return found


def tail(log: Path | None) -> str:
    return f":\n{log.read_text()[-4000:]}" if log and log.exists() else ""


def server_settings() -> dict:
    require_postgresql()
    if not shutil.which("redis-server"):
        missing("redis-server")
    return connection.settings_dict


@pytest.fixture
def database():
    """A database of this test only, on the PostgreSQL the tests use; dropped after."""
    db = server_settings()
    name = f"asa_procfile_{secrets.token_hex(4)}"
    options = {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "password": db["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **options) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    yield f"postgres://{auth}@{options['host']}:{options['port']}/{name}"
    with psycopg.connect(dbname="postgres", autocommit=True, **options) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def redis_url(tmp_path):
    """A redis-server of this test only, on a free port."""
    server_settings()
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_until(lambda: port_open(port), seconds=20, what="redis-server")
        yield f"redis://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.fixture
def sink():
    received = Sink()
    controller = Controller(received, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield received, controller.port
    controller.stop()


@pytest.fixture
def clone(tmp_path) -> Path:
    """The committed HEAD, as a release is checked out (commit before trusting this)."""
    folder = tmp_path / "portal"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(folder)], check=True, timeout=60)
    return folder


@pytest.fixture
def runtime_venv(clone) -> Path:
    """A new virtualenv with requirements.lock installed as a server installs it."""
    venv = clone / ".venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    install = subprocess.run(
        [venv / "bin/python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "--require-hashes", "-r", "requirements.lock"],
        cwd=clone, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    if install.returncode != 0 and re.search(
        r"NewConnectionError|Could not fetch", install.stderr
    ):
        missing(f"PyPI, to install requirements.lock ({install.stderr[-500:]})")
    assert install.returncode == 0, install.stderr[-4000:]
    return venv


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def get(url: str) -> tuple[int, str]:
    # As the reverse proxy forwards it: TLS ended there (deploy/nginx/).
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError:
        return 0, ""


def runs_from(pid: int, venv: Path) -> bool:
    """Whether a process is the new virtualenv's: its script (gunicorn, celery) is there,
    or its compiled modules (psycopg's) are mapped from there."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_text()
        return str(venv) in command or f"{venv}/lib/" in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


def decline(invitation: Received) -> bytes:
    """The member's calendar answering the invitation with Decline (iTIP METHOD:REPLY)."""
    event = invitation.calendar.walk("VEVENT")[0]
    reply = Calendar()
    reply.add("prodid", "-//Calendar of the Procfile test//EN")
    reply.add("version", "2.0")
    reply.add("method", "REPLY")
    for component in invitation.calendar.walk("VTIMEZONE"):
        reply.add_component(component)
    answer = type(event)()
    for key in ("UID", "SEQUENCE", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "ORGANIZER"):
        if key in event:
            answer[key] = event[key]
    attendee = vCalAddress(f"mailto:{MEMBER}")
    attendee.params["PARTSTAT"] = "DECLINED"
    answer.add("attendee", attendee)
    reply.add_component(answer)
    message = EmailMessage()
    message["From"] = MEMBER
    message["To"] = SECRETARIAT
    message["Subject"] = f"Declined: {event['SUMMARY']}"
    message["Message-ID"] = "<declined-procfile-test@example.org>"
    message["In-Reply-To"] = invitation.message["Message-ID"]
    message.set_content(f"{MEMBER} has declined.")
    calendar = reply.to_ical().decode()
    message.add_alternative(calendar, subtype="calendar", params={"method": "REPLY"})
    # CRLF line ends: smtplib sends bytes as they are, and an LMTP server reads lines.
    return message.as_bytes(policy=SMTP)


def test_the_procfile_runs_every_process_from_the_lock_and_stops_on_sigterm(
    database, redis_url, sink, clone, runtime_venv
):
    received, smtp_port = sink
    web_port, lmtp_port = free_port(), free_port()
    outside = {
        *("DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "EMAIL_URL", "DEBUG", "PORT"),
        *("SECRET_KEY", "SITE_URL", "HOST", "MEDIA_ROOT", "STATIC_ROOT", "VIRTUAL_ENV"),
        *("CELERY_FILESYSTEM_BROKER_DIR", "DJANGO_ALLOW_ASYNC_UNSAFE", "PYTHONPATH"),
    }
    env = {key: value for key, value in os.environ.items() if key not in outside}
    env |= {
        "PATH": f"{runtime_venv / 'bin'}:{os.environ['PATH']}",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,portal.example.org",
        "SITE_URL": "https://portal.example.org",
        "DATABASE_URL": database,
        "CELERY_BROKER_URL": f"{redis_url}/0",
        "CACHE_URL": f"{redis_url}/1",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "SECRETARIAT_EMAIL": SECRETARIAT,
        "STATIC_ROOT": str(clone.parent / "static"),
        "MEDIA_ROOT": str(clone.parent / "media"),
        "PORT": str(web_port),
        "MAIL_GATEWAY_PORT": str(lmtp_port),
        "WEB_CONCURRENCY": "2",
    }
    python = str(runtime_venv / "bin/python")

    def manage(*command: str) -> str:
        done = subprocess.run(
            [python, "manage.py", *command], cwd=clone, env=env, capture_output=True,
            text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
        return done.stdout

    # A release, as the README says: migrate and collect the static files first.
    manage("migrate", "--no-input")
    manage("collectstatic", "--no-input")

    log = clone.parent / "honcho.log"
    with log.open("w") as output:
        honcho = subprocess.Popen(
            [sys.executable, "-m", "honcho", "--procfile", "Procfile", "--env", "/dev/null",
             "start"],
            cwd=clone, env=env, stdin=subprocess.DEVNULL, stdout=output,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    processes: dict[int, tuple[str, str]] = {}
    try:
        wait_until(
            lambda: get(f"http://127.0.0.1:{web_port}/healthz")[0] == 200 or honcho.poll(),
            seconds=120, what="/healthz 200", log=log,
        )  # fmt: skip
        assert honcho.poll() is None, tail(log)
        status, body = get(f"http://127.0.0.1:{web_port}/healthz")
        assert status == 200
        assert set(json.loads(body).values()) == {"ok"}, body
        wait_until(lambda: port_open(lmtp_port), seconds=60, what="the LMTP gateway", log=log)

        processes = descendants(honcho.pid)
        commands = {pid: command for pid, (_, command) in processes.items()}
        for name in ("gunicorn", "asa_portal worker", "asa_portal beat", "mail_gateway"):
            pids = [
                pid for pid, command in commands.items()
                if name in command and not command.startswith("/bin/sh -c")
            ]  # fmt: skip
            assert pids, f"no {name} in {commands.values()}"
            assert all(runs_from(pid, runtime_venv) for pid in pids), name
        beats = [c for c in commands.values() if c.startswith(str(runtime_venv / "bin/python"))]
        assert len([c for c in beats if "asa_portal beat" in c]) == 1

        # Publishing the demo's upcoming events invites their groups; the worker sends.
        manage("seed_demo", "--force")
        invitation = wait_until(
            lambda: [r for r in received.to(MEMBER) if r.subject.startswith("Invitation:")],
            seconds=120, what=f"an invitation to {MEMBER}", log=log,
        )[0]  # fmt: skip
        uid = str(invitation.calendar.walk("VEVENT")[0]["UID"])
        meeting = int(re.fullmatch(r"meeting-(\d+)@portal\.example\.org", uid)[1])

        def answers() -> str:
            # The last line: the shell says first what it imported.
            return manage(
                "shell", "-c",
                "from meetings.models import Attendance; print(sorted(Attendance.objects"
                f".filter(meeting_id={meeting}, user__email='{MEMBER}')"
                ".values_list('answer', flat=True)))",
            ).splitlines()[-1]  # fmt: skip

        before = answers()
        assert before != "['declined']"
        with smtplib.LMTP("127.0.0.1", lmtp_port, timeout=30) as lmtp:
            assert lmtp.sendmail(MEMBER, [SECRETARIAT], decline(invitation)) == {}
        assert answers() == "['declined']"

        os.kill(honcho.pid, signal.SIGTERM)
        honcho.wait(timeout=30)
        wait_until(lambda: not still_running(processes), seconds=5, what="every process")
        output = log.read_text()
        assert "SIGKILL" not in output, f"honcho had to kill what SIGTERM did not stop:{output}"
        assert "Traceback" not in output, output[-4000:]
        for name in ("web", "worker", "beat", "mail"):
            assert f"{name}.1 stopped" in output, output[-4000:]
    finally:
        # Whatever a failure left running: only what this test started (honcho and its
        # descendants, each in a session of its own, whose start time still matches).
        if honcho.poll() is None:
            processes |= descendants(honcho.pid)
            with contextlib.suppress(OSError):
                os.killpg(honcho.pid, signal.SIGKILL)
        table = process_table()
        for pid, (started, _) in processes.items():
            if pid in table and table[pid][1] == started:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
        honcho.wait(timeout=10)
