"""A real Celery worker mails ADMINS once per failing task run, over SMTP, and reports it
to Sentry (a Sentry of this test's own on 127.0.0.1: no network)."""

import gzip
import http.server
import threading
import time
from pathlib import Path

import pytest
from celery import Celery

from tests.core.test_celery_worker import start_worker, stop
from tests.smtp_sink import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _broker_from_the_test(monkeypatch):
    # Celery prefers the CELERY_BROKER_URL variable to the broker it is given.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)


@pytest.fixture
def sentry_server():
    """Keeps the body of each envelope posted to it."""
    bodies: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            bodies.append(body.decode(errors="replace"))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], bodies
    server.shutdown()


def test_a_worker_mails_the_admins_once_per_failing_task_run_and_tells_sentry(
    tmp_path, smtp, settings, sentry_server
):
    sentry_port, envelopes = sentry_server
    folder = tmp_path / "broker"
    for name in ("queue", "processed", "control"):
        (folder / name).mkdir(parents=True)
    client = Celery(
        set_as_current=False,
        broker="filesystem://",
        broker_transport_options={
            "data_folder_in": str(folder / "queue"),
            "data_folder_out": str(folder / "queue"),
            "control_folder": str(folder / "control"),
        },
    )
    worker = start_worker(
        {
            "CELERY_BROKER_URL": "filesystem://",
            "CELERY_FILESYSTEM_BROKER_DIR": str(folder),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
            "EMAIL_URL": f"smtp://127.0.0.1:{settings.EMAIL_PORT}",
            "ADMINS": 'Ops <ops@example.org>, "Doe, Jane" <jane@example.org>',
            "SERVER_EMAIL": "Portal errors <errors@example.org>",
            "SENTRY_DSN": f"http://public@127.0.0.1:{sentry_port}/7",
            # The worker's cache is the checkout's, shared with earlier runs of this test:
            # mail every failure, as the test counts them.
            "ERROR_EMAIL_INTERVAL_MINUTES": "0",
        },
        app="tests.core.failing_worker_app",
    )
    try:
        client.send_task("asa_portal.ping")
        client.send_task("tests.fails")
        client.send_task("tests.refused")
        deadline = time.monotonic() + 60
        while len(smtp.received) < 2 or len(envelopes) < 2:
            assert time.monotonic() < deadline, f"Not all reported:\n{stop(worker)}"
            time.sleep(0.2)
        time.sleep(2)  # a third email, or a second about the retried task, would come now
    finally:
        output = stop(worker)
    assert sorted(item.subject for item in smtp.received) == [
        "[ASA Portal] Task tests.fails failed: RuntimeError: The task failed on purpose.",
        "[ASA Portal] Task tests.refused failed: ConnectionError: The service refused again.",
    ], output
    for item in smtp.received:
        assert sorted(item.envelope_to) == ["jane@example.org", "ops@example.org"]
        assert item.message["From"] == "Portal errors <errors@example.org>"
    assert len(envelopes) == 2
    assert any("The task failed on purpose." in body for body in envelopes)
    assert any("The service refused again." in body for body in envelopes)
