"""Each sent row is marked sent, and the mark committed, before the next message goes to
the SMTP server: a killed worker leaves at most one message accepted but not marked."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import DatabaseError, connection, connections

from notifications import services
from notifications.models import Notification
from tests.factories.accounts import UserFactory
from tests.factories.meetings import MeetingFactory

# Committed for real, as in a worker, so that another connection can read the marks.
pytestmark = pytest.mark.django_db(transaction=True)


def invitations(count: int) -> list[int]:
    meeting = MeetingFactory()
    return [
        Notification.objects.create(meeting=meeting, person=person, kind="invitation").pk
        for person in UserFactory.create_batch(count)
    ]


def statuses_seen_elsewhere(addresses: list[str]) -> list[str]:
    """The rows' statuses as another process sees them (a thread with its own connection:
    the sink answers from an event loop, where the ORM may not run)."""

    def read() -> list[str]:
        try:
            return list(
                Notification.objects.filter(person__email__in=addresses).values_list(
                    "status", flat=True
                )
            )
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as other:
        return other.submit(read).result()


def sent_marks_trigger(body: str) -> None:
    """Runs `body` (PL/pgSQL, or SQLite's trigger body) whenever a row is marked sent."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION sent_mark_hook() RETURNS trigger LANGUAGE plpgsql AS"
                f" $$ BEGIN {body}; RETURN NEW; END $$"
            )
            cursor.execute(
                "CREATE TRIGGER sent_mark_hook BEFORE UPDATE ON notifications_notification"
                " FOR EACH ROW WHEN (NEW.status = 'sent') EXECUTE FUNCTION sent_mark_hook()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER sent_mark_hook BEFORE UPDATE ON notifications_notification"
                f" FOR EACH ROW WHEN NEW.status = 'sent' BEGIN {body}; END"
            )


@pytest.fixture
def database_refusing_marks():
    if connection.vendor == "postgresql":
        sent_marks_trigger("RAISE EXCEPTION 'the database refused the mark'")
    else:
        sent_marks_trigger("SELECT RAISE(ABORT, 'the database refused the mark')")
    yield
    drop_trigger()


@pytest.fixture
def slow_database(monkeypatch):
    """Each mark takes 50 ms in the database: a mark not waited for would still be
    uncommitted at the next accept. (SQLite cannot sleep: the marks are made slow here
    in Python.)"""
    if connection.vendor == "postgresql":
        sent_marks_trigger("PERFORM pg_sleep(0.05)")
    else:
        finish = services._finish
        monkeypatch.setattr(
            services, "_finish", lambda row, **kwargs: (time.sleep(0.05), finish(row, **kwargs))
        )
    yield
    drop_trigger()


def drop_trigger() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS sent_mark_hook() CASCADE")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS sent_mark_hook")


def test_every_message_the_server_accepted_before_is_marked_sent_when_it_accepts_the_next(
    smtp, slow_database
):
    ids = invitations(12)
    unmarked_at_accept = []

    def check(received) -> None:
        earlier = [address for item in smtp.received[:-1] for address in item.envelope_to]
        unmarked_at_accept.append(statuses_seen_elsewhere(earlier).count("queued"))

    smtp.on_accept = check
    assert services.notifications_deliver(ids=ids)["sent"] == 12
    assert unmarked_at_accept == [0] * 12
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}


def test_a_mark_that_fails_keeps_the_next_message_from_being_accepted(
    smtp, database_refusing_marks
):
    ids = invitations(3)
    with pytest.raises(DatabaseError, match="the database refused the mark"):
        services.notifications_deliver(ids=ids)
    # The first was accepted and could not be marked: it may go again, alone.
    assert len(smtp.received) == 1
    assert set(Notification.objects.values_list("status", flat=True)) == {"queued"}


def test_a_closed_account_in_the_middle_of_a_batch_is_skipped_in_its_turn_and_the_rest_sent(
    smtp,
):
    ids = invitations(3)
    closed = Notification.objects.get(pk=ids[1]).person
    closed.is_active = False
    closed.save()
    assert services.notifications_deliver(ids=ids) == {
        "sent": 2,
        "retry": 0,
        "failed": 0,
        "skipped": 1,
    }
    assert Notification.objects.get(pk=ids[1]).status == "skipped"
    assert closed.email not in [address for item in smtp.received for address in item.envelope_to]
