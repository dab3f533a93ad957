import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from meetings.models import AgendaItem, Attendance, Meeting, WorkingGroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def snapshot() -> tuple:
    return (
        list(Meeting.objects.values_list("slug", "start", "status", "sequence")),
        AgendaItem.objects.count(),
        Attendance.objects.count(),
        WorkingGroup.objects.count(),
    )


def test_seeding_twice_changes_nothing(seeded):
    before = snapshot()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert snapshot() == before


def test_the_demo_has_the_four_working_groups_with_wg4_members(seeded):
    assert list(WorkingGroup.objects.values_list("code", flat=True)) == [
        "WG1",
        "WG2",
        "WG3",
        "WG4",
    ]
    members = set(WorkingGroup.objects.get(code="WG4").members.values_list("email", flat=True))
    assert {"member@example.org", "stuttgart@example.org", "kosice@example.org"} <= members


def test_the_march_2024_meeting_has_its_agenda(seeded):
    meeting = Meeting.objects.get(slug="wg4-meeting-2024-03-27")
    assert meeting.format == Meeting.Format.HYBRID
    assert f"{meeting.local_start:%Y-%m-%d %H:%M}" == "2024-03-27 10:00"
    regions = [i.presenting_region.name for i in meeting.agenda_items.all() if i.presenting_region]
    assert regions == ["Göteborg", "Košice", "Stuttgart", "EDUCAM"]
    assert {p.acronym for p in meeting.partners.all()} == {"ARA", "CORAI"}


def test_the_upcoming_events_are_published_and_one_is_due_for_a_reminder(seeded):
    upcoming = Meeting.objects.upcoming().published()
    assert upcoming.count() == 4
    first = upcoming.first()
    assert first.slug == "wg4-check-in"
    assert dt.timedelta(hours=1) < first.start - timezone.now() < dt.timedelta(days=4)
    assert (first.local_start.weekday() < 5, first.local_start.hour) == (True, 10)
    (due,) = first.reminder_times.values_list("due_at", flat=True)
    assert dt.timedelta(minutes=2) < due - timezone.now() < dt.timedelta(minutes=5)


def test_the_member_answered_the_next_wg4_meeting_online(seeded):
    answer = Attendance.objects.get(
        meeting__slug="wg4-next-meeting", user__email="member@example.org"
    )
    assert answer.answer == Attendance.Answer.ONLINE
