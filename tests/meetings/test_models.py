import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from meetings.models import AgendaItem, Attendance, Meeting, agenda_schedule
from tests.factories.meetings import (
    AgendaItemFactory,
    AttendanceFactory,
    MeetingFactory,
    WorkingGroupFactory,
    in_days,
)

pytestmark = pytest.mark.django_db


def test_the_database_refuses_an_end_before_the_start():
    meeting = MeetingFactory()
    meeting.end = meeting.start - dt.timedelta(hours=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        meeting.save()


def test_the_database_refuses_a_negative_capacity():
    meeting = MeetingFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(capacity=-1)


def test_clean_reports_an_end_before_the_start_on_the_end_field():
    meeting = MeetingFactory.build(start=in_days(5), end=in_days(5) - dt.timedelta(hours=1))
    with pytest.raises(ValidationError) as error:
        meeting.full_clean(exclude=["working_group"])
    assert "end" in error.value.message_dict


def test_clean_reports_an_unknown_time_zone():
    meeting = MeetingFactory.build(time_zone="Europe/Atlantis")
    with pytest.raises(ValidationError) as error:
        meeting.full_clean(exclude=["working_group"])
    assert "time_zone" in error.value.message_dict


def test_clean_refuses_a_capacity_below_the_seats_already_given():
    meeting = MeetingFactory(capacity=5)
    AttendanceFactory.create_batch(3, meeting=meeting, answer=Attendance.Answer.IN_PERSON)
    meeting.capacity = 2
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert "capacity" in error.value.message_dict


def test_clean_refuses_a_registration_deadline_after_the_end():
    meeting = MeetingFactory()
    meeting.registration_deadline = meeting.end + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert "registration_deadline" in error.value.message_dict


def test_reminders_default_to_seven_days_and_one_day():
    assert MeetingFactory().reminder_hours == [168, 24]


def test_reminders_must_be_a_list_of_whole_hours():
    meeting = MeetingFactory(reminder_hours=["soon"])
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert "reminder_hours" in error.value.message_dict


def test_agenda_positions_are_unique_within_a_meeting():
    item = AgendaItemFactory(position=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItemFactory(meeting=item.meeting, position=1)


def test_items_follow_each_other_from_the_meeting_start():
    meeting = MeetingFactory(start=in_days(3, hour=10))
    AgendaItemFactory(meeting=meeting, position=1, duration_minutes=10)
    AgendaItemFactory(meeting=meeting, position=2, duration_minutes=20)
    slots = agenda_schedule(meeting, meeting.agenda_items.all())
    assert [f"{s.start:%H:%M}-{s.end:%H:%M}" for s in slots] == ["10:00-10:10", "10:10-10:30"]


def test_an_explicit_item_time_moves_the_following_items():
    meeting = MeetingFactory(start=in_days(3, hour=10))
    AgendaItemFactory(meeting=meeting, position=1, duration_minutes=10)
    AgendaItemFactory(meeting=meeting, position=2, start_time=dt.time(11, 0))
    AgendaItemFactory(meeting=meeting, position=3)
    slots = agenda_schedule(meeting, meeting.agenda_items.all())
    assert [f"{s.start:%H:%M}" for s in slots] == ["10:00", "11:00", "11:15"]


def test_an_item_running_past_the_meeting_end_is_refused():
    meeting = MeetingFactory(start=in_days(3, hour=10), end=in_days(3, hour=11))
    AgendaItemFactory(meeting=meeting, position=1, duration_minutes=45)
    item = AgendaItem(meeting=meeting, position=2, title="Too long", duration_minutes=30)
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert "duration_minutes" in error.value.message_dict


def test_an_attendance_is_unique_per_meeting_and_person():
    attendance = AttendanceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceFactory(meeting=attendance.meeting, user=attendance.user)


def test_only_in_person_answers_can_wait():
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceFactory(answer=Attendance.Answer.ONLINE, waitlisted=True)


def test_a_working_group_is_addressed_by_its_code():
    assert WorkingGroupFactory(code="WG4").get_absolute_url() == "/groups/WG4/"


def test_the_map_link_searches_openstreetmap_for_the_venue():
    meeting = MeetingFactory(venue="Maison des Régions", address="Rue Montoyer 10, Brussels")
    assert meeting.map_url.startswith("https://www.openstreetmap.org/search?query=Maison")


def test_an_online_meeting_has_no_map_link():
    assert MeetingFactory(format=Meeting.Format.ONLINE).map_url == ""
