"""Meetings as iCalendar (RFC 5545), for the .ics downloads and the calendar feeds.

The UID is stable (`meeting-<pk>@<site host>`) and SEQUENCE is the meeting's revision, so
calendar clients update an event in place; emails of the next issue use the same UID.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext
from icalendar import Calendar, Event, vText

from meetings.models import Meeting, agenda_schedule
from meetings.timefmt import long_date

# Rows saved before one-line fields refused them may hold line breaks and other control
# characters; a calendar must still be built (RFC 5545 allows no raw control characters).
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def _is_control(character: str) -> bool:
    return unicodedata.category(character) in {"Cc", "Zl", "Zp"}


def one_line(value: str) -> str:
    """Text for a one-line property (SUMMARY, LOCATION, a name): each run of line breaks
    and control characters becomes one space."""
    return " ".join("".join(" " if _is_control(c) else c for c in value).split())


def text(value: str) -> str:
    """Text for DESCRIPTION: line breaks kept as line breaks (the library escapes them),
    every other control character (tab, NUL …) dropped or made a space."""
    lines = _LINE_BREAKS.sub("\n", value).split("\n")
    return "\n".join(
        "".join(c if not _is_control(c) else " " if c == "\t" else "" for c in line)
        for line in lines
    )


def site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{site_host()}"


def event_location(meeting: Meeting, show_online_link: bool) -> str:
    """Venue and address in person, "Online" (or the link, for members) online."""
    parts = []
    if meeting.is_in_person:
        parts += [part for part in (meeting.venue, meeting.address) if part]
    if meeting.is_online:
        parts.append(
            meeting.online_link if show_online_link and meeting.online_link else gettext("Online")
        )
    return one_line(", ".join(parts))


def _description(meeting: Meeting, url: str, show_online_link: bool) -> str:
    lines = []
    if meeting.description:
        lines += [meeting.description, ""]
    if show_online_link and meeting.is_online and meeting.online_link:
        lines += [gettext("Join online: %(link)s") % {"link": meeting.online_link}, ""]
    slots = agenda_schedule(meeting, meeting.agenda_items.all())
    if slots:
        lines.append(gettext("Agenda (%(zone)s):") % {"zone": meeting.zone_label})
        for slot in slots:
            if slot.new_day:
                lines.append(long_date(slot.new_day))
            who = slot.item.presenters
            if slot.item.presenting_region:
                who = (
                    f"{who}, {slot.item.presenting_region.name}"
                    if who
                    else slot.item.presenting_region.name
                )
            line = f"{slot.span} {slot.item.title}" + (f" ({who})" if who else "")
            lines.append(one_line(line))
        lines.append("")
    lines.append(gettext("Details and answers: %(url)s") % {"url": url})
    return text("\n".join(lines))


def meeting_event(meeting: Meeting, *, show_online_link: bool) -> Event:
    url = settings.SITE_URL + meeting.get_absolute_url()
    event = Event()
    event.add("uid", meeting_uid(meeting))
    # Without METHOD, DTSTAMP is the last change (RFC 5545 3.8.7.2): stable output.
    event.add("dtstamp", meeting.updated_at.astimezone(dt.UTC))
    event.add("last-modified", meeting.updated_at.astimezone(dt.UTC))
    event.add("created", meeting.created_at.astimezone(dt.UTC))
    event.add("dtstart", meeting.local_start)
    event.add("dtend", meeting.local_end)
    event.add("sequence", meeting.sequence)
    event.add("summary", one_line(meeting.title))
    location = event_location(meeting, show_online_link)
    if location:
        event.add("location", location)
    event.add("url", url)
    event.add("description", _description(meeting, url, show_online_link))
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    if meeting.is_cancelled:
        event["summary"] = vText(
            gettext("Cancelled: %(title)s") % {"title": one_line(meeting.title)}
        )
    return event


def calendar_bytes(meetings: Iterable[Meeting], *, name: str, show_online_links: bool) -> bytes:
    """A VCALENDAR with one VEVENT per meeting and a VTIMEZONE for each zone used."""
    calendar = Calendar()
    calendar.add("prodid", "-//Automotive Skills Alliance//ASA Portal//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", vText(one_line(name)))
    years = []
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, show_online_link=show_online_links))
        years += [meeting.local_start.year, meeting.local_end.year]
    if years:
        # Transitions only for the years the events need: small, fast to build.
        calendar.add_missing_timezones(
            first_date=dt.date(min(years) - 1, 1, 1), last_date=dt.date(max(years) + 1, 12, 31)
        )
    return calendar.to_ical()
