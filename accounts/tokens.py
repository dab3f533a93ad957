"""Signed tokens for the unsubscribe links in emails: each only turns one kind of email
off for one person, and carries no password-equivalent."""

from __future__ import annotations

from django.core import signing

REMINDERS_OFF_SALT = "notifications.reminders-off"
MEETING_EMAILS_OFF_SALT = "accounts.meeting-emails-off"


def reminders_off(person) -> str:
    return signing.dumps(person.pk, salt=REMINDERS_OFF_SALT)


def reminders_off_read(token: str) -> int:
    return _person_id(token, REMINDERS_OFF_SALT)


def meeting_emails_off(person) -> str:
    return signing.dumps(person.pk, salt=MEETING_EMAILS_OFF_SALT)


def meeting_emails_off_read(token: str) -> int:
    return _person_id(token, MEETING_EMAILS_OFF_SALT)


def _person_id(token: str, salt: str) -> int:
    value = signing.loads(token, salt=salt)
    if not isinstance(value, int):
        raise signing.BadSignature("Unexpected token content.")
    return value
