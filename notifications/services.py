"""The outbox's rules: how rows are created, handed to Celery, sent and retried.

Exactly once, by design:
- a row is created in the same transaction as the change that causes it, and the unique
  constraint on (subject, person, kind, revision) means a second one cannot exist;
- rows due now are handed to Celery with `transaction.on_commit`; rows due later
  (reminders, retries) are found by the beat sweep over the indexed `due_at`, never
  queued ahead as ETA tasks;
- a worker claims rows (select_for_update(skip_locked=True), then a short lease), sends
  each as a Django email through the configured backend, one connection for the batch,
  and marks it sent (committed) before the next one goes, so a killed worker resends at
  most the message the SMTP server had accepted when it died (same Message-ID);
- a refused send is put back with a growing delay and counted; after MAX_ATTEMPTS it is
  failed, with the SMTP error kept for the delivery log.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError as KombuOperationalError

from notifications.models import Notification, ReminderTime

logger = logging.getLogger(__name__)

BATCH_SIZE = 250
MAX_ATTEMPTS = 6
# Handed to the broker but still queued after this long: the broker lost it (it was down,
# a worker was killed before acknowledging): the sweep hands it again.
STALE_AFTER = dt.timedelta(minutes=5)
# How long a worker owns the rows it claimed; a killed worker's rows come back after it.
LEASE = dt.timedelta(minutes=10)
SWEEP_LIMIT = 5000
# Each makes one row per person to remind: a sweep's work stays bounded.
REMINDER_TIMES_PER_SWEEP = 20

Status = Notification.Status


def retry_delay(attempts: int) -> dt.timedelta:
    """1, 2, 4, 8 … minutes after the first, second, third … refused attempt; at most 1 h."""
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def _chunks(ids: Sequence[int], size: int = BATCH_SIZE) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def _hand_to_celery(ids: Sequence[int]) -> None:
    """After the commit, one task per batch of ids."""
    for chunk in _chunks(ids):
        transaction.on_commit(lambda chunk=chunk: _send_later(chunk))


def _send_later(ids: list[int]) -> None:
    """Queues one batch. A broker that is down (or the no-server broker's folders not made
    yet) must not turn a committed change into an error page: the rows are saved, and the
    sweep hands them on once the broker is back."""
    from notifications.tasks import notifications_send

    try:
        notifications_send.delay(ids)
    except (KombuOperationalError, OSError) as error:
        logger.warning(
            "The broker did not take %s email(s) (%s); the sweep will hand them on.",
            len(ids),
            error,
        )


def notifications_create(*, rows: Iterable[Notification]) -> list[Notification]:
    """Saves new outbox rows in the caller's transaction; those due now go to Celery after
    the commit, the others wait for the sweep. Returns the rows created.

    The caller leaves out rows that exist (it knows its subject); the unique constraints
    refuse any that slip through, so nothing is ever sent twice.
    """
    rows = list(rows)
    now = timezone.now()
    for row in rows:
        if row.due_at <= now:
            row.queued_at = now
    created = Notification.objects.bulk_create(rows, batch_size=1000)
    _hand_to_celery([row.pk for row in created if row.queued_at is not None])
    return created


def notifications_deliver(*, ids: Sequence[int]) -> dict[str, int]:
    """Sends the given rows that are queued, due and not claimed by another worker.

    Returns counts: sent, retry (refused, put back for later), failed, skipped. Idempotent:
    a row already sent, claimed or gone is left alone.
    """
    from notifications.messages import Composer, NotApplicable

    now = timezone.now()
    with transaction.atomic():
        claimed = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk__in=list(ids), status=Status.QUEUED, due_at__lte=now)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .exclude(person_id__in=_bouncing_people())
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=claimed).update(claimed_until=now + LEASE)
    counts = dict.fromkeys(["sent", "retry", "failed", "skipped"], 0)
    if not claimed:
        return counts
    rows = list(
        Notification.objects.filter(pk__in=claimed)
        .select_related("person", "meeting__working_group", "practice__region")
        .order_by("meeting_id", "practice_id", "pk")
    )
    composer = Composer()
    connection = get_connection(fail_silently=False)
    # Send only while the lease holds for one more message: once it ends, the sweep may
    # hand these rows to another worker, and both would send them. (At most half the
    # lease is kept back, so that a long EMAIL_TIMEOUT cannot stop every send.)
    margin = min(dt.timedelta(seconds=settings.EMAIL_TIMEOUT or 60), LEASE / 2)
    last_start = now + LEASE - margin
    try:
        for row in rows:
            if timezone.now() > last_start:
                _release(claimed)
                break
            try:
                message = composer.build(row, connection=connection)
            except NotApplicable as reason:
                _finish(row, status=Status.SKIPPED, error=str(reason))
                counts["skipped"] += 1
                continue
            try:
                connection.open()  # once a batch: open already, it does nothing
                connection.send_messages([message])
            except (smtplib.SMTPException, OSError) as error:
                counts[_refused(row, error)] += 1
                connection.close()  # a broken conversation: start a new one for the next
                if _server_unreachable(error):
                    # A server that is down or silent fails every message the same way:
                    # one wait of EMAIL_TIMEOUT per batch, not per message, and the rest
                    # goes back to the sweep (no attempt counted) before its lease ends.
                    row.refresh_from_db(fields=["due_at"])
                    _release(claimed, due_at=row.due_at)
                    break
                continue
            # Marked (and committed) before the next message goes: a killed worker
            # resends at most the one message the server had accepted when it died.
            _finish(row, status=Status.SENT)
            counts["sent"] += 1
    finally:
        connection.close()
    return counts


def _bouncing_people():
    """Emails to an address that bounced for good wait, queued, until the secretariat
    corrects it (inbound/); the next sweep then hands them on."""
    from accounts.models import User

    return User.objects.filter(email_bouncing_since__isnull=False).values("pk")


def _finish(row: Notification, *, status: str, error: str = "") -> None:
    now = timezone.now()
    # A refusal before the send that worked stays in the log (error is empty then).
    Notification.objects.filter(pk=row.pk, status=Status.QUEUED).update(
        status=status,
        sent_at=now if status == Status.SENT else None,
        attempts=F("attempts") + (1 if status == Status.SENT else 0),
        last_error=error or F("last_error"),
        claimed_until=None,
    )


def _server_unreachable(error: Exception) -> bool:
    """Refused, timed out or hung up: not about one message, about the server."""
    if isinstance(error, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return True
    return isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)


def _release(claimed: list[int], *, due_at: dt.datetime | None = None) -> None:
    """Gives back the batch's rows not tried yet, without counting an attempt: the sweep
    hands them on (when `due_at` comes, if given)."""
    fields = {"claimed_until": None, "queued_at": None}
    if due_at is not None:
        fields["due_at"] = due_at
    Notification.objects.filter(
        pk__in=claimed, status=Status.QUEUED, claimed_until__isnull=False
    ).update(**fields)


def _refused(row: Notification, error: Exception) -> str:
    """Counts a refused attempt: back in the queue after a delay, or failed at the last."""
    attempts = row.attempts + 1
    failed = attempts >= MAX_ATTEMPTS
    text = _describe(error)
    logger.warning("Notification %s refused (attempt %s): %s", row.pk, attempts, text)
    Notification.objects.filter(pk=row.pk, status=Status.QUEUED).update(
        status=Status.FAILED if failed else Status.QUEUED,
        attempts=attempts,
        last_error=text,
        due_at=timezone.now() + retry_delay(attempts),
        queued_at=None,  # the sweep hands it to Celery when it is due again
        claimed_until=None,
    )
    return "failed" if failed else "retry"


def _describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{address}: {code} {message.decode(errors='replace')}"
            for address, (code, message) in error.recipients.items()
        )
    if isinstance(error, smtplib.SMTPResponseException):
        message = error.smtp_error
        if isinstance(message, bytes):
            message = message.decode(errors="replace")
        return f"{error.smtp_code} {message}"
    return f"{type(error).__name__}: {error}"


def notifications_sweep(*, now: dt.datetime | None = None) -> int:
    """The beat task's work, every minute: makes the rows of the reminders that fell due,
    hands Celery every queued row whose time has come (retries) and every row handed
    before that stayed queued too long (the broker was down, a worker was killed).
    Returns how many rows it handed.

    Two sweeps at once hand each row once: reminder times and rows are locked
    (skip_locked) and stamped in one transaction (one, for a cheap sweep: a few queries
    when nothing is due).
    """
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(status=Status.QUEUED, due_at__lte=now)
            .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - STALE_AFTER))
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .exclude(person_id__in=_bouncing_people())
            .order_by("due_at", "pk")
            .values_list("pk", flat=True)[:SWEEP_LIMIT]
        )
        if ids:
            Notification.objects.filter(pk__in=ids).update(queued_at=now)
            _hand_to_celery(ids)
        return len(ids) + _reminders_make_due(now)


def _reminders_make_due(now: dt.datetime) -> int:
    """Makes (and hands on) one reminder row per person to remind, for each reminder time
    that has come: those invited, except who declined or turned reminders off and who
    has this reminder already. Nothing for a meeting no longer published or started.
    Runs in the sweep's transaction."""
    from meetings.models import Meeting

    times = list(
        ReminderTime.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(done_at__isnull=True, due_at__lte=now)
        .select_related("meeting")
        .order_by("due_at", "pk")[:REMINDER_TIMES_PER_SWEEP]
    )
    rows = []
    for time in times:
        meeting = time.meeting
        if meeting.status == Meeting.Status.PUBLISHED and meeting.start > now:
            rows += _reminder_rows(meeting, time.hours, time.due_at)
    ReminderTime.objects.filter(pk__in=[time.pk for time in times]).update(done_at=now)
    return len(notifications_create(rows=rows))


