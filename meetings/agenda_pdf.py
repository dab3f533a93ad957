"""A meeting's agenda as a PDF that reads like its page: title, when and where, the
timetable with presenters and regions.

ReportLab draws it server-side: a pure-Python wheel (with Pillow's), so it installs on a
fresh machine with Python alone, as the README promises; an HTML-to-PDF engine such as
WeasyPrint would need the system's Pango. Its own fonts lack letters of several member
countries (ą, ł, ő, ř …), so the DejaVu Sans files beside this module are embedded.

Words wrap whole, as on the page. A word wider than its whole column (a German compound
in a narrow one) is hyphenated where the reader's language allows (Pyphen's dictionaries,
which ReportLab uses for hyphenation), never cut without a hyphen; the labels' column is
as wide as the longest label in the reader's language, so no label is broken at all.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from html import escape
from pathlib import Path

import pyphen
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from meetings.models import Meeting, Slot, kind_of_group
from meetings.timefmt import long_date, meeting_when

FONTS = Path(__file__).resolve().parent / "fonts"
REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"
# The site's colours (static/css/site.css): text, muted text, rules, break rows.
INK, MUTED, RULE, SHADE = (
    colors.HexColor("#212529"),
    colors.HexColor("#595c5f"),
    colors.HexColor("#777777"),
    colors.HexColor("#f1f3f5"),
)
MARGIN = 18 * mm
# The facts' labels ("When", "Co-organisers"): at least this wide, wider if a label of the
# reader's language needs it; the value beside it keeps the rest of the line.
LABEL_WIDTH, LABEL_WIDTH_MAX, CELL_PADDING = 32 * mm, 60 * mm, 6

Hyphenator = Callable[[str], Iterable[tuple[str, str]]]


def _register_fonts() -> None:
    if REGULAR not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(REGULAR, str(FONTS / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(FONTS / "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD)


def _style(name: str, **options) -> ParagraphStyle:
    base = {"fontName": REGULAR, "fontSize": 10, "leading": 13, "textColor": INK}
    return ParagraphStyle(name, alignment=TA_LEFT, **{**base, **options})


def _hyphenator() -> Hyphenator | None:
    """Where a word may be broken, in the reader's language: (head, tail) pairs, the
    longest head first. None for a language Pyphen has no dictionary for."""
    language = pyphen.language_fallback((translation.get_language() or "en").replace("-", "_"))
    return pyphen.Pyphen(lang=language).iterate if language else None


class _Text(Paragraph):
    """A paragraph whose words wrap whole; only a word wider than the whole column is
    hyphenated (ReportLab offers a break to `hyphenate` at every line's end: it is given
    none for a word that fits on a line of its own)."""

    def __init__(self, text, style, *args, hyphenate: Hyphenator | None = None, **options):
        # Its own style: wrap() sets the hyphenation for its own width.
        super().__init__(text, ParagraphStyle(style.name, parent=style), *args, **options)
        self._hyphenate = hyphenate

    def split(self, availWidth, availHeight):  # noqa: N803
        # ReportLab makes the parts as self.__class__(None, style, frags=…).
        parts = super().split(availWidth, availHeight)
        for part in parts:
            if isinstance(part, _Text):
                part._hyphenate = self._hyphenate
        return parts

    def wrap(self, availWidth, availHeight):  # noqa: N803 (ReportLab's names)
        if self._hyphenate is not None:
            hyphenate, style = self._hyphenate, self.style
            width = availWidth - style.leftIndent - style.rightIndent

            def too_long_only(word: str) -> Iterable[tuple[str, str]]:
                if stringWidth(word, style.fontName, style.fontSize) <= width:
                    return ()
                return hyphenate(word)

            style.hyphenationLang = too_long_only
        return super().wrap(availWidth, availHeight)


def _text(value: object) -> str:
    """Paragraphs read a small markup: everything typed is escaped."""
    return escape(str(value or ""), quote=False)


def _facts(meeting: Meeting) -> list[tuple[str, str]]:
    """The same facts, in the same order, as the page's "When / What / Where" list."""
    what = kind_of_group(meeting)
    what += f" · {meeting.get_format_display()}"
    if meeting.visibility == Meeting.Visibility.MEMBERS:
        what += " · " + gettext("members only")
    facts = [(gettext("When"), meeting_when(meeting)), (gettext("What"), what)]
    if meeting.is_in_person:
        place = ", ".join(part for part in (meeting.venue, meeting.address) if part)
        facts.append((gettext("Where"), place or gettext("To be announced")))
    if meeting.is_online:
        # Never the link itself: a printed agenda travels further than the members.
        facts.append(
            (
                gettext("Online"),
                gettext("Members find the link to join on the meeting page."),
            )
        )
    partners = [f"{p.acronym} ({p.name})" for p in meeting.partners.all()]
    if partners:
        facts.append((gettext("Co-organisers"), ", ".join(partners)))
    if meeting.host_region:
        facts.append((gettext("Host region"), meeting.host_region.name))
    return facts


