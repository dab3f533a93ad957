"""The reads of a person's own page. Each is one query whatever the number of rows (the
lists are capped at LIMIT; the page links to the full lists), so /me/ costs the same for
one meeting or practice as for two hundred."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts import permissions
from accounts.models import User
from meetings.models import Attendance, Meeting
from notifications.models import Notification
from practices.models import Practice

# Rows shown per list; one more is read to know whether to say "more".
LIMIT = 20

# A representative's practices by state, in the order they call for action.
PRACTICE_STATES = [
    (Practice.Status.RETURNED, _("Returned to you for changes")),
    (Practice.Status.DRAFT, _("Drafts, not yet submitted")),
    (Practice.Status.SUBMITTED, _("In review by the secretariat")),
    (Practice.Status.PUBLISHED, pgettext_lazy("practices, as a heading", "Published")),
    (Practice.Status.ARCHIVED, pgettext_lazy("practices, as a heading", "Archived")),
]


@dataclass
class Capped:
    """The first LIMIT rows of a list and whether there are more."""

    rows: list
    more: bool


def _capped(queryset) -> Capped:
    rows = list(queryset[: LIMIT + 1])
    return Capped(rows=rows[:LIMIT], more=len(rows) > LIMIT)


def _invited(user):
    """An invitation is its outbox row: made for everyone of a published meeting's audience
    (at publishing, or when they join it), whatever became of the email."""
    return Exists(
        Notification.objects.filter(
            meeting=OuterRef("pk"), person=user.pk, kind=Notification.Kind.INVITATION
        )
    )


def _upcoming_for(user, now: dt.datetime):
    return (
        Meeting.objects.visible_to(user).announced().upcoming(now).select_related("working_group")
    )


def meetings_answered(user, *, now: dt.datetime | None = None) -> Capped:
    """The person's next meetings that they answered, with their answer (my_answer,
    my_waitlisted)."""
    now = now or timezone.now()
    mine = Attendance.objects.filter(meeting=OuterRef("pk"), user=user.pk)
    return _capped(
        _upcoming_for(user, now)
        .filter(Exists(mine))
        .annotate(
            my_answer=Subquery(mine.values("answer")[:1]),
            my_waitlisted=Subquery(mine.values("waitlisted")[:1]),
        )
    )


def invitations_open(user, *, now: dt.datetime | None = None) -> Capped:
    """Invitations not answered yet whose answers are still taken, the closest deadline
    first."""
    now = now or timezone.now()
    mine = Attendance.objects.filter(meeting=OuterRef("pk"), user=user.pk)
    return _capped(
        _upcoming_for(user, now)
        .published()
        .filter(_invited(user))
        .exclude(Exists(mine))
        .filter(Q(registration_deadline__isnull=True) | Q(registration_deadline__gte=now))
        .annotate(closes_at=Coalesce("registration_deadline", "end"))
        .order_by("closes_at", "start", "pk")
    )


def region_practices(user) -> list[tuple[str, str, list[Practice]]]:
    """(status, heading, practices) of the regions the person represents, by state; empty
    states left out. A region keeps tens of write-ups: the list is not capped."""
    region_ids = permissions.represented_region_ids(user)
    if not region_ids:
        return []
    practices = list(
        Practice.objects.filter(region_id__in=region_ids)
        .select_related("region")
        .order_by("region__name", "title", "pk")
    )
    return [
        (status, heading, [p for p in practices if p.status == status])
        for status, heading in PRACTICE_STATES
        if any(p.status == status for p in practices)
    ]


def review_queue() -> Capped:
    return _capped(
        Practice.objects.awaiting_review().select_related("region").order_by("updated_at", "pk")
    )


def meetings_with_answers(*, now: dt.datetime | None = None) -> Capped:
    """The published meetings ahead with their answer counts and how many people invited
    have not answered (from the invitations, so a conference's whole audience counts)."""
    answered = Attendance.objects.filter(
        meeting=OuterRef("meeting_id"), user=OuterRef("person_id")
    )
    silent = (
        Notification.objects.filter(meeting=OuterRef("pk"), kind=Notification.Kind.INVITATION)
        .exclude(Exists(answered))
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return _capped(
        Meeting.objects.published()
        .upcoming(now or timezone.now())
        .select_related("working_group")
        .with_answer_counts()
        .annotate(not_answered=Coalesce(Subquery(silent), 0))
    )


def failed_emails() -> Capped:
    return _capped(
        Notification.objects.filter(status=Notification.Status.FAILED).select_related(
            "person", "meeting", "practice"
        )
    )


def bouncing_addresses() -> Capped:
    """The people whose address bounced for good (their emails wait, queued, until the
    secretariat corrects or confirms it), the latest first, with the last bounce's status
    and diagnostic and how many emails wait. A closed account is left out: nothing is sent
    to it anyway."""
    bounced = Notification.objects.filter(
        person=OuterRef("pk"), status=Notification.Status.BOUNCED
    ).order_by("-bounced_at", "-pk")
    waiting = (
        Notification.objects.filter(person=OuterRef("pk"), status=Notification.Status.QUEUED)
        .order_by()
        .values("person")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return _capped(
        User.objects.filter(email_bouncing_since__isnull=False, is_active=True)
        .annotate(
            bounce_status=Subquery(bounced.values("bounce_status")[:1]),
            bounce_diagnostic=Subquery(bounced.values("bounce_diagnostic")[:1]),
            waiting=Coalesce(Subquery(waiting), 0),
        )
        .order_by("-email_bouncing_since", "pk")
    )
