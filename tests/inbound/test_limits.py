"""Messages that would cost too much to read are refused unread, cheaply, and kept."""

import pytest

from inbound.models import InboundMessage
from inbound.services import KEPT_OF_TOO_LARGE
from tests.inbound.conftest import mime

# The Message-ID of outbox row 7001 under the tests' SECRET_KEY (tests/inbound/conftest.py).
OUR_ID = b"<notification-7001.b3c385ef08d54c2fca46@portal.example.org>"

pytestmark = pytest.mark.django_db

Outcome = InboundMessage.Outcome

HEADERS = (
    b"From: Maria Member <member@example.org>\r\n"
    b"To: secretariat@asa.example.org\r\n"
    b"Subject: Slides\r\n"
    b"Message-ID: <big-1@example.org>\r\n"
    b"MIME-Version: 1.0\r\n"
)


def test_a_20_mb_message_is_kept_truncated_and_not_read(deliver):
    line = b"A" * 76 + b"\r\n"
    body = line * (20 * 1024 * 1024 // len(line))
    raw = HEADERS + b"Content-Type: text/plain\r\n\r\n" + body
    row = deliver(raw)
    assert row.outcome == Outcome.REJECTED
    assert row.truncated
    assert row.size == len(raw)
    assert len(bytes(row.raw)) == KEPT_OF_TOO_LARGE
    assert bytes(row.raw).startswith(HEADERS)
    assert "Larger than 10 MB" in row.detail


def test_the_size_cap_comes_from_the_settings(deliver, settings):
    settings.INBOUND_MAX_BYTES = 1000
    row = deliver(HEADERS + b"\r\n" + b"x" * 2000)
    assert row.outcome == Outcome.REJECTED
    assert row.truncated


def nested(depth: int) -> bytes:
    raw = b"Content-Type: text/plain\r\n\r\ninside\r\n"
    for level in range(depth):
        boundary = f"b{level}".encode()
        raw = (
            b'Content-Type: multipart/mixed; boundary="' + boundary + b'"\r\n\r\n'
            b"--" + boundary + b"\r\n" + raw + b"\r\n--" + boundary + b"--\r\n"
        )
    return raw


def test_a_deeply_nested_message_is_refused_unread_and_kept(deliver):
    row = deliver(HEADERS + nested(40))
    assert row.outcome == Outcome.REJECTED
    assert "nested more than 8 deep" in row.detail
    assert bytes(row.raw) == HEADERS + nested(40)


def test_a_message_nested_a_few_levels_is_read(deliver):
    row = deliver(HEADERS + nested(4))
    assert row.outcome == Outcome.FORWARDED


def attachments(count: int, with_type: bool = True) -> bytes:
    parts = b"".join(
        b"--b\r\n"
        + (b"Content-Type: application/pdf\r\n" if with_type else b"")
        + f'Content-Disposition: attachment; filename="{n}.pdf"\r\n\r\n%PDF\r\n'.encode()
        for n in range(count)
    )
    return HEADERS + b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n' + parts + b"--b--\r\n"


def test_a_message_with_hundreds_of_attachments_is_refused_before_it_is_parsed(deliver):
    row = deliver(attachments(500))
    assert row.outcome == Outcome.REJECTED
    assert "more than 100 parts" in row.detail


def test_parts_without_headers_are_counted_too(deliver):
    row = deliver(attachments(3000, with_type=False))
    assert row.outcome == Outcome.REJECTED


@pytest.fixture
def parser_never_runs(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the parser ran")

    monkeypatch.setattr("email.message_from_bytes", refuse)


def test_parts_with_bare_cr_line_ends_are_counted_before_the_parser_runs(
    deliver, parser_never_runs
):
    row = deliver(attachments(500).replace(b"\r\n", b"\r"))
    assert row.outcome == Outcome.REJECTED
    assert row.detail == "Not read: more than 100 parts."


def test_boundaries_with_bare_cr_line_ends_are_counted_before_the_parser_runs(
    deliver, parser_never_runs
):
    row = deliver(attachments(3000, with_type=False).replace(b"\r\n", b"\r"))
    assert row.outcome == Outcome.REJECTED
    assert row.detail == "Not read: too many part boundaries."


def test_a_huge_calendar_part_is_not_given_to_the_calendar_parser(deliver, invitation):
    calendar = b"BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\n" + b"X-PAD:" + b"x" * 300_000 + b"\r\n"
    raw = HEADERS + b"Content-Type: text/calendar; method=REPLY\r\n\r\n" + calendar
    row = deliver(raw)
    assert row.outcome == Outcome.REJECTED
    assert "calendar part larger than 256 KB" in row.detail


def test_a_message_that_is_not_email_at_all_is_kept(deliver):
    row = deliver(b"\x00\xff" * 1000)
    assert row.pk
    assert bytes(row.raw) == b"\x00\xff" * 1000
    assert row.outcome in {Outcome.FORWARDED, Outcome.REJECTED}


def unknown_references(count: int) -> bytes:
    return b" ".join(
        f"<notification-{900000 + n}@portal.example.org>".encode() for n in range(count)
    )


def outlook_reply_with_references(references: bytes) -> bytes:
    return (
        mime("outlook_accept.eml")
        .replace(b"In-Reply-To: " + OUR_ID + b"\r\n", b"")
        .replace(
            b"References: " + OUR_ID,
            b"References: " + references,
        )
    )


def test_a_reply_naming_5000_of_our_message_ids_costs_as_few_queries_as_one_naming_one(
    deliver, invitation, django_assert_max_num_queries
):
    raw = outlook_reply_with_references(unknown_references(5000) + b" " + OUR_ID)
    with django_assert_max_num_queries(31):
        row = deliver(raw)
    assert row.outcome == Outcome.APPLIED
    assert row.notification == invitation  # the last id named is the email answered


def test_a_reply_naming_its_invitation_before_ten_other_ids_is_still_applied_to_it(
    deliver, invitation
):
    raw = outlook_reply_with_references(OUR_ID + b" " + unknown_references(10))
    row = deliver(raw)
    assert row.outcome == Outcome.APPLIED  # the reply is still read and applied …
    assert row.notification == invitation  # … linked by its invitation, not by References


def test_a_delivery_report_naming_50000_message_ids_costs_a_few_queries(
    deliver, invitation, django_assert_max_num_queries
):
    ids = unknown_references(50000)
    raw = mime("postfix_bounce_5xx.eml").replace(
        b"Message-ID: " + OUR_ID,
        b"Message-ID: " + ids,
    )
    with django_assert_max_num_queries(9):
        row = deliver(raw)
    assert row.kind == InboundMessage.Kind.BOUNCE
