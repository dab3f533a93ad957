"""Text helpers for practices: Markdown rendered safely, and text normalised for search."""

import re
import unicodedata

import nh3
from markdown_it import MarkdownIt

# A small set: what a write-up needs, nothing that runs, styles or embeds.
ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "h5", "h6", "hr", "li",
    "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style"},
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer nofollow",
    strip_comments=True,
)

_HEADING = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)


def _shift_heading(match: re.Match) -> str:
    # The page has its own h1: a write-up's headings start at h2.
    return f"<{match.group(1)}h{min(int(match.group(2)) + 1, 6)}"


# CommonMark plus tables. markdown-it-py's work grows linearly with the text, also on
# hostile input such as thousands of nested brackets (Python-Markdown's grew with its
# square: 7.7 s for 16 KB). Raw HTML is parsed as CommonMark says, and left to nh3.
PARSER = MarkdownIt("commonmark", {"html": True}).enable("table")


def render_markdown(text: str) -> str:
    """Markdown to HTML that is safe to show: rendered, headings shifted, then sanitised.

    nh3 runs last, on the final HTML, so nothing the Markdown step lets through
    (raw HTML is allowed in Markdown) can reach the page unsanitised. Pages never call
    this: a practice stores its rendered body when it is saved (Practice.save); the
    preview and the admin render text that is capped at Practice.MAX_BODY_LENGTH.
    """
    html = PARSER.render(text or "")
    return _cleaner.clean(_HEADING.sub(_shift_heading, html))


# Letters that NFKD does not split into a base letter and an accent.
_SPECIAL = str.maketrans({"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d", "ð": "d",
                          "þ": "th", "ı": "i"})  # fmt: skip
_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    """Lower case, accents stripped, words separated by single spaces: "Košice" → "kosice".

    The stored search column and the search words go through the same function, so
    searching is accent- and case-insensitive on any database.
    """
    text = (text or "").lower().translate(_SPECIAL)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", text).strip()


def search_words(query: str, limit: int = 8) -> list[str]:
    """The normalised words of a search box entry (at most `limit`, to bound the query)."""
    return normalise(query).split()[:limit]
