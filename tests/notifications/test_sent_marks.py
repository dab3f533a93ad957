"""Each sent row is marked sent before the SMTP server may accept the next message
(notifications.services._SentMarks): on PostgreSQL the mark is committed during the next
message's conversation, never after the server accepted it; and each message is built
ahead of its turn without changing what happens in its turn (notifications.services._Wires)."""

from __future__ import annotations

import smtplib
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import DatabaseError, connection, connections

from notifications import services
from notifications.messages import Wire
from notifications.models import Notification
from tests.factories.accounts import UserFactory
from tests.factories.meetings import MeetingFactory

# Committed for real, so that the marks take the path a worker takes (their own
# connection on PostgreSQL), and the sink can read them from another connection.
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
    uncommitted at the next accept. (SQLite cannot sleep: its marks are made at once
    anyway, and made slow here in Python.)"""
    if connection.vendor == "postgresql":
        sent_marks_trigger("PERFORM pg_sleep(0.05)")
    else:
        mark = services._mark_sent
        monkeypatch.setattr(
            services, "_mark_sent", lambda row_id: (time.sleep(0.05), mark(row_id))
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


def test_the_server_receives_the_bytes_with_leading_dots_doubled_on_the_wire(smtp, settings):
    data = b"Subject: dots\r\n\r\n.a line starting with a dot\r\n..two\r\nlast line"
    with smtplib.SMTP("127.0.0.1", settings.EMAIL_PORT) as server:
        services._send(server, Wire("portal@example.org", ["a@example.org"], data))
    body = smtp.received[0].message.get_content()
    assert body == ".a line starting with a dot\r\n..two\r\nlast line\r\n"


def test_a_message_is_not_accepted_when_its_wait_before_the_data_fails(smtp, settings):
    data = b"Subject: held\r\n\r\nbody\r\n"

    def mark_failed() -> None:
        raise DatabaseError("the previous mark failed")

    server = smtplib.SMTP("127.0.0.1", settings.EMAIL_PORT)
    with pytest.raises(DatabaseError):
        services._send(
            server, Wire("portal@example.org", ["a@example.org"], data), before_data=mark_failed
        )
    assert smtp.received == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL option")
def test_the_marks_connection_takes_the_role_that_django_assumes(smtp, settings):
    role = f"asa_marks_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role}")
        cursor.execute(f"GRANT SELECT, UPDATE ON notifications_notification TO {role}")
    sent_marks_trigger(
        f"IF current_user <> '{role}' THEN RAISE EXCEPTION 'marked as %', current_user; END IF"
    )
    settings.DATABASES["default"]["OPTIONS"]["assume_role"] = role
    try:
        ids = invitations(2)
        assert services.notifications_deliver(ids=ids)["sent"] == 2
    finally:
        del settings.DATABASES["default"]["OPTIONS"]["assume_role"]
        drop_trigger()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP OWNED BY {role}")
            cursor.execute(f"DROP ROLE {role}")
