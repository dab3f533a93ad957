"""Check-in at the door on a 390 px wide phone, in Chromium: a code typed, a person marked
present, the count moving, no sideways scrolling, each page clean for axe-core and the Nu
HTML Checker; and the camera's QR code reading (checkin.js) where the browser has it."""

import pytest

from meetings.models import Attendance
from tests.browser.checkers import axe_violations, nu_errors, require_java
from tests.browser.conftest import (
    ARTIFACTS,
    CHROMIUM_FLAGS,
    page_width,
    signed_in_context,
    watched_page,
)
from tests.factories.accounts import UserFactory
from tests.factories.meetings import AttendanceFactory, MeetingFactory
from tests.services import require_chromium

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server, secretariat, request):
    """A 390 px wide touch screen signed in as the secretariat."""
    context = signed_in_context(
        browser, live_server, secretariat, viewport=PHONE, has_touch=True, is_mobile=True
    )
    yield from watched_page(context, request)


@pytest.fixture
def conference():
    meeting = MeetingFactory(
        slug="brussels",
        title="ASA conference in Brussels: skills for the automotive transition",
    )
    AttendanceFactory(
        meeting=meeting,
        answer=Attendance.Answer.IN_PERSON,
        checkin_code="AB3DEF7H9K",
        user=UserFactory(first_name="Jana", last_name="Nováková", organisation="Košice IT Valley"),
    )
    AttendanceFactory(
        meeting=meeting,
        answer=Attendance.Answer.ONLINE,
        user=UserFactory(first_name="Erik", last_name="Lindqvist", organisation="Göteborg Region"),
    )
    # A long name and address, which must wrap rather than widen the page.
    AttendanceFactory(
        meeting=meeting,
        answer=Attendance.Answer.IN_PERSON,
        user=UserFactory(
            first_name="Maria-Magdalena",
            last_name="Musterfrau-Beispielhaft-Lindqvist",
            organisation="Ministerium für Wirtschaft, Arbeit und Tourismus Baden-Württemberg",
            email="maria-magdalena.musterfrau-beispielhaft@wirtschaftsministerium.example",
        ),
    )
    AttendanceFactory(meeting=meeting, answer=Attendance.Answer.DECLINED)
    return meeting


class Shown:
    """Each page shown: no wider than the phone, axe-core at once, its HTML kept for the Nu
    checker and a screenshot to look at."""

    def __init__(self, page, folder):
        self.page, self.folder, self.axe = page, folder, {}

    def check(self, name: str) -> None:
        assert page_width(self.page) <= PHONE["width"], name
        violations = axe_violations(self.page)
        if violations:
            self.axe[name] = violations
        (self.folder / f"{name}.html").write_text(self.page.content())
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"checkin-390-{name}.png"), full_page=True)


def total(page) -> str:
    return page.locator(".checkin-total").inner_text()


def test_a_code_typed_on_a_phone_checks_the_person_in_and_the_count_moves(
    phone, live_server, conference, tmp_path
):
    require_java()
    shown = Shown(phone, tmp_path)
    phone.goto(f"{live_server.url}/meetings/brussels/check-in/")
    assert total(phone) == "0 of 3 checked in"
    # Chromium on Linux reads no QR codes: no camera button, the typed code does it all.
    assert phone.locator("#checkin-scan").is_hidden()
    shown.check("empty")

    phone.fill("#checkin-code", "ab3d ef7h-9k")
    phone.click("#checkin-code-form button[type=submit]")
    card = phone.locator("section.checkin-person")
    assert card.locator("h2").inner_text() == "Jana Nováková"
    button = card.get_by_role("button", name="Mark present", exact=True)
    assert button.get_attribute("aria-describedby") == card.locator("h2").get_attribute("id")
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= PHONE["width"] * 0.7
    shown.check("found")

    button.click()
    phone.wait_for_url("**/check-in/?code=AB3DEF7H9K")
    assert total(phone) == "1 of 3 checked in"
    assert "Jana Nováková is checked in at" in phone.locator(".messages").inner_text()
    assert card.get_by_role("button", name="Undo", exact=True).is_visible()
    shown.check("marked")

    phone.fill("#checkin-search", "lindqvist")
    phone.click("form[role=search] button[type=submit]")
    results = phone.locator(".checkin-results > li")
    assert results.count() == 2
    shown.check("search")
    results.filter(has_text="Erik Lindqvist").get_by_role("button", name="Came online").click()
    phone.wait_for_url("**/check-in/?q=lindqvist")
    assert total(phone) == "2 of 3 checked in"
    assert "Online: 1 of 1" in phone.locator(".checkin-counts").inner_text()
    shown.check("came-online")

    phone.fill("#checkin-code", "ZZZZ")
    phone.click("#checkin-code-form button[type=submit]")
    assert "is not a check-in code" in phone.locator("#checkin-code-problem").inner_text()
    shown.check("not-a-code")

    assert phone.console_errors == []
    assert shown.axe == {}
    assert nu_errors(sorted(tmp_path.glob("*.html"))) == {}


