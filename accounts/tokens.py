"""Signed tokens for the reminders-off link in emails: it only turns reminders off, and
carries no password-equivalent."""

from __future__ import annotations

from django.core import signing

REMINDERS_OFF_SALT = "notifications.reminders-off"


def reminders_off(person) -> str:
    return signing.dumps(person.pk, salt=REMINDERS_OFF_SALT)


def reminders_off_read(token: str) -> int:
    value = signing.loads(token, salt=REMINDERS_OFF_SALT)
    if not isinstance(value, int):
        raise signing.BadSignature("Unexpected token content.")
    return value
