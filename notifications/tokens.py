"""The signed names of an email's row in its Message-ID and its envelope sender (VERP).
They carry no password-equivalent: a bounce address only lets a delivery report mark the
one email it names, and a Message-ID that is not guessable cannot be forged into one."""

from __future__ import annotations

import re
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

MESSAGE_ID_SALT = "notifications.message-id"
BOUNCE_SALT = "notifications.bounce"
# Hex digits of the HMAC kept: 80 bits, beyond guessing by sending reports.
SIGNATURE_LENGTH = 20


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
