"""In-process figures for sending invitations: how many milliseconds one message takes in
`notifications_deliver` (building it, Django's backend sending it, the sent mark), and
where that time goes. The rows are invitation_send.py's (10 agenda items, text, HTML and
calendar file), on PostgreSQL, sent to an aiosmtpd sink in a process of its own; no
Celery: the batches of 250 are delivered in this process, one after the other.

    .venv/bin/python bench/invitations_profile.py [--people N] [--rounds R] [--profile]

--rounds R sends the same people's invitations R times (the rows are put back in the
queue between rounds) and prints each round's ms a message; --profile prints cProfile's
top functions of one more round. Uses a database of its own (dropped after).
"""

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import invitations_send as bench  # noqa: E402 (sets the environment)


def deliver_all(ids: list[int]) -> tuple[float, float]:
    """Delivers every row as the worker does, a batch of 250 at a time: the seconds, and
    the seconds of CPU time this process took (what waiting for the sink and for the
    database's commits leaves out: on a shared machine, the steadier figure)."""
    from notifications.services import BATCH_SIZE, notifications_deliver

    started, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(ids), BATCH_SIZE):
        counts = notifications_deliver(ids=ids[start : start + BATCH_SIZE])
        if counts["sent"] != len(ids[start : start + BATCH_SIZE]):
            raise SystemExit(f"Not all sent: {counts}")
    return time.perf_counter() - started, time.process_time() - cpu


def requeue(ids: list[int]) -> None:
    from django.utils import timezone

    from notifications.models import Notification

    Notification.objects.filter(pk__in=ids).update(
        status="queued", sent_at=None, attempts=0, queued_at=timezone.now()
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--stats", help="with --profile: also save cProfile's data here")
    options = parser.parse_args()
    bench.PEOPLE = options.people
    folder = Path(tempfile.mkdtemp(prefix="bench-mail-profile-"))
    bench.admin_sql(f"DROP DATABASE IF EXISTS {bench.DATABASE}")
    bench.admin_sql(f"CREATE DATABASE {bench.DATABASE}")
    sink = bench.start(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{bench.SMTP_PORT}",
         "-c", "aiosmtpd.handlers.Sink"],
        folder / "sink.log",
    )  # fmt: skip
    try:
        bench.wait_for_port(bench.SMTP_PORT)
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        from meetings.services import meeting_publish
        from notifications.models import Notification

        meeting = bench.fill()
        # No broker: the rows are delivered here.
        with mock.patch("notifications.services._send_later"):
            meeting_publish(meeting=meeting)
        ids = list(
            Notification.objects.filter(meeting=meeting)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for round_ in range(1, options.rounds + 1):
            if round_ > 1:
                requeue(ids)
            seconds, cpu = deliver_all(ids)
            print(
                f"round {round_}: {len(ids):,} messages, {seconds * 1000 / len(ids):.2f} ms a"
                f" message, of which {cpu * 1000 / len(ids):.2f} ms of CPU in this process"
            )
        if options.profile:
            requeue(ids)
            profiler = cProfile.Profile()
            profiler.enable()
            seconds, _ = deliver_all(ids)
            profiler.disable()
            print(f"profiled: {seconds * 1000 / len(ids):.2f} ms a message (profiler on)")
            if options.stats:
                profiler.dump_stats(options.stats)
            stats = pstats.Stats(profiler).sort_stats("cumulative")
            stats.print_stats(45)
            stats.sort_stats("tottime").print_stats(25)
    finally:
        bench.stop(sink)
        from django.db import connections

        connections.close_all()
        bench.admin_sql(f"DROP DATABASE IF EXISTS {bench.DATABASE}")


if __name__ == "__main__":
    main()
