"""Why answers are closed: the page and the refusal say what is true."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from meetings import services
from tests.factories.accounts import UserFactory
from tests.factories.meetings import MeetingFactory, in_days
from tests.meetings.test_views import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def past_meeting_without_a_deadline():
    return MeetingFactory(start=in_days(-10), registration_deadline=None)


def test_a_past_meeting_without_a_deadline_says_it_is_over(
    client_for, member, past_meeting_without_a_deadline
):
    page = text(client_for(member).get(past_meeting_without_a_deadline.get_absolute_url()))
    assert "Answers are closed: the meeting is over." in page
    assert "deadline" not in page


def test_a_past_meeting_with_a_deadline_says_it_is_over(client_for, member):
    meeting = MeetingFactory(start=in_days(-10), registration_deadline=in_days(-12))
    page = text(client_for(member).get(meeting.get_absolute_url()))
    assert "Answers are closed: the meeting is over." in page


def test_an_answer_to_a_past_meeting_is_refused_because_it_is_over(
    past_meeting_without_a_deadline,
):
    with pytest.raises(ValidationError, match="the meeting is over") as refusal:
        services.attendance_answer(
            meeting=past_meeting_without_a_deadline, user=UserFactory(), answer="online"
        )
    assert "deadline" not in str(refusal.value)


def test_a_deadline_that_passed_before_the_meeting_is_named_as_such(client_for, member):
    meeting = MeetingFactory(start=in_days(5), registration_deadline=in_days(2))
    with time_machine.travel(in_days(3)):
        page = text(client_for(member).get(meeting.get_absolute_url()))
    assert "Answers are closed: the registration deadline has passed." in page


def test_a_meeting_without_a_deadline_takes_answers_until_it_starts(client_for, member):
    meeting = MeetingFactory(start=in_days(1), registration_deadline=None)
    with time_machine.travel(meeting.start - dt.timedelta(minutes=1)):
        before = text(client_for(member).get(meeting.get_absolute_url()))
    with time_machine.travel(meeting.start + dt.timedelta(minutes=30)):
        running = text(client_for(member).get(meeting.get_absolute_url()))
    assert 'name="answer"' in before
    assert 'name="answer"' not in running
    assert "Answers are closed: the meeting has started." in running


def test_the_page_the_answer_link_and_the_service_close_at_the_same_time(client, member):
    from meetings import tokens

    meeting = MeetingFactory(start=in_days(1), registration_deadline=None)
    link = f"/rsvp/{tokens.rsvp(meeting, member, 'online')}/"
    with time_machine.travel(meeting.start + dt.timedelta(minutes=1)):
        assert client.get(link).status_code == 410
        with pytest.raises(ValidationError, match="the meeting has started"):
            services.attendance_answer(meeting=meeting, user=member, answer="online")
