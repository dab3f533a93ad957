"""What meetings keep about people who register, and for how long.

- A registration not confirmed within REGISTRATION_CONFIRM_HOURS goes: its
  link has expired, and the address may not even be the person's.
- A guest (User.is_guest) is kept RETENTION_GUEST_DAYS after the end of their last
  event, then their account is closed like any other (accounts.services.account_close:
  their details leave the row, which says "former guest"); their answers (Attendance)
  stay, so the counts of who was seated and who came stay, without their answers to the
  questions. A guest with an event still to come keeps everything.
- A member's answers to an event's questions (dietary needs, accessibility …) are
  emptied the same RETENTION_GUEST_DAYS after the event: they served the event only.
  Their answer itself stays, as the record of who took part.
- A confirmed registration is the trail of a confirmation: it goes with its guest, or,
  for a member, with the answers to the questions.
- Closing an account empties that person's answers to questions and deletes their
  registrations at once (person_forget, one of accounts' CLOSE_PARTS).

The nightly removal calls remove_old_data (MeetingsConfig.remove_old_data).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q

from accounts.models import User
from accounts.services import account_close
from asa_portal.batches import BATCH_SIZE, delete_in_batches, update_in_batches
from meetings.models import Attendance, Registration


def person_forget(user: User) -> None:
    """Empties what meetings hold of a person whose account closes: their answers to the
    events' questions, and their registrations (confirmed ones, and unconfirmed ones
    from their address)."""
    Attendance.objects.filter(user=user).exclude(responses={}).update(responses={})
    Registration.objects.filter(
        Q(attendance__user=user) | Q(email__iexact=user.email, confirmed_at__isnull=True)
    ).delete()


def guest_cutoff(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(days=settings.RETENTION_GUEST_DAYS)


def registrations_unconfirmed_remove(*, now: dt.datetime) -> int:
    since = now - dt.timedelta(hours=settings.REGISTRATION_CONFIRM_HOURS)
    return delete_in_batches(
        Registration.objects.filter(confirmed_at__isnull=True, created_at__lt=since)
    )


def guests_old(*, now: dt.datetime):
    """Guests still with their details whose every event ended RETENTION_GUEST_DAYS ago
    (one who has no answer left counts from when they registered)."""
    cutoff = guest_cutoff(now)
    return (
        User.objects.filter(is_guest=True, closed_at__isnull=True, date_joined__lt=cutoff)
        .exclude(attendances__meeting__end__gte=cutoff)
        .order_by("pk")
    )


def guests_old_remove(*, now: dt.datetime) -> int:
    """Closes the accounts of guests_old, a batch of ids at a time, each in its own
    transaction (account_close)."""
    closed = 0
    while ids := list(guests_old(now=now).values_list("pk", flat=True)[:BATCH_SIZE]):
        for pk in ids:
            closed += account_close(user=User(pk=pk)).closed
    return closed


def responses_old_remove(*, now: dt.datetime) -> int:
    """Empties members' answers to the questions of events that ended
    RETENTION_GUEST_DAYS ago (guests' go with their details, guests_old_remove)."""
    return update_in_batches(
        Attendance.objects.filter(
            meeting__end__lt=guest_cutoff(now), user__is_guest=False
        ).exclude(responses={}),
        responses={},
    )


def registrations_confirmed_old_remove(*, now: dt.datetime) -> int:
    """Members' confirmed registrations of events that ended RETENTION_GUEST_DAYS ago
    (a guest's go when their details do)."""
    return delete_in_batches(
        Registration.objects.filter(
            confirmed_at__isnull=False, meeting__end__lt=guest_cutoff(now)
        ).exclude(attendance__user__is_guest=True)
    )


def remove_old_data(*, now: dt.datetime) -> dict[str, int]:
    return {
        "unconfirmed registrations": registrations_unconfirmed_remove(now=now),
        "guests": guests_old_remove(now=now),
        "answers to questions": responses_old_remove(now=now),
        "confirmed registrations": registrations_confirmed_old_remove(now=now),
    }
