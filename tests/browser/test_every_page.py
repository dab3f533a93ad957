"""Every page of the site passes axe-core (WCAG 2.1 A and AA) and the Nu HTML Checker.

The pages come from the URL resolver: every named URL outside the admin, filled in by its
rows in the access table (tests/access/rows_*.py), in the access test's world with the
demo world (seed_demo) added, so that the pages show what people see. A new page is
checked as soon as it has its row there, and a URL with no row fails here too. Each page
is opened in Chromium as a visitor, a member and a representative; the error pages (400,
403, 404, 500) are among them.
"""

import re
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from playwright.sync_api import Error as PlaywrightError

from tests.access import test_access
from tests.access.table import LOGIN, Row
from tests.browser.checkers import axe_violations, nu_errors, require_java
from tests.browser.failing_urls import FAILING_PATH

pytestmark = pytest.mark.django_db(transaction=True)

# The access test's world: the people of tests/conftest.py and each app's objects.
world = test_access.world

CHECKED_PEOPLE = ["anonymous", "member", "representative"]
# Any 32 letters and digits serve as a CSRF secret when cookie and header agree.
CSRF_TOKEN = "pagechecks" + "0" * 22
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')
# What Chromium answers when it shows no page of the site.
NOT_SHOWN = ("Download is starting", "ERR_HTTP_RESPONSE_CODE_FAILURE")


@dataclass
class Findings:
    """What the checks found, page by page ("GET /path/ as person")."""

    problems: list[str] = field(default_factory=list)
    axe: dict[str, list[str]] = field(default_factory=dict)
    saved: dict[str, str] = field(default_factory=dict)  # file name -> page
    seen: set[bytes] = field(default_factory=set)

    def report(self, nu: dict[str, list[str]]) -> str:
        lines = [f"Pages not as expected: {p}" for p in self.problems]
        for page, violations in self.axe.items():
            lines += [f"axe-core, {page}: {violation}" for violation in violations]
        for name, errors in nu.items():
            page = self.saved.get(name, name)
            lines += [f"Nu HTML Checker, {page}: {error}" for error in errors]
        return "\n".join(lines)


def rows_by_url_name() -> dict[str, list[Row]]:
    rows: dict[str, list[Row]] = {}
    for row in test_access.ROWS:
        rows.setdefault(row.url_name, []).append(row)
    return rows


def browser_context_for(browser, live_server, user):
    context = browser.new_context()
    cookies = [{"name": settings.CSRF_COOKIE_NAME, "value": CSRF_TOKEN, "url": live_server.url}]
    if user is not None:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies.append(
            {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}
        )
    context.add_cookies(cookies)
    return context


def open_page(page, url: str, method: str = "get", data: str = ""):
    """Opens the URL as a navigation, so the browser shows the answer as a person sees it.

    A POST is the same navigation turned into a POST on its way out (with the CSRF token),
    as a form that sends `data` would be.
    """
    if method == "post":
        page.route(
            lambda address: address == url,
            lambda route: route.continue_(
                method="POST",
                headers={
                    **route.request.headers,
                    "content-type": "application/x-www-form-urlencoded",
                    "x-csrftoken": CSRF_TOKEN,
                },
                post_data=data,
            ),
            times=1,
        )
    try:
        return page.goto(url)
    except PlaywrightError as error:
        # A download (a calendar, a CSV, a document) or an error status with an empty
        # body (405 for a GET of a POST-only URL) shows no page of the site: only its
        # status is checked.
        if not any(reason in str(error) for reason in NOT_SHOWN):
            raise
        return page.context.request.fetch(url, method=method.upper(), max_redirects=0)


# The interactive API docs are drawn in the browser by Swagger UI (drf-spectacular-sidecar),
# whose own widgets fail axe-core (GET badges' contrast, buttons nested in buttons). Our HTML
# for that page still goes to the Nu checker; the axe run is left out until Swagger UI is
# replaced or themed.
DRAWN_BY_SWAGGER_UI = "/api/v1/docs/"


