"""The raw bytes of an email received go 90 days (RETENTION_INBOUND_RAW_DAYS) after it
came; the row stays with what was done with it."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from inbound.models import InboundMessage
from inbound.services import inbound_forward, inbound_handle, inbound_raw_remove
from tests.adminpages import changelist_action
from tests.inbound.conftest import mime

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)
NINETY_DAYS = dt.timedelta(days=90)
Outcome = InboundMessage.Outcome
LIST = reverse("admin:inbound_inboundmessage_changelist")


RAW = b"Subject: Accepted: WG4 meeting\r\n\r\nSee you there.\r\n"


def received_at(when: dt.datetime, raw: bytes = RAW, **fields) -> InboundMessage:
    row = {
        "via": "pipe",
        "raw": raw,
        "size": len(raw),
        "digest": "d" * 64,
        "from_address": "member@example.org",
        "subject": "Accepted: WG4 meeting",
        "kind": InboundMessage.Kind.REPLY,
        "outcome": Outcome.APPLIED,
        "detail": "Answer recorded: in person.",
    }
    with time_machine.travel(when, tick=False):
        return InboundMessage.objects.create(**{**row, **fields})


def raw_of(row: InboundMessage) -> bytes:
    row.refresh_from_db()
    return bytes(row.raw)


def test_the_raw_bytes_of_a_message_received_just_over_90_days_ago_are_removed():
    old = received_at(NOW - NINETY_DAYS - MINUTE)
    assert inbound_raw_remove(now=NOW) == 1
    assert raw_of(old) == b""
    assert old.raw_removed_at == NOW


def test_what_was_done_with_a_message_stays_when_its_raw_bytes_go():
    old = received_at(NOW - NINETY_DAYS - MINUTE, envelope_from="member@example.org")
    inbound_raw_remove(now=NOW)
    old.refresh_from_db()
    assert (old.from_address, old.envelope_from, old.subject) == (
        "member@example.org",
        "member@example.org",
        "Accepted: WG4 meeting",
    )
    assert (old.kind, old.outcome, old.detail) == (
        "reply",
        "applied",
        "Answer recorded: in person.",
    )
    assert (old.size, old.digest) == (len(RAW), "d" * 64)
    assert old.received_at == NOW - NINETY_DAYS - MINUTE


def test_a_message_received_just_under_90_days_ago_is_kept_whole():
    old = received_at(NOW - NINETY_DAYS - MINUTE)
    recent = received_at(NOW - NINETY_DAYS + MINUTE)
    assert inbound_raw_remove(now=NOW) == 1
    assert raw_of(recent) == RAW
    assert recent.raw_removed_at is None
    assert raw_of(old) == b""


def test_the_period_is_retention_inbound_raw_days(settings):
    settings.RETENTION_INBOUND_RAW_DAYS = 7
    week_old = received_at(NOW - dt.timedelta(days=8))
    days_old = received_at(NOW - dt.timedelta(days=6))
    assert inbound_raw_remove(now=NOW) == 1
    assert raw_of(week_old) == b""
    assert raw_of(days_old) == RAW


def test_raw_bytes_removed_once_are_not_removed_again():
    received_at(NOW - NINETY_DAYS - MINUTE)
    inbound_raw_remove(now=NOW)
    later = NOW + dt.timedelta(days=1)
    assert inbound_raw_remove(now=later) == 0
    assert InboundMessage.objects.get().raw_removed_at == NOW


def test_a_message_whose_raw_bytes_went_is_not_handled_again():
    failed = received_at(
        NOW - NINETY_DAYS - MINUTE,
        raw=mime("outlook_accept.eml"),
        outcome=Outcome.ERROR,
        detail="OperationalError: database is locked",
    )
    inbound_raw_remove(now=NOW)
    failed.refresh_from_db()
    inbound_handle(message=failed)
    failed.refresh_from_db()
    assert (failed.outcome, failed.detail) == (
        Outcome.ERROR,
        "OperationalError: database is locked",
    )


def test_a_message_whose_raw_bytes_went_is_not_passed_on(mailoutbox):
    kept = received_at(NOW - NINETY_DAYS - MINUTE, outcome=Outcome.FORWARDED)
    inbound_raw_remove(now=NOW)
    assert inbound_forward(message_id=kept.pk) is False
    assert mailoutbox == []


def test_the_admin_says_when_the_raw_bytes_went(django_app, secretariat):
    old = received_at(NOW - NINETY_DAYS - MINUTE)
    inbound_raw_remove(now=NOW)
    page = django_app.get(
        reverse("admin:inbound_inboundmessage_change", args=[old.pk]), user=secretariat
    )
    assert "Removed on 1 Jun 2026: messages as received are kept for 90 days" in page.text
    assert "email-source" not in page.text


def test_the_admin_does_not_handle_again_a_message_whose_raw_bytes_went(django_app, secretariat):
    failed = received_at(
        NOW - NINETY_DAYS - MINUTE, raw=mime("outlook_accept.eml"), outcome=Outcome.ERROR
    )
    inbound_raw_remove(now=NOW)
    done = changelist_action(django_app, LIST, "handle_again", [failed], secretariat).follow()
    assert "0 messages handled again" in done.text
