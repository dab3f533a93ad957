"""python manage.py mail_gateway --port N: an LMTP server (RFC 2033) for an MTA that
delivers over the network; each message takes the same path as receive_mail's."""

from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand

from inbound.gateway import Gateway


class Command(BaseCommand):
    help = "Serves LMTP for email that comes back (answers, bounces) until stopped."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, required=True)
        parser.add_argument(
            "--host", default="127.0.0.1", help="Where to listen (default 127.0.0.1)."
        )

    def handle(self, *args, **options) -> None:
        gateway = Gateway(hostname=options["host"], port=options["port"])
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        gateway.start()
        self.stdout.write(f"LMTP on {options['host']}:{options['port']}; Ctrl-C stops it.")
        self.stdout.flush()
        try:
            stop.wait()
        finally:
            gateway.stop()
