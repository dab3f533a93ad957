"""In Chromium, with the browser in New York and the server in Brussels: the meeting's
times carry no "Note: You are 6 hours behind server time" (they are the event's local
times, in neither of those zones). The beat schedule's clocked time, in server time,
keeps Django's note: proof that this test sees the note where the admin's script adds it."""

import pytest

from tests.browser.conftest import signed_in_context
from tests.factories.meetings import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db(transaction=True)

NOTE = ".timezonewarning"


@pytest.fixture
def page_in_new_york(browser, live_server, superuser):
    # A superuser: the beat schedule's pages are theirs alone.
    context = signed_in_context(browser, live_server, superuser, timezone_id="America/New_York")
    page = context.new_page()

    def open_page(path: str):
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")  # the admin's script adds its notes on load
        return page

    yield open_page
    context.close()


def test_the_meeting_page_shows_no_server_time_note_to_a_browser_in_another_zone(
    page_in_new_york,
):
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting, position=1)
    page = page_in_new_york(f"/admin/meetings/meeting/{meeting.pk}/change/")
    assert page.locator("input[name=start_0]").count() == 1
    assert page.locator(NOTE).count() == 0


def test_the_agenda_item_page_shows_no_server_time_note_either(page_in_new_york):
    item = AgendaItemFactory(meeting=MeetingFactory(), position=1)
    page = page_in_new_york(f"/admin/meetings/agendaitem/{item.pk}/change/")
    assert page.locator("input[name=start_time]").count() == 1
    assert page.locator(NOTE).count() == 0


def test_a_time_in_server_time_keeps_djangos_note(page_in_new_york):
    page = page_in_new_york("/admin/django_celery_beat/clockedschedule/add/")
    assert page.locator(NOTE).count() >= 1
    assert "behind server time" in page.locator(NOTE).first.inner_text()
