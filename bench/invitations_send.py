"""Benchmark: 5,000 invitations (text, HTML and calendar file each) published and sent
through a real Celery worker on Redis to a local SMTP sink, against the floor measured in
the same run: plain smtplib sending the same 5,000 messages, built beforehand, over one
connection to the same sink. No speed goal: simplicity comes first, and about 3 × the
floor is acceptable (bench/README.md).

    .venv/bin/python bench/invitations_send.py [--concurrency N]

One solo worker by default (one process, like the floor's one thread); --concurrency N
runs the prefork pool with N processes, as a deployment's worker does by default (N =
the number of cores). The worker runs with DEBUG off, as in production.

Uses a database of its own (bench_mail_send_<pid>, dropped after), a redis-server of its own on
a free port (stopped after) and an aiosmtpd sink in a process of its own.
"""

import argparse
import os
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
SERVER = "postgres://postgres@127.0.0.1:5432"
# Its own name per run: two runs at once (two checkouts compared) do not share one.
DATABASE = f"bench_mail_send_{os.getpid()}"
PEOPLE = 5_000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


REDIS_PORT, SMTP_PORT = free_port(), free_port()
ENVIRONMENT = {
    "DATABASE_URL": f"{SERVER}/{DATABASE}",
    "CELERY_BROKER_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
    "EMAIL_URL": f"smtp://127.0.0.1:{SMTP_PORT}",
    "SITE_URL": "https://portal.example.org",
    "DJANGO_SETTINGS_MODULE": "asa_portal.settings",
    # As in production: DEBUG on keeps every query of the worker in memory.
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-" + "x" * 50,
    "ALLOWED_HOSTS": "localhost",
}
os.environ.update(ENVIRONMENT)
sys.path.insert(0, str(ROOT))


def admin_sql(sql: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def wait_for_port(port: int) -> None:
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"Nothing answers on port {port}.")


def start(command: list[str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        command, cwd=ROOT, env={**os.environ}, stdout=log.open("w"), stderr=subprocess.STDOUT
    )


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def fill():
    from accounts.models import User
    from meetings.models import AgendaItem, Meeting, WorkingGroup
    from tests.factories.meetings import in_days

    group = WorkingGroup.objects.create(code="WG4", name="Regional Implementation")
    people = User.objects.bulk_create(
        User(email=f"person{i}@example.org", first_name="Person", last_name=str(i), password="!")
        for i in range(PEOPLE)
    )
    group.members.add(*people)
    start = in_days(30)
    meeting = Meeting.objects.create(
        title="WG4 Regional Implementation meeting",
        slug="wg4",
        working_group=group,
        start=start,
        end=start.replace(hour=16),
        time_zone="Europe/Brussels",
        format="hybrid",
        venue="Maison des Régions",
        address="Rue Montoyer 10, Brussels",
        online_link="https://meet.example.org/wg4",
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=n, duration_minutes=20, title=f"Agenda item {n}")
        for n in range(1, 11)
    )
    return meeting


def floor_seconds(meeting) -> float:
    """The same 5,000 messages, built by the portal beforehand and flattened as Django
    does (CRLF), sent with smtplib alone."""
    from accounts.models import User
    from notifications.messages import Composer
    from notifications.models import Notification

    composer = Composer(check=False)
    messages = [
        (person.email, composer.build(Notification(meeting=meeting, person=person, pk=n,
                                                   kind="invitation")).message().as_bytes(linesep="\r\n"))
        for n, person in enumerate(User.objects.order_by("pk"), start=1)
    ]  # fmt: skip
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", SMTP_PORT) as smtp:
        for address, data in messages:
            smtp.sendmail("portal@example.org", [address], data)
    return time.perf_counter() - started


def celery_seconds(meeting) -> tuple[float, int]:
    from meetings.services import meeting_publish
    from notifications.models import Notification

    started = time.perf_counter()
    meeting_publish(meeting=meeting)  # 5,000 rows, 50 tasks to Redis after the commit
    sent = Notification.objects.filter(meeting=meeting, status="sent")
    while sent.count() < PEOPLE:
        if time.perf_counter() - started > 1800:
            raise SystemExit("Not sent after 30 minutes.")
        time.sleep(0.1)
    return time.perf_counter() - started, sent.count()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=1, help="worker processes")
    concurrency = parser.parse_args().concurrency
    pool = (
        ["--pool=solo"] if concurrency == 1 else ["--pool=prefork", f"--concurrency={concurrency}"]
    )
    label = "1 solo worker" if concurrency == 1 else f"prefork, {concurrency} processes"
    folder = Path(tempfile.mkdtemp(prefix="bench-mail-"))
    admin_sql(f"DROP DATABASE IF EXISTS {DATABASE}")
    admin_sql(f"CREATE DATABASE {DATABASE}")
    redis = start(
        ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(folder)],
        folder / "redis.log",
    )  # fmt: skip
    sink = start(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{SMTP_PORT}",
         "-c", "aiosmtpd.handlers.Sink"],
        folder / "sink.log",
    )  # fmt: skip
    worker = None
    try:
        wait_for_port(REDIS_PORT)
        wait_for_port(SMTP_PORT)
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        meeting = fill()
        floor = floor_seconds(meeting)
        worker = start(
            [sys.executable, "-m", "celery", "-A", "asa_portal", "worker", *pool,
             "--loglevel=WARNING", "--without-gossip", "--without-mingle"],
            folder / "worker.log",
        )  # fmt: skip
        time.sleep(10)  # the worker is ready: its start is not what is measured
        portal, sent = celery_seconds(meeting)
        print(f"{PEOPLE:,} invitations with calendar files to a local SMTP sink")
        print(f"  floor: smtplib, the same messages prebuilt, one connection: {floor:6.1f} s")
        print(
            f"  portal: publish → Celery on Redis ({label}) → SMTP: {portal:6.1f} s"
            f"  ×{portal / floor:.2f}  ({sent:,} sent)"
        )
        print(f"  load average at the end: {' '.join(f'{n:.1f}' for n in os.getloadavg())}")
    finally:
        for process in (worker, sink, redis):
            if process is not None:
                stop(process)
        from django.db import connections

        connections.close_all()
        admin_sql(f"DROP DATABASE IF EXISTS {DATABASE}")


if __name__ == "__main__":
    main()
