"""python manage.py receive_mail < message.eml: one message from standard input, as an
MTA's pipe transport hands it over (Postfix's pipe, Exim's pipe)."""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError

from inbound.models import InboundMessage
from inbound.services import KEPT_OF_TOO_LARGE, inbound_receive

CHUNK = 64 * 1024
# sysexits.h: the MTA keeps the message and tries again later.
EX_TEMPFAIL = 75


def read_bounded(stream, limit: int) -> tuple[bytes, int]:
    """At most `limit` bytes of the stream, and its whole size: a larger message is read
    to its end (so the MTA's pipe is not broken) but only its first bytes are kept."""
    kept = bytearray()
    size = 0
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size <= limit:
            kept += chunk
        elif len(kept) < KEPT_OF_TOO_LARGE:
            kept += chunk[: KEPT_OF_TOO_LARGE - len(kept)]
    if size > limit:
        del kept[KEPT_OF_TOO_LARGE:]
    return bytes(kept), size


class Command(BaseCommand):
    help = (
        "Reads one email from standard input (an MTA's pipe transport) and handles it: "
        "calendar replies become answers, delivery reports mark bounces, the rest goes on "
        "to the secretariat. Exits 0 once the message is handled or kept, 75 (try again) "
        "when it could not be kept."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser) -> None:
        parser.add_argument("--sender", default="", help="The envelope sender (${sender}).")
        parser.add_argument(
            "--recipient",
            action="append",
            default=[],
            help="An envelope recipient (${recipient}); may be given more than once.",
        )

    def handle(self, *args, **options) -> None:
        stream = options.get("stdin") or sys.stdin.buffer
        raw, size = read_bounded(stream, settings.INBOUND_MAX_BYTES)
        try:
            row = inbound_receive(
                raw=raw,
                size=size,
                via=InboundMessage.Via.PIPE,
                envelope_from=options["sender"],
                envelope_to=options["recipient"],
            )
        except DatabaseError as error:
            self.stderr.write(f"Not kept, try again later: {error}")
            sys.exit(EX_TEMPFAIL)
        self.stdout.write(f"Kept as #{row.pk}: {row.get_outcome_display()}.")
