"""Browser tests: Playwright drives Debian's Chromium (no browser download)."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.services import require_chromium

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    executable = require_chromium()
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests and
    # their fixtures make around it are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def watched_page(context, request):
    """A page of `context` that records console errors and, at the end, saves a screenshot
    named after the test and closes the context (a fixture yields from it)."""
    page = context.new_page()
    page.console_errors = []
    page.on(
        "console",
        lambda message: message.type == "error" and page.console_errors.append(message.text),
    )
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def page(browser, request):
    """A fresh page that records console errors and saves a screenshot at the end."""
    yield from watched_page(browser.new_context(viewport={"width": 1280, "height": 900}), request)


LAPTOP = {"width": 1280, "height": 800}


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def signed_in_context(browser, live_server, person, **options):
    """A browser context whose session cookie signs `person` in."""
    client = Client()
    client.force_login(person)
    context = browser.new_context(**options)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    return context


@pytest.fixture
def member_page(browser, live_server, member):
    """A page signed in as the member."""
    context = signed_in_context(browser, live_server, member)
    yield context.new_page()
    context.close()


@pytest.fixture
def admin_page(browser, live_server, secretariat, request):
    """A 1,280 px wide page signed in as the secretariat."""
    context = signed_in_context(browser, live_server, secretariat, viewport=LAPTOP)
    yield from watched_page(context, request)
