"""A late "I cannot come after all": past the registration deadline and until the start,
someone coming (in person, seated or waiting, or online) may still decline, and a seat
they free goes to the first person waiting. Nothing else changes after the deadline, and
nothing at all once the meeting has started.

Chosen: a member who never answered may also decline after the deadline (from an email
link or a calendar reply). It frees nothing and tells the organisers the truth, so it is
taken; the pages offer the late decline only to those coming."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings import services, tokens
from meetings.models import Attendance, Meeting
from notifications.models import Notification
from tests.factories.accounts import UserFactory
from tests.factories.meetings import AttendanceFactory, MeetingFactory, QuestionFactory, in_days

pytestmark = pytest.mark.django_db

DEADLINE_PASSED = "Answers are closed: the registration deadline has passed."
STARTED = "Answers are closed: the meeting has started."


@pytest.fixture
def meeting():
    """Starts in 21 days at 10:00; answers closed 14 days from now, at 17:00."""
    return MeetingFactory(
        title="WG4 meeting", start=in_days(21), registration_deadline=in_days(14, 17)
    )


@pytest.fixture
def after_the_deadline():
    with time_machine.travel(in_days(15), tick=False):
        yield


@pytest.fixture
def after_the_start(meeting):
    with time_machine.travel(meeting.start + dt.timedelta(minutes=30), tick=False):
        yield


def answer(meeting, *, answer="in_person", waitlisted=False, minutes_ago=60, email=None):
    return AttendanceFactory(
        meeting=meeting,
        user=UserFactory(**({"email": email} if email else {})),
        answer=answer,
        waitlisted=waitlisted,
        answered_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
    )


def answer_of(attendance) -> tuple[str, bool]:
    attendance.refresh_from_db()
    return attendance.answer, attendance.waitlisted


# -- the rule (Meeting) ----------------------------------------------------------------


def test_before_the_deadline_declining_is_open_as_every_answer(meeting):
    assert meeting.declining_open
    assert meeting.answer_closed_reason("declined") == ""
    assert meeting.answer_closed_reason("in_person") == ""


def test_after_the_deadline_only_declining_is_open(meeting, after_the_deadline):
    assert not meeting.answers_open
    assert meeting.declining_open
    assert meeting.answer_closed_reason("declined") == ""
    assert meeting.answer_closed_reason("in_person") == DEADLINE_PASSED
    assert meeting.answer_closed_reason("online") == DEADLINE_PASSED


def test_after_the_start_declining_is_closed_because_it_has_started(meeting, after_the_start):
    assert not meeting.declining_open
    assert meeting.answer_closed_reason("declined") == STARTED


def test_after_the_end_declining_is_closed_because_it_is_over(meeting):
    with time_machine.travel(meeting.end + dt.timedelta(minutes=1)):
        assert meeting.answer_closed_reason("declined") == (
            "Answers are closed: the meeting is over."
        )


def test_a_cancelled_meeting_takes_no_late_decline(meeting, after_the_deadline):
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    meeting.refresh_from_db()
    assert not meeting.declining_open
    assert meeting.answer_closed_reason("declined") == (
        "Answers are closed: the meeting has been cancelled."
    )


def test_a_draft_takes_no_decline(meeting):
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.DRAFT)
    meeting.refresh_from_db()
    assert (
        meeting.answer_closed_reason("declined") == "Answers open when the meeting is published."
    )


def test_after_the_deadline_someone_coming_is_offered_declining_alone(meeting, after_the_deadline):
    assert meeting.answers_offered("in_person") == [("declined", "I cannot attend")]
    assert meeting.answers_offered("online") == [("declined", "I cannot attend")]
    assert meeting.answers_offered("declined") == []
    assert meeting.answers_offered(None) == []


def test_before_the_deadline_everyone_is_offered_every_answer(meeting):
    assert [value for value, _ in meeting.answers_offered(None)] == [
        "in_person",
        "online",
        "declined",
    ]


# -- the service (attendance_answer) ---------------------------------------------------


def test_a_seated_person_declines_after_the_deadline(meeting, after_the_deadline):
    seated = answer(meeting)
    other = answer(meeting, answer="online")
    services.attendance_answer(meeting=meeting, user=seated.user, answer="declined")
    assert answer_of(seated) == ("declined", False)
    assert answer_of(other) == ("online", False)


def test_someone_waiting_declines_after_the_deadline_and_leaves_the_list(after_the_deadline):
    meeting = MeetingFactory(start=in_days(21), registration_deadline=in_days(14), capacity=1)
    seated = answer(meeting, minutes_ago=90)
    waiting = answer(meeting, waitlisted=True)
    services.attendance_answer(meeting=meeting, user=waiting.user, answer="declined")
    assert answer_of(waiting) == ("declined", False)
    assert answer_of(seated) == ("in_person", False)
    assert not Notification.objects.filter(kind=Notification.Kind.SEAT).exists()


def test_an_online_person_declines_after_the_deadline(meeting, after_the_deadline):
    online = answer(meeting, answer="online")
    services.attendance_answer(meeting=meeting, user=online.user, answer="declined")
    assert answer_of(online) == ("declined", False)


def test_a_late_decline_drops_the_answers_to_the_questions(meeting, after_the_deadline):
    question = QuestionFactory(meeting=meeting, text="Dietary needs")
    seated = AttendanceFactory(
        meeting=meeting, answer="in_person", responses={str(question.pk): "Vegan"}
    )
    services.attendance_answer(meeting=meeting, user=seated.user, answer="declined")
    seated.refresh_from_db()
    assert seated.responses == {}


def test_a_late_decline_gives_the_seat_to_the_first_waiting_and_the_second_stays_waiting(
    django_capture_on_commit_callbacks,
):
    meeting = MeetingFactory(start=in_days(21), registration_deadline=in_days(14), capacity=2)
    stays = answer(meeting, minutes_ago=100, email="stays@example.org")
    leaves = answer(meeting, minutes_ago=90, email="leaves@example.org")
    second = answer(meeting, waitlisted=True, minutes_ago=20, email="second@example.org")
    first = answer(meeting, waitlisted=True, minutes_ago=30, email="first@example.org")
    with time_machine.travel(in_days(15)), django_capture_on_commit_callbacks(execute=True):
        services.attendance_answer(meeting=meeting, user=leaves.user, answer="declined")
    assert answer_of(leaves) == ("declined", False)
    assert answer_of(first) == ("in_person", False)
    assert answer_of(second) == ("in_person", True)
    assert answer_of(stays) == ("in_person", False)
    seat_rows = Notification.objects.filter(kind=Notification.Kind.SEAT)
    assert list(seat_rows.values_list("person__email", flat=True)) == ["first@example.org"]


@pytest.mark.parametrize(("before", "after"), [("online", "in_person"), ("in_person", "online")])
def test_switching_between_in_person_and_online_after_the_deadline_is_refused(
    meeting, after_the_deadline, before, after
):
    coming = answer(meeting, answer=before)
    with pytest.raises(ValidationError) as refusal:
        services.attendance_answer(meeting=meeting, user=coming.user, answer=after)
    assert refusal.value.messages == [DEADLINE_PASSED]
    assert answer_of(coming) == (before, False)


def test_a_declined_person_cannot_come_back_after_the_deadline(meeting, after_the_deadline):
    declined = answer(meeting, answer="declined")
    with pytest.raises(ValidationError, match="the registration deadline has passed"):
        services.attendance_answer(meeting=meeting, user=declined.user, answer="in_person")
    assert answer_of(declined) == ("declined", False)


def test_a_new_in_person_answer_after_the_deadline_is_refused(meeting, after_the_deadline):
    person = UserFactory()
    with pytest.raises(ValidationError, match="the registration deadline has passed"):
        services.attendance_answer(meeting=meeting, user=person, answer="in_person")
    assert not Attendance.objects.filter(user=person).exists()


def test_changing_the_answers_to_the_questions_after_the_deadline_is_refused(
    meeting, after_the_deadline
):
    question = QuestionFactory(meeting=meeting, text="Dietary needs")
    seated = AttendanceFactory(
        meeting=meeting, answer="in_person", responses={str(question.pk): "Vegan"}
    )
    with pytest.raises(ValidationError, match="the registration deadline has passed"):
        services.attendance_answer(
            meeting=meeting,
            user=seated.user,
            answer="in_person",
            responses={str(question.pk): "None"},
        )
    seated.refresh_from_db()
    assert seated.responses == {str(question.pk): "Vegan"}


def test_declining_after_the_start_is_refused_because_it_has_started(meeting, after_the_start):
    seated = answer(meeting)
    with pytest.raises(ValidationError) as refusal:
        services.attendance_answer(meeting=meeting, user=seated.user, answer="declined")
    assert refusal.value.messages == [STARTED]
    assert answer_of(seated) == ("in_person", False)


def test_a_member_who_never_answered_may_decline_after_the_deadline(meeting, after_the_deadline):
    person = UserFactory()
    services.attendance_answer(meeting=meeting, user=person, answer="declined")
    assert Attendance.objects.get(meeting=meeting, user=person).answer == "declined"


# -- the meeting's page ------------------------------------------------------------------


def test_after_the_deadline_the_page_offers_someone_coming_a_way_to_decline(
    client_for, member, meeting, after_the_deadline
):
    AttendanceFactory(meeting=meeting, user=member, answer="in_person")
    page = client_for(member).get(meeting.get_absolute_url()).content.decode()
    assert DEADLINE_PASSED in page
    assert 'type="radio"' not in page
    assert '<input type="hidden" name="answer" value="declined">' in page
    assert "I cannot come after all" in page


@pytest.mark.parametrize("before", ["declined", None])
def test_after_the_deadline_the_page_offers_no_decline_to_someone_not_coming(
    client_for, member, meeting, after_the_deadline, before
):
    if before:
        AttendanceFactory(meeting=meeting, user=member, answer=before)
    page = client_for(member).get(meeting.get_absolute_url()).content.decode()
    assert DEADLINE_PASSED in page
    assert 'name="answer"' not in page


def test_after_the_start_the_page_offers_no_decline(client_for, member, meeting, after_the_start):
    AttendanceFactory(meeting=meeting, user=member, answer="in_person")
    page = client_for(member).get(meeting.get_absolute_url()).content.decode()
    assert 'name="answer"' not in page
    assert "I cannot come after all" not in page


def test_declining_on_the_page_after_the_deadline_records_it(
    client_for, member, meeting, after_the_deadline
):
    mine = AttendanceFactory(meeting=meeting, user=member, answer="in_person")
    other = answer(meeting, answer="online")
    response = client_for(member).post(
        meeting.get_absolute_url(), {"answer": "declined"}, follow=True
    )
    page = response.content.decode()
    assert "Your answer has been saved: Declined." in page
    assert "Your answer: <strong>Declined</strong>." in page
    assert "I cannot come after all" not in page
    assert answer_of(mine) == ("declined", False)
    assert answer_of(other) == ("online", False)


def test_switching_on_the_page_after_the_deadline_is_refused_with_the_deadline_message(
    client_for, member, meeting, after_the_deadline
):
    mine = AttendanceFactory(meeting=meeting, user=member, answer="in_person")
    response = client_for(member).post(
        meeting.get_absolute_url(), {"answer": "online"}, follow=True
    )
    assert response.status_code == 200
    assert response.content.decode().count(DEADLINE_PASSED) == 2  # the message, the section
    assert answer_of(mine) == ("in_person", False)


def test_declining_on_the_page_after_the_start_is_refused(
    client_for, member, meeting, after_the_start
):
    mine = AttendanceFactory(meeting=meeting, user=member, answer="in_person")
    response = client_for(member).post(
        meeting.get_absolute_url(), {"answer": "declined"}, follow=True
    )
    assert STARTED in response.content.decode()
    assert answer_of(mine) == ("in_person", False)


# -- the answer links of the emails ------------------------------------------------------


def link(meeting, person, value) -> str:
    return f"/rsvp/{tokens.rsvp(meeting, person, value)}/"


def test_the_decline_link_works_after_the_deadline(client, member, meeting, after_the_deadline):
    mine = AttendanceFactory(meeting=meeting, user=member, answer="in_person")
    page = client.get(link(meeting, member, "declined"))
    assert page.status_code == 200
    assert "Confirm: I cannot attend" in page.content.decode()
    assert "Change your answer" not in page.content.decode()  # no closed answer offered
    done = client.post(link(meeting, member, "declined"))
    assert done.status_code == 200
    assert "your answer “I cannot attend” is recorded" in done.content.decode()
    assert answer_of(mine) == ("declined", False)


@pytest.mark.parametrize("value", ["in_person", "online"])
def test_another_link_after_the_deadline_says_answers_are_closed(
    client, member, meeting, after_the_deadline, value
):
    mine = AttendanceFactory(meeting=meeting, user=member, answer="declined")
    for response in (
        client.get(link(meeting, member, value)),
        client.post(link(meeting, member, value)),
    ):
        assert response.status_code == 410
        assert "Answers are closed" in response.content.decode()
    assert answer_of(mine) == ("declined", False)


def test_the_decline_link_after_the_start_says_answers_are_closed(
    client, member, meeting, after_the_start
):
    mine = AttendanceFactory(meeting=meeting, user=member, answer="in_person")
    response = client.post(link(meeting, member, "declined"))
    assert response.status_code == 410
    assert "Answers are closed" in response.content.decode()
    assert answer_of(mine) == ("in_person", False)
