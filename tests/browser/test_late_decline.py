"""A late "I cannot come after all" in Chromium: past the registration deadline, the
member's meeting page, /me/ and a guest's own registration page offer declining alone;
each page passes axe-core and the Nu HTML Checker, and the decline frees the seat."""

import datetime as dt

import pytest
from django.utils import timezone

from meetings import tokens
from meetings.models import Attendance
from tests.browser.checkers import axe_violations, nu_errors, require_java
from tests.factories.accounts import UserFactory
from tests.factories.meetings import AttendanceFactory, MeetingFactory, PublicConferenceFactory

pytestmark = pytest.mark.django_db(transaction=True)


def closed_an_hour_ago(**fields):
    return MeetingFactory(registration_deadline=timezone.now() - dt.timedelta(hours=1), **fields)


def test_a_member_declines_late_on_the_meeting_page_and_from_my_page(
    member_page, live_server, member, tmp_path
):
    require_java()
    meeting = closed_an_hour_ago(title="WG4 meeting", slug="wg4-late", capacity=1)
    other = closed_an_hour_ago(title="WG5 meeting", slug="wg5-late")
    AttendanceFactory(meeting=meeting, user=member, answer="in_person")
    waiting = AttendanceFactory(meeting=meeting, answer="in_person", waitlisted=True)
    AttendanceFactory(meeting=other, user=member, answer="online")
    problems = {}

    def check(name: str) -> None:
        (tmp_path / f"{name}.html").write_text(member_page.content())
        if violations := axe_violations(member_page):
            problems[name] = violations

    member_page.goto(live_server.url + meeting.get_absolute_url())
    check("meeting")
    member_page.get_by_role("button", name="I cannot come after all").click()
    member_page.get_by_text("Your answer has been saved: Declined.").wait_for()
    check("meeting-declined")

    member_page.goto(live_server.url + "/me/")
    check("me")
    member_page.get_by_role("button", name="Decline").click()
    member_page.get_by_text("Your answer to WG5 meeting: Declined.").wait_for()

    answers = dict(Attendance.objects.filter(user=member).values_list("meeting__slug", "answer"))
    assert answers == {"wg4-late": "declined", "wg5-late": "declined"}
    waiting.refresh_from_db()
    assert not waiting.waitlisted
    problems.update(nu_errors(sorted(tmp_path.glob("*.html"))))
    assert not problems, problems


def test_a_guest_cancels_late_on_their_registration_page(browser, live_server, tmp_path):
    require_java()
    conference = PublicConferenceFactory(
        title="ASA conference",
        slug="asa-late",
        registration_deadline=timezone.now() - dt.timedelta(hours=1),
    )
    guest = UserFactory(is_guest=True, email="ana@example.org", first_name="Ana")
    attendance = AttendanceFactory(meeting=conference, user=guest, answer="in_person")
    context = browser.new_context()
    page = context.new_page()
    problems = {}

    def check(name: str) -> None:
        (tmp_path / f"{name}.html").write_text(page.content())
        if violations := axe_violations(page):
            problems[name] = violations

    url = f"{live_server.url}/meetings/asa-late/registration/{tokens.registration(attendance)}/"
    page.goto(url)
    check("own")
    page.get_by_role("link", name="Cancel my registration…").click()
    page.get_by_text("once cancelled, you cannot register again").wait_for()
    check("cancel-step")
    page.get_by_role("button", name="Yes, cancel my registration").click()
    page.get_by_text("Your registration is cancelled.").wait_for()
    check("cancelled")
    context.close()

    attendance.refresh_from_db()
    assert attendance.answer == "declined"
    problems.update(nu_errors(sorted(tmp_path.glob("*.html"))))
    assert not problems, problems