# A camera and a QR code reader for Chromium on Linux, which has neither: the camera
# films a canvas, the reader answers what the test puts in window.qrCodesSeen, one
# answer per look.
FAKE_CAMERA_AND_READER = """
window.qrCodesSeen = [];
window.BarcodeDetector = class {
  static async getSupportedFormats() { return ["qr_code", "ean_13"]; }
  async detect(source) {
    const next = window.qrCodesSeen.shift();
    return next ? [{ rawValue: next, format: "qr_code" }] : [];
  }
};
navigator.mediaDevices.getUserMedia = async function () {
  const canvas = document.createElement("canvas");
  canvas.width = 320;
  canvas.height = 240;
  const context = canvas.getContext("2d");
  setInterval(function () {
    context.fillStyle = "#" + Math.floor(Math.random() * 0xffffff).toString(16).padStart(6, "0");
    context.fillRect(0, 0, 320, 240);
  }, 50);
  return canvas.captureStream(20);
};
"""


def test_a_scanned_qr_code_of_this_event_fills_the_code_and_finds_the_person(
    phone, live_server, conference
):
    phone.add_init_script(FAKE_CAMERA_AND_READER)
    phone.goto(f"{live_server.url}/meetings/brussels/check-in/")
    scan = phone.get_by_role("button", name="Scan QR code")
    scan.click()
    assert phone.locator("#checkin-video").is_visible()
    # Another event's check-in code first: named, and the camera looks on.
    phone.evaluate(
        "window.qrCodesSeen.push("
        "'https://portal.example.org/meetings/webinar/check-in/?code=WEB2345678')"
    )
    status = phone.locator("#checkin-scan-status")
    status.filter(has_text="This QR code is not for this event's check-in.").wait_for()
    assert phone.url.endswith("/meetings/brussels/check-in/")
    phone.evaluate(
        "window.qrCodesSeen.push("
        "'https://portal.example.org/meetings/brussels/check-in/?code=AB3DEF7H9K')"
    )
    phone.wait_for_url("**/check-in/?code=AB3DEF7H9K")
    # Found, and nothing changed until the button is pressed.
    assert phone.locator("section.checkin-person h2").inner_text() == "Jana Nováková"
    assert total(phone) == "0 of 3 checked in"
    assert phone.console_errors == []


def test_the_camera_stops_when_asked(phone, live_server, conference):
    phone.add_init_script(FAKE_CAMERA_AND_READER)
    phone.goto(f"{live_server.url}/meetings/brussels/check-in/")
    phone.get_by_role("button", name="Scan QR code").click()
    phone.get_by_role("button", name="Stop the camera").click()
    assert phone.locator("#checkin-video").is_hidden()
    assert phone.evaluate("document.getElementById('checkin-video').srcObject") is None


# Only the reader is faked here: the camera is Chromium's own fake device, opened by the
# real getUserMedia, so the page's headers (Content-Security-Policy; a Permissions-Policy
# would show here too) are seen to let the check-in page use the camera.
FAKE_READER_ONLY = FAKE_CAMERA_AND_READER.split("navigator.mediaDevices")[0]


def test_the_page_may_open_the_camera_under_the_sites_security_headers(
    browser, live_server, conference, secretariat
):
    camera_browser = browser.browser_type.launch(
        executable_path=require_chromium(),
        headless=True,
        args=[
            *CHROMIUM_FLAGS,
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
        ],
    )
    try:
        context = signed_in_context(
            camera_browser, live_server, secretariat, viewport=PHONE, is_mobile=True
        )
        context.grant_permissions(["camera"], origin=live_server.url)
        page = context.new_page()
        errors = []
        page.on("console", lambda message: message.type == "error" and errors.append(message))
        page.add_init_script(FAKE_READER_ONLY)
        response = page.goto(f"{live_server.url}/meetings/brussels/check-in/")
        assert "camera" not in response.headers.get("permissions-policy", "")
        assert "default-src 'self'" in response.headers["content-security-policy"]
        page.get_by_role("button", name="Scan QR code").click()
        page.locator("#checkin-scan-status").filter(
            has_text="Hold the QR code in front of the camera."
        ).wait_for()
        # A function, not an expression: an expression is evaluated with eval() in the page,
        # which its Content-Security-Policy refuses.
        page.wait_for_function("() => document.getElementById('checkin-video').videoWidth > 0")
        page.evaluate(
            "window.qrCodesSeen.push("
            "'https://portal.example.org/meetings/brussels/check-in/?code=AB3DEF7H9K')"
        )
        page.wait_for_url("**/check-in/?code=AB3DEF7H9K")
        assert errors == []
    finally:
        camera_browser.close()


def test_the_meetings_admin_page_leads_to_check_in_from_its_top(
    admin_page, live_server, conference
):
    admin_page.goto(f"{live_server.url}/admin/meetings/meeting/{conference.pk}/change/")
    link = admin_page.locator(".object-tools").get_by_role("link", name="Check-in", exact=True)
    # Beside History, above the form: the page grows no taller for it.
    assert link.bounding_box()["y"] < 200
    link.click()
    admin_page.wait_for_url("**/meetings/brussels/check-in/")
    assert total(admin_page) == "0 of 3 checked in"
