"""Registration without an account for an event open to the public (Meeting.
public_registration): the rules behind the public form and its confirmation link.

1. registration_start: the form's details become a Registration waiting for its address
   to be confirmed, and ONE outbox row of kind REGISTRATION_CONFIRM to the address typed,
   in the same transaction. Nothing else happens, whoever owns the address: the page says
   the same to everyone (no enumeration).
2. registration_confirm: the link's token finds the Registration; the person is the
   member (or earlier guest) with that address, else a new guest; their answer goes
   through attendance_answer (seats and the waiting list, members and guests alike), the
   answers to the questions go on the Attendance, the Registration keeps no personal
   detail any more, and one REGISTERED email is queued.

The confirmation link's token is never stored: it is an HMAC (with SECRET_KEY) of a
random nonce that the outbox row keeps, so the worker makes the link again when it
renders the email (as Django's password reset tokens are made, not kept), and the
Registration keeps only the token's SHA-256 to find it. Someone who reads the database
alone can confirm nobody's registration.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
import time
from collections.abc import Mapping
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext

from accounts.models import User, normalise_email
from accounts.services import Refusal, count_in_window
from meetings import invitations
from meetings.models import Attendance, Meeting, Registration
from meetings.questions import question_fields, responses_from
from meetings.services import attendance_answer
from notifications.models import Notification
from notifications.services import notifications_create

CONFIRM_SALT = "meetings.registrations.confirm"

# The Registration's fields that name the person: emptied once it is confirmed.
PERSONAL_FIELDS = {
    "email": "",
    "first_name": "",
    "last_name": "",
    "organisation": "",
    "country": "",
    "responses": {},
}


class RegistrationProblem(Exception):
    """A confirmation link that cannot be followed: `reason` is "invalid" (unknown or
    damaged), "expired" (older than REGISTRATION_CONFIRM_HOURS) or "closed" (the event
    takes no answers: `message` says why, in words the page shows)."""

    def __init__(self, reason: str, message: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.message = message


# -- when registration is possible ----------------------------------------------------


def registration_open(meeting: Meeting) -> bool:
    """Open to the public, public, published and still taking answers."""
    return bool(
        meeting.public_registration
        and meeting.visibility == Meeting.Visibility.PUBLIC
        and meeting.answers_open
    )


def in_person_full(meeting: Meeting) -> bool:
    """Whether every in-person seat is taken (members and guests together), so that an
    in-person registration now joins the waiting list. One query, none without a limit."""
    if meeting.capacity is None or not meeting.is_in_person:
        return False
    seated = meeting.attendances.filter(Attendance.BUCKETS["in_person"]).count()
    return seated >= meeting.capacity


def registration_answer_choices(meeting: Meeting) -> list[tuple[str, str]]:
    """In person and / or online, as the format allows: registering is not declining."""
    return [
        (value, label)
        for value, label in meeting.answer_choices()
        if value != Attendance.Answer.DECLINED
    ]


def confirm_hours() -> dt.timedelta:
    return dt.timedelta(hours=settings.REGISTRATION_CONFIRM_HOURS)


def registration_expired(registration: Registration, now: dt.datetime | None = None) -> bool:
    return (now or timezone.now()) - registration.created_at > confirm_hours()


# -- the answers to the event's questions ---------------------------------------------


def responses_clean(meeting: Meeting, data: Mapping[str, Any]) -> dict:
    """The answers to the meeting's questions in `data` (a form's data, fields named
    question_<pk>), checked as their form fields check them (required, a known option,
    a bounded length) and returned as Attendance.responses stores them. Raises
    ValidationError with the errors by field name."""
    questions = list(meeting.questions.all())
    form = forms.Form(data)
    form.fields.update(question_fields(questions))
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return responses_from(questions, form.cleaned_data)


# -- limits ---------------------------------------------------------------------------


def _digest(value: str) -> str:
    # Keys name no address in the clear (cache servers are shared and inspected).
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def registration_throttle(*, meeting: Meeting, email: str, client: str) -> Refusal | None:
    """Counts a registration and says whether it is over a limit (settings.
    REGISTRATION_LIMITS: requests per window per client, and per address for this
    event). Every address counts alike, known or not, so a refusal tells nothing about
    who has an account. A request refused for the client's limit does not count against
    the address."""
    now = time.time()
    limits = settings.REGISTRATION_LIMITS
    limit, window = limits["client"]
    count, ends = count_in_window(
        key=f"registration:client:{_digest(client)}", window=window, now=now
    )
    if count > limit:
        return Refusal("client", dt.datetime.fromtimestamp(ends, tz=dt.UTC))
    limit, window = limits["email"]
    address = _digest(normalise_email(email))
    count, ends = count_in_window(
        key=f"registration:email:{meeting.pk}:{address}", window=window, now=now
    )
    if count > limit:
        return Refusal("email", dt.datetime.fromtimestamp(ends, tz=dt.UTC))
    return None


# -- the token of the confirmation link -----------------------------------------------


def token_for(nonce: str) -> str:
    digest = salted_hmac(CONFIRM_SALT, nonce, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def confirm_token(row: Notification) -> str:
    """The token of the link in a REGISTRATION_CONFIRM email, made again from its row."""
    return token_for(row.details["nonce"])


# -- 1. the form is sent --------------------------------------------------------------


@transaction.atomic
def registration_start(
    *, meeting: Meeting, data: Mapping[str, Any], language: str
) -> Registration:
    """Keeps a registration from the public form (`data`: the form's cleaned data, the
    answers to the questions as `responses`, cleaned by responses_clean) and queues the
    email that asks to confirm the address, in `language` (the page's).

    Side effects: one Registration and one outbox row REGISTRATION_CONFIRM to the
    address (revision: the registration's id), sent after the commit. Whether the address
    belongs to a member, or is registered already, changes nothing here.
    The returned registration carries its `token` (kept nowhere) for the demo and tests.
    """
    if not registration_open(meeting):
        raise ValidationError(
            meeting.answers_closed_reason or gettext("This event is not open to registration.")
        )
    answer = data.get("answer") or ""
    if answer not in dict(registration_answer_choices(meeting)):
        raise ValidationError(gettext("That answer is not possible for this event's format."))
    nonce = secrets.token_urlsafe(24)
    token = token_for(nonce)
    registration = Registration(
        meeting=meeting,
        email=normalise_email(data["email"]),
        first_name=data.get("first_name", "").strip(),
        last_name=data.get("last_name", "").strip(),
        organisation=data.get("organisation", "").strip(),
        country=data.get("country", ""),
        language=language if language in dict(settings.LANGUAGES) else "en",
        answer=answer,
        responses=dict(data.get("responses") or {}),
        consent_at=timezone.now(),
        token_hash=token_hash(token),
    )
    registration.full_clean()
    registration.save()
    notifications_create(
        rows=[
            Notification(
                meeting=meeting,
                address=registration.email,
                kind=Notification.Kind.REGISTRATION_CONFIRM,
                revision=registration.pk,
                details={"nonce": nonce},
            )
        ]
    )
    registration.token = token
    return registration


# -- 2. the link is followed ----------------------------------------------------------


def registration_find(token: str) -> Registration | None:
    """The registration of a confirmation link, confirmed or not (None if unknown)."""
    if not token or len(token) > 100:
        return None
    return (
        Registration.objects.select_related("meeting", "attendance__user")
        .filter(token_hash=token_hash(token))
        .first()
    )


def registration_problem(registration: Registration | None) -> RegistrationProblem | None:
    """Why this link cannot confirm now (None: it can, or it did already)."""
    if registration is None:
        return RegistrationProblem("invalid")
    if registration.confirmed_at is not None:
        if registration.attendance_id is None:
            return RegistrationProblem("invalid")  # its answer was removed since
        return None
    if registration_expired(registration):
        return RegistrationProblem("expired")
    meeting = registration.meeting
    if not registration_open(meeting):
        return RegistrationProblem(
            "closed",
            meeting.answers_closed_reason
            or gettext("This event is no longer open to registration."),
        )
    return None


@transaction.atomic
def registration_confirm(*, token: str) -> Attendance:
    """Confirms the registration of this link and returns the person's answer.

    Side effects (once; following the link again returns the same answer and changes
    nothing): the person with the registration's address, or a new guest (no password,
    never in an audience) with its details; their answer through attendance_answer (a
    seat, or the waiting list), the answers to the questions stored on it; the
    registration marked confirmed with its personal details emptied; one REGISTERED
    email queued. A member's (or an earlier guest's) own details are never changed by
    what the form said. Raises RegistrationProblem when the link cannot confirm.
    """
    found = registration_find(token)
    # Locked, so that the link followed twice at once confirms once.
    registration = (
        Registration.objects.select_for_update().filter(pk=found.pk).first() if found else None
    )
    problem = registration_problem(registration)
    if problem is not None:
        raise problem
    if registration.confirmed_at is not None:
        return registration.attendance
    person = _person_for(registration)
    try:
        attendance = attendance_answer(
            meeting=registration.meeting, user=person, answer=registration.answer
        )
    except ValidationError as refusal:
        raise RegistrationProblem("closed", " ".join(refusal.messages)) from refusal
    attendance.responses = registration.responses
    attendance.save(update_fields=["responses"])
    for name, empty in PERSONAL_FIELDS.items():
        setattr(registration, name, empty)
    registration.confirmed_at = timezone.now()
    registration.attendance = attendance
    registration.save()
    invitations.registered_queue(attendance=attendance, revision=registration.pk)
    return attendance


def _person_for(registration: Registration) -> User:
    """The person with the registration's address (a member stays that member, their
    details untouched), else a new guest with the registration's details."""
    email = normalise_email(registration.email)
    person = User.objects.filter(email=email).first()
    if person is not None:
        return person
    guest = User(
        email=email,
        first_name=registration.first_name,
        last_name=registration.last_name,
        organisation=registration.organisation,
        country=registration.country,
        language=registration.language,
        is_guest=True,
    )
    guest.set_unusable_password()
    guest.full_clean()
    try:
        # Two registrations of one new address confirmed at once: one guest.
        with transaction.atomic():
            guest.save()
    except IntegrityError:
        return User.objects.get(email=email)
    return guest
