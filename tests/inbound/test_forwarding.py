"""Everything that is not an answer, a bounce or an automatic reply goes on to the
secretariat unchanged, through a real SMTP server."""

import email

import pytest
from aiosmtpd.controller import Controller

from inbound.models import InboundMessage
from inbound.services import inbound_forward
from tests.inbound.conftest import mime
from tests.smtp_sink import free_port

pytestmark = pytest.mark.django_db

Outcome = InboundMessage.Outcome


class RawSink:
    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append((envelope.mail_from, envelope.rcpt_tos, envelope.original_content))
        return "250 OK"


@pytest.fixture
def sink(settings):
    handler = RawSink()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    yield handler
    controller.stop()


def without_resent_headers(raw: bytes) -> bytes:
    lines = raw.split(b"\r\n")
    return b"\r\n".join(line for line in lines if not line.startswith(b"Resent-"))


def test_a_human_message_goes_on_to_the_secretariat_unchanged(deliver, sink, invitation):
    row = deliver("human.eml")
    assert row.outcome == Outcome.FORWARDED
    assert row.kind == InboundMessage.Kind.OTHER
    assert row.notification == invitation  # it answers our invitation: shown in the admin
    ((sender, to, raw),) = sink.received
    assert to == ["office@asa.example.org"]
    assert without_resent_headers(raw) == mime("human.eml")
    message = email.message_from_bytes(raw)
    assert message["Resent-Message-ID"] == f"<inbound-{row.pk}@portal.example.org>"
    assert message["From"] == "Maria Member <member@example.org>"
    row.refresh_from_db()
    assert row.forwarded_at is not None


def test_a_piped_message_with_bare_line_feeds_is_sent_with_crlf(deliver, sink):
    deliver(mime("human.eml").replace(b"\r\n", b"\n"))
    ((_, _, raw),) = sink.received
    assert b"\n" not in raw.replace(b"\r\n", b"")


def test_a_message_is_passed_on_once(deliver, sink):
    row = deliver("human.eml")
    assert inbound_forward(message_id=row.pk) is False
    assert len(sink.received) == 1


def test_a_forwarded_message_that_comes_back_is_not_sent_again(deliver, sink):
    deliver("human.eml")
    ((_, _, raw),) = sink.received
    looped = deliver(raw.replace(b"Message-ID: <CAHuman", b"Message-ID: <CAHumanAgain"))
    assert looped.outcome == Outcome.NOTED
    assert "came back" in looped.detail
    assert len(sink.received) == 1


def test_the_forward_address_defaults_to_the_secretariat(deliver, sink, settings):
    settings.INBOUND_FORWARD_TO = ""
    deliver("human.eml")
    ((_, to, _),) = sink.received
    assert to == ["secretariat@asa.example.org"]


def test_a_calendar_reply_with_a_note_is_recorded_and_the_note_passed_on(
    deliver, sink, invitation, meeting, member
):
    with_note = mime("thunderbird_accept.eml").replace(
        b"SEQUENCE:0\r\n", b"SEQUENCE:0\r\nCOMMENT:Ten minutes late\\, sorry.\r\n", 1
    )
    row = deliver(with_note)
    assert row.outcome == Outcome.APPLIED
    assert "Ten minutes late, sorry." in row.detail
    assert len(sink.received) == 1


def test_an_smtp_server_that_is_down_leaves_the_message_kept_for_a_later_try(deliver, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_TIMEOUT = 2
    row = deliver("human.eml")
    row.refresh_from_db()
    assert row.outcome == Outcome.FORWARDED
    assert row.forwarded_at is None
    assert "ConnectionRefusedError" in row.forward_error