def _reminder_rows(meeting, hours: int, due: dt.datetime) -> list[Notification]:
    from meetings.models import Attendance

    Kind = Notification.Kind
    invited = Notification.objects.filter(meeting=meeting, kind=Kind.INVITATION).exclude(
        status=Status.SKIPPED
    )
    reminded = Notification.objects.filter(meeting=meeting, kind=Kind.REMINDER, revision=hours)
    declined = meeting.attendances.filter(answer=Attendance.Answer.DECLINED)
    people = (
        invited.filter(person__is_active=True, person__meeting_reminders=True)
        .exclude(person__in=declined.values("user_id"))
        .exclude(person__in=reminded.values("person_id"))
        .values_list("person_id", flat=True)
    )
    return [
        Notification(meeting=meeting, person_id=pk, kind=Kind.REMINDER, revision=hours, due_at=due)
        for pk in people
    ]


@transaction.atomic
def notifications_resend(*, ids: Iterable[int]) -> int:
    """The delivery log's action: failed rows go back to the queue with fresh attempts."""
    now = timezone.now()
    failed = list(
        Notification.objects.filter(pk__in=list(ids), status=Status.FAILED).values_list(
            "pk", flat=True
        )
    )
    Notification.objects.filter(pk__in=failed).update(
        status=Status.QUEUED, attempts=0, due_at=now, queued_at=now, claimed_until=None
    )
    _hand_to_celery(failed)
    return len(failed)


