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


def test_the_brussels_conference_is_open_to_the_public_with_two_questions(seeded):
    meeting = Meeting.objects.get(slug="asa-conference-brussels")
    assert meeting.public_registration
    questions = list(meeting.questions.values_list("text", "kind", "required"))
    assert questions == [
        ("Dietary needs", "text", False),
        ("Which afternoon workshop?", "choice", True),
    ]
    assert meeting.questions.get(kind="choice").option_list == [
        "Battery production skills",
        "Digital tools in the garage",
        "Green skills for suppliers",
    ]


def test_three_guests_registered_for_the_conference_with_their_answers(seeded):
    answers = Attendance.objects.filter(
        meeting__slug="asa-conference-brussels", user__is_guest=True
    ).order_by("user__email")
    assert [(a.user.email, a.answer, a.user.language) for a in answers] == [
        ("claire.dubois@example.com", "in_person", "fr"),
        ("eva.lindqvist@example.com", "in_person", "sv"),
        ("jan.novak@example.com", "online", "sk"),
    ]
    workshop = Meeting.objects.get(slug="asa-conference-brussels").questions.get(kind="choice")
    assert [a.responses[str(workshop.pk)] for a in answers] == [
        "Battery production skills",
        "Green skills for suppliers",
        "Digital tools in the garage",
    ]


def test_one_guest_of_the_conference_is_checked_in(seeded):
    checked_in = Attendance.objects.filter(
        meeting__slug="asa-conference-brussels", checked_in_at__isnull=False
    )
    assert [a.user.email for a in checked_in] == ["claire.dubois@example.com"]


def test_the_guests_confirmation_emails_are_skipped_and_their_registered_emails_queued(
    seeded,
):
    from notifications.models import Notification

    rows = Notification.objects.filter(meeting__slug="asa-conference-brussels")
    confirm = rows.filter(kind=Notification.Kind.REGISTRATION_CONFIRM)
    assert set(confirm.values_list("status", flat=True)) == {"skipped"}
    assert confirm.count() == 3
    registered = rows.filter(kind=Notification.Kind.REGISTERED)
    assert sorted(registered.values_list("person__email", flat=True)) == [
        "claire.dubois@example.com",
        "eva.lindqvist@example.com",
        "jan.novak@example.com",
    ]


def test_seeding_twice_registers_and_sends_nothing_more(seeded):
    from notifications.models import Notification

    before = Notification.objects.count(), Attendance.objects.count()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Notification.objects.count(), Attendance.objects.count()) == before


def test_no_guest_is_invited_to_the_conference_for_all_members(seeded):
    from notifications.models import Notification

    invited = Notification.objects.filter(
        meeting__slug="asa-conference-brussels", kind=Notification.Kind.INVITATION
    )
    assert not invited.filter(person__is_guest=True).exists()
    assert invited.count() == 4
