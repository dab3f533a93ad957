"""The secretariat's side of registrations in Chromium at 1,280 px: the event's questions
appear when "open to the public" is ticked (and take no room before), the participants'
list fits the screen with long names, and the demo's busiest meeting page stays within
its height."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from meetings.models import Attendance, Meeting
from tests.browser.conftest import LAPTOP, page_width
from tests.factories.accounts import UserFactory
from tests.factories.meetings import AttendanceFactory, MeetingFactory, PublicConferenceFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_ticking_open_to_the_public_shows_the_questions_to_fill_in(admin_page, live_server):
    meeting = MeetingFactory(working_group=None, kind=Meeting.Kind.CONFERENCE)
    admin_page.goto(f"{live_server.url}/admin/meetings/meeting/{meeting.pk}/change/")
    questions = admin_page.locator(".questions-inline")
    assert questions.is_hidden()
    assert questions.evaluate("box => box.getBoundingClientRect().height") == 0
    admin_page.locator("#id_public_registration").check()
    assert questions.is_visible()
    admin_page.locator("#questions-group .add-row a").click()
    admin_page.locator("[name='questions-0-text']").fill("Dietary needs")
    admin_page.locator("#questions-group .add-row a").click()
    admin_page.locator("[name='questions-1-text']").fill("Which afternoon workshop?")
    admin_page.locator("[name='questions-1-kind']").select_option("choice")
    admin_page.locator("[name='questions-1-options']").fill("Skills\nDigital\nGreen")
    admin_page.locator("input[name=_continue]").click()
    admin_page.wait_for_load_state("load")
    assert admin_page.locator(".errornote").count() == 0
    meeting.refresh_from_db()
    assert meeting.public_registration is True
    assert [(q.text, q.option_list) for q in meeting.questions.all()] == [
        ("Dietary needs", []),
        ("Which afternoon workshop?", ["Skills", "Digital", "Green"]),
    ]
    assert admin_page.locator(".questions-inline").is_visible()
    # Unticked again (not saved), the questions step aside.
    admin_page.locator("#id_public_registration").uncheck()
    assert admin_page.locator(".questions-inline").is_hidden()
    assert page_width(admin_page) <= LAPTOP["width"]
    assert admin_page.console_errors == []


def test_the_participants_list_fits_a_laptop_screen_with_long_names(admin_page, live_server):
    conference = PublicConferenceFactory(
        title="ASA conference 2027: skills for the automotive transformation in Europe's regions"
    )
    for n in range(6):
        AttendanceFactory(
            meeting=conference,
            user=UserFactory(
                email=f"dr.maria.musterfrau-beispielhaft.{n}@wirtschaftsministerium.example.org",
                first_name="Maria",
                last_name="Musterfrau-Beispielhaft von Hohenzollern",
                organisation="Ministerium für Wirtschaft, Arbeit und Tourismus Baden-Württemberg",
                country="DE",
                is_guest=n % 2 == 0,
            ),
            answer=Attendance.Answer.IN_PERSON,
            waitlisted=n == 5,
            checked_in_at=dt.datetime(2027, 3, 18, 9, tzinfo=dt.UTC) if n == 1 else None,
        )
    for path in ("", f"?meeting__id__exact={conference.pk}"):
        admin_page.goto(f"{live_server.url}/admin/meetings/attendance/{path}")
        assert page_width(admin_page) <= LAPTOP["width"]
        results = admin_page.locator("#changelist .results")
        overflow = results.evaluate("box => box.scrollWidth - box.clientWidth")
        assert overflow <= 0, f"the table scrolls sideways by {overflow} px ({path})"
    assert admin_page.console_errors == []


def test_the_demos_busiest_meeting_page_stays_within_its_height(admin_page, live_server):
    """Issue 21's budget for the demo's 27 March 2024 meeting (nine agenda items): the
    box "open to the public" sits on the visibility's line and its questions take no
    room while it is not ticked."""
    call_command("seed_demo", "--force", stdout=StringIO())
    meeting = Meeting.objects.get(start__date=dt.date(2024, 3, 27))
    admin_page.goto(f"{live_server.url}/admin/meetings/meeting/{meeting.pk}/change/")
    assert admin_page.locator(".object-tools a", has_text="Badges").count() == 1
    height = admin_page.evaluate("document.documentElement.scrollHeight")
    assert height <= 2700, f"the page is {height} px tall"
    # The links beside the title stay on one line, above the form.
    tools = admin_page.locator(".object-tools").bounding_box()
    link = admin_page.locator(".object-tools a").first.bounding_box()
    assert tools["height"] <= link["height"] + 2
    assert page_width(admin_page) <= LAPTOP["width"]