# -- meetings ---------------------------------------------------------------------------


def _invited_ids(meeting) -> set[int]:
    return set(
        Notification.objects.filter(
            meeting=meeting, kind=Notification.Kind.INVITATION
        ).values_list("person_id", flat=True)
    )


def _declined_ids(meeting) -> set[int]:
    from meetings.models import Attendance

    return set(
        Attendance.objects.filter(meeting=meeting, answer=Attendance.Answer.DECLINED).values_list(
            "user_id", flat=True
        )
    )


def meeting_invitations_queue(*, meeting) -> int:
    """Invites everyone of the published meeting's audience who has no invitation yet, and
    brings the reminders in line with the meeting. Called at publishing and on each save
    of a published meeting; nobody is invited twice. Returns how many were invited."""
    from meetings.services import meeting_audience

    people = meeting_audience(meeting=meeting).values_list("pk", flat=True)
    count = invitations_queue(meetings=[meeting], people_ids=people)
    meeting_reminders_plan(meeting=meeting)
    return count


def invitations_queue(*, meetings, people_ids: Iterable[int]) -> int:
    """Invites these people to these meetings, those published and not over, unless they
    were invited before (their reminders are made when each falls due). The few queries
    do not depend on how many meetings or people there are."""
    from accounts.models import User
    from meetings.models import Meeting

    now = timezone.now()
    Kind = Notification.Kind
    meetings = [m for m in meetings if m.status == Meeting.Status.PUBLISHED and m.end > now]
    people_ids = list(people_ids)
    if not meetings or not people_ids:
        return 0
    active = sorted(
        User.objects.filter(pk__in=people_ids, is_active=True).values_list("pk", flat=True)
    )
    invited = set(
        Notification.objects.filter(
            meeting__in=meetings, person_id__in=active, kind=Kind.INVITATION
        ).values_list("meeting_id", "person_id")
    )
    rows = [
        Notification(meeting=meeting, person_id=pk, kind=Kind.INVITATION)
        for meeting in meetings
        for pk in active
        if (meeting.pk, pk) not in invited
    ]
    return len(notifications_create(rows=rows))


