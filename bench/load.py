"""The portal under load on PostgreSQL, and a PostgreSQL restart in the middle of a run.

    .venv/bin/python bench/load.py [--seconds 30] [--connections 64] [--fault]
                                   [--default-cache] [--cache-fault]

Creates the database asa_bench_load_<pid>, loads the demo world plus 1,000 meetings and 5,000
practices, serves it with gunicorn (2 sync workers) and drives it with wrk: the meetings
list, a meeting page and /practices/?q=kosice, as a visitor and as a signed-in member.
Prints req/s, p50, p99, errors and timeouts (goal: none of either, p99 < 500 ms).

--fault restarts PostgreSQL (pg_ctlcluster 15 main restart) in the middle of a member run
and polls /healthz meanwhile: 503 while it is down, pages fail fast, and the portal
recovers by itself. The database is dropped afterwards. --default-cache keeps the code's
own default cache (to measure an older checkout as it was); otherwise the run gets a
cache folder of its own.

--cache-fault runs only this: the cache is Redis, a redis-server of the run's own on a
free port, stopped for 5 s in the middle of a run of signed-in members (--connections)
beside a few visitors, while /healthz is polled with and without a session cookie. It
counts the answers by status from gunicorn's access log and measures what the web
processes logged (the site's own logging, as in production).
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import shutil
import socket
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
    free_port,
    start_gunicorn,
    stop_gunicorn,
    warm_up,
    wrk,
)

# Of this run only: two runs on one machine never drop each other's database.
DATABASE = f"asa_bench_load_{os.getpid()}"
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


def poll_health(port: int, stop: threading.Event, log: list, session: str = "") -> None:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz")
    if session:
        request.add_header("Cookie", f"sessionid={session}")
    while not stop.is_set():
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=10) as r:
                status = r.status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError:
            status = 0
        # When it was asked: an answer that arrives after the outage began may predate it.
        log.append((started, status, (time.perf_counter() - started) * 1000))
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


class RedisServer:
    """A redis-server of this run only, on a free port, that can be stopped and started."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.port, self.process = folder, free_port(), None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def cache_fault_run(
    port: int, paths: tuple[str, str], session: str, args, redis: RedisServer, logs: Path
) -> None:
    """Signed-in members on one page and a few visitors on another; Redis stopped for 5 s
    in the middle; /healthz polled with and without a session cookie meanwhile."""
    member_path, visitor_path = paths
    logged_before = (logs / "web.log").stat().st_size
    answered_before = len((logs / "access.log").read_text().splitlines())
    stop, anonymous, signed_in = threading.Event(), [], []
    pollers = [
        threading.Thread(target=poll_health, args=(port, stop, anonymous)),
        threading.Thread(target=poll_health, args=(port, stop, signed_in, session)),
    ]
    runs: dict = {}
    runners = [
        threading.Thread(
            target=lambda: runs.update(
                member=wrk(port, member_path, args.seconds, args.connections, session, False)
            )
        ),
        threading.Thread(
            target=lambda: runs.update(visitor=wrk(port, visitor_path, args.seconds, 4, "", False))
        ),
    ]
    for thread in pollers + runners:
        thread.start()
    time.sleep(args.seconds / 3)
    down = time.perf_counter()
    redis.stop()
    time.sleep(5)
    redis.start()
    up = time.perf_counter()
    for thread in runners:
        thread.join()
    time.sleep(1)
    stop.set()
    for thread in pollers:
        thread.join()
    time.sleep(1)  # gunicorn writes its access log line after the answer
    answers = collections.Counter()
    for line in (logs / "access.log").read_text().splitlines()[answered_before:]:
        status, path = line.split(" ", 1)
        if path.startswith("/healthz"):
            continue
        answers[("member" if path == member_path else "visitor", status)] += 1
    print(
        f"Redis (the cache) stopped for 5 s in the middle of a {args.seconds} s run: "
        f"{args.connections} signed-in connections on {member_path}, 4 visitor connections "
        f"on {visitor_path}"
    )
    print(row(f"member {member_path}", runs["member"]))
    print(row(f"visitor {visitor_path}", runs["visitor"]))
    for who in ("member", "visitor"):
        counts = {status: n for (w, status), n in sorted(answers.items()) if w == who}
        print(f"{who} answers by status: {counts}")
    print(f"500s in all: {sum(n for (w, status), n in answers.items() if status == '500')}")
    print(f"Redis stopped at +0.0 s, answering again at +{up - down:.1f} s")
    for who, log in (("anonymous", anonymous), ("signed-in", signed_in)):
        # Each poll asked while Redis was stopped, with when it was answered: an answer
        # queued behind the members may come after Redis is back.
        asked = [
            f"+{at - down:.1f}→+{at + ms / 1000 - down:.1f} s: {status}"
            for at, status, ms in log
            if down <= at <= up
        ]
        after = [status for at, status, _ in log if at > up + 1.5]
        print(
            f"/healthz {who}, asked during the outage: {', '.join(asked) or 'none'}; "
            f"slowest answer {max(ms for _, _, ms in log):.0f} ms; 200 again afterwards: "
            f"{bool(after) and all(status == 200 for status in after[-3:])}"
        )
    with (logs / "web.log").open("rb") as log:
        log.seek(logged_before)
        logged = log.read()
    lines = logged.decode(errors="replace").splitlines()
    print(f"the web processes logged {len(logged):,} bytes ({len(lines):,} lines) during the run")
    for line in lines[:10]:
        print(f"    {line[:160]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--fault", action="store_true")
    parser.add_argument("--default-cache", action="store_true")
    parser.add_argument("--cache-fault", action="store_true")
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
    redis = None
    if args.cache_fault:
        redis = RedisServer(workdir)
        redis.start()
        env["CACHE_URL"] = f"redis://127.0.0.1:{redis.port}/0"
        env["BENCH_SITE_LOGGING"] = "1"
    elif not args.default_cache:
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
        if args.cache_fault:
            web_log = (workdir / "web.log").open("wb")
            (workdir / "access.log").touch()
            access = ("--access-logfile", str(workdir / "access.log"))
            server, port = start_gunicorn(
                env, 2, extra=(*access, "--access-logformat", "%(s)s %(U)s"), stderr=web_log
            )
            try:
                warm_up(port, meeting, session)
                warm_up(port, "/", "")
                cache_fault_run(port, (meeting, "/"), session, args, redis, workdir)
            finally:
                stop_gunicorn(server)
                redis.stop()
            return
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