def check(page, response, what: str, findings: Findings, folder: Path) -> None:
    """Runs axe-core on the page shown and keeps its HTML as served for the Nu checker."""
    if not response.headers.get("content-type", "").startswith("text/html"):
        return
    body = response.body()
    if not body.strip():
        return
    # The same HTML (but for the CSRF token) looks and checks the same: check it once.
    seen = CSRF_INPUT.sub(b"", body)
    if seen in findings.seen:
        return
    findings.seen.add(seen)
    name = f"{len(findings.saved):03d}.html"
    (folder / name).write_bytes(body)
    findings.saved[name] = what
    if page.url.split("?")[0].endswith(DRAWN_BY_SWAGGER_UI):
        return
    violations = axe_violations(page)
    if violations:
        findings.axe[what] = violations


def check_rows(context, live_server, world, person: str, findings: Findings, folder: Path):
    rows = rows_by_url_name()
    for url_name in sorted(test_access.site_url_names() & set(rows)):
        for row in rows[url_name]:
            expected = row.expect[person]
            if expected == LOGIN:
                continue  # the sign-in page, checked on its own row
            for user in world.people.values():
                if user is not None:
                    user.refresh_from_db()  # a row before may have changed them
            path = row.path(world)
            what = f"{row.method.upper()} {path} as {person}"
            # A page of its own for each row: after a download or an empty error body,
            # Chromium's late navigation to its error page would interrupt the next row's.
            page = context.new_page()
            response = open_page(page, live_server.url + path, row.method)
            # A redirect is followed to the page it leads to; any other answer must be the
            # table's, so that the page checked is the page meant (not a 404 by mistake).
            if expected != 302 and response.status != expected:
                findings.problems.append(f"{what}: {response.status}, expected {expected}")
            check(page, response, what, findings, folder)
            page.close()


def check_error_pages(context, live_server, person: str, findings: Findings, folder: Path):
    """The 400 and 500 pages (the rows bring 403 and 404), as Django's handlers show them."""
    page = context.new_page()
    too_many_fields = "&".join(["field=1"] * (settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = open_page(page, live_server.url + "/", "post", too_many_fields)
    if response.status != 400:
        findings.problems.append(f"POST / with too many fields as {person}: {response.status}")
    check(page, response, f"400 page as {person}", findings, folder)
    with override_settings(ROOT_URLCONF="tests.browser.failing_urls"):
        response = open_page(page, live_server.url + FAILING_PATH)
    if response.status != 500:
        findings.problems.append(f"GET {FAILING_PATH} as {person}: {response.status}")
    check(page, response, f"500 page as {person}", findings, folder)


def test_every_named_url_of_the_site_can_be_filled_in_for_the_checks():
    unfilled = test_access.site_url_names() - set(rows_by_url_name())
    assert not unfilled, f"Add rows to tests/access/rows_*.py for: {sorted(unfilled)}"


def test_every_page_passes_axe_core_and_the_nu_html_checker(browser, live_server, world, tmp_path):
    require_java()
    call_command("seed_demo", "--force", stdout=StringIO())
    findings = Findings()
    unfilled = test_access.site_url_names() - set(rows_by_url_name())
    findings.problems += [
        f"{name}: no row in tests/access/rows_*.py fills in its URL" for name in sorted(unfilled)
    ]
    for person in CHECKED_PEOPLE:
        context = browser_context_for(browser, live_server, world.people[person])
        check_rows(context, live_server, world, person, findings, tmp_path)
        check_error_pages(context, live_server, person, findings, tmp_path)
        context.close()
    assert len(findings.saved) > 50, findings.saved
    nu = nu_errors(sorted(tmp_path.glob("*.html")))
    report = findings.report(nu)
    if report:
        pytest.fail(report, pytrace=False)
