"""In Chromium: another website (a static page on another port) frames /embed/events/;
the API's interactive docs run under the site's Content-Security-Policy."""

import functools
import http.server
import threading

import pytest

from tests.api.world import make_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(region, other_region, member):
    return make_world(region, other_region, member)


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def other_site(tmp_path, live_server):
    """http://127.0.0.1:<free port>/ serving a page that frames the portal's events."""
    embed = f"{live_server.url}/embed/events/?accent=aa0000&font=serif"
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ASA</title>'
        '<link rel="icon" href="data:,"></head>'
        f'<body><main><iframe src="{embed}" title="Upcoming ASA events" width="400" '
        'height="500"></iframe></main></body></html>'
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_an_allowed_website_shows_the_events_in_its_theme(world, other_site, page, settings):
    settings.EMBED_ALLOWED_ORIGINS = [other_site]
    page.goto(other_site + "/")
    frame = page.frame_locator("iframe")
    frame.get_by_role("heading", name="Upcoming events").wait_for()
    link = frame.get_by_role("link", name="WG4 meeting in Stuttgart")
    assert link.is_visible()
    assert link.evaluate("a => getComputedStyle(a).color") == "rgb(170, 0, 0)"
    assert "Georgia" in frame.locator("body").evaluate("b => getComputedStyle(b).fontFamily")
    assert page.console_errors == []


def test_a_website_that_is_not_allowed_gets_an_empty_frame(world, other_site, page, settings):
    settings.EMBED_ALLOWED_ORIGINS = ["https://www.example.org"]
    with page.expect_console_message(lambda m: "frame-ancestors" in m.text):
        page.goto(other_site + "/")
    child = page.frames[1]
    assert child.get_by_role("heading", name="Upcoming events").count() == 0
    assert "WG4 meeting in Stuttgart" not in child.content()


def test_the_api_docs_list_the_endpoints_and_answer_a_try_without_a_csp_violation(
    world, page, live_server
):
    page.goto(live_server.url + "/api/v1/docs/")
    operation = page.locator("#operations-meetings-meetings_list")
    operation.locator(".opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    page.locator(".live-responses-table .response-col_status").first.wait_for()
    assert "WG4 meeting in Stuttgart" in page.locator(".live-responses-table").inner_text()
    assert page.console_errors == []