def _presented_by(slot: Slot) -> str:
    item = slot.item
    region = item.presenting_region.name if item.presenting_region else ""
    return ", ".join(part for part in (item.presenters, region) if part)


def agenda_pdf(meeting: Meeting, slots: list[Slot]) -> bytes:
    """The agenda of `meeting` (its slots from agenda_schedule) as PDF bytes."""
    _register_fonts()
    hyphenate = _hyphenator()

    def para(markup: str, style: ParagraphStyle) -> Paragraph:
        return _Text(markup, style, hyphenate=hyphenate)

    body = _style("body")
    small = _style("small", fontSize=8.5, leading=11, textColor=MUTED)
    bold = _style("bold", fontName=BOLD)
    url = settings.SITE_URL + meeting.get_absolute_url()

    story = []
    if meeting.is_cancelled:
        story.append(
            para(
                _text(gettext("This meeting has been cancelled.")),
                _style("alert", fontName=BOLD),
            )
        )
    if meeting.working_group:
        group = f"{meeting.working_group.code} {meeting.working_group.name}"
        story.append(para(_text(group), small))
    story.append(
        para(
            _text(meeting.title),
            _style("title", fontName=BOLD, fontSize=20, leading=25, spaceAfter=8),
        )
    )

    facts = _facts(meeting)
    widest = max(stringWidth(label, bold.fontName, bold.fontSize) for label, _ in facts)
    label_width = min(max(LABEL_WIDTH, widest + CELL_PADDING + 1), LABEL_WIDTH_MAX)
    facts = Table(
        [[para(_text(label), bold), para(_text(value), body)] for label, value in facts],
        colWidths=[label_width, None],
        hAlign="LEFT",
    )
    facts.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (0, -1), 0)])
    )
    story += [facts, Spacer(0, 6 * mm)]

    story.append(
        para(
            _text(gettext("Agenda")),
            _style("h2", fontName=BOLD, fontSize=14, leading=18, spaceAfter=2),
        )
    )
    if not slots:
        story.append(para(_text(gettext("The agenda will follow.")), body))
    else:
        times_in = gettext("Times in %(zone)s") % {"zone": meeting.zone_label}
        story.append(para(_text(times_in), small))
        story.append(Spacer(0, 2 * mm))
        heads = (gettext("Time"), gettext("Item"), gettext("Presented by"))
        rows = [[para(_text(head), bold) for head in heads]]
        row_styles = []
        for slot in slots:
            if slot.new_day:
                # Over several days, a row naming each day before its first item.
                day = len(rows)
                rows.append([para(_text(long_date(slot.new_day)), bold), "", ""])
                row_styles.append(("SPAN", (0, day), (-1, day)))
            number = len(rows)
            item = slot.item
            title = _text(item.title)
            practice = item.showcased_practice
            if practice and practice.status == practice.Status.PUBLISHED:
                note = _text(gettext("Best practice: %(title)s") % {"title": practice.title})
                title += f'<br/><font size="8.5" color="#595c5f">{note}</font>'
            rows.append(
                [
                    para(slot.span, body),
                    para(title, body),
                    para(_text(_presented_by(slot)), body),
                ]
            )
            if item.kind == item.Kind.BREAK:
                row_styles.append(("BACKGROUND", (0, number), (-1, number), SHADE))
        table = Table(rows, colWidths=[27 * mm, None, 55 * mm], repeatRows=1, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
                    ("LINEBELOW", (0, 0), (-1, 0), 1, INK),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                    *row_styles,
                ]
            )
        )
        story.append(table)

    return a4_pdf(
        story,
        title=gettext("Agenda: %(title)s") % {"title": meeting.title},
        subject=meeting_when(meeting),
        footer=f"ASA Portal · {url}",
        margin=MARGIN,
        footer_y=10 * mm,
        bottom_margin=MARGIN + 4 * mm,
    )


def a4_pdf(
    story: list,
    *,
    title: str,
    subject: str,
    footer: str,
    margin: float,
    footer_y: float,
    bottom_margin: float,
) -> bytes:
    """The portal's printed pages (agenda, attendance sheet): A4 in the active language,
    `footer` and the page number at the foot of every page, so that a loose page still
    says what it belongs to."""

    def draw_footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(margin, footer_y, footer)
        canvas.drawRightString(
            A4[0] - margin, footer_y, gettext("Page %(number)s") % {"number": doc.page}
        )
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=bottom_margin,
        title=title,
        author="ASA Portal",
        subject=subject,
        # The PDF's own language (screen readers read it with the right voice).
        lang=translation.get_language() or "en",
    )
    document.build(story, onFirstPage=draw_footer, onLaterPages=draw_footer)
    return buffer.getvalue()
