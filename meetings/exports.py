"""The participants of events as the secretariat takes them away: a table of everyone who
answered (or, for a working group, did not) with their answers to the event's questions,
as CSV or as a spreadsheet (XLSX), and a PDF attendance sheet to sign for the reports to
the alliance's funders. The name badges are in meetings/badges.py.

Each export reads its meetings in a fixed number of queries, however many people answered,
and takes at most MAX_MEETINGS meetings (an action on the list) or MAX_PRINTED names (a
PDF) at once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext, ngettext, pgettext
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from asa_portal.spreadsheets import safe_row
from meetings.agenda_pdf import (
    BOLD,
    INK,
    MUTED,
    RULE,
    _hyphenator,
    _register_fonts,
    _style,
    _Text,
    _text,
    a4_pdf,
)
from meetings.models import Attendance, Meeting, Question
from meetings.questions import answer_text
from meetings.timefmt import meeting_when

# An action exports at most this many meetings at once; a PDF holds at most this many
# names (a conference of the alliance has a few hundred).
MAX_MEETINGS = 100
MAX_PRINTED = 2000

# Seated in person first, then online, waiting, declined; those who never answered last.
ORDER = {"in_person": 0, "online": 1, "waitlist": 2, "declined": 3}


def too_many_meetings_message(count: int) -> str:
    return gettext(
        "Export at most %(most)d meetings at once (%(count)d were selected): narrow the "
        "list with its filters first."
    ) % {"most": MAX_MEETINGS, "count": count}


def too_many_printed_message(count: int) -> str:
    return gettext(
        "%(count)d participants are too many for one PDF (at most %(most)d): use the "
        "spreadsheet instead."
    ) % {"count": count, "most": MAX_PRINTED}


def name_key(user) -> tuple[str, str, str]:
    """Sorts by last name as people look themselves up on a list: Čapek beside Capek,
    not after Zeman; case does not matter."""

    def plain(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text or "")
        return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()

    return (plain(user.last_name or user.first_name), plain(user.first_name), user.email)


def listed_name(user) -> str:
    """ "Berg, Anna" on a list sorted by last name; the address for someone without a name."""
    if user.last_name and user.first_name:
        return f"{user.last_name}, {user.first_name}"
    return user.last_name or user.first_name or user.email


def participant_kind(user) -> str:
    return gettext("guest") if user.is_guest else gettext("member")


def export_meetings(meetings: QuerySet[Meeting]) -> list[Meeting]:
    """The meetings with all an export reads, in four queries whatever their size."""
    return list(
        meetings.order_by("start", "pk")
        .select_related("working_group")
        .prefetch_related(
            "questions",
            Prefetch("attendances", queryset=Attendance.objects.select_related("user")),
            "working_group__members",
        )
    )


def printed(meeting: Meeting, *, online: bool = True) -> list[Attendance]:
    """Who is on the attendance sheet and the badges: those with a place (in person, and
    online unless `online` is False), not those waiting or who declined, nor closed
    accounts; by last name."""
    people = meeting.attendances.seated().filter(user__closed_at__isnull=True)
    if not online:
        people = people.filter(answer=Attendance.Answer.IN_PERSON)
    return sorted(people.select_related("user"), key=lambda a: name_key(a.user))


# -- the table: CSV and XLSX -----------------------------------------------------------


@dataclass
class ParticipantTable:
    header: list[str]
    # Each value a str, a datetime (the event's local time, without a zone) or None.
    rows: list[list]


def _local(moment: dt.datetime | None, meeting: Meeting) -> dt.datetime | None:
    return moment.astimezone(meeting.zone).replace(tzinfo=None) if moment else None


def participant_table(meetings: list[Meeting]) -> ParticipantTable:
    """One row per person and meeting: everyone who answered, seated first, then those of
    the working group who did not answer; a column for each question of the meetings."""
    questions: list[tuple[Meeting, Question]] = [
        (meeting, question) for meeting in meetings for question in meeting.questions.all()
    ]
    several = len({meeting.pk for meeting, _ in questions}) > 1
    header = [
        pgettext("export column", "meeting"),
        pgettext("export column", "start"),
        pgettext("export column", "email"),
        pgettext("export column", "name"),
        pgettext("export column", "organisation"),
        pgettext("export column", "country"),
        pgettext("export column", "guest or member"),
        pgettext("export column", "answer"),
        pgettext("export column", "answered at"),
        pgettext("export column", "came"),
        pgettext("export column", "checked in at"),
    ] + [
        f"{question.text} ({meeting.title})" if several else question.text
        for meeting, question in questions
    ]
    rows = []
    for meeting in meetings:
        answered = set()
        attendances = sorted(
            meeting.attendances.all(), key=lambda a: (ORDER[a.bucket], name_key(a.user))
        )
        for attendance in attendances:
            answered.add(attendance.user_id)
            came = gettext("yes") if attendance.checked_in_at else gettext("no")
            rows.append(
                _row(meeting, attendance.user, attendance.label, attendance.answered_at, came)
                + [_local(attendance.checked_in_at, meeting)]
                + _question_cells(questions, attendance.responses or {})
            )
        if meeting.working_group:
            silent = [p for p in meeting.working_group.members.all() if p.pk not in answered]
            for person in sorted(silent, key=name_key):
                rows.append(
                    _row(meeting, person, gettext("No answer"), None, "")
                    + [None]
                    + _question_cells(questions, {})
                )
    return ParticipantTable(header=header, rows=rows)


def _row(meeting: Meeting, person, answer: str, answered_at, came: str) -> list:
    # A closed account's address is a placeholder: no address at all.
    email = "" if person.is_closed else person.email
    return [
        meeting.title,
        _local(meeting.start, meeting),
        email,
        person.get_full_name(),
        person.organisation,
        str(person.country.name) if person.country else "",
        participant_kind(person),
        answer,
        _local(answered_at, meeting),
        came,
    ]


def _question_cells(questions, responses) -> list[str]:
    """One person's answers in the question columns; empty under another meeting's
    questions, which their answers (keyed by question id) never hold."""
    return [answer_text(question, responses) for _meeting, question in questions]


def _csv_value(value) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return "" if value is None else str(value)


def participants_csv(meetings: list[Meeting]) -> str:
    """The table as CSV, every cell safe to open in a spreadsheet (no formula runs)."""
    table = participant_table(meetings)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(safe_row(table.header))
    for cells in table.rows:
        writer.writerow(safe_row(_csv_value(value) for value in cells))
    return out.getvalue()


# Widths of the XLSX columns, in characters (the questions' columns get QUESTION_WIDTH).
WIDTHS = [30, 16, 30, 24, 26, 16, 12, 22, 16, 8, 16]
QUESTION_WIDTH = 24
DATE_FORMAT = "yyyy-mm-dd hh:mm"


def _xlsx_text(value: str) -> str:
    # Characters XML cannot hold (control characters typed into an answer) would make
    # openpyxl refuse the whole file.
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def participants_xlsx(meetings: list[Meeting]) -> bytes:
    """The table as an Excel workbook: typed values (dates are dates), the header fixed
    and filterable. Text is always text: a name that begins with = is never a formula."""
    table = participant_table(meetings)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = gettext("Participants")[:31]
    workbook.properties.creator = "ASA Portal"
    if len(meetings) == 1:
        workbook.properties.title = _xlsx_text(meetings[0].title)
    bold = Font(bold=True)
    for column, title in enumerate(table.header, start=1):
        cell = sheet.cell(row=1, column=column, value=_xlsx_text(title))
        cell.data_type = "s"
        cell.font = bold
        width = WIDTHS[column - 1] if column <= len(WIDTHS) else QUESTION_WIDTH
        sheet.column_dimensions[get_column_letter(column)].width = width
    for number, values in enumerate(table.rows, start=2):
        for column, value in enumerate(values, start=1):
            if isinstance(value, dt.datetime):
                cell = sheet.cell(row=number, column=column, value=value)
                cell.number_format = DATE_FORMAT
            elif value not in (None, ""):
                cell = sheet.cell(row=number, column=column, value=_xlsx_text(str(value)))
                # openpyxl stores a text beginning with = as a formula unless told.
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(table.header))
    sheet.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# -- the attendance sheet (PDF) ----------------------------------------------------------

MARGIN = 15 * mm


def _place(meeting: Meeting) -> str:
    parts = []
    if meeting.is_in_person:
        parts.append(", ".join(p for p in (meeting.venue, meeting.address) if p))
    if meeting.is_online:
        parts.append(gettext("online"))
    return " · ".join(p for p in parts if p) or gettext("To be announced")


def attendance_sheet_pdf(meeting: Meeting, people: list[Attendance]) -> bytes:
    """A4, to be signed at the door: the event's title, date and place, then one row per
    participant (name, organisation, country, a space to sign), by last name, the table's
    header on every page. Online participants are listed, their signature space says so."""
    _register_fonts()
    hyphenate = _hyphenator()

    def para(markup: str, style) -> _Text:
        return _Text(markup, style, hyphenate=hyphenate)

    body = _style("body", fontSize=9.5, leading=12)
    muted = _style("muted", fontSize=9, leading=12, textColor=MUTED)
    bold = _style("bold", fontName=BOLD, fontSize=9.5, leading=12)
    title = _style("title", fontName=BOLD, fontSize=17, leading=21, spaceAfter=4)
    in_person = sum(1 for a in people if a.answer == Attendance.Answer.IN_PERSON)
    online = len(people) - in_person
    counts = ngettext("%(count)d participant", "%(count)d participants", len(people)) % {
        "count": len(people)
    }
    if online:
        counts += " " + gettext("(%(in_person)d in person, %(online)d online)") % {
            "in_person": in_person,
            "online": online,
        }
    story = [
        para(_text(gettext("Attendance sheet")), muted),
        para(_text(meeting.title), title),
        para(_text(meeting_when(meeting)), body),
        para(_text(_place(meeting)), body),
        para(_text(counts), muted),
        Spacer(0, 5 * mm),
    ]
    heads = [
        "#",
        gettext("Name"),
        gettext("Organisation"),
        gettext("Country"),
        gettext("Signature"),
    ]
    rows = [[para(_text(head), bold) for head in heads]]
    for number, attendance in enumerate(people, start=1):
        user = attendance.user
        sign = "" if attendance.answer == Attendance.Answer.IN_PERSON else gettext("online")
        rows.append(
            [
                para(str(number), muted),
                para(_text(listed_name(user)), body),
                para(_text(user.organisation), body),
                para(_text(user.country.name if user.country else ""), body),
                para(_text(sign), muted),
            ]
        )
    if not people:
        rows.append(["", para(_text(gettext("Nobody has a place yet.")), muted), "", "", ""])
    table = Table(
        rows,
        colWidths=[10 * mm, 52 * mm, 50 * mm, 28 * mm, None],
        repeatRows=1,
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
                ("LINEBELOW", (0, 0), (-1, 0), 1, INK),
                # Room to sign: rows about a centimetre tall.
                ("TOPPADDING", (0, 1), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 8),
                ("LINEBEFORE", (-1, 0), (-1, -1), 0.5, RULE),
            ]
        )
    )
    story.append(table)

    return a4_pdf(
        story,
        title=gettext("Attendance sheet: %(title)s") % {"title": meeting.title},
        subject=meeting_when(meeting),
        footer=meeting.title[:90],
        margin=MARGIN,
        footer_y=9 * mm,
        bottom_margin=MARGIN + 3 * mm,
    )
