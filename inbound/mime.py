"""Reading an email that came back, within fixed bounds.

Everything here works on bytes that anyone on the internet may have written, so each step
has a ceiling that is checked before the work it bounds: a cheap scan of the raw bytes
before the parser builds a tree (so a message of a million tiny parts is never built), then
the tree's depth and number of parts, then the size of each calendar part before icalendar
reads it. Attachments are never unpacked.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from email.message import Message
from email.parser import HeaderParser
from email.utils import parseaddr

from icalendar import Calendar

# A message may hold at most this many parts, nested at most this deep; real replies and
# delivery reports have fewer than ten parts, two or three levels deep.
MAX_PARTS = 100
MAX_DEPTH = 8
# A calendar reply is a few kilobytes (Outlook's, with its time zone, about 5 KB).
MAX_CALENDAR_BYTES = 256 * 1024
MAX_CALENDAR_COMPONENTS = 50
# Checked on the raw bytes before parsing: each part needs a header block, so these bound
# what the parser would build. The parser ends a line at CR, LF or CRLF, so these do too.
_PART_HEADER = re.compile(rb"(?:\A|[\r\n])content-type:", re.IGNORECASE)
_DELIMITER_LINE = re.compile(rb"(?:\A|[\r\n])--")
_MAX_DELIMITER_LINES = 2000
# Returned messages (their Message-IDs) read of one delivery report.
MAX_RETURNED = 5


class Unreadable(Exception):
    """The message is refused unread; str() says why, in words for the secretariat."""


def precheck(raw: bytes) -> None:
    """Refuses, without parsing, a message whose shape alone is too costly to read."""
    if len(_PART_HEADER.findall(raw)) > MAX_PARTS:
        raise Unreadable(f"more than {MAX_PARTS} parts")
    if len(_DELIMITER_LINE.findall(raw)) > _MAX_DELIMITER_LINES:
        raise Unreadable("too many part boundaries")


def parse(raw: bytes) -> Message:
    """The message as a tree, refused when it is nested too deeply or has too many parts.
    compat32 is the forgiving policy: broken headers are kept as they are, never raised."""
    precheck(raw)
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    count = 0
    stack = [(message, 1)]
    while stack:
        part, depth = stack.pop()
        count += 1
        if depth > MAX_DEPTH:
            raise Unreadable(f"parts nested more than {MAX_DEPTH} deep")
        if count > MAX_PARTS:
            raise Unreadable(f"more than {MAX_PARTS} parts")
        if part.is_multipart():
            payload = part.get_payload()
            if isinstance(payload, list):
                stack.extend((child, depth + 1) for child in payload)
    return message


def walk(message: Message):
    """Every part, as Message.walk(), after parse() has bounded them."""
    return message.walk()


def header_text(message: Message, name: str, limit: int = 500) -> str:
    value = message.get(name)
    if value is None:
        return ""
    try:
        text = str(make_header(decode_header(str(value))))
    except (ValueError, LookupError, UnicodeError):
        text = str(value)
    return " ".join(text.split())[:limit]


@dataclass
class Sender:
    """Who the From header names. `doubt` says why it cannot be trusted to name one person
    ("" when it can): a reply is applied only from a From read strictly."""

    address: str
    doubt: str = ""


# Something that looks like an address, in a display name.
_ADDRESS_LIKE = re.compile(r"[^\s@<>\"(),;:]+@[^\s@<>\"(),;:]+\.[^\s@<>\"(),;:]+")


def sender(message: Message) -> Sender:
    """The From header read strictly (RFC 5322, the email package's header registry), so
    that `member@example.org <attacker@evil.example>` is not read as the member."""
    values = message.get_all("From") or []
    if len(values) != 1:
        return Sender("", f"{len(values) or 'no'} From headers" if values else "no From header")
    # compat32 keeps 8-bit bytes as surrogates; a UTF-8 name is read as the text it is.
    text = str(values[0]).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    try:
        header = email.policy.default.header_factory("From", text)
        addresses, defects = header.addresses, header.defects
    except Exception as error:  # the header parser raises more than ValueError
        return Sender("", f"From cannot be read ({type(error).__name__})")
    if defects:
        return Sender("", f"From is not a well-formed address ({defects[0]})")
    if len(addresses) != 1 or "@" not in addresses[0].addr_spec:
        return Sender("", f"From names {len(addresses)} addresses, not one")
    address = addresses[0].addr_spec.strip().lower()[:500]
    named = {found.lower() for found in _ADDRESS_LIKE.findall(addresses[0].display_name)}
    if named - {address}:
        return Sender(
            address, f"From's name is another address ({', '.join(sorted(named - {address}))})"
        )
    return Sender(address)


# Printable, no spaces (RFC 5322 3.6.4): an id with a control character is no id of a
# message, and PostgreSQL would not store a NUL in the ids an answer names.
_MESSAGE_ID = re.compile(r"<[^<>\s\x00-\x1f\x7f\ud800-\udfff]{1,400}>")


def message_ids(message: Message, *names: str) -> list[str]:
    """The <…> ids named in these headers (Message-ID, In-Reply-To, References)."""
    ids = []
    for name in names:
        for value in message.get_all(name) or []:
            ids += _MESSAGE_ID.findall(str(value))
    return ids


# -- automatic replies (RFC 3834) -------------------------------------------------------


def is_automatic(message: Message) -> bool:
    """Out-of-office notes and other automatic answers: Auto-Submitted other than "no"
    (RFC 3834), and the older headers that Exchange and vacation programs still send."""
    auto = header_text(message, "Auto-Submitted").lower()
    if auto and not auto.startswith("no"):
        return True
    if header_text(message, "X-Autoreply") or header_text(message, "X-Autorespond"):
        return True
    if header_text(message, "Precedence").lower() in {"auto_reply", "bulk", "junk"}:
        return True
    return bool(header_text(message, "X-Auto-Response-Suppress") and auto)


# -- delivery status notifications (RFC 3464) --------------------------------------------


@dataclass
class Recipient:
    final: str
    original: str
    action: str
    status: str
    diagnostic: str

    @property
    def addresses(self) -> set[str]:
        return {address for address in (self.final, self.original) if address}

    @property
    def permanent(self) -> bool:
        """5.x.x; the status code decides, the action only when there is no code."""
        if self.status:
            return self.status.startswith("5")
        return self.action == "failed"


@dataclass
class DeliveryReport:
    recipients: list[Recipient]
    # The Message-IDs of the message that failed (from the returned message or headers).
    original_ids: list[str] = field(default_factory=list)


_STATUS = re.compile(r"\b([245]\.\d{1,3}\.\d{1,3})\b")


def _typed_address(value: str) -> str:
    """'rfc822; Person@Example.org' -> 'person@example.org'."""
    value = value.split(";", 1)[-1].strip()
    return parseaddr(value)[1].lower() or value.strip("<> ").lower()


def delivery_report(message: Message) -> DeliveryReport | None:
    """The report of a multipart/report; report-type=delivery-status, or None."""
    report = None
    for part in walk(message):
        if (
            part.get_content_type() == "multipart/report"
            and (part.get_param("report-type") or "").lower() == "delivery-status"
        ):
            report = part
            break
    if report is None:
        return None
    recipients, original_ids = [], []
    for part in report.get_payload():
        kind = part.get_content_type()
        if kind in {"message/delivery-status", "message/global-delivery-status"}:
            recipients += _recipients(part)
        elif kind in {"message/rfc822", "message/global"}:
            payload = part.get_payload()
            inner = payload[0] if isinstance(payload, list) and payload else None
            if isinstance(inner, Message):
                original_ids += message_ids(inner, "Message-ID")[:1]
        elif kind in {"text/rfc822-headers", "message/global-headers"}:
            headers = part.get_payload(decode=True) or b""
            inner = HeaderParser().parsestr(headers[:MAX_CALENDAR_BYTES].decode(errors="replace"))
            original_ids += message_ids(inner, "Message-ID")[:1]
    # A message has one Message-ID; a report returns one message (a few at most).
    return DeliveryReport(recipients=recipients, original_ids=original_ids[:MAX_RETURNED])


def _recipients(part: Message) -> list[Recipient]:
    """The per-recipient blocks: compat32 parses message/delivery-status into one Message
    per block, the first being the per-message fields."""
    blocks = part.get_payload()
    if not isinstance(blocks, list):
        # Some servers send the fields as plain text: read the blocks from it.
        text = (part.get_payload(decode=True) or b"")[:MAX_CALENDAR_BYTES].decode(errors="replace")
        blocks = [HeaderParser().parsestr(block) for block in re.split(r"\r?\n\r?\n", text)]
    found = []
    for block in blocks[:MAX_PARTS]:
        if not isinstance(block, Message) or not (
            block.get("Final-Recipient") or block.get("Original-Recipient")
        ):
            continue
        status = _STATUS.search(str(block.get("Status", "")))
        diagnostic = " ".join(str(block.get("Diagnostic-Code", "")).split())
        if status is None:
            status = _STATUS.search(diagnostic)
        found.append(
            Recipient(
                final=_typed_address(str(block.get("Final-Recipient", ""))),
                original=_typed_address(str(block.get("Original-Recipient", ""))),
                action=str(block.get("Action", "")).strip().lower(),
                status=status.group(1) if status else "",
                diagnostic=diagnostic.split(";", 1)[-1].strip()[:2000],
            )
        )
    return found


# -- calendar replies (iTIP, RFC 5546 and RFC 6047) --------------------------------------


class BadCalendar(Exception):
    """A calendar part that cannot be read; str() says why."""


@dataclass
class Attendee:
    address: str
    partstat: str


@dataclass
class CalendarReply:
    method: str
    uid: str
    sequence: int
    stamp: dt.datetime | None
    attendees: list[Attendee]
    comment: str


def _is_calendar_part(part: Message) -> bool:
    if part.get_content_type() in {"text/calendar", "application/ics", "text/x-vcalendar"}:
        return True
    name = part.get_filename() or part.get_param("name") or ""
    return isinstance(name, str) and name.lower().endswith((".ics", ".vcs"))


def calendar_parts(message: Message) -> list[Message]:
    return [part for part in walk(message) if not part.is_multipart() and _is_calendar_part(part)]


def read_calendar(part: Message) -> CalendarReply:
    """The first event of a calendar part, with its METHOD (from the calendar, else from
    the part's method parameter, which RFC 6047 says must agree)."""
    data = part.get_payload(decode=True) or b""
    if len(data) > MAX_CALENDAR_BYTES:
        raise BadCalendar(f"a calendar part larger than {MAX_CALENDAR_BYTES // 1024} KB")
    charset = part.get_content_charset() or "utf-8"
    try:
        text = data.decode(charset, errors="replace")
    except LookupError:
        text = data.decode("utf-8", errors="replace")
    if text.upper().count("BEGIN:") > MAX_CALENDAR_COMPONENTS:
        raise BadCalendar("too many calendar components")
    try:
        calendar = Calendar.from_ical(text)
        events = list(calendar.walk("VEVENT"))
    except Exception as error:  # icalendar raises ValueError, KeyError, IndexError …
        raise BadCalendar(f"malformed calendar data ({type(error).__name__})") from error
    if not events:
        raise BadCalendar("a calendar without an event")
    event = events[0]
    method = str(calendar.get("METHOD") or part.get_param("method") or "").upper()
    try:
        sequence = int(event.get("SEQUENCE", 0))
    except (TypeError, ValueError):
        sequence = 0
    try:
        stamp = getattr(event.get("DTSTAMP"), "dt", None)
    except ValueError as error:  # icalendar reads a broken value only when asked for it
        raise BadCalendar("a DTSTAMP that is not a date and time") from error
    attendees = event.get("ATTENDEE", [])
    if not isinstance(attendees, list):
        attendees = [attendees]
    return CalendarReply(
        method=method,
        uid=str(event.get("UID", "")).strip()[:500],
        sequence=max(sequence, 0),
        stamp=stamp if isinstance(stamp, dt.datetime) else None,
        attendees=[_attendee(value) for value in attendees[:MAX_CALENDAR_COMPONENTS]],
        comment=" ".join(str(event.get("COMMENT", "")).split())[:2000],
    )


def _attendee(value) -> Attendee:
    """mailto: addresses in any case (Outlook writes MAILTO:); Apple Calendar may name a
    urn:uuid: with the address in an EMAIL parameter."""
    params = getattr(value, "params", {})
    text = str(value).strip()
    if text.lower().startswith("mailto:"):
        address = text[len("mailto:") :]
    else:
        address = str(params.get("EMAIL", ""))
    return Attendee(
        address=address.strip().strip('"').lower(),
        partstat=str(params.get("PARTSTAT", "NEEDS-ACTION")).upper(),
    )
