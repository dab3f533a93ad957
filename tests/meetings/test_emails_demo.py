"""seed_demo publishes the upcoming events through the services: their invitations go
out, one reminder falls due minutes later, and a second seed sends nothing."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from meetings.models import Meeting
from notifications.models import Notification, ReminderTime
from tests.factories.meetings import BRUSSELS

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True

    def run() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    return run


def test_seeding_sends_the_invitations_of_the_upcoming_events_and_a_second_seed_nothing(
    smtp, seed
):
    seed()
    invitations = [item for item in smtp.received if item.subject.startswith("Invitation:")]
    subjects = {item.subject.split(",")[0] for item in invitations}
    assert subjects == {
        "Invitation: WG4 online check-in",
        "Invitation: WG4 Regional Implementation meeting",
        "Invitation: Study visit: automotive transformation in the Stuttgart Region",
        "Invitation: ASA conference",
    }
    # The conference invites every member, the secretariat too.
    conference = [item for item in invitations if item.subject.startswith("Invitation: ASA")]
    assert len(conference) == 4
    count = len(smtp.received)
    rows = Notification.objects.count()
    seed()
    assert len(smtp.received) == count
    assert Notification.objects.count() == rows


def test_one_demo_reminder_falls_due_minutes_after_seeding(smtp, seed):
    seed()
    now = timezone.now()
    soon = ReminderTime.objects.filter(
        done_at=None,
        due_at__gt=now + dt.timedelta(minutes=2),
        due_at__lt=now + dt.timedelta(minutes=5),
    )
    assert set(soon.values_list("meeting__slug", flat=True)) == {"wg4-check-in"}


def test_seeding_mails_no_practice_review_and_keeps_the_rows_skipped_in_the_log(smtp, seed):
    seed()
    assert [item.subject for item in smtp.received if item.subject.startswith("Published:")] == []
    reviews = Notification.objects.filter(kind="practice_review")
    assert reviews.exists()
    assert set(reviews.values_list("status", flat=True)) == {"skipped"}


@pytest.mark.parametrize(
    "seeded_at",
    # Sunday, Friday, Monday (deadlines 18 and 35 days later fell on 25 December and 11
    # January: the year's end), Monday
    ["2026-12-06 19:03", "2026-12-04 23:58", "2026-12-07 08:00", "2027-03-01 08:00"],
)
def test_the_upcoming_demo_events_fall_on_working_days_at_working_hours(
    smtp, seed, seeded_at, time_machine
):
    time_machine.move_to(dt.datetime.fromisoformat(seeded_at).replace(tzinfo=BRUSSELS))
    seed()
    upcoming = Meeting.objects.filter(start__gt=timezone.now())
    assert upcoming.count() == 4
    for meeting in upcoming:
        local = meeting.local_start
        assert local.weekday() < 5, (meeting.slug, local)
        assert 9 <= local.hour < 17, (meeting.slug, local)
        assert not (local.month == 12 and local.day >= 24), (meeting.slug, local)
        if meeting.registration_deadline:
            deadline = meeting.registration_deadline.astimezone(meeting.zone)
            assert deadline.weekday() < 5, (meeting.slug, deadline)
            assert not (deadline.month == 12 and deadline.day >= 24), (meeting.slug, deadline)
            assert deadline < meeting.start
