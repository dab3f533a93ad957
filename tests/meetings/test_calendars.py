import datetime as dt

import pytest
from icalendar import Calendar

from meetings import services
from meetings.models import Attendance, Meeting
from tests.factories.meetings import (
    AgendaItemFactory,
    AttendanceFactory,
    DraftMeetingFactory,
    MeetingFactory,
    WorkingGroupFactory,
    in_days,
)

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.org/secret-room"


def events(response) -> list:
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content).walk("VEVENT")


def test_a_meeting_file_has_one_event_with_a_stable_uid(client):
    meeting = MeetingFactory()
    first = events(client.get(f"/meetings/{meeting.slug}/calendar.ics"))
    services.meeting_update(meeting=meeting, data={"venue": "Elsewhere"})
    second = events(client.get(f"/meetings/{meeting.slug}/calendar.ics"))
    assert len(first) == 1
    assert str(first[0]["UID"]) == str(second[0]["UID"]) == f"meeting-{meeting.pk}@127.0.0.1"


def test_the_event_starts_in_its_own_zone_with_a_vtimezone(client):
    meeting = MeetingFactory(time_zone="Europe/Berlin", start=in_days(10), end=in_days(10, 12))
    response = client.get(f"/meetings/{meeting.slug}/calendar.ics")
    calendar = Calendar.from_ical(response.content)
    event = calendar.walk("VEVENT")[0]
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert event.start == meeting.start
    assert "DTSTAMP" in event


def test_the_sequence_follows_changes_of_time(client):
    meeting = MeetingFactory()
    services.meeting_update(meeting=meeting, data={"start": meeting.start - dt.timedelta(hours=1)})
    event = events(client.get(f"/meetings/{meeting.slug}/calendar.ics"))[0]
    assert event["SEQUENCE"] == 1


def test_a_cancelled_meeting_is_status_cancelled(client):
    meeting = MeetingFactory()
    services.meeting_cancel(meeting=meeting)
    event = events(client.get(f"/meetings/{meeting.slug}/calendar.ics"))[0]
    assert event["STATUS"] == "CANCELLED"


def test_the_event_carries_location_url_and_the_agenda(client):
    meeting = MeetingFactory(venue="Maison des Régions", start=in_days(3, 10))
    AgendaItemFactory(meeting=meeting, position=1, title="Welcome", duration_minutes=10)
    event = events(client.get(f"/meetings/{meeting.slug}/calendar.ics"))[0]
    assert "Maison des Régions" in str(event["LOCATION"])
    assert str(event["URL"]).endswith(f"/meetings/{meeting.slug}/")
    assert "10:00–10:10 Welcome" in str(event["DESCRIPTION"])


def test_the_online_link_is_only_in_a_members_file(client, client_for, member):
    meeting = MeetingFactory(online_link=LINK)
    public = client.get(f"/meetings/{meeting.slug}/calendar.ics").content.decode()
    private = client_for(member).get(f"/meetings/{meeting.slug}/calendar.ics").content.decode()
    assert LINK not in public.replace("\r\n ", "")
    assert LINK in private.replace("\r\n ", "")


def test_the_public_feed_lists_public_announced_upcoming_events(client):
    MeetingFactory(title="Open")
    MeetingFactory(title="Called off", status=Meeting.Status.CANCELLED)
    MeetingFactory(title="Inner", visibility=Meeting.Visibility.MEMBERS)
    DraftMeetingFactory(title="Draft")
    MeetingFactory(title="Over", start=in_days(-5))
    summaries = {str(e["SUMMARY"]) for e in events(client.get("/calendar.ics"))}
    assert summaries == {"Open", "Cancelled: Called off"}


def test_the_public_feed_answers_not_modified_to_a_known_etag(client):
    MeetingFactory()
    etag = client.get("/calendar.ics")["ETag"]
    assert client.get("/calendar.ics", headers={"if-none-match": etag}).status_code == 304


def test_the_public_feed_etag_changes_when_a_meeting_changes(client):
    meeting = MeetingFactory()
    etag = client.get("/calendar.ics")["ETag"]
    services.meeting_update(meeting=meeting, data={"title": "New title"})
    assert client.get("/calendar.ics", headers={"if-none-match": etag}).status_code == 200


def test_the_public_feed_has_a_last_modified(client):
    MeetingFactory()
    assert "Last-Modified" in client.get("/calendar.ics")


def test_a_personal_feed_has_the_groups_meetings_and_the_answered_ones(client, member):
    group = WorkingGroupFactory(members=[member])
    MeetingFactory(title="Of my group", working_group=group)
    AttendanceFactory(user=member, meeting=MeetingFactory(title="Answered"))
    MeetingFactory(title="Not mine")
    DraftMeetingFactory(title="Draft of my group", working_group=group)
    response = client.get(f"/calendar/{member.calendar_token}.ics")
    assert {str(e["SUMMARY"]) for e in events(response)} == {"Of my group", "Answered"}


def test_a_personal_feed_carries_online_links(client, member):
    AttendanceFactory(
        user=member, meeting=MeetingFactory(online_link=LINK), answer=Attendance.Answer.ONLINE
    )
    body = client.get(f"/calendar/{member.calendar_token}.ics").content.decode()
    assert LINK in body.replace("\r\n ", "")


def test_a_personal_feed_answers_not_modified_to_a_known_etag(client, member):
    AttendanceFactory(user=member)
    url = f"/calendar/{member.calendar_token}.ics"
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304


def test_an_unknown_token_is_not_found(client):
    assert client.get("/calendar/nobody-has-this.ics").status_code == 404


def test_an_unknown_meeting_file_is_not_found(client):
    assert client.get("/meetings/nothing/calendar.ics").status_code == 404
