"""The layout works in a real browser, under the Content-Security-Policy."""

import pytest

from tests.browser.conftest import signed_in_context
from tests.factories.accounts import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_home_page_loads_its_styles_and_scripts_without_a_csp_violation(page, live_server):
    page.goto(live_server.url + "/")
    assert page.locator("h1").count() == 1
    navbar_colour = page.locator(".site-header .navbar").evaluate(
        "element => getComputedStyle(element).backgroundColor"
    )
    assert navbar_colour == "rgb(11, 58, 110)"
    assert page.console_errors == []


def test_a_member_signs_in_and_out_with_the_keyboard(page, live_server):
    UserFactory(email="member@example.org")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill("member@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/me/")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Sign in").is_visible()
    assert page.console_errors == []


def test_the_skip_link_is_the_first_stop_for_the_keyboard_and_is_visible(page, live_server):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    assert focused.inner_text() == "Skip to main content"
    assert focused.is_visible()


def test_on_a_phone_the_menu_button_opens_the_navigation(browser, live_server):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    phone = context.new_page()
    phone.goto(live_server.url + "/")
    sign_in = phone.get_by_role("link", name="Sign in")
    assert not sign_in.is_visible()
    phone.get_by_role("button", name="Show navigation").click()
    sign_in.wait_for(state="visible")
    context.close()


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("width", [992, 1280, 1440])
def test_a_signed_in_secretariats_navigation_fits_the_window(
    browser, live_server, language, width
):
    person = UserFactory(
        email="a.rather.long.address@secretariat.example.org", is_staff=True, language=language
    )
    context = signed_in_context(
        browser, live_server, person, viewport={"width": width, "height": 800}
    )
    page = context.new_page()
    page.goto(live_server.url + "/me/")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    button = page.locator(".language-menu button").bounding_box()
    assert button["x"] + button["width"] <= width
    context.close()
