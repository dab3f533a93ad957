"""Event times as people read them: "Wed 27 March 2024, 10:00–12:30 (Brussels time)".

In the language active when called (the page's, or the email recipient's under
translation.override): month and weekday names from Babel's CLDR data, which has what
Django's own formats lack (Slovak months in the genitive: "27. marca 2024"). Clock times
stay 24-hour in every language of the portal.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from babel.core import Locale, UnknownLocaleError
from babel.dates import format_date
from django.utils import translation
from django.utils.translation import gettext, ngettext, pgettext

from meetings.models import Meeting, zone_label


def babel_locale() -> Locale:
    """The active language as a Babel locale; English is British English, as the portal's
    LANGUAGE_CODE (en-gb): "27 March 2024", never "March 27, 2024"."""
    code = translation.get_language() or "en"
    if code.split("-")[0] == "en":
        code = "en-gb"
    try:
        return Locale.parse(translation.to_locale(code))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en_GB")


def long_date(day: dt.date) -> str:
    """'27 March 2024', '27. März 2024', '27 mars 2024', '27. marca 2024'."""
    return format_date(day, "long", locale=babel_locale())


def _day(moment: dt.datetime, weekday: str = "EEE") -> str:
    locale = babel_locale()
    # Translators: a day as in "Wed 27 March 2024"; German writes "Mi., 27. März 2024".
    return pgettext("weekday and date", "%(weekday)s %(date)s") % {
        "weekday": format_date(moment, weekday, locale=locale),
        "date": format_date(moment, "long", locale=locale),
    }


def moment_text(moment: dt.datetime) -> str:
    """'Wednesday 27 March 2024, 10:00': a moment in full, as an update email shows it."""
    return f"{_day(moment, 'EEEE')}, {moment:%H:%M}"


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
    # Translators: the viewer's own time zone, as in "18:00–20:30 (your time, Tokyo time)".
    return format_span(start, end, gettext("your time, %(zone)s") % {"zone": zone_label(name)})


def meeting_date(meeting: Meeting) -> str:
    return _day(meeting.local_start)


def moment_in_zone(moment: dt.datetime, meeting: Meeting) -> str:
    """'Wed 20 March 2024, 17:00 (Brussels time)': a moment in the event's zone."""
    local = moment.astimezone(meeting.zone)
    return f"{_day(local)}, {local:%H:%M} ({meeting.zone_label})"


def quarter_label(meeting: Meeting) -> str:
    start = meeting.local_start
    # Translators: a heading of the meetings list, as in "2024 Q1".
    return gettext("%(year)s Q%(quarter)s") % {
        "year": start.year,
        "quarter": (start.month - 1) // 3 + 1,
    }


def reminder_in_words(hours: int) -> str:
    """A reminder's time as people say it: "1 week before", "3 days before", "36 hours
    before"."""
    if hours % 168 == 0:
        weeks = hours // 168
        return ngettext("%(count)d week before", "%(count)d weeks before", weeks) % {
            "count": weeks
        }
    if hours % 24 == 0:
        days = hours // 24
        return ngettext("%(count)d day before", "%(count)d days before", days) % {"count": days}
    return ngettext("%(count)d hour before", "%(count)d hours before", hours) % {"count": hours}


def reminders_in_words(hours: list[int]) -> str:
    """All of a meeting's reminders, the earliest first; "no reminders" for none."""
    if not hours:
        return gettext("no reminders")
    return ", ".join(reminder_in_words(value) for value in sorted(hours, reverse=True))
