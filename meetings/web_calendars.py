"""Links that open an event in the web calendars most members use (Google Calendar and
Outlook on the web), and calendar feeds offered for subscription (webcal://).

The links carry what the page shows to everyone (title, times, venue, the page's address);
never the online link, which only members see: the meeting page's body is shared by all its
readers, and a link copied from it must not open a members-only room.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.conf import settings

from meetings.ical import event_location, one_line
from meetings.models import Meeting

# The page's address, and a part of the description: long descriptions are cut, since
# both calendars refuse addresses much above 2,000 characters.
DESCRIPTION_CHARACTERS = 600


def _details(meeting: Meeting) -> str:
    url = settings.SITE_URL + meeting.get_absolute_url()
    description = meeting.description.strip()
    if len(description) > DESCRIPTION_CHARACTERS:
        description = description[: DESCRIPTION_CHARACTERS - 1].rstrip() + "…"
    return f"{description}\n\n{url}" if description else url


def google_calendar_url(meeting: Meeting) -> str:
    """Google Calendar's "new event" page, filled in (times in UTC, shown in the zone)."""

    def utc(moment: dt.datetime) -> str:
        return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")

    query = {
        "action": "TEMPLATE",
        "text": one_line(meeting.title),
        "dates": f"{utc(meeting.start)}/{utc(meeting.end)}",
        "ctz": meeting.time_zone,
        "details": _details(meeting),
        "location": event_location(meeting, show_online_link=False),
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def outlook_url(meeting: Meeting) -> str:
    """Outlook on the web's "new event" form, filled in (Microsoft 365 work accounts, as
    most member organisations use; it offers personal accounts a way on)."""

    def iso(moment: dt.datetime) -> str:
        return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": one_line(meeting.title),
        "startdt": iso(meeting.start),
        "enddt": iso(meeting.end),
        "body": _details(meeting),
        "location": event_location(meeting, show_online_link=False),
    }
    return "https://outlook.office.com/calendar/0/action/compose?" + urlencode(query)


def webcal(url: str) -> str:
    """A feed's address as calendar programs subscribe to it (webcal://): opening it asks
    the calendar to subscribe, where the https:// address downloads the file once."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        return url
    return urlunsplit(("webcal", *parts[1:]))
