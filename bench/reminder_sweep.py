"""Benchmark: the outbox's beat sweep with 100,000 meetings (200,000 reminder times) and
1,000,000 Notification rows on PostgreSQL, against a baseline measured in the same run
(fetching one row by its primary key). Goal: under 50 ms a sweep, its plans on indexes.

    .venv/bin/python bench/reminder_sweep.py

Creates the database bench_mail, fills it, measures, and drops it again. Tasks go to an
in-memory broker: the sweep's own cost is measured, not a broker's.
"""

import os
import statistics
import sys
import time
from pathlib import Path

import psycopg

SERVER = "postgres://postgres@127.0.0.1:5432"
DATABASE = "bench_mail"
os.environ["DATABASE_URL"] = f"{SERVER}/{DATABASE}"
os.environ["CELERY_BROKER_URL"] = "memory://"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asa_portal.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MEETINGS, PER_MEETING, PEOPLE, RUNS = 100_000, 10, 1_000, 50
AHEAD = 5_000  # meetings still to come; the others are over, their emails sent


def admin_sql(sql: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def median_ms(function, prepare=lambda: None, runs: int = RUNS) -> float:
    prepare()
    function()  # warm up
    times = []
    for _ in range(runs):
        prepare()
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def fill() -> None:
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from meetings.models import Meeting, WorkingGroup

    now = timezone.now()
    group = WorkingGroup.objects.create(code="WG4", name="Regional Implementation")
    User.objects.bulk_create(
        User(email=f"person{i}@example.org", password="!") for i in range(PEOPLE)
    )
    meetings = []
    for i in range(MEETINGS):
        # The last AHEAD meetings are still to come, one every 30 minutes from tomorrow.
        ahead = i >= MEETINGS - AHEAD
        start = (
            now + dt.timedelta(days=1, minutes=30 * i)
            if ahead
            else now - dt.timedelta(hours=i + 24)
        )
        meetings.append(
            Meeting(
                title=f"Meeting {i}",
                slug=f"meeting-{i}",
                working_group=group,
                start=start,
                end=start + dt.timedelta(hours=3),
                time_zone="Europe/Brussels",
                status="published",
                published_at=now - dt.timedelta(days=400),
            )
        )
    Meeting.objects.bulk_create(meetings, batch_size=5000)
    with connection.cursor() as cursor:
        # Two reminder times a meeting: done for those over, waiting for those ahead.
        cursor.execute(
            """
            INSERT INTO notifications_remindertime (meeting_id, hours, due_at, done_at)
            SELECT m.id, h.hours, m.start - make_interval(hours => h.hours),
                   CASE WHEN m.start < now() THEN m.start - make_interval(hours => h.hours) END
            FROM meetings_meeting m CROSS JOIN (VALUES (168), (24)) AS h(hours)
            """
        )
        # Ten emails a meeting, to ten different people: sent, except 1 % waiting for a
        # retry later (the partial index's rows).
        cursor.execute(
            """
            INSERT INTO notifications_notification (kind, revision, details, status, due_at,
                queued_at, attempts, last_error, sent_at, created_at, meeting_id, person_id,
                bounce_status, bounce_diagnostic)
            SELECT 'invitation', 0, '{}',
                   CASE WHEN (m.id + k) %% 100 = 0 THEN 'queued' ELSE 'sent' END,
                   CASE WHEN (m.id + k) %% 100 = 0 THEN now() + interval '1 hour'
                        ELSE m.published_at END,
                   NULL, 1, '', m.published_at, m.published_at, m.id,
                   u.first + (m.id * 7 + k) %% %s, '', ''
            FROM meetings_meeting m
            CROSS JOIN generate_series(0, %s - 1) AS k
            CROSS JOIN (SELECT min(id) AS first FROM accounts_user) AS u
            """,
            [PEOPLE, PER_MEETING],
        )
        cursor.execute("ANALYZE")


def explain(sql: str) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        return [row[0] for row in cursor.fetchall()]


def bench() -> None:
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from meetings.models import Meeting
    from notifications import services
    from notifications.models import Notification, ReminderTime

    rows = Notification.objects.count()
    times = ReminderTime.objects.count()
    print(
        f"Reminder sweep on PostgreSQL: {MEETINGS:,} meetings, {times:,} reminder times, "
        f"{rows:,} Notification rows (median of {RUNS})"
    )
    some = Notification.objects.order_by("?").values_list("pk", flat=True).first()
    baseline = median_ms(lambda: Notification.objects.filter(pk=some).first())
    print(f"  baseline, one row by its primary key:   {baseline:7.2f} ms")

    idle = median_ms(services.notifications_sweep)
    print(f"  sweep, nothing due (every minute):      {idle:7.2f} ms  ×{idle / baseline:.1f}")

    # One reminder time falls due (its ten people get a row each) and ten retries are due.
    due = ReminderTime.objects.filter(done_at=None).order_by("due_at").first()
    retries = list(Notification.objects.filter(status="queued").values_list("pk", flat=True)[:10])
    # Its ten invitations went out: its ten people are the ones to remind.
    Notification.objects.filter(meeting=due.meeting_id).update(status="sent")

    def make_due() -> None:
        now = timezone.now()
        ReminderTime.objects.filter(pk=due.pk).update(
            due_at=now - dt.timedelta(seconds=1), done_at=None
        )
        Notification.objects.filter(meeting=due.meeting_id, kind="reminder").delete()
        Notification.objects.filter(pk__in=retries[:10]).update(
            status="queued", due_at=now - dt.timedelta(seconds=1), queued_at=None
        )
        # The meeting starts in 23 hours: its 1-day reminder is due, the meeting not over.
        Meeting.objects.filter(pk=due.meeting_id).update(
            start=now + dt.timedelta(hours=23), end=now + dt.timedelta(hours=26)
        )

    busy = median_ms(services.notifications_sweep, prepare=make_due)
    print(f"  sweep, 1 reminder time + 10 retries due: {busy:6.2f} ms  ×{busy / baseline:.1f}")
    goal = "met" if max(idle, busy) < 50 else "MISSED"
    print(f"  goal under 50 ms a sweep: {goal}")

    make_due()
    with CaptureQueriesContext(connection) as context:
        services.notifications_sweep()
    for query in context.captured_queries:
        sql = query["sql"]
        if not sql.startswith("SELECT") or "FOR UPDATE" not in sql:
            continue
        table = (
            "notification"
            if "notifications_notification" in sql.split("WHERE")[0]
            else ("reminder time")
        )
        plan = explain(sql.split(" FOR UPDATE")[0])
        scans = [line.strip() for line in plan if "Scan" in line]
        print(f"  plan of the sweep's {table} query: {' / '.join(scans)}")


def main() -> None:
    admin_sql(f"DROP DATABASE IF EXISTS {DATABASE}")
    admin_sql(f"CREATE DATABASE {DATABASE}")
    try:
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        fill()
        print(f"(filled in {time.perf_counter() - started:.0f} s)")
        bench()
    finally:
        from django.db import connections

        connections.close_all()
        admin_sql(f"DROP DATABASE IF EXISTS {DATABASE}")


if __name__ == "__main__":
    main()
