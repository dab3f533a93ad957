"""A real SMTP server (aiosmtpd on a free port) that keeps what it receives, and a few
helpers to read the messages as a mail program would."""

from __future__ import annotations

import email
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default

import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    envelope_to: list[str]
    message: EmailMessage
    envelope_from: str = ""

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    def part(self, content_type: str) -> str:
        for part in self.message.walk():
            if part.get_content_type() == content_type:
                return part.get_content()
        raise AssertionError(f"No {content_type} part in {self.subject!r}")

    @property
    def text(self) -> str:
        return self.part("text/plain")

    @property
    def html(self) -> str:
        return self.part("text/html")

    @property
    def calendar(self) -> Calendar:
        return Calendar.from_ical(self.part("text/calendar"))

    @property
    def calendar_filename(self) -> str | None:
        for part in self.message.walk():
            if part.get_content_type() == "text/calendar":
                return part.get_filename()
        raise AssertionError(f"No calendar in {self.subject!r}")


@dataclass
class Sink:
    """Keeps every accepted message; refuses the next `refuse` ones with 451."""

    received: list[Received] = field(default_factory=list)
    peers: set = field(default_factory=set)
    refuse: int = 0
    refused: int = 0
    # Called with each accepted message before the server answers 250 (a fault test
    # kills the sending worker there).
    on_accept: Callable[[Received], None] | None = None

    async def handle_DATA(self, server, session, envelope):
        self.peers.add(session.peer)
        if self.refuse:
            self.refuse -= 1
            self.refused += 1
            return "451 4.3.0 Try again later"
        message = email.message_from_bytes(envelope.original_content, policy=default)
        self.received.append(
            Received(list(envelope.rcpt_tos), message, envelope_from=envelope.mail_from)
        )
        if self.on_accept:
            self.on_accept(self.received[-1])
        return "250 OK"

    def to(self, address: str) -> list[Received]:
        return [item for item in self.received if address in item.envelope_to]

    def subjects(self) -> list[str]:
        return sorted(item.subject for item in self.received)


@pytest.fixture
def smtp(settings):
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    settings.SITE_URL = "https://portal.example.org"
    settings.SECRETARIAT_EMAIL = "secretariat@asa.example.org"
    yield sink
    controller.stop()
