"""The portal under load on PostgreSQL, and a PostgreSQL restart in the middle of a run.

    .venv/bin/python bench/load.py [--seconds 30] [--connections 64] [--fault]
                                   [--default-cache]

Creates the database asa_bench_load, loads the demo world plus 1,000 meetings and 5,000
practices, serves it with gunicorn (2 sync workers) and drives it with wrk: the meetings
list, a meeting page and /practices/?q=kosice, as a visitor and as a signed-in member.
Prints req/s, p50, p99, errors and timeouts (goal: none of either, p99 < 500 ms).

--fault restarts PostgreSQL (pg_ctlcluster 15 main restart) in the middle of a member run
and polls /healthz meanwhile: 503 while it is down, pages fail fast, and the portal
recovers by itself. The database is dropped afterwards. --default-cache keeps the code's
own default cache (to measure an older checkout as it was); otherwise the run gets a
cache folder of its own.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from meeting_page import (  # noqa: E402
    POSTGRES_SERVER,
    admin_sql,
    start_gunicorn,
    stop_gunicorn,
    warm_up,
    wrk,
)

DATABASE = "asa_bench_load"
MEETINGS, PRACTICES = 1_000, 5_000
WORDS = [
    "training",
    "reskilling",
    "upskilling",
    "battery",
    "electric",
    "drivetrain",
    "software",
    "digital",
    "green",
    "hydrogen",
    "suppliers",
    "apprenticeship",
    "dual",
    "education",
    "employment",
    "workers",
    "technicians",
]


def fill() -> tuple[str, str]:
    """The demo world plus the bulk; returns a meeting's path and a member's session."""
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from accounts.models import User
    from meetings.models import AgendaItem, Meeting, WorkingGroup
    from practices.models import SEARCH_VECTOR, Practice
    from regions.models import Region

    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--force", verbosity=0)
    rng = random.Random(12)
    regions = list(Region.objects.all())
    groups = list(WorkingGroup.objects.all())
    now = timezone.now()
    meetings = Meeting.objects.bulk_create(
        Meeting(
            title=f"Bench meeting {n}: {' '.join(rng.sample(WORDS, 3))}",
            slug=f"bench-meeting-{n}",
            working_group=rng.choice(groups),
            start=now + timedelta(days=1 + n % 700, hours=n % 8),
            end=now + timedelta(days=1 + n % 700, hours=n % 8 + 3),
            format=rng.choice(["in_person", "online", "hybrid"]),
            venue="Maison des Régions",
            online_link="https://meet.example.org/bench",
            status="published",
            visibility=rng.choice(["public", "public", "members"]),
            host_region=rng.choice(regions),
        )
        for n in range(MEETINGS)
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            position=position,
            title=f"Item {position}: regional best practice",
            duration_minutes=20,
            presenting_region=rng.choice(regions),
        )
        for meeting in meetings[:50]
        for position in range(1, 11)
    )
    practices = []
    for n in range(PRACTICES):
        region = regions[n % len(regions)]
        practice = Practice(
            title=" ".join(rng.sample(WORDS, 4)).capitalize(),
            slug=f"bench-practice-{n}",
            region=region,
            summary=" ".join(rng.choices(WORDS, k=25)),
            body=" ".join(rng.choices(WORDS, k=200)),
            theme_skills=rng.random() < 0.6,
            transition_green=rng.random() < 0.5,
            status="published",
            published_at=now - timedelta(hours=n),
        )
        practice.search_text = practice.build_search_text(region.name)
        practices.append(practice)
    Practice.objects.bulk_create(practices, batch_size=1000)
    Practice.objects.update(search_vector=SEARCH_VECTOR)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    member = User.objects.get(email="member@example.org")
    client = Client()
    client.force_login(member)
    return meetings[0].get_absolute_url(), client.cookies["sessionid"].value


def row(label: str, result: dict) -> str:
    return (
        f"{label:42} {result['rate']:8.1f} req/s  p50 {result['p50']:7.1f} ms  "
        f"p99 {result['p99']:7.1f} ms  errors {result['errors']:5}  timeouts {result['timeouts']}"
    )


def poll_health(port: int, stop: threading.Event, log: list) -> None:
    while not stop.is_set():
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as r:
                status = r.status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError:
            status = 0
        log.append((time.perf_counter(), status, (time.perf_counter() - started) * 1000))
        time.sleep(0.2)


def fault_run(port: int, path: str, session: str, seconds: int) -> None:
    """A member run with a PostgreSQL restart in its middle, /healthz polled meanwhile."""
    stop, health = threading.Event(), []
    poller = threading.Thread(target=poll_health, args=(port, stop, health))
    poller.start()
    result: dict = {}
    runner = threading.Thread(
        target=lambda: result.update(wrk(port, path, seconds, 16, session, check=False))
    )
    runner.start()
    time.sleep(seconds / 3)
    restart_started = time.perf_counter()
    subprocess.run(["pg_ctlcluster", "15", "main", "restart"], check=True)
    restart_ms = (time.perf_counter() - restart_started) * 1000
    runner.join()
    time.sleep(1)
    stop.set()
    poller.join()
    unhealthy = [entry for entry in health if entry[1] != 200]
    after = [entry for entry in health if entry[0] > restart_started + restart_ms / 1000]
    print(f"PostgreSQL restarted in the middle of a {seconds} s member run ({restart_ms:.0f} ms)")
    print(row(f"member {path}", result))
    print(
        f"/healthz polled {len(health)} times: {len(unhealthy)} not 200 "
        f"(codes {sorted({e[1] for e in unhealthy})}), slowest answer "
        f"{max(e[2] for e in health):.0f} ms"
    )
    recovered = all(entry[1] == 200 for entry in after[-5:])
    print(f"healthy again afterwards without restarting gunicorn: {recovered}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--fault", action="store_true")
    parser.add_argument("--default-cache", action="store_true")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")

    workdir = Path(tempfile.mkdtemp(prefix="asa-load-"))
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=f"{POSTGRES_SERVER}/{DATABASE}",
        # Publishing the demo's events queues invitations: nowhere, for a benchmark.
        CELERY_BROKER_URL="memory://",
        # One kept connection per worker (checked before reuse), as README advises.
        CONN_MAX_AGE=os.environ.get("CONN_MAX_AGE", "60"),
        BENCH_BARE_PAGE=str(workdir / "bare.html"),
        MEDIA_ROOT=str(workdir / "media"),
    )
    if not args.default_cache:
        env["CACHE_URL"] = f"file://{workdir / 'cache'}"
    os.environ.update(env)
    admin_sql(f"DROP DATABASE IF EXISTS {DATABASE}")
    admin_sql(f"CREATE DATABASE {DATABASE}")
    try:
        import django

        django.setup()
        meeting, session = fill()
        from django.db import connections

        connections.close_all()
        server, port = start_gunicorn(env, 2)
        try:
            paths = ["/meetings/", meeting, "/practices/?q=kosice"]
            print(
                f"{MEETINGS} meetings and {PRACTICES} practices on PostgreSQL, gunicorn 2 sync "
                f"workers, wrk {args.connections} connections x {args.seconds} s, "
                f"cache: {env.get('CACHE_URL', 'the default').split('://')[0]}"
            )
            for who, cookie in (("visitor", ""), ("member", session)):
                for path in paths:
                    warm_up(port, path, cookie)
                    wrk(port, path, 2, args.connections, cookie)
                    result = wrk(port, path, args.seconds, args.connections, cookie)
                    print(row(f"{who} {path}", result), flush=True)
            if args.fault:
                fault_run(port, meeting, session, max(args.seconds, 20))
        finally:
            stop_gunicorn(server)
    finally:
        from django.db import connections

        connections.close_all()
        admin_sql(f"DROP DATABASE IF EXISTS {DATABASE}")
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
