"""Requests per second of a meeting page (20 agenda items) against a bare Django view
answering a static page of the same size, both served by gunicorn in the same run.

    .venv/bin/python bench/meeting_page.py [--seconds 8] [--concurrency 4] [--workers 1]

Uses a throwaway SQLite database unless DATABASE_URL is set (then that database is
migrated and a meeting with the slug "bench-meeting" is added to it). The goal is a ratio
of at least 0.5: the real page costs at most twice a view that does nothing.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(workdir: Path) -> tuple[str, int, str]:
    """Migrates, adds the meeting, writes the bare page; returns the path, its size and
    a session cookie of a signed-in member (whose pages are never cached)."""
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
    url = meeting.get_absolute_url()
    body = Client().get(url).content
    bare = workdir / "bare.html"
    bare.write_bytes(body)
    from accounts.models import User

    member = User.objects.filter(email="bench-member@example.org").first()
    member = member or User.objects.create_user("bench-member@example.org", "bench")
    signed_in = Client()
    signed_in.force_login(member)
    return url, len(body), signed_in.cookies["sessionid"].value


def load(port: int, path: str, seconds: float, concurrency: int, session: str = "") -> float:
    """Requests per second with `concurrency` clients on fresh HTTP/1.0 connections."""
    cookie = f"Cookie: sessionid={session}\r\n" if session else ""
    request = f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n{cookie}\r\n".encode()
    done = [0] * concurrency
    failures = [0] * concurrency
    stop = time.perf_counter() + seconds

    def client(n: int) -> None:
        while time.perf_counter() < stop:
            with socket.create_connection(("127.0.0.1", port)) as s:
                s.sendall(request)
                chunks = []
                while chunk := s.recv(65536):
                    chunks.append(chunk)
            if b" 200 " in chunks[0][:20]:
                done[n] += 1
            else:
                failures[n] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if sum(failures):
        raise SystemExit(f"{path}: {sum(failures)} responses were not 200")
    return sum(done) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="asa-bench-"))
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="bench.settings")
    env.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    env["BENCH_BARE_PAGE"] = str(workdir / "bare.html")
    os.environ.update(env)
    meeting_url, size, session = prepare(workdir)

    port = free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "asa_portal.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={args.workers}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port)).close()
                break
            except OSError:
                time.sleep(0.1)
        # Warm up both, then measure each twice, alternating, and keep the better run.
        load(port, meeting_url, 1, args.concurrency)
        load(port, "/bench/bare/", 1, args.concurrency)
        runs: dict[str, list[float]] = {"meeting": [], "member": [], "bare": []}
        for _ in "ab":
            runs["meeting"].append(load(port, meeting_url, args.seconds / 2, args.concurrency))
            runs["member"].append(
                load(port, meeting_url, args.seconds / 2, args.concurrency, session)
            )
            runs["bare"].append(load(port, "/bench/bare/", args.seconds / 2, args.concurrency))
        meeting, member, bare = (max(runs[name]) for name in ("meeting", "member", "bare"))
    finally:
        server.terminate()
        server.wait(timeout=10)

    print(
        f"page size: {size} bytes, gunicorn workers: {args.workers}, clients: {args.concurrency}"
    )
    print(f"database: {env['DATABASE_URL'].split('://')[0]}")
    print(f"meeting page, visitor (cached):   {meeting:8.1f} requests/s")
    print(f"meeting page, member (uncached):  {member:8.1f} requests/s")
    print(f"bare view of the same size:       {bare:8.1f} requests/s")
    print(f"ratio visitor / bare: {meeting / bare:.2f} (goal >= 0.5)")
    print(f"ratio member / bare:  {member / bare:.2f}")


if __name__ == "__main__":
    main()
