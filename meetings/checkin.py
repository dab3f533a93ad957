"""Check-in at the door: the code each answer carries (Attendance.checkin_code), the
address its QR code holds, and the secretariat's marks of who came.

The QR code holds the check-in page's own address with the code, so the secretariat's
phone opens it with any camera app, also where the browser cannot read QR codes itself.

Who came is Attendance.checked_in_at, for those in the room and those who came online
alike. The door decides: a person on the waiting list may be let in (the page warns), a
person who declined may not until their answer is changed."""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext

from meetings.models import CHECKIN_ALPHABET, Attendance, Meeting

logger = logging.getLogger(__name__)

CODE_LENGTH = 10
# What one search may cost: its words, and the people it lists.
SEARCH_MAX_WORDS = 5
SEARCH_MAX_RESULTS = 20
# What people type between a code's characters to group them, read from a badge or a
# phone: spaces and every kind of dash.
_CODE_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")
_CODE = re.compile(f"[{CHECKIN_ALPHABET}]{{{CODE_LENGTH}}}")


def checkin_url(attendance) -> str:
    """The absolute address in a participant's QR code: the meeting's check-in page, with
    the participant's code."""
    meeting = attendance.meeting
    query = urlencode({"code": attendance.checkin_code})
    return f"{settings.SITE_URL}/meetings/{meeting.slug}/check-in/?{query}"


def checkin_code_normalise(typed: str) -> str:
    """The code as stored, from what was typed: upper case, without spaces and dashes
    ("ab3d-ef7h 9k" is "AB3DEF7H9K"). A whole check-in address (pasted from a camera
    app) gives its code."""
    typed = typed.strip()
    if "code=" in typed:
        codes = parse_qs(urlsplit(typed).query).get("code")
        if codes:
            typed = codes[0]
    return _CODE_SEPARATORS.sub("", typed).upper()


@dataclass(frozen=True)
class CodeLookup:
    """What a typed or scanned code finds: the person's answer to this meeting, or why
    not (`problem`, a sentence for the page)."""

    code: str
    attendance: Attendance | None = None
    problem: str = ""


def checkin_find(*, meeting: Meeting, typed: str) -> CodeLookup:
    """The participant of `meeting` whose code was typed (spaces, dashes and case do not
    matter). A code of another event, an unknown code or something that is no code at
    all finds no one and says so; one query at most."""
    code = checkin_code_normalise(typed)
    if not _CODE.fullmatch(code):
        return CodeLookup(
            code,
            problem=gettext(
                "“%(typed)s” is not a check-in code: a code has %(length)d letters and digits."
            )
            % {"typed": typed.strip()[:40], "length": CODE_LENGTH},
        )
    attendance = (
        Attendance.objects.select_related("user", "meeting").filter(checkin_code=code).first()
    )
    if attendance is None:
        return CodeLookup(code, problem=gettext("No one has the code %(code)s.") % {"code": code})
    if attendance.meeting_id != meeting.pk:
        return CodeLookup(
            code,
            problem=gettext("The code %(code)s is for another event: %(title)s.")
            % {"code": code, "title": attendance.meeting.title},
        )
    return CodeLookup(code, attendance=attendance)


def checkin_search(*, meeting: Meeting, text: str) -> list[Attendance]:
    """The meeting's participants whose first or last name, organisation or email holds
    each word typed, by last name; at most SEARCH_MAX_RESULTS + 1, so that the page can
    say there are more.

    Case and accents do not matter ("novakova kosice" finds Jana Nováková of Košice IT):
    at a door names are typed fast on a phone's keyboard, and SQLite's LIKE ignores the
    case of ASCII letters only. So the names are compared here, in two queries whatever
    the number of participants: a conference's names are a few hundred short strings."""
    words = [_folded(word) for word in text.split()[:SEARCH_MAX_WORDS]]
    if not words:
        return []
    rows = meeting.attendances.order_by("user__last_name", "user__first_name", "pk").values_list(
        "pk", "user__first_name", "user__last_name", "user__organisation", "user__email"
    )
    chosen = []
    for pk, *fields in rows.iterator():
        haystack = _folded(" ".join(fields))
        if all(word in haystack for word in words):
            chosen.append(pk)
            if len(chosen) > SEARCH_MAX_RESULTS:
                break
    found = meeting.attendances.filter(pk__in=chosen).select_related("user").in_bulk()
    return [found[pk] for pk in chosen if pk in found]


def _folded(text: str) -> str:
    """Lower case without accents: "Göteborg" and "GOTEBORG" both give "goteborg"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def checkin_mark(attendance: Attendance, *, by) -> bool:
    """Marks the participant present (in the room, or come online: the same mark) and
    says whether this call did it. Marking twice keeps the first time.

    Refused (ValidationError) for a person who declined, and at a cancelled meeting. A
    person on the waiting list is marked: the door decides (the page warns); they stay on
    the list, so the seats and the list's order are unchanged. Who marked is logged."""
    if attendance.answer == Attendance.Answer.DECLINED:
        raise ValidationError(
            gettext(
                "%(name)s declined this event. Change their answer in the admin first if "
                "they take part after all."
            )
            % {"name": attendance.user.get_full_name() or attendance.user.email}
        )
    if attendance.meeting.is_cancelled:
        raise ValidationError(gettext("This event has been cancelled: no one checks in."))
    # One UPDATE that only an unmarked row matches: two phones at the door marking the
    # same person at once keep the first time, and only one of them says it marked.
    marked = Attendance.objects.filter(pk=attendance.pk, checked_in_at__isnull=True).update(
        checked_in_at=timezone.now()
    )
    attendance.refresh_from_db(fields=["checked_in_at"])
    if marked:
        logger.info("Check-in: answer %s marked present by person %s", attendance.pk, by.pk)
    return bool(marked)


def checkin_undo(attendance: Attendance, *, by) -> bool:
    """Takes a mistaken mark back, and says whether there was one."""
    undone = Attendance.objects.filter(pk=attendance.pk, checked_in_at__isnull=False).update(
        checked_in_at=None
    )
    attendance.checked_in_at = None
    if undone:
        logger.info("Check-in: answer %s unmarked by person %s", attendance.pk, by.pk)
    return bool(undone)


def checkin_counts(meeting: Meeting) -> dict[str, int]:
    """Who came, in one query: of those with a seat in the room (`in_person`) and those
    online (`online`), how many are checked in (`*_came`); together `expected` and `came`.
    `waitlist_came`: people let in from the waiting list, counted apart. Those who
    declined count nowhere."""
    came = Q(checked_in_at__isnull=False)
    seated = Attendance.BUCKETS["in_person"]
    online = Attendance.BUCKETS["online"]
    counts = meeting.attendances.aggregate(
        in_person=Count("pk", filter=seated),
        in_person_came=Count("pk", filter=seated & came),
        online=Count("pk", filter=online),
        online_came=Count("pk", filter=online & came),
        waitlist_came=Count("pk", filter=Attendance.BUCKETS["waitlist"] & came),
    )
    counts["expected"] = counts["in_person"] + counts["online"]
    counts["came"] = counts["in_person_came"] + counts["online_came"]
    return counts
