"""Name badges for an event as a PDF to print on A4 and cut: eight a page (two across,
four down, 90 × 60 mm, the size of common badge holders), each with the event, the
person's name large, their organisation and country.

A name is set as large as it fits its box with every word whole (26 pt for most names, on
one line; a long one smaller, on two or three lines); a name too long even at the
smallest size is broken and scaled down into its box: nothing is cut and nothing runs over
the badge's edge. The fonts are the agenda's (meetings/agenda_pdf.py),
which have the letters of every member country (č, ö, ő, ł …).
"""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext
from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph
from reportlab.platypus.flowables import KeepInFrame

from meetings.agenda_pdf import BOLD, INK, MUTED, REGULAR, _register_fonts, _text
from meetings.models import Attendance, Meeting
from meetings.timefmt import long_date

COLUMNS, ROWS = 2, 4
WIDTH, HEIGHT = 90 * mm, 60 * mm
PADDING = 6 * mm
PER_PAGE = COLUMNS * ROWS
# The badges sit in the middle of the page; the rest is the printer's margin.
LEFT = (A4[0] - COLUMNS * WIDTH) / 2
BOTTOM = (A4[1] - ROWS * HEIGHT) / 2
CUT = HexColor("#b0b0b0")

# The boxes inside a badge, from the top: the event, the name, organisation and country.
EVENT_HEIGHT = 9 * mm
NAME_HEIGHT = 22 * mm
ORGANISATION_HEIGHT = 10 * mm
COUNTRY_HEIGHT = 5 * mm
NAME_SIZES = [26, 24, 22, 20, 18, 16, 14, 12]


def _style(name: str, size: float, **options) -> ParagraphStyle:
    base = {"fontName": REGULAR, "textColor": INK, "alignment": TA_CENTER}
    return ParagraphStyle(name, fontSize=size, leading=size * 1.18, **{**base, **options})


def _fits(text: str, style, width: float, height: float) -> Paragraph | None:
    """The paragraph when it fits the box with every word whole, else None."""
    if any(stringWidth(word, style.fontName, style.fontSize) > width for word in text.split()):
        return None
    paragraph = Paragraph(_text(text), style)
    _, used = paragraph.wrap(width, height * 10)
    return paragraph if used <= height else None


def _fitted(text: str, name: str, sizes: list[float], width: float, height: float, **options):
    """`text` at the largest of `sizes` that fits the box; at the smallest size, broken
    and scaled down into it (KeepInFrame) when even that does not fit."""
    for size in sizes:
        style = _style(f"{name}{size}", size, **options)
        paragraph = _fits(text, style, width, height)
        if paragraph is not None:
            return paragraph
    smallest = sizes[-1]
    style = _style(f"{name}-shrunk", smallest, **options)
    return KeepInFrame(width, height, [Paragraph(_text(text), style)], mode="shrink")


def _draw_box(canvas: Canvas, flowable, x: float, top: float, width: float, height: float):
    """Draws the flowable in the box whose top-left corner is (x, top), centred in it
    from top to bottom."""
    _, used = flowable.wrapOn(canvas, width, height)
    used = min(used, height)
    flowable.drawOn(canvas, x, top - height + (height - used) / 2)


def _badge(canvas: Canvas, attendance: Attendance, event: str, x: float, y: float) -> None:
    user = attendance.user
    canvas.setStrokeColor(CUT)
    canvas.setDash(2, 2)
    canvas.setLineWidth(0.4)
    canvas.rect(x, y, WIDTH, HEIGHT)
    canvas.setDash()
    width = WIDTH - 2 * PADDING
    left, top = x + PADDING, y + HEIGHT - PADDING
    boxes = [
        (
            _fitted(event, "event", [8.5, 7.5, 6.5], width, EVENT_HEIGHT, textColor=MUTED),
            EVENT_HEIGHT,
        ),
        (
            _fitted(
                user.get_full_name() or user.email,
                "name",
                NAME_SIZES,
                width,
                NAME_HEIGHT,
                fontName=BOLD,
                textColor=INK,
            ),
            NAME_HEIGHT,
        ),
        (
            _fitted(
                user.organisation,
                "organisation",
                [12, 11, 10, 9],
                width,
                ORGANISATION_HEIGHT,
                textColor=INK,
            )
            if user.organisation
            else None,
            ORGANISATION_HEIGHT,
        ),
        (
            _fitted(
                str(user.country.name) if user.country else "",
                "country",
                [9.5, 8.5],
                width,
                COUNTRY_HEIGHT,
                textColor=MUTED,
            )
            if user.country
            else None,
            COUNTRY_HEIGHT,
        ),
    ]
    for flowable, height in boxes:
        if flowable is not None:
            _draw_box(canvas, flowable, left, top, width, height)
        top -= height


def badges_pdf(meeting: Meeting, people: list[Attendance]) -> bytes:
    """The badges of `people` (in their order) for `meeting`, eight an A4 page."""
    _register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, lang=translation.get_language() or "en")
    canvas.setTitle(gettext("Name badges: %(title)s") % {"title": meeting.title})
    canvas.setAuthor("ASA Portal")
    event = f"{meeting.title} · {long_date(meeting.local_start.date())}"
    if not people:
        canvas.setFont(REGULAR, 11)
        canvas.setFillColor(INK)
        canvas.drawString(LEFT, A4[1] - BOTTOM, gettext("Nobody has a place yet."))
    for index, attendance in enumerate(people):
        place = index % PER_PAGE
        if index and not place:
            canvas.showPage()
        column, row = place % COLUMNS, place // COLUMNS
        x = LEFT + column * WIDTH
        y = A4[1] - BOTTOM - (row + 1) * HEIGHT
        _badge(canvas, attendance, event, x, y)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
