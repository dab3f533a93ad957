"""mail_gateway's server: LMTP (RFC 2033) with aiosmtpd, handing each message to the same
inbound_receive as receive_mail.

LMTP answers once per recipient after the data (RFC 2033 4.2); one message to several of
our addresses is kept and handled once. The size cap is announced in LHLO (SIZE), so an
MTA that knows the size does not send a larger message at all; one that sends it anyway
is answered 552 while aiosmtpd drops the data as it arrives, and the refusal is kept.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from django.conf import settings
from django.db import connections

from inbound.models import InboundMessage

logger = logging.getLogger(__name__)


def _receive(raw: bytes, envelope_from: str, envelope_to: list[str]) -> int:
    from inbound.services import inbound_receive

    try:
        return inbound_receive(
            raw=raw,
            via=InboundMessage.Via.LMTP,
            envelope_from=envelope_from,
            envelope_to=envelope_to,
        ).pk
    finally:
        connections.close_all()


def _refused_too_large(envelope_from: str, envelope_to: list[str]) -> None:
    from inbound.services import inbound_receive

    try:
        # Nothing of the data is left: aiosmtpd dropped it as it came.
        inbound_receive(
            raw=b"",
            size=settings.INBOUND_MAX_BYTES + 1,
            via=InboundMessage.Via.LMTP,
            envelope_from=envelope_from,
            envelope_to=envelope_to,
        )
    finally:
        connections.close_all()


# Messages handled at the same time, each in a thread with its own database connection
# (opened for the message, closed after it): one slow message (a huge one being read, a
# row locked elsewhere) does not hold up the replies that come behind it.
THREADS = 4


class Handler:
    def __init__(self) -> None:
        self.database = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="lmtp")

    async def in_database_thread(self, function, *args):
        return await asyncio.get_running_loop().run_in_executor(self.database, function, *args)

    def close(self) -> None:
        self.database.shutdown()

    async def handle_DATA(self, server, session, envelope) -> str:
        envelope.handled = True
        recipients = list(envelope.rcpt_tos)
        try:
            pk = await self.in_database_thread(
                _receive, envelope.original_content, envelope.mail_from or "", recipients
            )
        except Exception:
            # Not kept (the database is down): the MTA keeps it and tries again.
            logger.exception("An LMTP message could not be kept")
            return "\r\n".join(["451 4.3.0 Not kept, try again later"] * len(recipients))
        return "\r\n".join([f"250 2.0.0 Kept as #{pk}"] * len(recipients))


class _UnendedLine:
    """The connection's reader, as aiosmtpd reads it. A DATA line longer than the line
    limit makes aiosmtpd refuse the message, but only at its end: until then it keeps every
    piece of that line, so bytes that never end a line would grow the gateway without
    bound. Here the pieces past the line limit are dropped (aiosmtpd keeps nothing of a
    refused message anyway), and a line longer than the size cap ends the connection."""

    def __init__(self, reader, server: _LMTP) -> None:
        self.reader = reader
        self.server = server
        self.unended = 0

    def __getattr__(self, name: str):
        return getattr(self.reader, name)

    async def readuntil(self, separator: bytes = b"\n") -> bytes:
        line = await self.reader.readuntil(separator)
        self.unended = 0
        return line

    async def readline(self) -> bytes:
        line = await self.reader.readline()
        self.unended = 0
        return line

    async def read(self, n: int = -1) -> bytes:
        piece = await self.reader.read(n)
        self.unended += len(piece)
        if self.unended > (self.server.data_size_limit or 0):
            logger.warning("LMTP: a line longer than %s bytes, connection closed", self.unended)
            await self.server.push("500 5.5.2 Line too long, closing the connection")
            self.server.transport.close()
        return piece if self.unended <= self.server.line_length_limit else b""


class _LMTP(LMTP):
    # aiosmtpd's limits, written out: 998 octets and CRLF a line (RFC 5321 4.5.3.1.6) and
    # a dot-stuffing dot, 512 a command (4.5.3.1.4); the data's is the size cap.
    line_length_limit = 1001
    command_size_limit = 512

    def _cb_client_connected(self, reader, writer) -> None:
        super()._cb_client_connected(_UnendedLine(reader, self), writer)

    async def smtp_DATA(self, arg: str) -> None:
        envelope = self.envelope
        answers: list[str] = []
        push = self.push

        async def noting(status):
            answers.append(status if isinstance(status, str) else status.decode())
            await push(status)

        # Only a refusal for size is noted: another one (a line over 998 octets) means
        # the MTA keeps the message and says why; it never was too large.
        self.push = noting
        try:
            await super().smtp_DATA(arg)
        finally:
            del self.push
        refused = (
            envelope is not None
            and envelope is not self.envelope  # the data was read …
            and envelope.rcpt_tos
            and not getattr(envelope, "handled", False)  # … and not handed to us
            and any(answer.startswith("552") for answer in answers)
        )
        if refused:
            try:
                await self.event_handler.in_database_thread(
                    _refused_too_large, envelope.mail_from or "", list(envelope.rcpt_tos)
                )
            except Exception:
                logger.exception("A refused LMTP message could not be noted")


class Gateway(Controller):
    def __init__(self, *, hostname: str = "127.0.0.1", port: int = 8024) -> None:
        super().__init__(
            Handler(),
            hostname=hostname,
            port=port,
            data_size_limit=settings.INBOUND_MAX_BYTES,
            # The MTA has its own limits; ours is the size cap above.
            enable_SMTPUTF8=True,
        )

    def factory(self):
        return _LMTP(self.handler, **self.SMTP_kwargs)

    def stop(self, *args, **kwargs) -> None:
        super().stop(*args, **kwargs)
        self.handler.close()
