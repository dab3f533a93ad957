"""mail_gateway: a real LMTP server on a free port, spoken to with smtplib's LMTP client
as an MTA delivering over the network would."""

import smtplib
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path

import pytest
from django.db import connection

from inbound import services
from inbound.gateway import Gateway
from inbound.models import InboundMessage
from meetings.models import Attendance
from tests.inbound.conftest import mime
from tests.services import require_postgresql
from tests.smtp_sink import free_port

# The server answers from its own thread, with its own database connection.
pytestmark = pytest.mark.django_db(transaction=True)

Outcome = InboundMessage.Outcome


@pytest.fixture
def gateway():
    port = free_port()
    server = Gateway(hostname="127.0.0.1", port=port)
    server.start()
    yield port
    server.stop()


@pytest.fixture
def lmtp(gateway):
    client = smtplib.LMTP("127.0.0.1", gateway, timeout=30)
    client.ehlo_or_helo_if_needed()
    yield client
    client.close()


def test_a_calendar_reply_delivered_over_lmtp_becomes_the_answer(lmtp, invitation, member):
    refused = lmtp.sendmail(
        "member@example.org", ["secretariat@asa.example.org"], mime("outlook_accept.eml")
    )
    assert refused == {}
    row = InboundMessage.objects.get()
    assert row.via == InboundMessage.Via.LMTP
    assert row.envelope_from == "member@example.org"
    assert row.outcome == Outcome.APPLIED
    assert Attendance.objects.get(user=member).answer == "in_person"


def test_lmtp_answers_once_per_recipient_and_keeps_the_message_once(lmtp, invitation):
    lmtp.mail("")
    lmtp.rcpt("portal@example.org")
    lmtp.rcpt("bounces@example.org")
    code, text = lmtp.data(mime("postfix_bounce_5xx.eml"))
    second = lmtp.getreply()
    assert code == 250 and second[0] == 250
    row = InboundMessage.objects.get()
    assert row.envelope_to == "portal@example.org\nbounces@example.org"
    assert f"#{row.pk}".encode() in text


def test_lmtp_announces_the_size_cap_and_refuses_a_20_mb_message_before_its_data(lmtp):
    assert int(lmtp.esmtp_features["size"]) == 10 * 1024 * 1024
    big = b"Subject: big\r\n\r\n" + (b"A" * 76 + b"\r\n") * 280_000
    with pytest.raises(smtplib.SMTPSenderRefused) as refused:
        lmtp.sendmail("member@example.org", ["secretariat@asa.example.org"], big)
    assert refused.value.smtp_code == 552


def test_a_20_mb_message_sent_without_its_size_is_refused_and_the_refusal_kept(lmtp):
    big = b"Subject: big\r\n\r\n" + (b"A" * 76 + b"\r\n") * 280_000
    lmtp.mail("member@example.org")
    lmtp.rcpt("secretariat@asa.example.org")
    code, _ = lmtp.data(big)
    assert code == 552
    lmtp.noop()  # the server is still there, and the refusal was noted before answering
    row = InboundMessage.objects.get()
    assert (row.outcome, row.truncated) == (Outcome.REJECTED, True)
    assert row.envelope_from == "member@example.org"
    assert "nothing of it is kept" in row.detail


def test_a_message_refused_for_a_line_too_long_is_not_noted_as_too_large(lmtp):
    lmtp.mail("member@example.org")
    lmtp.rcpt("secretariat@asa.example.org")
    code, _ = lmtp.data(b"Subject: long line\r\n\r\n" + b"A" * 2000 + b"\r\n")
    assert code == 500
    lmtp.noop()
    assert not InboundMessage.objects.exists()


