"""/healthz watches the queue: 503 naming the beat when its sweep has not run for three
minutes, 503 naming the outbox when an email due ten minutes ago is still not sent.
Only queued rows whose time has come count: rows already sent, failed for good, skipped,
bounced, not yet due (a refused one waiting for its retry) or held for an address that
bounced do not."""

import datetime as dt
import importlib

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from asa_portal import health
from notifications import services
from notifications.models import LastSweep, Notification
from tests.factories.accounts import UserFactory
from tests.factories.meetings import MeetingFactory

pytestmark = pytest.mark.django_db

T = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
Status = Notification.Status


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(T, tick=False)
    return time_machine


@pytest.fixture
def meeting(db):
    return MeetingFactory(title="WG4 meeting")


def swept_at(moment: dt.datetime | None, created_at: dt.datetime = T) -> None:
    LastSweep.objects.update_or_create(
        pk=1, defaults={"swept_at": moment, "created_at": created_at}
    )


def row(meeting, person, due_at, status=Status.QUEUED, **fields) -> Notification:
    return Notification.objects.create(
        meeting=meeting,
        person=person,
        kind=Notification.Kind.INVITATION,
        status=status,
        due_at=due_at,
        **fields,
    )


def at(clock, moment: dt.datetime):
    clock.move_to(moment, tick=False)


def healthz(client):
    response = client.get("/healthz")
    return response.status_code, response.json()


# -- The beat's last sweep ---------------------------------------------------------------


def test_the_sweep_records_when_it_ran(clock):
    swept_at(None, created_at=T - dt.timedelta(days=2))
    at(clock, T + dt.timedelta(minutes=1))
    services.notifications_sweep()
    last = LastSweep.objects.get()
    assert last.swept_at == dt.datetime(2026, 3, 2, 9, 1, tzinfo=dt.UTC)
    assert last.created_at == dt.datetime(2026, 2, 28, 9, 0, tzinfo=dt.UTC)


def test_the_sweep_makes_its_row_again_if_it_is_gone(clock):
    LastSweep.objects.all().delete()
    services.notifications_sweep()
    assert LastSweep.objects.get().swept_at == T


def test_healthz_is_200_two_minutes_59_after_the_last_sweep(client, clock):
    swept_at(T)
    at(clock, T + dt.timedelta(minutes=2, seconds=59))
    status, body = healthz(client)
    assert status == 200
    assert body["beat"] == "ok"
    assert body["status"] == "ok"


def test_healthz_is_503_naming_the_beat_three_minutes_and_a_second_after_the_last_sweep(
    client, clock
):
    swept_at(T)
    at(clock, T + dt.timedelta(minutes=3, seconds=1))
    status, body = healthz(client)
    assert status == 503
    assert body["status"] == "unavailable"
    assert body["beat"] == "error: last sweep 2026-03-02T09:00:00+00:00, 181 s ago"
    assert body["outbox"] == "ok"
    assert body["database"] == "ok"


def test_a_fresh_install_is_200_before_its_first_sweep(client, clock):
    swept_at(None, created_at=T)
    at(clock, T + dt.timedelta(minutes=2, seconds=59))
    status, body = healthz(client)
    assert status == 200
    assert body["beat"] == "ok"


def test_an_install_never_swept_is_503_three_minutes_and_a_second_after(client, clock):
    swept_at(None, created_at=T)
    at(clock, T + dt.timedelta(minutes=3, seconds=1))
    status, body = healthz(client)
    assert status == 503
    assert body["beat"] == (
        "error: never swept since the install (2026-03-02T09:00:00+00:00, 181 s ago)"
    )


def test_the_first_sweep_of_a_late_install_makes_it_healthy(client, clock):
    swept_at(None, created_at=T - dt.timedelta(hours=5))
    assert healthz(client)[0] == 503
    services.notifications_sweep()
    status, body = healthz(client)
    assert status == 200
    assert body["beat"] == "ok"


def test_without_the_row_of_the_last_sweep_healthz_is_503(client, clock):
    LastSweep.objects.all().delete()
    status, body = healthz(client)
    assert status == 503
    assert body["beat"] == "error: no sweep recorded"


def test_the_migration_makes_the_row_counting_from_the_install(clock):
    LastSweep.objects.all().delete()
    migration = importlib.import_module("notifications.migrations.0007_last_sweep")
    migration.make_the_row(django_apps, None)
    last = LastSweep.objects.get()
    assert (last.created_at, last.swept_at) == (T, None)


