"""The agenda PDF wraps words as the page does, in every language: labels are never
broken, and a word too long for its column is hyphenated where its language allows,
never cut without a hyphen."""

import io

import pyphen
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle

from meetings.agenda_pdf import _Text, agenda_pdf
from meetings.models import agenda_schedule
from tests.factories.meetings import AgendaItemFactory, MeetingFactory
from tests.factories.regions import PartnerFactory, RegionFactory

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _ in settings.LANGUAGES]
# 44 letters: wider than the "Presented by" column (55 mm) in any of the PDF's fonts.
COMPOUND = "Donaudampfschifffahrtsgesellschaftskapitänin"
FACT_LABELS = ("When", "What", "Where", "Online", "Co-organisers", "Host region")


def lines_of(meeting, language: str) -> list[str]:
    with translation.override(language):
        items = meeting.agenda_items.select_related("presenting_region", "showcased_practice")
        pdf = agenda_pdf(meeting, agenda_schedule(meeting, items))
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return [line.strip() for line in text.splitlines()]


@pytest.fixture
def meeting():
    meeting = MeetingFactory(
        slug="words",
        title="WG4 Regional Implementation meeting",
        partners=[PartnerFactory(acronym="ARA", name="Automotive Regions Alliance")],
        host_region=RegionFactory(name="Stuttgart", slug="stuttgart"),
    )
    AgendaItemFactory(
        meeting=meeting,
        position=1,
        title="Best practice: safety training for electric vehicles in garages and fire brigades",
        presenters="Anna Weber",
    )
    return meeting


def test_the_german_co_organisers_label_is_printed_whole(meeting):
    lines = lines_of(meeting, "de")  # one line of text per line of a cell
    assert "Mitveranstalter" in lines
    assert "Gastgeberregion" in lines


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_label_of_the_facts_stays_on_one_line(meeting, language):
    lines = lines_of(meeting, language)
    with translation.override(language):
        labels = [gettext(label) for label in FACT_LABELS]
    for label in labels:
        assert label in lines, (label, lines)


def pieces_of(word: str, lines: list[str]) -> list[str]:
    """The lines that `word` was printed on, hyphens kept."""
    start = next(n for n, line in enumerate(lines) if line.endswith("-") and word[:8] in line)
    pieces = []
    for line in lines[start:]:
        pieces.append(line)
        if not line.endswith("-"):
            return pieces
    raise AssertionError(lines)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_word_too_long_for_its_column_is_hyphenated_where_its_language_allows(meeting, language):
    AgendaItemFactory(meeting=meeting, position=2, title="Welcome", presenters=COMPOUND)
    pieces = pieces_of(COMPOUND, lines_of(meeting, language))
    assert len(pieces) > 1
    assert "".join(piece.removesuffix("-") for piece in pieces) == COMPOUND
    allowed = pyphen.Pyphen(lang=pyphen.language_fallback(language)).positions(COMPOUND)
    heads = [piece.removesuffix("-") for piece in pieces[:-1]]
    breaks = [len("".join(heads[: n + 1])) for n in range(len(heads))]
    assert set(breaks) <= set(allowed), (pieces, allowed)


@pytest.mark.parametrize("language", ["de", "en"])
def test_words_that_fit_on_a_line_wrap_whole_without_hyphens(meeting, language):
    lines = lines_of(meeting, language)
    assert "Best practice: safety training for electric" in lines
    assert "vehicles in garages and fire brigades" in lines
    assert not [line for line in lines if line.endswith("-")], lines


def test_a_paragraph_split_across_pages_keeps_hyphenating_its_long_words():
    style = ParagraphStyle("test", fontName="Helvetica", fontSize=10, leading=12)
    text = " ".join(["Agenda"] * 40 + [COMPOUND])
    paragraph = _Text(text, style, hyphenate=pyphen.Pyphen(lang="de").iterate)
    paragraph.wrap(100, 1000)
    first, rest = paragraph.split(100, 30)  # two lines fit on this page
    assert rest._hyphenate is paragraph._hyphenate
    rest.wrap(100, 1000)
    last_lines = [" ".join(words) for _, words in rest.blPara.lines][-3:]
    assert any(line.endswith("-") for line in last_lines), last_lines
