"""A message whose headers PostgreSQL cannot store as they are (a NUL character, bytes
that are no text) is stored cleaned, once, and says so: the sending server is never asked
to try again, so nothing loops. SQLite would store a NUL; these matter on PostgreSQL."""

import smtplib

import pytest

from inbound import services
from inbound.gateway import Gateway
from inbound.models import InboundMessage
from meetings import services as meeting_services
from meetings.models import Attendance
from notifications.models import Notification
from tests.inbound.conftest import mime
from tests.services import require_postgresql
from tests.smtp_sink import free_port

# The Message-ID of outbox row 7001 under the tests' SECRET_KEY (tests/inbound/conftest.py).
OUR_ID = b"<notification-7001.b3c385ef08d54c2fca46@portal.example.org>"

pytestmark = pytest.mark.django_db

Outcome = InboundMessage.Outcome

CLEANED = "Stored cleaned: NUL characters or bytes that are no text removed from"


def with_nul(header: bytes) -> bytes:
    """human.eml with a NUL character inside the value of one header."""
    raw = mime("human.eml")
    start = raw.index(header + b": ") + len(header) + 2
    return raw[:start] + raw[start : start + 3] + b"\x00" + raw[start + 3 :]


def test_a_subject_with_a_nul_is_stored_cleaned_once_and_says_so(deliver):
    row = deliver(with_nul(b"Subject"))
    assert row.outcome == Outcome.FORWARDED
    assert row.subject == "Re: Invitation: WG4 meeting, 25 March 2099"
    assert row.detail == (
        "A message for the secretariat: passed on unchanged. " + CLEANED + " the subject."
    )
    assert bytes(row.raw) == with_nul(b"Subject")  # the message itself as it came
    assert InboundMessage.objects.count() == 1


def test_a_message_id_with_a_nul_is_stored_cleaned(deliver):
    row = deliver(with_nul(b"Message-ID"))
    assert row.outcome == Outcome.FORWARDED
    assert row.message_id == "<CAHuman0123456789@mail.example.org>"
    assert row.detail.endswith(CLEANED + " the Message-ID.")


def test_a_from_with_a_nul_is_stored_cleaned_and_not_trusted(deliver, invitation):
    raw = mime("outlook_accept.eml").replace(
        b"From: Maria Member <member@example.org>", b"From: Maria\x00 Member <member@example.org>"
    )
    row = deliver(raw)
    assert row.outcome == Outcome.UNTRUSTED
    assert row.from_address == "Maria Member <member@example.org>"
    assert CLEANED + " From." in row.detail
    assert not Attendance.objects.exists()


def test_undecodable_bytes_in_a_subject_are_stored_as_text(deliver):
    raw = mime("human.eml").replace(b"Subject: Re:", b"Subject: \xff\xfe Re:")
    row = deliver(raw)
    assert row.outcome == Outcome.FORWARDED
    assert row.subject == "\ufffd\ufffd Re: Invitation: WG4 meeting, 25 March 2099"


def test_a_reply_naming_a_message_id_with_a_nul_is_answered(deliver, invitation, meeting):
    """The answer's References name the reply's ids: never one that cannot be stored."""
    meeting_services.meeting_cancel(meeting=meeting)
    raw = mime("outlook_accept.eml").replace(
        b"References: " + OUR_ID,
        b"References: " + OUR_ID + b" <bad\x00id@example.org>",
    )
    row = deliver(raw)
    assert row.outcome == Outcome.REFUSED
    told = Notification.objects.get(kind=Notification.Kind.REPLY)
    assert told.details["thread"] == [
        OUR_ID.decode(),
        "<AM0PR07MB4530ACCEPTED0A1B2C3D4E5F@AM0PR07MB4530.eurprd07.prod.outlook.com>",
    ]


@pytest.mark.django_db(transaction=True)
def test_lmtp_keeps_a_message_with_a_nul_in_its_subject_and_answers_250():
    port = free_port()
    server = Gateway(hostname="127.0.0.1", port=port)
    server.start()
    try:
        with smtplib.LMTP("127.0.0.1", port, timeout=30) as client:
            refused = client.sendmail(
                "member@example.org", ["portal@example.org"], with_nul(b"Subject")
            )
    finally:
        server.stop()
    assert refused == {}
    row = InboundMessage.objects.get()
    assert (row.outcome, row.subject) == (
        Outcome.FORWARDED,
        "Re: Invitation: WG4 meeting, 25 March 2099",
    )


def test_a_message_whose_row_will_not_save_is_still_kept_once_as_an_error(deliver, monkeypatch):
    """The last safeguard: were the cleaning to miss something, the outcome alone is
    saved and receive_mail still exits 0 (deliver would raise SystemExit on 75)."""
    require_postgresql()
    monkeypatch.setattr(services, "_clean", lambda row: None)
    row = deliver(with_nul(b"Subject"))
    assert row.outcome == Outcome.ERROR
    assert row.detail.startswith("DataError: PostgreSQL text fields cannot contain NUL")
    assert InboundMessage.objects.count() == 1