def test_a_slow_message_does_not_hold_up_a_reply_that_comes_after_it(
    gateway, invitation, member, monkeypatch
):
    receive = services.inbound_receive
    reply_kept = threading.Event()
    waited = []

    def slowly(*, raw, **kwargs):
        if b"Subject: slow" in raw:
            # Held until the reply behind it is kept (or 10 s, if it waits behind this one).
            waited.append(reply_kept.wait(timeout=10))
        row = receive(raw=raw, **kwargs)
        if b"Accepted" in raw:
            reply_kept.set()
        return row

    monkeypatch.setattr(services, "inbound_receive", slowly)

    def send_slow():
        with smtplib.LMTP("127.0.0.1", gateway, timeout=30) as client:
            client.sendmail("a@example.net", ["portal@example.org"], b"Subject: slow\r\n\r\nx\r\n")

    slow = threading.Thread(target=send_slow)
    slow.start()
    time.sleep(0.5)  # the slow message is being handled
    with smtplib.LMTP("127.0.0.1", gateway, timeout=30) as client:
        client.sendmail("member@example.org", ["portal@example.org"], mime("outlook_accept.eml"))
    slow.join()
    assert waited == [True]
    assert Attendance.objects.get(user=member).answer == "in_person"
    assert InboundMessage.objects.count() == 2


def start_data(port: int) -> socket.socket:
    """A connection in the middle of DATA, spoken to byte by byte."""
    raw = socket.create_connection(("127.0.0.1", port), timeout=30)
    for command in [b"LHLO mta.example.net", b"MAIL FROM:<a@example.net>", b"RCPT TO:<p@x.org>"]:
        raw.sendall(command + b"\r\n")
    raw.sendall(b"DATA\r\n")
    seen = b""
    while b"354" not in seen:
        seen += raw.recv(4096)
    return raw


def test_a_line_of_5_mb_is_refused_without_being_held_in_memory(gateway):
    raw = start_data(gateway)
    tracemalloc.start()
    try:
        for _ in range(5 * 16):
            raw.sendall(b"A" * 64 * 1024)
        raw.sendall(b"\r\n.\r\n")
        answer = raw.recv(4096)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        raw.close()
    assert answer.startswith(b"500")
    assert peak < 2 * 1024 * 1024
    assert not InboundMessage.objects.exists()


def test_a_line_longer_than_the_size_cap_ends_the_connection(gateway):
    raw = start_data(gateway)
    sent = 0
    with pytest.raises(OSError):  # the server closed the connection
        while sent < 50 * 1024 * 1024:
            raw.sendall(b"A" * 64 * 1024)
            sent += 64 * 1024
    raw.close()
    assert 10 * 1024 * 1024 < sent < 30 * 1024 * 1024  # the cap, and what buffers held


@pytest.mark.slow  # migrating a fresh database takes half a minute
def test_the_command_serves_lmtp_until_stopped(tmp_path):
    """The real command, in its own process, on its own SQLite database."""
    root = Path(__file__).resolve().parents[2]
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'gateway.sqlite3'}",
        "PATH": "/usr/bin:/bin",
        "CELERY_BROKER_URL": "memory://",
    }
    manage = [sys.executable, str(root / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=root, check=True, timeout=300)
    port = free_port()
    server = subprocess.Popen(
        [*manage, "mail_gateway", "--port", str(port)],
        env=env,
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(100):
            try:
                client = smtplib.LMTP("127.0.0.1", port, timeout=10)
                break
            except ConnectionRefusedError:
                time.sleep(0.1)
        client.sendmail("member@example.org", ["portal@example.org"], mime("human.eml"))
        client.quit()
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert server.returncode == 0, output
    assert f"LMTP on 127.0.0.1:{port}".encode() in output
    with sqlite3.connect(tmp_path / "gateway.sqlite3") as database:
        kept = database.execute("SELECT via, outcome FROM inbound_inboundmessage").fetchall()
    assert kept == [("lmtp", "forwarded")]


def test_the_gateway_leaves_no_database_connection_open_after_a_message(invitation):
    require_postgresql()
    others = (
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    with connection.cursor() as cursor:
        cursor.execute(others)
        before = cursor.fetchone()[0]
    port = free_port()
    server = Gateway(hostname="127.0.0.1", port=port)
    server.start()
    try:
        with smtplib.LMTP("127.0.0.1", port, timeout=30) as client:
            client.sendmail(
                "member@example.org", ["secretariat@asa.example.org"], mime("outlook_accept.eml")
            )
        assert InboundMessage.objects.get().outcome == Outcome.APPLIED
        with connection.cursor() as cursor:
            cursor.execute(others)
            assert cursor.fetchone()[0] == before
    finally:
        server.stop()