# -- The oldest email due but not sent -----------------------------------------------------


@pytest.fixture
def others(meeting):
    """Rows of other people that must not count, each due long before T unless said."""
    day = dt.timedelta(days=1)
    bouncing = UserFactory(email="bouncing@example.org", email_bouncing_since=T - day)
    return [
        row(meeting, UserFactory(email="sent@example.org"), T - day, Status.SENT, sent_at=T),
        row(meeting, UserFactory(email="failed@example.org"), T - day, Status.FAILED, attempts=6),
        row(meeting, UserFactory(email="skipped@example.org"), T - day, Status.SKIPPED),
        row(meeting, UserFactory(email="bounced@example.org"), T - day, Status.BOUNCED),
        # Refused twice, its next attempt an hour after T: not due yet.
        row(
            meeting,
            UserFactory(email="retry@example.org"),
            T + dt.timedelta(hours=1),
            attempts=2,
            last_error="451 try again later",
        ),  # fmt: skip
        # Queued for another person, due tomorrow.
        row(meeting, UserFactory(email="later@example.org"), T + day),
        # Held, queued, until the secretariat corrects the address.
        row(meeting, bouncing, T - day),
    ]


def test_healthz_is_200_nine_minutes_59_after_an_email_fell_due(client, clock, meeting, others):
    row(meeting, UserFactory(email="member@example.org"), T)
    at(clock, T + dt.timedelta(minutes=9, seconds=59))
    swept_at(T + dt.timedelta(minutes=9))
    status, body = healthz(client)
    assert status == 200
    assert body["outbox"] == "ok"


def test_healthz_is_503_naming_the_outbox_ten_minutes_and_a_second_after_an_email_fell_due(
    client, clock, meeting, others
):
    row(meeting, UserFactory(email="member@example.org"), T)
    row(meeting, UserFactory(email="second@example.org"), T + dt.timedelta(minutes=4))
    at(clock, T + dt.timedelta(minutes=10, seconds=1))
    swept_at(T + dt.timedelta(minutes=10))
    status, body = healthz(client)
    assert status == 503
    assert body["outbox"] == "error: an email due 2026-03-02T09:00:00+00:00, 601 s ago is not sent"
    assert body["beat"] == "ok"


def test_rows_that_no_worker_should_send_now_leave_the_outbox_ok(client, clock, others):
    swept_at(T)
    status, body = healthz(client)
    assert status == 200
    assert body["outbox"] == "ok"


def test_a_refused_email_counts_from_its_next_attempt(client, clock, meeting):
    row(
        meeting,
        UserFactory(email="member@example.org"),
        T + dt.timedelta(minutes=5),
        attempts=1,
        last_error="451 try again later",
    )
    at(clock, T + dt.timedelta(minutes=14, seconds=59))
    swept_at(T + dt.timedelta(minutes=14))
    assert healthz(client)[1]["outbox"] == "ok"
    at(clock, T + dt.timedelta(minutes=15, seconds=1))
    swept_at(T + dt.timedelta(minutes=15))
    assert healthz(client)[1]["outbox"] == (
        "error: an email due 2026-03-02T09:05:00+00:00, 601 s ago is not sent"
    )


# -- Its cost, and a database that is away ----------------------------------------------------


def queries_of_healthz(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get("/healthz")
    return len(queries)


def test_healthz_reads_the_database_three_times_whatever_the_number_of_rows(
    client, clock, meeting, others
):
    swept_at(T)
    assert queries_of_healthz(client) == 3
    for number in range(40):
        row(meeting, UserFactory(email=f"p{number}@example.org"), T - dt.timedelta(minutes=number))
    assert queries_of_healthz(client) == 3


def test_with_the_database_down_the_queue_is_unknown_not_an_error_page(client, monkeypatch):
    monkeypatch.setattr(health, "check_database", lambda: "error: OperationalError")
    status, body = healthz(client)
    assert status == 503
    assert body["beat"] == "unknown: the database is unavailable"
    assert body["outbox"] == "unknown: the database is unavailable"


def test_a_check_that_cannot_read_its_table_answers_503_naming_it(client, clock, monkeypatch):
    swept_at(T)

    def missing_table(now):
        raise LookupError("no such table: notifications_lastsweep")

    monkeypatch.setitem(health.DATABASE_CHECKS, "beat", missing_table)
    status, body = healthz(client)
    assert status == 503
    assert body["beat"] == "error: LookupError"
    assert body["outbox"] == "ok"
