"""After publishing: a change of time or place sends an update, a cancellation cancels
the event in calendars, and a seat freed from the waiting list is announced."""

import datetime as dt

import pytest

from meetings import services
from meetings.models import Attendance
from tests.factories.accounts import UserFactory
from tests.factories.meetings import DraftMeetingFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(member):
    return [member, UserFactory(email="decliner@example.org")]


@pytest.fixture
def meeting(people, django_capture_on_commit_callbacks):
    group = WorkingGroupFactory(code="WG4")
    group.members.add(*people)
    meeting = DraftMeetingFactory(title="WG4 meeting", working_group=group)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_publish(meeting=meeting)
    return meeting


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def call(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return call


def test_moving_a_meeting_sends_an_update_with_what_changed_except_to_decliners(
    smtp, meeting, run, people
):
    services.attendance_answer(meeting=meeting, user=people[1], answer="declined")
    smtp.received.clear()
    run(
        services.meeting_update,
        meeting=meeting,
        data={"start": meeting.start + dt.timedelta(hours=1), "end": meeting.end},
    )
    (update,) = smtp.received
    assert update.envelope_to == ["member@example.org"]
    assert update.subject.startswith("Update: WG4 meeting, ")
    assert "What changed" in update.text
    assert "11:00 (was " in update.text
    assert update.calendar["METHOD"] == "REQUEST"
    (event,) = update.calendar.walk("VEVENT")
    assert event["SEQUENCE"] == 1


def test_an_update_carries_each_persons_answer_so_their_calendar_keeps_it(
    smtp, meeting, run, people
):
    services.attendance_answer(meeting=meeting, user=people[0], answer="online")
    smtp.received.clear()
    run(
        services.meeting_update,
        meeting=meeting,
        data={"start": meeting.start + dt.timedelta(hours=1), "end": meeting.end},
    )
    partstats = {}
    for update in smtp.received:
        (event,) = update.calendar.walk("VEVENT")
        partstats[str(event["ATTENDEE"])] = event["ATTENDEE"].params["PARTSTAT"]
    assert partstats == {
        "mailto:member@example.org": "ACCEPTED",
        "mailto:decliner@example.org": "NEEDS-ACTION",  # not answered yet
    }


def test_an_update_is_named_update_ics(smtp, meeting, run):
    smtp.received.clear()
    run(
        services.meeting_update,
        meeting=meeting,
        data={"start": meeting.start + dt.timedelta(hours=1), "end": meeting.end},
    )
    assert {update.calendar_filename for update in smtp.received} == {"update.ics"}


def test_an_agenda_or_description_edit_sends_nothing(smtp, meeting, run):
    smtp.received.clear()
    run(services.meeting_update, meeting=meeting, data={"description": "Typo fixed."})
    assert smtp.received == []


def test_cancelling_sends_a_calendar_cancellation(smtp, meeting, run):
    smtp.received.clear()
    run(services.meeting_cancel, meeting=meeting)
    run(services.meeting_cancel, meeting=meeting)  # twice changes nothing
    assert len(smtp.received) == 2
    cancellation = smtp.to("member@example.org")[0]
    assert cancellation.subject.startswith("Cancelled: WG4 meeting, ")
    assert cancellation.calendar["METHOD"] == "CANCEL"
    (event,) = cancellation.calendar.walk("VEVENT")
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 1
    assert "/rsvp/" not in cancellation.text


def test_a_cancellation_carries_each_persons_answer(smtp, meeting, run, people):
    services.attendance_answer(meeting=meeting, user=people[0], answer="in_person")
    smtp.received.clear()
    run(services.meeting_cancel, meeting=meeting)
    partstats = {}
    for cancellation in smtp.received:
        (event,) = cancellation.calendar.walk("VEVENT")
        partstats[str(event["ATTENDEE"])] = event["ATTENDEE"].params["PARTSTAT"]
    assert partstats == {
        "mailto:member@example.org": "ACCEPTED",
        "mailto:decliner@example.org": "NEEDS-ACTION",  # not answered (who declined is not told)
    }


def test_a_cancellation_is_named_cancellation_ics(smtp, meeting, run):
    smtp.received.clear()
    run(services.meeting_cancel, meeting=meeting)
    assert {cancellation.calendar_filename for cancellation in smtp.received} == {
        "cancellation.ics"
    }


def test_a_person_seated_from_the_waiting_list_is_told(smtp, meeting, run, people):
    meeting.capacity = 1
    meeting.save()
    seated, waiting = people
    services.attendance_answer(meeting=meeting, user=seated, answer="in_person")
    services.attendance_answer(meeting=meeting, user=waiting, answer="in_person")
    assert Attendance.objects.get(user=waiting).waitlisted
    smtp.received.clear()
    run(services.attendance_answer, meeting=meeting, user=seated, answer="online")
    (seat,) = smtp.received
    assert seat.envelope_to == ["decliner@example.org"]
    assert seat.subject.startswith("Seat confirmed: WG4 meeting")
    assert "in-person seat" in seat.text