def reminder_hours_ahead(meeting, now: dt.datetime) -> set[int]:
    """The meeting's reminder hours whose time is still ahead: a time already past when
    the meeting is published (or moved) never fires."""
    from meetings.models import Meeting

    if meeting.status != Meeting.Status.PUBLISHED:
        return set()
    return {hours for hours in meeting.reminder_hours if reminder_due(meeting, hours) > now}


def reminder_due(meeting, hours: int) -> dt.datetime:
    """Real hours before the start, also across a daylight saving change (arithmetic on
    a local datetime would count wall-clock hours)."""
    return meeting.start.astimezone(dt.UTC) - dt.timedelta(hours=hours)


def meeting_reminders_plan(*, meeting, now: dt.datetime | None = None) -> None:
    """Brings the meeting's reminder times in line with its start, state and reminder
    hours: one ReminderTime per reminder time still ahead; a time already past
    (publishing a meeting for tomorrow, moving it earlier) is never fired. Times that no
    longer apply are dropped, and their rows still waiting are skipped. A time that moves
    ahead again is opened again: those it reminded already are not reminded twice.
    """
    now = now or timezone.now()
    hours_wanted = reminder_hours_ahead(meeting, now)
    waiting = Notification.objects.filter(
        meeting=meeting, kind=Notification.Kind.REMINDER, status=Status.QUEUED
    ).filter(claimed_until__isnull=True)
    waiting.exclude(revision__in=hours_wanted).update(
        status=Status.SKIPPED, last_error="No longer applies: the time or hours changed."
    )
    times = ReminderTime.objects.filter(meeting=meeting)
    times.filter(done_at__isnull=True).exclude(hours__in=hours_wanted).delete()
    planned = dict(times.values_list("hours", "due_at"))
    for hours in sorted(hours_wanted):
        due = reminder_due(meeting, hours)
        if hours not in planned:
            ReminderTime.objects.create(meeting=meeting, hours=hours, due_at=due)
        elif planned[hours] != due:
            times.filter(hours=hours).update(due_at=due, done_at=None)
            waiting.filter(revision=hours).update(due_at=due, queued_at=None)


def meeting_updates_queue(*, meeting, changes: list[list[str]]) -> int:
    """Tells everyone invited who has not declined that the time or place changed (the
    meeting's new SEQUENCE is the row's revision). People whose invitation is still
    waiting get nothing more: the invitation will carry the new time."""
    from meetings.models import Meeting

    if meeting.status != Meeting.Status.PUBLISHED:
        return 0
    told = set(
        Notification.objects.filter(meeting=meeting, kind=Notification.Kind.INVITATION)
        .exclude(status=Status.QUEUED, claimed_until__isnull=True)
        .values_list("person_id", flat=True)
    )
    already = set(
        Notification.objects.filter(
            meeting=meeting, kind=Notification.Kind.UPDATE, revision=meeting.sequence
        ).values_list("person_id", flat=True)
    )
    people = sorted(told - _declined_ids(meeting) - already)
    notifications_create(
        rows=(
            Notification(
                meeting=meeting,
                person_id=pk,
                kind=Notification.Kind.UPDATE,
                revision=meeting.sequence,
                details={"changes": changes},
            )
            for pk in people
        )
    )
    meeting_reminders_plan(meeting=meeting)
    return len(people)


