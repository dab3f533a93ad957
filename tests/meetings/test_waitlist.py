"""Seats go in the order people answered: whatever frees or adds a seat gives it to the
first person waiting, and a newer answer never takes a seat while an older one waits."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings import services, tokens
from meetings.models import Attendance, Meeting
from tests.factories.accounts import UserFactory
from tests.factories.meetings import BRUSSELS, AttendanceFactory, MeetingFactory
from tests.meetings.test_admin import LIST, agenda_form, meeting_form

pytestmark = pytest.mark.django_db


def in_person(meeting, *, minutes_ago: int, waitlisted: bool) -> Attendance:
    return AttendanceFactory(
        meeting=meeting,
        answer=Attendance.Answer.IN_PERSON,
        waitlisted=waitlisted,
        answered_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
    )


def seated(meeting) -> set[Attendance]:
    return set(meeting.attendances.filter(answer="in_person", waitlisted=False))


@pytest.fixture
def full_meeting():
    """One seat, taken; three waiting. The pks run against the order of answering, so a
    test can tell answered_at order from creation order."""
    meeting = MeetingFactory(capacity=1)
    in_person(meeting, minutes_ago=100, waitlisted=False)
    third = in_person(meeting, minutes_ago=10, waitlisted=True)
    second = in_person(meeting, minutes_ago=20, waitlisted=True)
    first = in_person(meeting, minutes_ago=30, waitlisted=True)
    meeting.waiting = [first, second, third]
    return meeting


def test_raising_the_capacity_seats_the_first_people_waiting_in_the_order_they_answered(
    full_meeting,
):
    first, second, third = full_meeting.waiting
    services.meeting_update(meeting=full_meeting, data={"capacity": 3})
    assert {first, second} <= seated(full_meeting)
    assert Attendance.objects.get(pk=third.pk).waitlisted


def test_removing_the_capacity_seats_everyone_waiting(full_meeting):
    services.meeting_update(meeting=full_meeting, data={"capacity": None})
    assert not full_meeting.attendances.filter(waitlisted=True).exists()


def test_saving_a_meeting_without_a_new_capacity_seats_nobody(full_meeting):
    services.meeting_update(meeting=full_meeting, data={"title": "Renamed"})
    assert full_meeting.attendances.filter(waitlisted=True).count() == 3


def test_raising_the_capacity_in_the_admin_seats_those_waiting(client_for, secretariat):
    meeting = MeetingFactory(
        slug="wg4-meeting",
        working_group=None,
        capacity=1,
        start=dt.datetime(2099, 3, 25, 10, tzinfo=BRUSSELS),
        end=dt.datetime(2099, 3, 25, 13, tzinfo=BRUSSELS),
        online_link="https://meet.example.org/wg4",
    )
    in_person(meeting, minutes_ago=60, waitlisted=False)
    first = in_person(meeting, minutes_ago=30, waitlisted=True)
    second = in_person(meeting, minutes_ago=20, waitlisted=True)
    response = client_for(secretariat).post(
        f"{LIST}{meeting.pk}/change/", {**meeting_form(capacity="2"), **agenda_form([])}
    )
    assert response.status_code == 302
    assert first in seated(meeting)
    assert Attendance.objects.get(pk=second.pk).waitlisted


def test_a_new_answer_waits_behind_older_ones_even_when_a_seat_is_free(full_meeting):
    # A seat freed behind the services' back (a bulk update, an old row): the next
    # answer must not jump the queue.
    Meeting.objects.filter(pk=full_meeting.pk).update(capacity=2)
    first, second, third = full_meeting.waiting
    newcomer = services.attendance_answer(
        meeting=full_meeting, user=UserFactory(), answer="in_person"
    )
    assert newcomer.waitlisted
    assert first in seated(full_meeting)
    assert Attendance.objects.get(pk=second.pk).waitlisted


def test_changing_an_online_answer_to_in_person_joins_the_end_of_the_line():
    meeting = MeetingFactory(capacity=2)
    person = UserFactory()
    services.attendance_answer(meeting=meeting, user=person, answer="online")
    in_person(meeting, minutes_ago=10, waitlisted=False)
    in_person(meeting, minutes_ago=9, waitlisted=False)
    waiting = in_person(meeting, minutes_ago=5, waitlisted=True)
    Meeting.objects.filter(pk=meeting.pk).update(capacity=3)
    late = services.attendance_answer(meeting=meeting, user=person, answer="in_person")
    assert late.waitlisted
    assert waiting in seated(meeting)


def test_a_freed_seat_goes_to_the_person_who_answered_first_not_the_first_created(
    full_meeting,
):
    first, second, third = full_meeting.waiting
    holder = full_meeting.attendances.get(waitlisted=False)
    services.attendance_answer(meeting=full_meeting, user=holder.user, answer="declined")
    assert seated(full_meeting) == {first}


def test_an_answer_with_room_to_spare_is_seated_at_once():
    meeting = MeetingFactory(capacity=5)
    person = UserFactory()
    attendance = services.attendance_answer(meeting=meeting, user=person, answer="in_person")
    assert attendance.waitlisted is False


def test_a_refused_change_of_capacity_seats_nobody(full_meeting):
    with pytest.raises(ValidationError):
        services.meeting_update(
            meeting=full_meeting, data={"capacity": 3, "end": full_meeting.start}
        )
    assert full_meeting.attendances.filter(waitlisted=True).count() == 3


@pytest.fixture
def first_waiting(full_meeting):
    """The first person waiting, and a check that they still are, in the same place."""
    first, second, _third = full_meeting.waiting
    answered_at = Attendance.objects.get(pk=first.pk).answered_at

    def keeps_the_place():
        again = Attendance.objects.get(pk=first.pk)
        assert (again.answer, again.waitlisted, again.answered_at) == (
            "in_person",
            True,
            answered_at,
        )
        assert len(seated(full_meeting)) == 1  # no seat given over the others
        services.meeting_update(meeting=full_meeting, data={"capacity": 2})
        assert not Attendance.objects.get(pk=first.pk).waitlisted
        assert Attendance.objects.get(pk=second.pk).waitlisted

    first.keeps_the_place = keeps_the_place
    return first


def test_the_same_answer_again_keeps_the_place_on_the_waiting_list(full_meeting, first_waiting):
    services.attendance_answer(meeting=full_meeting, user=first_waiting.user, answer="in_person")
    first_waiting.keeps_the_place()


def test_the_same_answer_again_from_the_meeting_page_keeps_the_place(
    client, full_meeting, first_waiting
):
    client.force_login(first_waiting.user)
    page = client.post(full_meeting.get_absolute_url(), {"answer": "in_person"})
    assert page.status_code == 302
    first_waiting.keeps_the_place()


def test_the_same_answer_again_from_the_answer_link_keeps_the_place(
    client, full_meeting, first_waiting
):
    token = tokens.rsvp(full_meeting, first_waiting.user, "in_person")
    page = client.post(reverse("meetings:rsvp", args=[token]))
    assert page.status_code == 200
    first_waiting.keeps_the_place()
