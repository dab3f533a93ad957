"""Event times as people read them: "Wed 27 March 2024, 10:00–12:30 (Brussels time)"."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from meetings.models import Meeting, zone_label


def _day(moment: dt.datetime) -> str:
    return f"{moment:%a} {moment.day} {moment:%B %Y}"


def format_span(start: dt.datetime, end: dt.datetime, label: str) -> str:
    if start.date() == end.date():
        text = f"{_day(start)}, {start:%H:%M}–{end:%H:%M}"
    else:
        text = f"{_day(start)}, {start:%H:%M} – {_day(end)}, {end:%H:%M}"
    return f"{text} ({label})"


def meeting_when(meeting: Meeting) -> str:
    return format_span(meeting.local_start, meeting.local_end, meeting.zone_label)


def meeting_when_for(meeting: Meeting, user) -> str:
    """The same times in the viewer's own zone, or "" when it is the event's zone."""
    name = getattr(user, "time_zone", "") if getattr(user, "is_authenticated", False) else ""
    if not name or name == meeting.time_zone:
        return ""
    try:
        zone = zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return ""
    start, end = meeting.start.astimezone(zone), meeting.end.astimezone(zone)
    if start.utcoffset() == meeting.local_start.utcoffset():
        return ""  # same clock, different name: nothing to convert
    return format_span(start, end, f"your time, {zone_label(name)}")


def meeting_date(meeting: Meeting) -> str:
    return _day(meeting.local_start)


def quarter_label(meeting: Meeting) -> str:
    start = meeting.local_start
    return f"{start.year} Q{(start.month - 1) // 3 + 1}"
