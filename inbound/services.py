"""What happens to an email that comes back: kept first, then read within bounds and
handled as one of

- a calendar reply (iTIP METHOD:REPLY) to one of our invitations: the person's answer,
  recorded by meetings.services.attendance_answer under the site's rules;
- a delivery report (RFC 3464) about one of our emails: the Notification marked bounced,
  and on a permanent failure the person's address marked bouncing (their emails wait);
- an automatic reply (RFC 3834): kept and noted, never an answer or a bounce;
- anything else: passed on unchanged to the secretariat.

receive_mail (pipe) and mail_gateway (LMTP) both call inbound_receive.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from email.message import Message
from email.utils import getaddresses

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from accounts.backends import forget_person
from accounts.models import User
from asa_portal.batches import update_in_batches
from inbound import mime
from inbound.models import InboundMessage
from meetings.ical import site_host
from meetings.models import Attendance, Meeting
from notifications import tokens
from notifications.messages import language_of
from notifications.models import Notification

logger = logging.getLogger(__name__)

Kind = InboundMessage.Kind
Outcome = InboundMessage.Outcome

# What is kept of a message over the size cap: its headers and first lines, enough for the
# secretariat to see who sent what.
KEPT_OF_TOO_LARGE = 256 * 1024
# Outcomes after which a second copy of the same message is a duplicate. A message whose
# handling failed (or never finished) is handled again when it comes again.
_HANDLED = [o for o in Outcome.values if o not in {Outcome.RECEIVED, Outcome.ERROR}]
# Ids of References looked up to find the email of ours a message answers: mail programs
# append to References, so the email answered is among the last; a message naming
# thousands costs no more than one naming ten.
LINK_IDS = 10


def _ours(pattern: str) -> re.Pattern:
    return re.compile(pattern.format(host=re.escape(site_host())), re.IGNORECASE)


def inbound_receive(
    *,
    raw: bytes,
    via: str,
    size: int | None = None,
    envelope_from: str = "",
    envelope_to: list[str] | tuple[str, ...] = (),
) -> InboundMessage:
    """Keeps the message (its own commit, so it is never lost), then handles it.

    `raw` is the whole message, or its first bytes when `size` says it was larger than
    INBOUND_MAX_BYTES. Errors while handling are kept on the row (outcome error), never
    raised: the message is safe and the secretariat sees what went wrong.
    """
    size = len(raw) if size is None else size
    truncated = size > len(raw) or size > settings.INBOUND_MAX_BYTES
    if truncated:
        raw = raw[:KEPT_OF_TOO_LARGE]
    row = InboundMessage(
        via=via,
        raw=raw,
        size=size,
        truncated=truncated,
        digest=hashlib.sha256(raw).hexdigest(),
        envelope_from=envelope_from[:500],
        envelope_to="\n".join(envelope_to),
    )
    _clean(row)
    row.save()
    inbound_handle(message=row)
    return row


def inbound_handle(*, message: InboundMessage) -> InboundMessage:
    """Reads and handles a kept message; safe to call again for one that failed. One
    whose raw bytes were removed (inbound_raw_remove) has nothing left to read: it stays
    as it is."""
    if message.raw_removed_at is not None:
        return message
    try:
        with transaction.atomic():
            _handle(message, bytes(message.raw))
    except Exception as error:
        logger.exception("Inbound message %s could not be handled", message.pk)
        detail = _storable(f"{type(error).__name__}: {error}")
        try:
            with transaction.atomic():
                _finish(message, outcome=Outcome.ERROR, detail=detail)
        except DatabaseError:
            # What was read of the message would not save: the outcome alone, so that the
            # message is never refused (and sent again) for it.
            InboundMessage.objects.filter(pk=message.pk).update(
                outcome=Outcome.ERROR, detail=detail
            )
    return message


# PostgreSQL stores no NUL character in text, and UTF-8 no lone surrogate (what compat32
# makes of bytes that are no text): such text is stored without them.
_TEXT_FIELDS = {
    "envelope_from": "the envelope sender",
    "envelope_to": "the envelope recipients",
    "message_id": "the Message-ID",
    "from_address": "From",
    "subject": "the subject",
    "detail": "the detail",
}
_CLEANED = "Stored cleaned: NUL characters or bytes that are no text removed from "


def _storable(text: str) -> str:
    return text.replace("\x00", "").encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _clean(row: InboundMessage) -> None:
    """Makes the row's text storable; what was changed is named at the end of its detail
    (the raw message is kept as it came)."""
    # Remembered on the instance: the headers are cleaned before the detail is written.
    cleaned = vars(row).setdefault("cleaned", [])
    for field, label in _TEXT_FIELDS.items():
        text = getattr(row, field)
        if _storable(text) != text:
            setattr(row, field, _storable(text))
            if label not in cleaned:
                cleaned.append(label)
    if cleaned and row.outcome != Outcome.RECEIVED and _CLEANED not in row.detail:
        row.detail = f"{row.detail} {_CLEANED}{', '.join(cleaned)}.".strip()


def _finish(row: InboundMessage, *, outcome: str, detail: str, kind: str | None = None) -> None:
    row.outcome = outcome
    row.detail = detail
    if kind:
        row.kind = kind
    _clean(row)
    row.save()


def _handle(row: InboundMessage, raw: bytes) -> None:
    if row.truncated:
        limit = settings.INBOUND_MAX_BYTES // (1024 * 1024)
        if raw:
            detail = (
                f"Larger than {limit} MB ({row.size:,} bytes): not read; its first "
                f"{KEPT_OF_TOO_LARGE // 1024} KB are kept."
            )
        else:
            # Refused over LMTP while it arrived: its size is unknown, nothing of it kept.
            detail = f"Larger than {limit} MB: refused while it arrived; nothing of it is kept."
        _finish(row, outcome=Outcome.REJECTED, detail=detail)
        return
    try:
        message = mime.parse(raw)
    except mime.Unreadable as reason:
        _finish(row, outcome=Outcome.REJECTED, detail=f"Not read: {reason}.")
        return
    row.message_id = mime.header_text(message, "Message-ID")
    sender = mime.sender(message)
    # A From that cannot be trusted is kept as it reads, so that nothing takes it for the
    # address it pretends to be.
    row.from_address = sender.address if not sender.doubt else mime.header_text(message, "From")
    row.subject = mime.header_text(message, "Subject")
    _clean(row)  # before any query names them
    _link_to_our_email(row, message)

    earlier = _earlier_copy(row)
    if earlier is not None:
        row.duplicate_of = earlier
        _finish(
            row,
            outcome=Outcome.DUPLICATE,
            kind=earlier.kind,
            detail=f"The same message came before (#{earlier.pk}); handled then.",
        )
        return
    resent = mime.message_ids(message, "Resent-Message-ID")
    if any(_ours(r"^<inbound-\d+@{host}>$").match(value) for value in resent):
        _finish(
            row,
            outcome=Outcome.NOTED,
            kind=Kind.OTHER,
            detail="The portal passed this message on before and it came back: not sent "
            "again. INBOUND_FORWARD_TO must name a mailbox that is not delivered here.",
        )
        return

    report = mime.delivery_report(message)
    if report is not None:
        row.kind = Kind.BOUNCE
        _bounce(row, report, message)
        return
    if mime.is_automatic(message):
        _finish(
            row,
            outcome=Outcome.NOTED,
            kind=Kind.AUTO_REPLY,
            detail="An automatic reply (out of office or similar): kept, not an answer.",
        )
        return
    parts = mime.calendar_parts(message)
    if parts:
        replies, problems = [], []
        for part in parts[:5]:
            try:
                replies.append(mime.read_calendar(part))
            except mime.BadCalendar as problem:
                problems.append(str(problem))
        reply = next((r for r in replies if r.method == "REPLY"), None)
        if reply is not None:
            row.kind = Kind.REPLY
            _reply(row, reply, thread=_thread(message), doubt=sender.doubt)
            return
        if problems and not replies:
            _finish(
                row,
                outcome=Outcome.REJECTED,
                kind=Kind.REPLY,
                detail=f"Not read: {problems[0]}.",
            )
            return
        # A COUNTER (a proposed new time) or a forwarded invitation: for a human.
    _forward_later(row, "A message for the secretariat: passed on unchanged.")


def _earlier_copy(row: InboundMessage) -> InboundMessage | None:
    """The same message delivered again (an MTA retrying after a lost answer): the same
    Message-ID from the same sender, or the same bytes."""
    earlier = InboundMessage.objects.filter(outcome__in=_HANDLED).exclude(pk=row.pk)
    if row.message_id:
        same = earlier.filter(message_id=row.message_id, from_address=row.from_address)
    else:
        same = earlier.filter(digest=row.digest)
    return same.order_by("pk").first()


def _link_to_our_email(row: InboundMessage, message: Message) -> None:
    """An answer to one of our emails names its Message-ID in In-Reply-To or References:
    the admin shows which email it answers. Only In-Reply-To and the last LINK_IDS of
    References are looked at, in one query, whatever the message names."""
    named = [
        *mime.message_ids(message, "In-Reply-To")[:1],
        *mime.message_ids(message, "References")[-LINK_IDS:],
    ]
    pks = [pk for pk in map(tokens.message_id_row, named) if pk is not None]
    if not pks:
        return
    found = Notification.objects.filter(pk__in=pks).select_related("person").in_bulk()
    notification = next((found[pk] for pk in pks if pk in found), None)
    if notification is not None:
        row.notification = notification
        row.meeting_id = notification.meeting_id
        if notification.person_id and notification.person.email.lower() == row.from_address:
            row.person = notification.person


# -- calendar replies -------------------------------------------------------------------

# What the person is told when a reply cannot be applied: in their language in the email,
# in English in the log (its `detail`).
REFUSAL_DELEGATED = gettext_noop(
    "An invitation cannot be passed on to someone else by a calendar reply; ask the "
    "secretariat to invite them."
)
REFUSAL_UNKNOWN = gettext_noop(
    "The calendar sent an answer the portal does not know (%(partstat)s)."
)

# A person is told that a reply was refused at most once a day per meeting.
REFUSALS_TOLD_EVERY = dt.timedelta(days=1)

PARTSTAT_NOTES = {
    "TENTATIVE": "Tentative: the answer is left as it was.",
    "NEEDS-ACTION": "No answer given (NEEDS-ACTION): nothing changed.",
}


# Message-IDs kept of a received message's thread for the answer's References.
THREAD_LIMIT = 10


def _thread(message: Message) -> list[str]:
    """What the portal's answer to this message names in References (RFC 5322 3.6.4): the
    message's References (or its one In-Reply-To), then its own Message-ID, the last of
    them In-Reply-To; the latest THREAD_LIMIT ids. Nothing when it had no Message-ID."""
    own = mime.message_ids(message, "Message-ID")[:1]
    if not own:
        return []
    before = mime.message_ids(message, "References")
    if not before:
        in_reply_to = mime.message_ids(message, "In-Reply-To")
        before = in_reply_to if len(in_reply_to) == 1 else []
    return [*before, *own][-THREAD_LIMIT:]


def _reply(
    row: InboundMessage, reply: mime.CalendarReply, *, thread: list[str], doubt: str = ""
) -> None:
    """Records the answer of a REPLY, if it may: its UID is one of our meetings, its From
    names one address plainly (`doubt` says why not), a person of the portal, that person
    is its ATTENDEE and was invited (or sent their registration's confirmation). Anything
    else is kept and shown (untrusted), never applied, and nobody is written to.
    `thread`: the ids an answer to the person names, so that their mail program threads
    it."""
    match = _ours(r"^meeting-(\d+)@{host}$").match(reply.uid)
    meeting = Meeting.objects.filter(pk=int(match.group(1))).first() if match else None
    if meeting is None:
        _finish(
            row,
            outcome=Outcome.UNTRUSTED,
            detail=f"The reply's UID ({reply.uid or 'none'}) is not one of our meetings.",
        )
        return
    row.meeting = meeting
    if doubt:
        _finish(row, outcome=Outcome.UNTRUSTED, detail=f"{doubt}: not trusted, not applied.")
        return
    person = (
        User.objects.filter(email__iexact=row.from_address, is_active=True).first()
        if row.from_address
        else None
    )
    if person is None:
        _finish(
            row,
            outcome=Outcome.UNTRUSTED,
            detail=f"From ({row.from_address or 'none'}) is not a person of the portal.",
        )
        return
    row.person = person
    attendee = next((a for a in reply.attendees if a.address == person.email.lower()), None)
    if attendee is None:
        named = ", ".join(a.address for a in reply.attendees) or "nobody"
        _finish(
            row,
            outcome=Outcome.UNTRUSTED,
            detail=f"The reply's ATTENDEE ({named}) is not its sender ({person.email}).",
        )
        return
    invitation = (
        Notification.objects.filter(
            meeting=meeting,
            person=person,
            # What first put the event in their calendar: a member's invitation, or the
            # confirmation of a registration for an event open to the public.
            kind__in=[Notification.Kind.INVITATION, Notification.Kind.REGISTERED],
            status__in=[Notification.Status.SENT, Notification.Status.BOUNCED],
        )
        .order_by("pk")
        .first()
    )
    if invitation is None:
        _finish(
            row,
            outcome=Outcome.UNTRUSTED,
            detail=f"{person.email} was not sent an invitation to this meeting.",
        )
        return
    row.notification = row.notification or invitation

    if reply.comment:
        # A note typed with the answer is a human message: the secretariat gets it too.
        _forward_later(row, "", finish=False)
    if attendee.partstat in PARTSTAT_NOTES:
        _finish(row, outcome=Outcome.NOTED, detail=PARTSTAT_NOTES[attendee.partstat])
        return
    answer = _answer_for(attendee.partstat, meeting, person)
    if answer is None:
        reason = REFUSAL_DELEGATED if attendee.partstat == "DELEGATED" else REFUSAL_UNKNOWN
        values = {"partstat": attendee.partstat}
        with translation.override(language_of(person)):
            told = gettext(reason) % values
        written = _tell(row, meeting, person, thread=thread, refused=told)
        _finish(row, outcome=Outcome.REFUSED, detail=reason % values + _untold(written))
        return
    from meetings.services import attendance_answer

    try:
        attendance = attendance_answer(meeting=meeting, user=person, answer=answer)
    except ValidationError as refusal:
        reason = " ".join(refusal.messages)
        # The person reads why in their language (a lazily translated message follows
        # the override); the log keeps the handling's own language.
        with translation.override(language_of(person)):
            told = " ".join(ValidationError(refusal.error_list).messages)
        written = _tell(row, meeting, person, thread=thread, refused=told)
        _finish(row, outcome=Outcome.REFUSED, detail=reason + _untold(written))
        return
    outdated = reply.sequence < meeting.sequence
    if attendance.waitlisted or outdated:
        _tell(
            row,
            meeting,
            person,
            thread=thread,
            waitlisted=attendance.waitlisted,
            outdated=outdated,
        )
    label = Attendance.Answer(answer).label
    detail = f"Recorded: {label}" + (" (on the waiting list)" if attendance.waitlisted else "")
    if outdated:
        detail += f"; it answered revision {reply.sequence}, the meeting is at {meeting.sequence}"
    if reply.comment:
        detail += f'; comment: "{reply.comment}"'
    _finish(row, outcome=Outcome.APPLIED, detail=detail + ".")


def _answer_for(partstat: str, meeting: Meeting, person) -> str | None:
    """ACCEPTED is in person, or online for an online meeting; for a hybrid one, in person
    unless the person had answered online before. DECLINED cannot attend."""
    if partstat == "DECLINED":
        return Attendance.Answer.DECLINED
    if partstat != "ACCEPTED":
        return None
    if meeting.format == Meeting.Format.ONLINE:
        return Attendance.Answer.ONLINE
    if meeting.format == Meeting.Format.HYBRID:
        before = (
            Attendance.objects.filter(meeting=meeting, user=person)
            .values_list("answer", flat=True)
            .first()
        )
        if before == Attendance.Answer.ONLINE:
            return Attendance.Answer.ONLINE
    return Attendance.Answer.IN_PERSON


def _tell(
    row: InboundMessage,
    meeting: Meeting,
    person,
    *,
    thread: list[str],
    refused: str = "",
    waitlisted: bool = False,
    outdated: bool = False,
) -> bool:
    """An email through the outbox that says what became of the reply; one per message
    received (its id is the row's revision), so a message handled twice writes once. A
    refusal is told once a day per person and meeting: From can be forged, and each forged
    reply would otherwise write to the person again. Returns whether it wrote."""
    from notifications.services import notifications_create

    if refused and _refusal_told_lately(meeting, person):
        return False

    notifications_create(
        rows=[
            Notification(
                meeting=meeting,
                person=person,
                kind=Notification.Kind.REPLY,
                revision=row.pk,
                details={
                    "refused": refused,
                    "waitlisted": waitlisted,
                    "outdated": outdated,
                    "inbound": row.pk,
                    "thread": thread,
                },
            )
        ]
    )
    return True


def _refusal_told_lately(meeting: Meeting, person) -> bool:
    return (
        Notification.objects.filter(
            meeting=meeting,
            person=person,
            kind=Notification.Kind.REPLY,
            created_at__gte=timezone.now() - REFUSALS_TOLD_EVERY,
        )
        .exclude(details__refused="")
        .exists()
    )


def _untold(written: bool) -> str:
    return "" if written else " Not told: a refusal was sent to them in the last 24 hours."


# -- delivery reports -------------------------------------------------------------------


def _bounce(row: InboundMessage, report: mime.DeliveryReport, message: Message) -> None:
    """Applies a report only to the email its signed bounce address names (VERP): a
    report that merely names a Message-ID or a recipient could come from anyone."""
    notification, untrusted = _reported_notification(row, message)
    if notification is None:
        _finish(row, outcome=Outcome.UNTRUSTED, detail=untrusted)
        return
    person, address = notification.person, notification.to
    row.notification, row.person, row.meeting_id = notification, person, notification.meeting_id
    recipient = next((r for r in report.recipients if address.lower() in r.addresses), None)
    if recipient is None:
        named = ", ".join(sorted(a for r in report.recipients for a in r.addresses))
        _finish(
            row,
            outcome=Outcome.UNTRUSTED,
            detail=f"The report names {named or 'no address'}, not {address}, to whom "
            "the email was sent: nothing changed.",
        )
        return
    said = f"{recipient.status or 'no status'} {recipient.diagnostic}".strip()
    if recipient.action in {"delivered", "relayed", "expanded"}:
        _finish(row, outcome=Outcome.NOTED, detail=f"Delivered ({recipient.action}).")
        return
    if not recipient.permanent:
        _finish(row, outcome=Outcome.NOTED, detail=f"A temporary failure, noted: {said}.")
        return
    now = timezone.now()
    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.Status.BOUNCED,
        bounced_at=now,
        bounce_status=recipient.status[:20],
        bounce_diagnostic=recipient.diagnostic,
    )
    if person is None:
        # A mailbox of the settings (the secretariat's), nobody's account to hold.
        _finish(
            row,
            outcome=Outcome.BOUNCED,
            detail=f"Bounced for good: {said}. {address} comes from the settings: correct "
            "it there.",
        )
        return
    User.objects.filter(pk=person.pk, email_bouncing_since__isnull=True).update(
        email_bouncing_since=now
    )
    forget_person(person.pk)
    _finish(
        row,
        outcome=Outcome.BOUNCED,
        detail=f"Bounced for good: {said}. Emails to {person.email} wait until the address "
        "is corrected.",
    )


def _reported_notification(
    row: InboundMessage, message: Message
) -> tuple[Notification | None, str]:
    """The email a delivery report answers: the one named by the bounce address it was
    delivered to (the envelope recipient, from the MTA; without one, the report's To),
    if that address's signature verifies. Else None and why, for the log."""
    to = getaddresses([str(value) for value in message.get_all("To") or []])
    addresses = row.envelope_to.split() or [address for _name, address in to if address]
    for address in addresses:
        pk = tokens.bounce_address_row(address)
        if pk is not None:
            found = Notification.objects.filter(pk=pk).select_related("person").first()
            if found is not None:
                return found, ""
            return None, (
                f"A delivery report to {address}, for an email that does not exist (any "
                "more): not trusted, nothing changed."
            )
    return None, (
        f"A delivery report to {', '.join(addresses) or 'no address'}, not to a signed bounce "
        "address of one of our emails: not trusted, nothing changed."
    )


# -- passing messages on to the secretariat ----------------------------------------------


def forward_address() -> str:
    from notifications.messages import secretariat_mailbox

    return secretariat_mailbox()


def _forward_later(row: InboundMessage, detail: str, *, finish: bool = True) -> None:
    from inbound.tasks import inbound_forward

    if finish:
        kind = Kind.OTHER if row.kind == Kind.UNREAD else row.kind
        _finish(row, outcome=Outcome.FORWARDED, kind=kind, detail=detail)
    else:
        _clean(row)
        row.save()
    transaction.on_commit(lambda: _queue(inbound_forward, row.pk))


def _queue(task, pk: int) -> None:
    try:
        task.delay(pk)
    except Exception as error:  # a broker that is down: the admin's action sends it later
        logger.warning("The broker did not take inbound message %s (%s).", pk, error)


def inbound_forward(*, message_id: int) -> bool:
    """Sends the kept message, unchanged, to the secretariat (with Resent- headers in
    front, RFC 5322 3.6.6). Idempotent: a message passed on before is not sent again.
    Returns whether it was sent now."""
    from django.core.mail import get_connection

    from inbound.emails import RawEmail

    row = InboundMessage.objects.filter(pk=message_id, forwarded_at__isnull=True).first()
    if row is None or row.truncated or row.raw_removed_at is not None:
        return False
    to = forward_address()
    email = RawEmail.resent(row, to=to)
    try:
        get_connection(fail_silently=False).send_messages([email])
    except Exception as error:  # SMTP refused or down: kept, the admin can send it again
        InboundMessage.objects.filter(pk=row.pk).update(
            forward_error=f"{type(error).__name__}: {error}"[:2000]
        )
        logger.warning("Inbound message %s not passed on: %s", row.pk, error)
        return False
    InboundMessage.objects.filter(pk=row.pk).update(forwarded_at=timezone.now(), forward_error="")
    return True


# -- what is removed when no longer needed (privacy.services.old_data_remove) -----------


def inbound_raw_remove(*, now: dt.datetime) -> int:
    """Empties the raw bytes of the messages received more than RETENTION_INBOUND_RAW_DAYS
    ago, whatever became of them. The row stays, with when it came, its sender and
    subject, its size, what was done and why; so does its digest, by which a copy
    delivered again is still known."""
    before = now - dt.timedelta(days=settings.RETENTION_INBOUND_RAW_DAYS)
    old = InboundMessage.objects.filter(received_at__lt=before, raw_removed_at__isnull=True)
    return update_in_batches(old, raw=b"", raw_removed_at=now)
