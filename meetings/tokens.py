"""Signed tokens for the links in meeting emails: the answer links of invitations (a token
answers one meeting for one person) and a registration's personal link (its page to see,
change or cancel it). Neither carries a password-equivalent."""

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


# The personal link of a registration (the confirmation email's "see, change or cancel"):
# a salt of its own, so that neither an answer link nor any other signed value opens it.
REGISTRATION_SALT = "meetings.registration"


@dataclass(frozen=True)
class RegistrationLink:
    meeting_id: int
    person_id: int


def registration(attendance) -> str:
    """The token of a person's own registration page. It names the meeting and the person
    (not the answer's row), so that it stays the same whatever they change there."""
    return registration_for(attendance.meeting_id, attendance.user_id)


def registration_for(meeting_id: int, person_id: int) -> str:
    return signing.dumps([meeting_id, person_id], salt=REGISTRATION_SALT)


def registration_read(token: str) -> RegistrationLink:
    """Raises signing.BadSignature for a forged or damaged token."""
    value = signing.loads(token, salt=REGISTRATION_SALT)
    if not (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(part, int) and not isinstance(part, bool) for part in value)
    ):
        raise signing.BadSignature("Unexpected token content.")
    return RegistrationLink(meeting_id=value[0], person_id=value[1])
