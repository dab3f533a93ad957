"""Requests per second of a meeting page (20 agenda items), as a visitor and signed in as
a member, against a bare Django view answering the same bytes, all served by one gunicorn
(2 sync workers) and driven by wrk (16 connections) in the same run.

    .venv/bin/python bench/meeting_page.py [--seconds 10] [--postgres]

Uses a throwaway SQLite database, or with --postgres a PostgreSQL database of its own
(asa_bench_meeting, dropped afterwards). Goals: visitor / bare >= 0.5, member / bare >= 0.15.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
POSTGRES_DATABASE = "asa_bench_meeting"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def prepare(workdir: Path) -> tuple[str, int, str]:
    """Migrates, adds the meeting, writes the bare page; returns the path, its size and
    a session cookie of a signed-in member."""
    import django

    django.setup()
    import datetime as dt
    import zoneinfo

    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from meetings.models import AgendaItem, Meeting, WorkingGroup
    from regions.models import Partner, Region

    call_command("migrate", verbosity=0)
    zone = zoneinfo.ZoneInfo("Europe/Brussels")
    start = dt.datetime.combine(
        timezone.localdate() + dt.timedelta(days=14), dt.time(9), tzinfo=zone
    )
    group, _ = WorkingGroup.objects.get_or_create(code="WG4", defaults={"name": "Regional"})
    region, _ = Region.objects.get_or_create(
        slug="bench-region", defaults={"name": "Bench region", "country": "BE"}
    )
    partner, _ = Partner.objects.get_or_create(
        acronym="BENCH", defaults={"name": "Bench partner", "slug": "bench"}
    )
    meeting, created = Meeting.objects.get_or_create(
        slug="bench-meeting",
        defaults=dict(
            title="Benchmark meeting",
            working_group=group,
            start=start,
            end=start + dt.timedelta(hours=8),
            format=Meeting.Format.HYBRID,
            venue="Maison des Régions",
            address="Rue Montoyer 10, Brussels",
            online_link="https://meet.example.org/bench",
            status=Meeting.Status.PUBLISHED,
            host_region=region,
        ),
    )
    if created:
        meeting.partners.add(partner)
        for n in range(1, 21):
            AgendaItem.objects.create(
                meeting=meeting,
                position=n,
                title=f"Agenda item {n}: regional best practice in reskilling",
                duration_minutes=20,
                presenters="Presenter Name",
                presenting_region=region,
            )
    from accounts.models import User

    member = User.objects.filter(email="bench-member@example.org").first()
    member = member or User.objects.create_user("bench-member@example.org", "bench")
    signed_in = Client()
    signed_in.force_login(member)
    url = meeting.get_absolute_url()
    # The floor answers what a member gets, byte for byte.
    body = signed_in.get(url).content
    (workdir / "bare.html").write_bytes(body)
    return url, len(body), signed_in.cookies["sessionid"].value


def wrk(
    port: int, path: str, seconds: float, connections: int, session: str = "", check: bool = True
) -> dict:
    """Runs wrk; returns requests/s, p50 and p99 in ms, non-2xx answers and timeouts."""
    command = ["wrk", f"-c{connections}", "-t2", f"-d{seconds}s", "--latency", "--timeout=5s"]
    if session:
        command += ["-H", f"Cookie: sessionid={session}"]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=check
    ).stdout
    return parse_wrk(output)


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def parse_wrk(output: str) -> dict:
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", output).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    connect, read, write, timeout = (int(n) for n in errors.groups()) if errors else (0,) * 4
    return {
        "rate": rate,
        "p50": p50,
        "p99": p99,
        "errors": (int(non_2xx.group(1)) if non_2xx else 0) + connect + read + write,
        "timeouts": timeout,
    }


def start_gunicorn(
    env: dict, workers: int = 2, *, extra: tuple[str, ...] = (), stderr=None
) -> tuple[subprocess.Popen, int]:
    port = free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "asa_portal.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--worker-class=sync",
            "--log-level=warning",
            # A request waiting on a database that is down fails rather than being killed.
            "--timeout=30",
            *extra,
        ],
        cwd=ROOT,
        env=env,
        stderr=stderr,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port)).close()
            break
        except OSError:
            time.sleep(0.1)
    return server, port


def warm_up(port: int, path: str, session: str = "") -> None:
    """Waits for a first 200: on a busy machine a worker's first request can take many
    seconds (imports, templates), which must not land in the measured runs."""
    import urllib.request

    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    if session:
        request.add_header("Cookie", f"sessionid={session}")
    for _ in range(4):  # both workers, whichever answers
        with urllib.request.urlopen(request, timeout=120) as response:
            assert response.status == 200, (path, response.status)


def stop_gunicorn(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--postgres", action="store_true", help="a PostgreSQL bench database")
    parser.add_argument(
        "--default-cache", action="store_true", help="the code's own default cache, as it is"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")

    workdir = Path(tempfile.mkdtemp(prefix="asa-bench-"))
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="bench.settings")
    if args.postgres:
        admin_sql(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE}")
        admin_sql(f"CREATE DATABASE {POSTGRES_DATABASE}")
        env["DATABASE_URL"] = f"{POSTGRES_SERVER}/{POSTGRES_DATABASE}"
        # One kept connection per worker (checked before reuse), as README advises.
        env.setdefault("CONN_MAX_AGE", "60")
    else:
        env.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    if not args.default_cache:
        # A cache of this run's own, shared by both workers like the default one.
        env.setdefault("CACHE_URL", f"file://{workdir / 'cache'}")
    env["BENCH_BARE_PAGE"] = str(workdir / "bare.html")
    os.environ.update(env)
    try:
        meeting_url, size, session = prepare(workdir)
        from django.db import connections

        connections.close_all()
        server, port = start_gunicorn(env, args.workers)
        try:
            for path, cookie in ((meeting_url, ""), (meeting_url, session), ("/bench/bare/", "")):
                warm_up(port, path, cookie)
                wrk(port, path, 1, args.connections, cookie)
            # Measured twice, alternating, keeping the better run of each.
            runs: dict[str, list[dict]] = {"visitor": [], "member": [], "bare": []}
            half = max(1, round(args.seconds / 2))
            for _ in "ab":
                runs["visitor"].append(wrk(port, meeting_url, half, args.connections))
                runs["member"].append(wrk(port, meeting_url, half, args.connections, session))
                runs["bare"].append(wrk(port, "/bench/bare/", half, args.connections))
            best = {name: max(results, key=lambda r: r["rate"]) for name, results in runs.items()}
        finally:
            stop_gunicorn(server)
    finally:
        if args.postgres:
            from django.db import connections

            connections.close_all()
            admin_sql(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE}")
        shutil.rmtree(workdir, ignore_errors=True)

    print(
        f"page size: {size} bytes, gunicorn: {args.workers} sync workers, "
        f"wrk: {args.connections} connections, database: {env['DATABASE_URL'].split('://')[0]}, "
        f"cache: {env.get('CACHE_URL', 'the default').split('://')[0]}"
    )
    for name, label in (
        ("visitor", "meeting page, visitor"),
        ("member", "meeting page, member"),
        ("bare", "bare view, same bytes"),
    ):
        r = best[name]
        print(
            f"{label:24} {r['rate']:8.1f} req/s  p50 {r['p50']:6.1f} ms  p99 {r['p99']:6.1f} ms"
            f"  errors {r['errors']}  timeouts {r['timeouts']}"
        )
    bare = best["bare"]["rate"]
    print(f"ratio visitor / bare: {best['visitor']['rate'] / bare:.2f} (goal >= 0.5)")
    print(f"ratio member / bare:  {best['member']['rate'] / bare:.2f} (goal >= 0.15)")


if __name__ == "__main__":
    main()
