"""Signed tokens for links in emails, and the signed names of an email's row in its
Message-ID and its envelope sender. They carry no password-equivalent: an answer token
answers one meeting for one person, a reminders token only turns reminders off, a
bounce address only lets a delivery report mark the one email it names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

RSVP_SALT = "notifications.rsvp"
REMINDERS_OFF_SALT = "notifications.reminders-off"
MESSAGE_ID_SALT = "notifications.message-id"
BOUNCE_SALT = "notifications.bounce"
# Hex digits of the HMAC kept: 80 bits, beyond guessing by sending reports.
SIGNATURE_LENGTH = 20


@dataclass(frozen=True)
class Answer:
    meeting_id: int
    person_id: int
    answer: str


def rsvp(meeting, person, answer: str) -> str:
    return signing.dumps([meeting.pk, person.pk, answer], salt=RSVP_SALT)


def rsvp_read(token: str) -> Answer:
    """Raises signing.BadSignature for a forged or damaged token."""
    value = signing.loads(token, salt=RSVP_SALT)
    if not (isinstance(value, list) and len(value) == 3):
        raise signing.BadSignature("Unexpected token content.")
    meeting_id, person_id, answer = value
    if not isinstance(meeting_id, int) or not isinstance(person_id, int):
        raise signing.BadSignature("Unexpected token content.")
    return Answer(meeting_id=meeting_id, person_id=person_id, answer=str(answer))


def reminders_off(person) -> str:
    return signing.dumps(person.pk, salt=REMINDERS_OFF_SALT)


def reminders_off_read(token: str) -> int:
    value = signing.loads(token, salt=REMINDERS_OFF_SALT)
    if not isinstance(value, int):
        raise signing.BadSignature("Unexpected token content.")
    return value


def _signature(salt: str, row_id: int) -> str:
    return salted_hmac(salt, str(row_id), algorithm="sha256").hexdigest()[:SIGNATURE_LENGTH]


def _verified(salt: str, row_id: str, signature: str) -> int | None:
    if constant_time_compare(_signature(salt, int(row_id)), signature.lower()):
        return int(row_id)
    return None


def _site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def message_id(row_id: int) -> str:
    """`<notification-<id>.<signature>@host>`: the same for every send of the row (a copy
    sent again after a crash is recognisable), and not guessable from the id."""
    return f"<notification-{row_id}.{_signature(MESSAGE_ID_SALT, row_id)}@{_site_host()}>"


def message_id_row(value: str) -> int | None:
    """The row a Message-ID of ours names, if its signature verifies; else None."""
    match = re.fullmatch(r"<notification-(\d{1,18})\.([0-9a-fA-F]+)@([^<>\s]+)>", value.strip())
    if match is None or match.group(3).lower() != _site_host().lower():
        return None
    return _verified(MESSAGE_ID_SALT, match.group(1), match.group(2))


def bounce_base() -> tuple[str, str]:
    """BOUNCE_ADDRESS as (local part, domain); by default bounces@ the domain of
    DEFAULT_FROM_EMAIL."""
    address = settings.BOUNCE_ADDRESS or (
        "bounces@" + parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
    )
    local, _, domain = address.rpartition("@")
    return local, domain


def bounce_address(row_id: int) -> str:
    """The envelope sender of the row's email (VERP): `bounces+<id>-<signature>@domain`.
    Delivery reports come back to it, and it proves which email they answer."""
    local, domain = bounce_base()
    return f"{local}+{row_id}-{_signature(BOUNCE_SALT, row_id)}@{domain}"


def bounce_address_row(address: str) -> int | None:
    """The row a bounce address names, if it is ours and its signature verifies; else
    None. The local part and domain are compared without regard to case, as MTAs may
    change it."""
    local, domain = bounce_base()
    match = re.fullmatch(
        re.escape(local) + r"\+(\d{1,18})-([0-9a-fA-F]+)@" + re.escape(domain),
        address.strip().strip("<>"),
        re.IGNORECASE,
    )
    if match is None:
        return None
    return _verified(BOUNCE_SALT, match.group(1), match.group(2))
