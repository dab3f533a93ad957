import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings import services
from meetings.models import Attendance, Meeting
from tests.factories.accounts import UserFactory
from tests.factories.meetings import (
    BRUSSELS,
    AgendaItemFactory,
    AttendanceFactory,
    DraftMeetingFactory,
    MeetingFactory,
    in_days,
)
from tests.factories.regions import PartnerFactory

pytestmark = pytest.mark.django_db


def test_publishing_a_draft_makes_it_published_with_a_date():
    meeting = services.meeting_publish(meeting=DraftMeetingFactory())
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED
    assert meeting.published_at is not None


def test_publishing_twice_changes_nothing():
    meeting = services.meeting_publish(meeting=DraftMeetingFactory())
    first = meeting.published_at
    services.meeting_publish(meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.published_at == first


def test_a_cancelled_meeting_cannot_be_published_again():
    meeting = MeetingFactory(status=Meeting.Status.CANCELLED)
    with pytest.raises(ValidationError):
        services.meeting_publish(meeting=meeting)


def test_cancelling_marks_the_meeting_and_raises_its_sequence():
    meeting = MeetingFactory()
    services.meeting_cancel(meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert meeting.sequence == 1


def test_cancelling_twice_raises_the_sequence_once():
    meeting = MeetingFactory()
    services.meeting_cancel(meeting=meeting)
    services.meeting_cancel(meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.sequence == 1


def test_a_new_time_raises_the_sequence():
    meeting = MeetingFactory()
    services.meeting_update(
        meeting=meeting,
        data={"start": meeting.start + dt.timedelta(hours=1), "end": meeting.end},
    )
    assert Meeting.objects.get(pk=meeting.pk).sequence == 1


def test_a_new_end_alone_raises_the_sequence():
    meeting = MeetingFactory()
    services.meeting_update(meeting=meeting, data={"end": meeting.end + dt.timedelta(hours=1)})
    assert Meeting.objects.get(pk=meeting.pk).sequence == 1


def test_a_new_time_zone_alone_raises_the_sequence():
    meeting = MeetingFactory(time_zone="Europe/Brussels")
    services.meeting_update(meeting=meeting, data={"time_zone": "Europe/Lisbon"})
    assert Meeting.objects.get(pk=meeting.pk).sequence == 1


def test_a_new_venue_raises_the_sequence():
    meeting = MeetingFactory()
    services.meeting_update(meeting=meeting, data={"venue": "Elsewhere"})
    assert Meeting.objects.get(pk=meeting.pk).sequence == 1


def test_a_new_online_link_raises_the_sequence():
    meeting = MeetingFactory()
    services.meeting_update(meeting=meeting, data={"online_link": "https://meet.example.org/x"})
    assert Meeting.objects.get(pk=meeting.pk).sequence == 1


def test_a_new_title_leaves_the_sequence_alone():
    meeting = MeetingFactory()
    services.meeting_update(meeting=meeting, data={"title": "Better title", "capacity": 40})
    assert Meeting.objects.get(pk=meeting.pk).sequence == 0


def test_an_invalid_update_saves_nothing():
    meeting = MeetingFactory()
    with pytest.raises(ValidationError):
        services.meeting_update(meeting=meeting, data={"end": meeting.start})
    assert Meeting.objects.get(pk=meeting.pk).end != Meeting.objects.get(pk=meeting.pk).start


def test_a_clone_is_a_draft_with_its_times_shifted():
    meeting = MeetingFactory(
        start=dt.datetime(2024, 3, 27, 10, tzinfo=BRUSSELS),
        end=dt.datetime(2024, 3, 27, 13, tzinfo=BRUSSELS),
        registration_deadline=dt.datetime(2024, 3, 25, 17, tzinfo=BRUSSELS),
    )
    clone = services.meeting_clone(
        meeting=meeting, new_start=dt.datetime(2024, 6, 12, 10, tzinfo=BRUSSELS)
    )
    assert clone.status == Meeting.Status.DRAFT
    assert clone.local_start == dt.datetime(2024, 6, 12, 10, tzinfo=BRUSSELS)
    assert clone.local_end == dt.datetime(2024, 6, 12, 13, tzinfo=BRUSSELS)
    assert clone.registration_deadline == dt.datetime(2024, 6, 10, 17, tzinfo=BRUSSELS)


def test_a_clone_keeps_the_local_time_across_a_daylight_saving_change():
    # 27 March is winter time in Brussels, 3 April summer time: still 10:00 local.
    meeting = MeetingFactory(
        start=dt.datetime(2024, 3, 27, 10, tzinfo=BRUSSELS),
        end=dt.datetime(2024, 3, 27, 13, tzinfo=BRUSSELS),
    )
    clone = services.meeting_clone(
        meeting=meeting, new_start=dt.datetime(2024, 4, 3, 10, tzinfo=BRUSSELS)
    )
    assert f"{clone.local_start:%H:%M}–{clone.local_end:%H:%M}" == "10:00–13:00"


def test_a_clone_copies_the_agenda_partners_and_reminders_but_no_answers():
    meeting = MeetingFactory(reminder_hours=[48], partners=[PartnerFactory(acronym="ARA")])
    AgendaItemFactory(meeting=meeting, position=1, title="Welcome")
    AgendaItemFactory(meeting=meeting, position=2, title="Showcase")
    AttendanceFactory(meeting=meeting)
    clone = services.meeting_clone(meeting=meeting, new_start=meeting.start + dt.timedelta(7))
    assert [i.title for i in clone.agenda_items.all()] == ["Welcome", "Showcase"]
    assert [p.acronym for p in clone.partners.all()] == ["ARA"]
    assert clone.reminder_hours == [48]
    assert clone.attendances.count() == 0
    assert meeting.agenda_items.count() == 2


def test_reordering_numbers_the_items_in_the_given_order():
    meeting = MeetingFactory()
    a, b, c = (AgendaItemFactory(meeting=meeting, position=n) for n in (1, 2, 3))
    services.agenda_reorder(meeting=meeting, item_ids=[c.pk, a.pk, b.pk])
    assert list(meeting.agenda_items.values_list("pk", "position")) == [
        (c.pk, 1),
        (a.pk, 2),
        (b.pk, 3),
    ]


def test_reordering_refuses_items_of_another_meeting():
    meeting = MeetingFactory()
    stranger = AgendaItemFactory()
    with pytest.raises(ValidationError):
        services.agenda_reorder(meeting=meeting, item_ids=[stranger.pk])


def test_an_answer_is_recorded():
    meeting, person = MeetingFactory(), UserFactory()
    services.attendance_answer(meeting=meeting, user=person, answer="online")
    assert Attendance.objects.get(meeting=meeting, user=person).answer == "online"


def test_an_answer_can_be_changed():
    meeting, person = MeetingFactory(), UserFactory()
    services.attendance_answer(meeting=meeting, user=person, answer="online")
    services.attendance_answer(meeting=meeting, user=person, answer="declined")
    assert Attendance.objects.get(meeting=meeting, user=person).answer == "declined"


def test_answers_are_refused_after_the_deadline():
    meeting = MeetingFactory(registration_deadline=timezone.now() - dt.timedelta(hours=1))
    with pytest.raises(ValidationError, match="deadline"):
        services.attendance_answer(meeting=meeting, user=UserFactory(), answer="online")
    assert not meeting.attendances.exists()


def test_answers_are_refused_after_the_meeting_without_a_deadline():
    meeting = MeetingFactory(start=in_days(2))
    with (
        time_machine.travel(meeting.end + dt.timedelta(minutes=1)),
        pytest.raises(ValidationError),
    ):
        services.attendance_answer(meeting=meeting, user=UserFactory(), answer="online")


def test_answers_to_a_cancelled_meeting_are_refused():
    meeting = MeetingFactory(status=Meeting.Status.CANCELLED)
    with pytest.raises(ValidationError, match="cancelled"):
        services.attendance_answer(meeting=meeting, user=UserFactory(), answer="online")


def test_answers_to_a_draft_are_refused():
    with pytest.raises(ValidationError):
        services.attendance_answer(
            meeting=DraftMeetingFactory(), user=UserFactory(), answer="online"
        )


def test_an_online_answer_to_an_in_person_meeting_is_refused():
    meeting = MeetingFactory(format=Meeting.Format.IN_PERSON)
    with pytest.raises(ValidationError, match="format"):
        services.attendance_answer(meeting=meeting, user=UserFactory(), answer="online")


def test_in_person_answers_beyond_capacity_join_the_waiting_list():
    meeting = MeetingFactory(capacity=1)
    first = services.attendance_answer(meeting=meeting, user=UserFactory(), answer="in_person")
    second = services.attendance_answer(meeting=meeting, user=UserFactory(), answer="in_person")
    assert (first.waitlisted, second.waitlisted) == (False, True)


def test_a_freed_seat_goes_to_the_first_of_several_people_waiting():
    meeting = MeetingFactory(capacity=1)
    seated, first, second, third = UserFactory.create_batch(4)
    for person in (seated, first, second, third):
        services.attendance_answer(meeting=meeting, user=person, answer="in_person")
    services.attendance_answer(meeting=meeting, user=seated, answer="online")
    waitlisted = dict(meeting.attendances.values_list("user", "waitlisted"))
    assert waitlisted == {seated.pk: False, first.pk: False, second.pk: True, third.pk: True}


def test_repeating_an_in_person_answer_keeps_the_seat():
    meeting = MeetingFactory(capacity=1)
    person = UserFactory()
    services.attendance_answer(meeting=meeting, user=person, answer="in_person")
    again = services.attendance_answer(meeting=meeting, user=person, answer="in_person")
    assert not again.waitlisted