def meeting_cancellations_queue(*, meeting) -> int:
    """Tells everyone invited who has not declined that the meeting is cancelled (with
    METHOD:CANCEL, so calendars drop it); waiting invitations and reminders are skipped."""
    Notification.objects.filter(
        meeting=meeting, status=Status.QUEUED, claimed_until__isnull=True
    ).exclude(kind=Notification.Kind.CANCELLATION).update(
        status=Status.SKIPPED, last_error="No longer applies: the meeting was cancelled."
    )
    meeting_reminders_plan(meeting=meeting)
    told = set(
        Notification.objects.filter(meeting=meeting, kind=Notification.Kind.INVITATION)
        .exclude(status=Status.SKIPPED)
        .values_list("person_id", flat=True)
    )
    already = set(
        Notification.objects.filter(
            meeting=meeting, kind=Notification.Kind.CANCELLATION
        ).values_list("person_id", flat=True)
    )
    people = sorted(told - _declined_ids(meeting) - already)
    notifications_create(
        rows=(
            Notification(
                meeting=meeting,
                person_id=pk,
                kind=Notification.Kind.CANCELLATION,
                revision=meeting.sequence,
            )
            for pk in people
        )
    )
    return len(people)


def attendance_seat_queue(*, attendance) -> Notification:
    """Tells a person moved from the waiting list that they now have a seat. The revision
    is their answer's time: one email per time they waited."""
    return notifications_create(
        rows=[
            Notification(
                meeting_id=attendance.meeting_id,
                person_id=attendance.user_id,
                kind=Notification.Kind.SEAT,
                revision=int(attendance.answered_at.timestamp()),
            )
        ]
    )[0]


# -- practices --------------------------------------------------------------------------


def practice_review_queue(*, practice, decision: str, recipients) -> list[Notification]:
    """One email per representative (and the author) about a review decision
    ("published" or "returned"); each decision is a new revision."""
    Kind = Notification.Kind
    revision = (
        Notification.objects.filter(practice=practice, kind=Kind.PRACTICE_REVIEW)
        .order_by("-revision")
        .values_list("revision", flat=True)
        .first()
    )
    revision = 0 if revision is None else revision + 1
    return notifications_create(
        rows=(
            Notification(
                practice=practice,
                person=person,
                kind=Kind.PRACTICE_REVIEW,
                revision=revision,
                details={"decision": decision},
            )
            for person in recipients
        )
    )


def practice_review_skip(*, practice, reason: str) -> int:
    """Keeps a practice's waiting review emails in the log without sending them (the demo
    world's practices were "published" years ago: nobody needs telling today)."""
    return Notification.objects.filter(
        practice=practice, kind=Notification.Kind.PRACTICE_REVIEW, status=Status.QUEUED
    ).update(status=Status.SKIPPED, last_error=reason, queued_at=None)


# -- messages to participants -----------------------------------------------------------

MESSAGE_AUDIENCES = {
    "answered": _("Everyone who answered yes (in person, online or waiting)"),
    "in_person": _("Those coming in person (not those waiting)"),
    "no_answer": _("Those invited who have not answered yet"),
}


@transaction.atomic
def meeting_message_send(*, meeting, subject: str, body: str, audience: str) -> int:
    """The secretariat's message about a meeting ("the slides are online") to one of
    MESSAGE_AUDIENCES, through the outbox; each message is a new revision. Returns how
    many people it goes to."""
    from django.core.exceptions import ValidationError

    from meetings.models import Attendance

    subject, body = subject.strip(), body.strip()
    if not subject or not body:
        raise ValidationError(_("A message needs a subject and a text."), code="empty")
    if audience not in MESSAGE_AUDIENCES:
        raise ValidationError(_("Choose who receives the message."), code="audience")
    answers = Attendance.objects.filter(meeting=meeting)
    if audience == "answered":
        people = answers.exclude(answer=Attendance.Answer.DECLINED).values_list("user_id")
    elif audience == "in_person":
        people = answers.filter(answer=Attendance.Answer.IN_PERSON, waitlisted=False)
        people = people.values_list("user_id")
    else:
        answered = set(answers.values_list("user_id", flat=True))
        people = [(pk,) for pk in _invited_ids(meeting) if pk not in answered]
    ids = sorted({pk for (pk,) in people})
    last = (
        Notification.objects.filter(meeting=meeting, kind=Notification.Kind.MESSAGE)
        .order_by("-revision")
        .values_list("revision", flat=True)
        .first()
    )
    revision = 1 if last is None else last + 1
    notifications_create(
        rows=(
            Notification(
                meeting=meeting,
                person_id=pk,
                kind=Notification.Kind.MESSAGE,
                revision=revision,
                details={"subject": subject, "body": body},
            )
            for pk in ids
        )
    )
    return len(ids)
