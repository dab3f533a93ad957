"""/embed/events/: the next public events for other websites' frames."""

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.meetings import MeetingFactory, in_days

EMBED = "/embed/events/"


def frame_ancestors(response) -> str:
    policy = response["Content-Security-Policy"]
    return next(p.strip() for p in policy.split(";") if p.strip().startswith("frame-ancestors"))


def test_only_the_configured_origins_may_frame_the_page(world, client, settings):
    settings.EMBED_ALLOWED_ORIGINS = ["https://www.example.org", "http://localhost:8080"]
    response = client.get(EMBED)
    assert frame_ancestors(response) == (
        "frame-ancestors https://www.example.org http://localhost:8080"
    )
    assert "X-Frame-Options" not in response


def test_with_no_origin_configured_no_website_may_frame_it(world, client, settings):
    settings.EMBED_ALLOWED_ORIGINS = []
    assert frame_ancestors(client.get(EMBED)) == "frame-ancestors 'none'"


def test_the_page_from_the_cache_keeps_its_frame_policy(world, client, settings):
    settings.EMBED_ALLOWED_ORIGINS = ["https://www.example.org"]
    client.get(EMBED)
    again = client.get(EMBED)
    assert frame_ancestors(again) == "frame-ancestors https://www.example.org"
    assert "X-Frame-Options" not in again


def test_the_other_pages_still_refuse_every_frame(world, client, settings):
    settings.EMBED_ALLOWED_ORIGINS = ["https://www.example.org"]
    response = client.get("/meetings/")
    assert frame_ancestors(response) == "frame-ancestors 'none'"
    assert response["X-Frame-Options"] == "DENY"


def test_it_lists_the_upcoming_public_events_and_nothing_private(world, client):
    html = client.get(EMBED).content.decode()
    assert "WG4 meeting in Stuttgart" in html
    assert "Cancelled webinar" in html
    for secret in world.secrets:
        assert secret not in html
    assert "ASA conference 2024" not in html  # past


def test_the_number_of_events_is_bounded(world, client):
    def count(query):
        return len(re.findall(r'<li class="event', client.get(EMBED + query).content.decode()))

    assert count("?count=1") == 1
    assert count("?count=500") == 2  # all there are, at most 20
    assert count("?count=many") == 2


def test_the_page_costs_the_same_queries_for_2_and_20_events(world, client, settings):
    from django.core.cache import cache

    def queries():
        cache.clear()
        with CaptureQueriesContext(connection) as context:
            client.get(EMBED + "?count=20")
        return len(context)

    few = queries()
    for day in range(18):
        MeetingFactory(start=in_days(50 + day), end=in_days(50 + day, hour=12))
    assert queries() == few


def test_it_filters_as_the_meetings_page_does(world, client):
    html = client.get(EMBED + "?kind=webinar").content.decode()
    assert "Cancelled webinar" in html
    assert "WG4 meeting in Stuttgart" not in html


def test_an_unknown_filter_says_what_is_wrong(world, client):
    response = client.get(EMBED + "?working_group=WG99")
    assert response.status_code == 400
    assert "working_group: Select a valid choice." in response.content.decode()


class Landmarks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.scripts, self.styles, self.lang = [], 0, 0, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag == "html":
            self.lang = attrs.get("lang")
        self.scripts += tag == "script"
        self.styles += tag == "style" or "style" in attrs


def test_it_is_plain_html_with_a_language_landmarks_and_no_script_or_inline_style(world, client):
    page = Landmarks()
    page.feed(client.get(EMBED).content.decode())
    assert page.lang == "en"
    assert {"main", "footer", "h1"} <= set(page.tags)
    assert page.scripts == 0
    assert page.styles == 0


def test_theme_colours_and_font_from_the_address_become_custom_properties(world, client):
    html = client.get(EMBED + "?accent=%23AA0000&font=serif&text=nonsense").content.decode()
    link = re.search(r'href="(/embed/events/theme\.css\?[^"]*)"', html).group(1)
    assert link == "/embed/events/theme.css?accent=aa0000&amp;font=serif"
    assert "<!-- Ignored: text: a colour such as 0b3a6e or #0b3a6e. -->" in html
    css = client.get(link.replace("&amp;", "&")).content.decode()
    assert "--asa-embed-accent: #aa0000;" in css
    assert '--asa-embed-font: Georgia, "Times New Roman", serif;' in css


def test_the_theme_stylesheet_writes_nothing_it_did_not_check(world, client):
    response = client.get("/embed/events/theme.css?accent=red;}body{display:none&font=x")
    css = response.content.decode()
    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert "display" not in css
    assert "/* Ignored: accent: a colour such as 0b3a6e or #0b3a6e. */" in css
    assert css.endswith(":root {\n}\n")


def test_without_theme_parameters_no_theme_stylesheet_is_linked(world, client):
    assert "theme.css" not in client.get(EMBED).content.decode()


@pytest.mark.parametrize("value", ["www.example.org", "https://example.org/path", "*"])
def test_a_wrong_origin_in_the_setting_stops_start_up_with_a_message(value):
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={"DJANGO_SETTINGS_MODULE": "asa_portal.settings", "EMBED_ALLOWED_ORIGINS": value},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode != 0
    assert "EMBED_ALLOWED_ORIGINS" in result.stderr
    assert "is not an origin" in result.stderr
