"""Signed tokens for the answer links of invitation emails: a token answers one meeting
for one person, and carries no password-equivalent."""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

# The salt of the links already sent stays: they keep working.
RSVP_SALT = "notifications.rsvp"


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
