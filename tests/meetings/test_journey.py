"""The issue's journey, as its people would walk it through the pages and the admin."""

import datetime as dt

import pytest
from django.utils import timezone
from icalendar import Calendar

from meetings.models import Meeting
from tests.factories.meetings import BRUSSELS, WorkingGroupFactory
from tests.meetings.test_admin import LIST, agenda_form, existing_rows, meeting_form

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.org/wg4-journey"


def test_a_meeting_goes_from_the_secretariat_to_a_members_calendar(
    client, client_for, secretariat, member
):
    group = WorkingGroupFactory(code="WG4", members=[member])
    start = timezone.localtime(timezone.now() + dt.timedelta(days=40), BRUSSELS)
    day = start.date().isoformat()
    secretariat_client = client_for(secretariat)

    # The secretariat builds the meeting with six agenda items ...
    rows = [{"title": f"Item {n}"} for n in range(1, 7)]
    form = meeting_form(
        slug="wg4-journey", working_group=str(group.pk), online_link=LINK,
        start_0=day, end_0=day,
    )  # fmt: skip
    response = secretariat_client.post(f"{LIST}add/", {**form, **agenda_form(rows)})
    assert response.status_code == 302
    meeting = Meeting.objects.get(slug="wg4-journey")

    # ... swaps the second and third ...
    rows = existing_rows(meeting)
    rows[1]["position"], rows[2]["position"] = "3", "2"
    response = secretariat_client.post(
        f"{LIST}{meeting.pk}/change/", {**form, **agenda_form(rows, initial=6)}
    )
    assert response.status_code == 302
    titles = [item.title for item in meeting.agenda_items.all()]
    assert titles == ["Item 1", "Item 3", "Item 2", "Item 4", "Item 5", "Item 6"]

    # ... and publishes it.
    secretariat_client.post(
        LIST, {"action": "publish", "_selected_action": [meeting.pk], "apply": "1"}
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED

    # A member finds it under its quarter, answers online and sees the link.
    member_client = client_for(member)
    quarter = f"{start.year} Q{(start.month - 1) // 3 + 1}"
    listing = member_client.get("/meetings/").text
    assert listing.index(quarter) < listing.index(meeting.get_absolute_url())
    member_client.post(meeting.get_absolute_url(), {"answer": "online"})
    page = member_client.get(meeting.get_absolute_url()).text
    assert "Your answer: <strong>Online</strong>" in page
    assert LINK in page

    # The member's calendar imports the event.
    ics = member_client.get(f"{meeting.get_absolute_url()}calendar.ics")
    event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == meeting.title
    assert event["DTSTART"].dt.hour == 10

    # An anonymous visitor sees neither the link nor who takes part.
    visitor_page = client.get(meeting.get_absolute_url()).text
    assert LINK not in visitor_page
    assert "Participants" not in visitor_page
    assert member.get_full_name() not in visitor_page
