"""The secretariat sets up its second factor in Chromium, as a person does: the secret
read off the page into an "app" (django-otp's RFC 6238 code, computed here from the text
shown), the recovery codes kept, then signing in again with password and code, and with
a recovery code once. Each page passes axe-core and the Nu HTML Checker."""

import os
from base64 import b32decode
from pathlib import Path

import pytest
from django_otp.oath import TOTP

from tests.browser.checkers import axe_violations, nu_errors, require_java
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(os.environ.get("SECOND_FACTOR_SHOTS", Path(__file__).parents[2] / "test-artifacts"))


class Pages:
    """Checks each page shown with axe-core at once, and keeps its HTML and a screenshot."""

    def __init__(self, page, folder: Path):
        self.page, self.folder, self.axe = page, folder, {}
        SHOTS.mkdir(parents=True, exist_ok=True)

    def check(self, name: str) -> None:
        violations = axe_violations(self.page)
        if violations:
            self.axe[name] = violations
        (self.folder / f"{name}.html").write_text(self.page.content())
        self.page.screenshot(path=str(SHOTS / f"second-factor-{name}.png"), full_page=True)

    def nu(self) -> dict[str, list[str]]:
        return nu_errors(sorted(self.folder.glob("*.html")))


def app_code(secret_text: str, steps_later: int = 0) -> str:
    """What an authenticator app shows for the secret as the page prints it."""
    key = b32decode(secret_text.replace(" ", ""))
    totp = TOTP(key, drift=steps_later)
    return f"{totp.token():06d}"


def sign_in(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def sign_out(page) -> None:
    with page.expect_navigation():
        page.click("#logout-form button")


def type_code(page, code: str) -> None:
    page.fill("#id_code", code)
    page.click("input[type=submit]")


def test_the_secretariat_sets_up_its_second_factor_and_signs_in_with_it(
    page, live_server, secretariat, settings, tmp_path
):
    require_java()
    settings.STAFF_2FA = "required"
    pages = Pages(page, tmp_path)

    sign_in(page, live_server, secretariat.email)
    page.wait_for_url("**/admin/second-factor/?next=%2Fadmin%2F")
    assert page.locator("h1").inner_text() == "Protect this account with a second factor"
    pages.check("set-up")
    secret = page.locator("#second-factor-secret").inner_text()
    assert len(secret.replace(" ", "")) == 32

    type_code(page, "000000" if app_code(secret) != "000000" else "111111")
    assert "That is not the app's code of the moment" in page.locator(".errorlist").inner_text()
    pages.check("set-up-wrong-code")

    type_code(page, app_code(secret))
    page.wait_for_url("**/admin/second-factor/recovery-codes/?next=%2Fadmin%2F")
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    pages.check("recovery-codes")
    page.click("text=I have kept them: continue")
    page.wait_for_url(f"{live_server.url}/admin/")
    assert page.locator("h1").inner_text() == "The secretariat's workplace"
    sign_out(page)

    # The code of the set-up is spent: the next one the app shows opens the admin.
    sign_in(page, live_server, secretariat.email)
    page.wait_for_url("**/admin/second-factor/verify/?next=%2Fadmin%2F")
    pages.check("second-step")
    type_code(page, app_code(secret, steps_later=1))
    page.wait_for_url(f"{live_server.url}/admin/")
    sign_out(page)

    sign_in(page, live_server, secretariat.email)
    type_code(page, codes[0])
    page.wait_for_url(f"{live_server.url}/admin/")
    sign_out(page)

    sign_in(page, live_server, secretariat.email)
    type_code(page, codes[0])
    assert "That code is not right." in page.locator(".errorlist").inner_text()
    assert "/admin/second-factor/verify/" in page.url
    pages.check("second-step-used-recovery-code")
    page.goto(f"{live_server.url}/admin/meetings/meeting/")
    assert "/admin/second-factor/verify/" in page.url

    for _ in range(4):
        type_code(page, "zzzzzzzz")
    assert "paused" in page.locator(".errornote").inner_text()
    pages.check("second-step-paused")

    assert pages.axe == {}
    assert pages.nu() == {}


def test_where_it_is_optional_the_admins_home_offers_a_second_factor(
    page, live_server, secretariat, settings, tmp_path
):
    require_java()
    settings.STAFF_2FA = "optional"
    pages = Pages(page, tmp_path)
    sign_in(page, live_server, secretariat.email)
    page.wait_for_url(f"{live_server.url}/admin/")
    offer = page.locator(".second-factor-offer")
    assert offer.locator("h2").inner_text() == "Protect this account with a second factor"
    pages.check("offer")
    offer.locator("a").click()
    page.wait_for_url("**/admin/second-factor/")
    assert page.locator("text=Not now: back to the admin's home").is_visible()
    pages.check("set-up-optional")
    assert pages.axe == {}
    assert pages.nu() == {}
