"""Reminders go out before the start, found by the beat sweep; never for drafts or
cancelled meetings, never to decliners, never twice, never late."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from accounts.models import User
from meetings import services
from notifications.tasks import notifications_sweep
from tests.factories.accounts import UserFactory
from tests.factories.meetings import DraftMeetingFactory, WorkingGroupFactory, in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(member):
    group = WorkingGroupFactory(code="WG4")
    group.members.add(member, UserFactory(email="other@example.org"))
    return group


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def call(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return call


@pytest.fixture
def sweep_at(time_machine, django_capture_on_commit_callbacks):
    def at(moment: dt.datetime) -> int:
        time_machine.move_to(moment, tick=False)
        with django_capture_on_commit_callbacks(execute=True):
            return notifications_sweep.delay().get()

    return at


def reminders(smtp) -> list:
    return [item for item in smtp.received if item.subject.startswith("Reminder:")]


def test_reminders_go_out_within_a_minute_of_their_time_and_never_twice(
    smtp, group, run, sweep_at
):
    meeting = DraftMeetingFactory(title="WG4 meeting", working_group=group, start=in_days(10))
    meeting.end = meeting.start + dt.timedelta(hours=3)
    meeting.save()
    run(services.meeting_publish, meeting=meeting)
    week_before = meeting.start - dt.timedelta(days=7)
    sweep_at(week_before - dt.timedelta(minutes=1))
    assert reminders(smtp) == []
    sweep_at(week_before + dt.timedelta(seconds=30))
    assert len(reminders(smtp)) == 2
    sweep_at(week_before + dt.timedelta(minutes=10))
    assert len(reminders(smtp)) == 2
    sweep_at(meeting.start - dt.timedelta(days=1) + dt.timedelta(seconds=30))
    assert len(reminders(smtp)) == 4
    assert reminders(smtp)[0].subject.startswith("Reminder: WG4 meeting, ")


def test_publishing_late_does_not_fire_a_reminder_whose_time_has_passed(
    smtp, group, run, sweep_at
):
    meeting = DraftMeetingFactory(working_group=group, start=in_days(2))
    meeting.end = meeting.start + dt.timedelta(hours=3)
    meeting.save()
    run(services.meeting_publish, meeting=meeting)
    sweep_at(timezone.now() + dt.timedelta(minutes=1))
    assert reminders(smtp) == []
    sweep_at(meeting.start - dt.timedelta(hours=24) + dt.timedelta(seconds=1))
    assert len(reminders(smtp)) == 2


def test_no_reminder_to_decliners_or_those_who_turned_them_off(smtp, group, run, sweep_at, member):
    meeting = DraftMeetingFactory(working_group=group, start=in_days(3))
    meeting.end = meeting.start + dt.timedelta(hours=3)
    meeting.save()
    run(services.meeting_publish, meeting=meeting)
    services.attendance_answer(meeting=meeting, user=member, answer="declined")
    other = User.objects.get(email="other@example.org")
    other.meeting_reminders = False
    other.save()
    sweep_at(meeting.start - dt.timedelta(hours=23))
    assert reminders(smtp) == []


def test_no_reminder_for_a_cancelled_meeting(smtp, group, run, sweep_at):
    meeting = DraftMeetingFactory(working_group=group, start=in_days(3))
    meeting.end = meeting.start + dt.timedelta(hours=3)
    meeting.save()
    run(services.meeting_publish, meeting=meeting)
    run(services.meeting_cancel, meeting=meeting)
    sweep_at(meeting.start - dt.timedelta(hours=23))
    assert reminders(smtp) == []


def test_no_reminder_for_a_draft(smtp, group, sweep_at):
    meeting = DraftMeetingFactory(working_group=group, start=in_days(3))
    sweep_at(meeting.start - dt.timedelta(hours=23))
    assert smtp.received == []


def test_moving_a_meeting_moves_its_reminders(smtp, group, run, sweep_at):
    meeting = DraftMeetingFactory(working_group=group, start=in_days(3))
    meeting.end = meeting.start + dt.timedelta(hours=3)
    meeting.save()
    run(services.meeting_publish, meeting=meeting)
    later = meeting.start + dt.timedelta(days=1)
    run(
        services.meeting_update,
        meeting=meeting,
        data={"start": later, "end": later + dt.timedelta(hours=3)},
    )
    sweep_at(later - dt.timedelta(hours=47))
    assert reminders(smtp) == []
    sweep_at(later - dt.timedelta(hours=24) + dt.timedelta(seconds=1))
    assert len(reminders(smtp)) == 2


def test_a_reminder_across_the_end_of_daylight_saving_comes_24_real_hours_before(
    smtp, group, run, sweep_at
):
    # Europe/Brussels leaves summer time on 26 October 2025 at 03:00.
    import zoneinfo

    brussels = zoneinfo.ZoneInfo("Europe/Brussels")
    start = dt.datetime(2025, 10, 26, 10, 0, tzinfo=brussels)
    sweep_at(dt.datetime(2025, 10, 20, 9, 0, tzinfo=brussels))
    meeting = DraftMeetingFactory(
        working_group=group, start=start, end=start + dt.timedelta(hours=3)
    )
    run(services.meeting_publish, meeting=meeting)
    sweep_at(dt.datetime(2025, 10, 25, 10, 59, tzinfo=brussels))
    assert reminders(smtp) == []
    sweep_at(dt.datetime(2025, 10, 25, 11, 0, 30, tzinfo=brussels))
    assert len(reminders(smtp)) == 2


def test_a_reminder_offers_a_one_click_unsubscribe(smtp, group, run, sweep_at, client, member):
    meeting = DraftMeetingFactory(working_group=group, start=in_days(3))
    meeting.end = meeting.start + dt.timedelta(hours=3)
    meeting.save()
    run(services.meeting_publish, meeting=meeting)
    sweep_at(meeting.start - dt.timedelta(hours=23))
    (reminder,) = [item for item in reminders(smtp) if item.envelope_to == [member.email]]
    assert reminder.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.fullmatch(
        r"<https://portal\.example\.org(/\S+)>", reminder.message["List-Unsubscribe"].strip()
    )
    assert "turn reminders off" in reminder.text.lower() or "stop them" in reminder.text
    # RFC 8058: the mail program posts without a form or a cookie.
    response = client.post(url[1], {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.meeting_reminders is False


def test_reminders_can_be_turned_off_on_the_profile(member, client_for):
    client = client_for(member)
    page = client.get("/accounts/profile/")
    assert b"meeting_reminders" in page.content
    client.post(
        "/accounts/profile/", {"first_name": "Mia", "last_name": "Member", "time_zone": ""}
    )
    member.refresh_from_db()
    assert member.meeting_reminders is False


def test_opening_the_unsubscribe_link_changes_nothing(member, client):
    from accounts import tokens

    page = client.get(f"/reminders/off/{tokens.reminders_off(member)}/")
    assert page.status_code == 200
    assert b"Turn reminders off" in page.content
    member.refresh_from_db()
    assert member.meeting_reminders is True


def test_the_sweep_runs_every_minute_from_a_schedule_editable_in_the_admin():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="notifications.tasks.notifications_sweep")
    assert task.enabled
    assert (task.interval.every, task.interval.period) == (1, "minutes")


def test_publishing_plans_reminder_times_and_makes_no_reminder_rows_ahead(group, run):
    from notifications.models import Notification, ReminderTime

    meeting = DraftMeetingFactory(working_group=group, start=in_days(10))
    run(services.meeting_publish, meeting=meeting)
    assert sorted(ReminderTime.objects.values_list("hours", flat=True)) == [24, 168]
    assert not Notification.objects.filter(kind="reminder").exists()


def test_someone_invited_after_publishing_is_reminded_at_the_time(
    smtp, group, run, sweep_at, django_capture_on_commit_callbacks
):
    meeting = DraftMeetingFactory(working_group=group, start=in_days(3))
    run(services.meeting_publish, meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        group.members.add(UserFactory(email="late@example.org"))
    sweep_at(meeting.start - dt.timedelta(hours=23))
    assert sorted(a for item in reminders(smtp) for a in item.envelope_to) == [
        "late@example.org",
        "member@example.org",
        "other@example.org",
    ]


def test_a_meeting_moved_later_after_its_reminder_reminds_nobody_twice(
    smtp, group, run, sweep_at, django_capture_on_commit_callbacks
):
    meeting = DraftMeetingFactory(working_group=group, start=in_days(3))
    run(services.meeting_publish, meeting=meeting)
    sweep_at(meeting.start - dt.timedelta(hours=23))
    assert len(reminders(smtp)) == 2
    later = meeting.start + dt.timedelta(days=2)
    run(
        services.meeting_update,
        meeting=meeting,
        data={"start": later, "end": later + dt.timedelta(hours=3)},
    )
    with django_capture_on_commit_callbacks(execute=True):
        group.members.add(UserFactory(email="late@example.org"))
    sweep_at(later - dt.timedelta(hours=23))
    assert [item.envelope_to for item in reminders(smtp)][2:] == [["late@example.org"]]
