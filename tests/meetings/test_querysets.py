import datetime as dt

import pytest

from meetings.models import Attendance, Meeting
from meetings.timefmt import format_span, meeting_when
from tests.factories.accounts import UserFactory
from tests.factories.meetings import (
    BRUSSELS,
    AttendanceFactory,
    DraftMeetingFactory,
    MeetingFactory,
    WorkingGroupFactory,
    in_days,
)

pytestmark = pytest.mark.django_db


def titles(queryset) -> set[str]:
    return set(queryset.values_list("title", flat=True))


@pytest.fixture
def meetings():
    MeetingFactory(title="Public")
    MeetingFactory(title="Members", visibility=Meeting.Visibility.MEMBERS)
    DraftMeetingFactory(title="Draft")
    MeetingFactory(title="Cancelled", status=Meeting.Status.CANCELLED)


def test_visitors_see_announced_public_meetings(meetings, client):
    from django.contrib.auth.models import AnonymousUser

    assert titles(Meeting.objects.visible_to(AnonymousUser())) == {"Public", "Cancelled"}


def test_members_also_see_members_only_meetings(meetings, member):
    assert titles(Meeting.objects.visible_to(member)) == {"Public", "Members", "Cancelled"}


def test_the_secretariat_also_sees_drafts(meetings, secretariat):
    assert titles(Meeting.objects.visible_to(secretariat)) == {
        "Public",
        "Members",
        "Draft",
        "Cancelled",
    }


def test_published_leaves_out_drafts_and_cancelled_meetings(meetings):
    assert titles(Meeting.objects.published()) == {"Public", "Members"}


def test_upcoming_and_past_split_on_the_end():
    MeetingFactory(title="Soon", start=in_days(1))
    MeetingFactory(title="Gone", start=in_days(-1))
    assert titles(Meeting.objects.upcoming()) == {"Soon"}
    assert titles(Meeting.objects.past()) == {"Gone"}


def test_answer_counts_are_annotated_with_the_silent_members():
    quiet, talkative = UserFactory(), UserFactory()
    meeting = MeetingFactory(working_group=WorkingGroupFactory(members=[quiet, talkative]))
    AttendanceFactory(meeting=meeting, user=talkative, answer=Attendance.Answer.IN_PERSON)
    AttendanceFactory(meeting=meeting, answer=Attendance.Answer.ONLINE)
    AttendanceFactory(meeting=meeting, answer=Attendance.Answer.DECLINED)
    AttendanceFactory(meeting=meeting, answer=Attendance.Answer.IN_PERSON, waitlisted=True)
    counted = Meeting.objects.with_answer_counts().get(pk=meeting.pk)
    assert (
        counted.in_person_count,
        counted.waitlist_count,
        counted.online_count,
        counted.declined_count,
        counted.no_answer_count,
    ) == (1, 1, 1, 1, 1)


def test_a_meeting_without_group_has_no_silent_members():
    assert (
        Meeting.objects.with_answer_counts()
        .get(pk=MeetingFactory(working_group=None).pk)
        .no_answer_count
        == 0
    )


def test_a_multi_day_event_shows_both_days():
    start = dt.datetime(2024, 4, 10, 9, 30, tzinfo=BRUSSELS)
    text = format_span(start, start + dt.timedelta(days=1, hours=7), "Brussels time")
    assert text == "Wed 10 April 2024, 09:30 – Thu 11 April 2024, 16:30 (Brussels time)"


def test_the_time_reads_as_the_brief_asks():
    meeting = MeetingFactory.build(
        start=dt.datetime(2024, 3, 27, 10, tzinfo=BRUSSELS),
        end=dt.datetime(2024, 3, 27, 12, 30, tzinfo=BRUSSELS),
    )
    assert meeting_when(meeting) == "Wed 27 March 2024, 10:00–12:30 (Brussels time)"
