"""Upcoming public events as a page other websites show in a frame (/embed/events/).

Plain HTML and one stylesheet, no JavaScript. Which websites may frame it is the
Content-Security-Policy's frame-ancestors, from settings.EMBED_ALLOWED_ORIGINS; every
other site's frame stays empty. The look follows a few CSS custom properties that the
embedding site sets through the address (see THEME and README.md).
"""

from __future__ import annotations

import re
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from asa_portal.cache import public_page
from meetings.filters import MeetingFilter
from meetings.models import Meeting

DEFAULT_COUNT = 5
MAX_COUNT = 20

# Address parameter -> the custom property of static/embed/events.css it sets.
THEME = {
    "accent": "--asa-embed-accent",
    "text": "--asa-embed-text",
    "muted": "--asa-embed-muted",
    "background": "--asa-embed-background",
    "border": "--asa-embed-border",
    "font": "--asa-embed-font",
}
COLOUR = re.compile(r"#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
# Font families by name: a free-form value would be CSS written by the address.
FONTS = {
    "system": 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
    "sans-serif": "Helvetica, Arial, sans-serif",
    "serif": 'Georgia, "Times New Roman", serif',
}


def frameable_by_embedders(view):
    """Lets the origins in EMBED_ALLOWED_ORIGINS (read per request) frame the page.

    Applied outside public_page, so a page served from the cache gets it too.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        origins = list(settings.EMBED_ALLOWED_ORIGINS) or ["'none'"]
        response._csp_replace = {"frame-ancestors": origins}
        # Browsers ignore X-Frame-Options once frame-ancestors is set; old ones do not.
        response.xframe_options_exempt = True
        return response

    return wrapper


def read_theme(query) -> tuple[dict[str, str], list[str]]:
    """The theme parameters of an address that are right (colours as 6 or 3 hex digits,
    fonts by name), and what was wrong with the others."""
    values, wrong = {}, []
    for name in THEME:
        raw = query.get(name, "")
        if not raw:
            continue
        if name == "font":
            if raw in FONTS:
                values[name] = raw
            else:
                wrong.append(f"{name}: one of {', '.join(FONTS)}")
        elif match := COLOUR.fullmatch(raw):
            values[name] = match.group(1).lower()
        else:
            wrong.append(f"{name}: a colour such as 0b3a6e or #0b3a6e")
    return values, wrong


def css_value(name: str, value: str) -> str:
    return FONTS[value] if name == "font" else f"#{value}"


def _count(query) -> int:
    try:
        return min(max(int(query.get("count", DEFAULT_COUNT)), 1), MAX_COUNT)
    except ValueError:
        return DEFAULT_COUNT


@frameable_by_embedders
@public_page
def events(request: HttpRequest) -> HttpResponse:
    """The next public events (5; `count` up to 20), filtered as /meetings/ is."""
    # What a visitor sees on /meetings/, whoever opens the frame.
    upcoming = (
        Meeting.objects.visible_to(AnonymousUser())
        .upcoming()
        .select_related("working_group", "host_region")
    )
    filterset = MeetingFilter(request.GET, queryset=upcoming)
    status = 200
    meetings, problems = [], []
    if filterset.is_valid():
        meetings = list(filterset.qs[: _count(request.GET)])
    else:
        # Said on the page, where whoever sets up the frame sees it at once.
        status = 400
        problems = [
            f"{name}: {' '.join(errors)}" for name, errors in filterset.form.errors.items()
        ]
    theme, theme_problems = read_theme(request.GET)
    return render(
        request,
        "embed/events.html",
        {
            "meetings": meetings,
            "problems": problems,
            "theme_query": urlencode(theme),
            "theme_problems": theme_problems,
        },
        status=status,
    )


@public_page
def theme(request: HttpRequest) -> HttpResponse:
    """The custom properties of /embed/events/'s address, as a stylesheet (no inline
    style: the CSP allows styles from the portal's files only)."""
    values, wrong = read_theme(request.GET)
    lines = [f"/* Ignored: {problem}. */" for problem in wrong]
    lines.append(":root {")
    lines += [f"  {THEME[name]}: {css_value(name, value)};" for name, value in values.items()]
    lines.append("}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/css; charset=utf-8")
