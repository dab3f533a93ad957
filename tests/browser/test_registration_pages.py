"""A visitor registers for an event open to the public in Chromium: the event's page,
the form (refused once, then sent), the email's link and its button; each page passes
axe-core and the Nu HTML Checker, and the form fits a 390 px wide phone."""

import re

import pytest
from django.core import mail

from tests.browser.checkers import axe_violations, nu_errors, require_java
from tests.browser.conftest import page_width
from tests.meetings.registration_helpers import open_event

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def test_a_visitor_registers_and_confirms_and_every_page_passes_the_checks(
    browser, live_server, tmp_path
):
    require_java()
    meeting = open_event(slug="brussels", title="ASA conference")
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    problems: dict[str, list[str]] = {}
    saved: list[str] = []

    def check(what: str) -> None:
        violations = axe_violations(page)
        if violations:
            problems[what] = violations
        if page_width(page) > PHONE["width"]:
            problems.setdefault(what, []).append(f"wider than the phone: {page_width(page)}")
        path = tmp_path / f"{len(saved):02d}.html"
        path.write_text(page.content())
        saved.append(what)

    page.goto(f"{live_server.url}/meetings/brussels/")
    page.get_by_role("link", name="Register", exact=True).click()
    page.wait_for_url("**/meetings/brussels/register/")
    check("the form")

    page.get_by_label("First name").fill("Claire")
    page.get_by_label("Last name").fill("Dubois")
    page.get_by_label("Email address").fill("claire@example.com")
    page.get_by_label("Country").select_option("BE")
    page.get_by_label("I will attend in person").check()
    page.get_by_label("Dietary needs").fill("Vegetarian")
    page.get_by_role("button", name="Register").click()
    # Refused: no workshop and no consent. What was typed stays.
    assert page.get_by_label("First name").input_value() == "Claire"
    assert page.get_by_label("Dietary needs").input_value() == "Vegetarian"
    check("the form, refused")

    page.get_by_label("Software").check()
    page.get_by_label("I agree that the ASA keeps my registration").check()
    page.get_by_role("button", name="Register").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    check("check your email")

    (message,) = mail.outbox
    assert message.to == ["claire@example.com"]
    (url,) = re.findall(r"http://\S+/register/confirm/\S+/", message.body)
    page.goto(live_server.url + url.split("8000", 1)[1])
    check("the link's page")
    page.get_by_role("button", name="Confirm my registration").click()
    page.get_by_text("Your registration is confirmed.").wait_for()
    assert page.get_by_text("You have a seat.").is_visible()
    check("confirmed")
    context.close()

    assert meeting.attendances.get().user.is_guest
    nu = nu_errors(sorted(tmp_path.glob("*.html")))
    for name, errors in nu.items():
        problems[saved[int(name.split(".")[0])]] = errors
    assert not problems, problems
