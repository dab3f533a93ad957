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
from collections.abc import Callable, Iterable, Sequence

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from asa_portal.batches import delete_in_batches
from notifications.models import LastSweep, Notification

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
# Functions that make the rows falling due by time (a meeting's reminders), given the
# sweep's time: the app they are about adds its own in its AppConfig.ready(), and the
# sweep saves what they return in its transaction.
DUE_ROW_MAKERS: list[Callable[[dt.datetime], list[Notification]]] = []

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
    rows = _not_closed(list(rows))
    now = timezone.now()
    for row in rows:
        if row.due_at <= now:
            row.queued_at = now
    created = Notification.objects.bulk_create(rows, batch_size=1000)
    _hand_to_celery([row.pk for row in created if row.queued_at is not None])
    return created


def _not_closed(rows: list[Notification]) -> list[Notification]:
    """Leaves out the rows for people whose account is closed or switched off: they get
    nothing, not even a row in the log (accounts.services.account_close). Rows to a
    mailbox (no person) are kept."""
    people = sorted({row.person_id for row in rows if row.person_id is not None})
    closed = set()
    # In chunks: SQLite takes a bounded number of values in one query.
    for chunk in _chunks(people, 900):
        closed.update(
            get_user_model()
            .objects.filter(pk__in=chunk, is_active=False)
            .values_list("pk", flat=True)
        )
    return [row for row in rows if row.person_id not in closed]


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
    return get_user_model().objects.filter(email_bouncing_since__isnull=False).values("pk")


def _finish(row: Notification, *, status: str, error: str = "") -> None:
    sent = status == Status.SENT
    fields = {"status": status, "sent_at": timezone.now() if sent else None, "claimed_until": None}
    if sent:
        # A plain value, as _refused counts, not F("attempts") + 1: the row is this
        # worker's while its lease holds (and the status condition below stops a late
        # mark), and an F() adds a fifth to the ORM's work for this UPDATE, once a message.
        fields["attempts"] = row.attempts + 1
    if error:
        # Else a refusal before the send that worked stays in the log.
        fields["last_error"] = error
    Notification.objects.filter(pk=row.pk, status=Status.QUEUED).update(**fields)


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
    when nothing is due). Then it records its time (LastSweep), which /healthz reads.
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
        made = [row for make in DUE_ROW_MAKERS for row in make(now)]
        handed = len(ids) + len(notifications_create(rows=made))
    # After the commit, in a statement of its own: two sweeps at once never wait for each
    # other on this row, and it says that a sweep's work was done, not begun.
    LastSweep.objects.bulk_create(
        [LastSweep(pk=1, created_at=now, swept_at=now)],
        update_conflicts=True,
        unique_fields=["id"],
        update_fields=["swept_at"],
    )
    return handed


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


# /healthz says 503 when the last sweep is older than this (it runs every minute), or when
# an email due this long ago is still not sent.
SWEEP_LATE_AFTER = dt.timedelta(minutes=3)
EMAIL_LATE_AFTER = dt.timedelta(minutes=10)


def _when(moment: dt.datetime, now: dt.datetime) -> str:
    seconds = int((now - moment).total_seconds())
    return f"{moment.astimezone(dt.UTC).isoformat(timespec='seconds')}, {seconds} s ago"


def sweep_health(now: dt.datetime) -> str:
    """'ok' while the beat's sweep ran within SWEEP_LATE_AFTER; before the first sweep,
    counted from the install (the migration that made the row). One query."""
    last = LastSweep.objects.filter(pk=1).first()
    if last is None:
        return "error: no sweep recorded"
    if last.swept_at is None:
        if now - last.created_at > SWEEP_LATE_AFTER:
            return f"error: never swept since the install ({_when(last.created_at, now)})"
        return "ok"
    if now - last.swept_at > SWEEP_LATE_AFTER:
        return f"error: last sweep {_when(last.swept_at, now)}"
    return "ok"


def outbox_health(now: dt.datetime) -> str:
    """'ok' unless an email due more than EMAIL_LATE_AFTER ago is still not sent (rows
    held for a bouncing address and failed rows left out: nobody's worker will send
    them). One query, whatever the number of rows."""
    oldest = (
        Notification.objects.due_unsent(now)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    if oldest is not None and now - oldest > EMAIL_LATE_AFTER:
        return f"error: an email due {_when(oldest, now)} is not sent"
    return "ok"


# -- what is removed when no longer needed (privacy.services.old_data_remove) -----------

# Rows whose email is done with: it went out, was skipped, or bounced. A queued row (due,
# or waiting for a retry) and a failed one (waiting for the secretariat's Resend) are
# never removed for their age alone: they are work still to do.
DONE_WITH = [Status.SENT, Status.SKIPPED, Status.BOUNCED]


def notifications_old_remove(*, now: dt.datetime) -> int:
    """Deletes the rows done with that were made more than RETENTION_OUTBOX_DAYS ago.
    A row about a meeting still to come stays, whatever its age: it is the person's
    invitation (their page shows it, and nobody is invited twice because of it)."""
    before = now - dt.timedelta(days=settings.RETENTION_OUTBOX_DAYS)
    old = Notification.objects.filter(created_at__lt=before, status__in=DONE_WITH)
    return delete_in_batches(old.exclude(meeting__end__gte=now))
