"""The calendar file attached to meeting emails: a meeting request (METHOD:REQUEST) or its
cancellation (METHOD:CANCEL), with the same UID and SEQUENCE as the portal's feeds, the
secretariat as ORGANIZER and the recipient as ATTENDEE, so that Outlook and Gmail show it
as a meeting request and update or drop the event in place.

The file is built once per meeting and batch; only the ATTENDEE line is added per person,
with the person's known answer as its PARTSTAT (RFC 5546 lets the organizer's REQUEST
carry it): an update to someone who accepted keeps the event accepted in their calendar
instead of turning it back into an unanswered request.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext, pgettext
from icalendar import Calendar, vCalAddress, vText
from icalendar.parser import Contentline

from meetings import ical
from meetings.models import Attendance, Meeting

_END = b"END:VEVENT\r\n"

# The portal's answers as iCalendar participation states; no answer is NEEDS-ACTION. An
# in-person answer on the waiting list is still ACCEPTED: the person said they come (the
# email says they wait for a seat), and their calendar keeps what they pressed.
PARTSTATS = {
    Attendance.Answer.IN_PERSON: "ACCEPTED",
    Attendance.Answer.ONLINE: "ACCEPTED",
    Attendance.Answer.DECLINED: "DECLINED",
}


def partstat(answer: Attendance | None) -> str:
    if answer is None:
        return "NEEDS-ACTION"
    # Waiting for a seat: in the calendar as maybe, until the seat email says accepted.
    if answer.waitlisted:
        return "TENTATIVE"
    return PARTSTATS.get(answer.answer, "NEEDS-ACTION")


def meeting_calendar(
    meeting: Meeting, *, method: str, description: str = "", uninvite: bool = False
) -> bytes:
    """In the active language: the email's caller renders it inside the recipient's.
    `description` (the email's own details, in that language) replaces the feed's
    DESCRIPTION; SUMMARY stays the meeting's title, as written. `uninvite`: a CANCEL that
    takes the event out of its attendee's calendar only, so without STATUS (RFC 5546
    3.2.5: STATUS:CANCELLED would cancel the whole event, and a CANCEL that uninvites
    must not carry STATUS)."""
    from notifications.messages import secretariat_email

    event = ical.meeting_event(meeting, show_online_link=True)
    if uninvite:
        event.pop("status", None)
    if description:
        event.pop("description", None)
        event.add("description", ical.text(description.strip()))
    if meeting.is_cancelled:
        event["summary"] = vText(
            pgettext("calendar summary", "Cancelled: %(title)s")
            % {"title": ical.one_line(meeting.title)}
        )
    # With a METHOD, DTSTAMP is when this message was made (RFC 5546).
    event.pop("dtstamp", None)
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    organizer = vCalAddress(f"mailto:{secretariat_email()}")
    organizer.params["cn"] = gettext("ASA secretariat")
    event.add("organizer", organizer)
    cal = Calendar()
    cal.add("prodid", "-//Automotive Skills Alliance//ASA Portal//EN")
    cal.add("version", "2.0")
    cal.add("method", method)
    cal.add_component(event)
    start, end = meeting.local_start, meeting.local_end
    cal.add_missing_timezones(
        first_date=dt.date(start.year - 1, 1, 1), last_date=dt.date(end.year + 1, 12, 31)
    )
    return cal.to_ical()


def attendee_line(person, *, partstat: str = "NEEDS-ACTION") -> bytes:
    """The ATTENDEE property as icalendar writes it in an event (its parameters sorted
    and quoted, its line folded), made as a content line of its own: an Event around it
    costs more than the line itself, once a message."""
    attendee = vCalAddress(f"mailto:{person.email}")
    name = person.get_full_name()
    if name:
        attendee.params["cn"] = name
    attendee.params["role"] = "REQ-PARTICIPANT"
    attendee.params["partstat"] = partstat
    attendee.params["rsvp"] = "TRUE"
    return Contentline.from_parts("ATTENDEE", attendee.params, attendee).to_ical() + b"\r\n"


def for_attendee(calendar_bytes: bytes, person, *, partstat: str = "NEEDS-ACTION") -> bytes:
    """The shared calendar with this person as the event's ATTENDEE, their answer as its
    PARTSTAT."""
    line = attendee_line(person, partstat=partstat)
    return calendar_bytes.replace(_END, line + _END, 1)
