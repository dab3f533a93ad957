"""Registrations' data goes when it has served: an unconfirmed registration after a day
(REGISTRATION_CONFIRM_HOURS), a guest's details 90 days after their last
event (RETENTION_GUEST_DAYS), members' answers to an event's questions 90 days after it;
the answers themselves stay, so the counts stay. Each just inside its period stays, and
so does everything of a guest with an event still to come."""

import datetime as dt

import pytest
import time_machine

from accounts.models import User
from meetings import retention
from meetings.models import Attendance, Registration
from privacy.tasks import old_data_remove
from tests.factories.accounts import UserFactory
from tests.factories.meetings import AttendanceFactory, PublicConferenceFactory, QuestionFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)


def ended(days: int, plus: dt.timedelta = dt.timedelta()):
    """A conference open to the public that ended `days` (and `plus`) before NOW, with a
    question."""
    end = NOW - dt.timedelta(days=days) + plus
    meeting = PublicConferenceFactory(start=end - dt.timedelta(hours=6), end=end)
    meeting.diet = QuestionFactory(meeting=meeting, text="Dietary needs")
    return meeting


def guest(email: str, **fields) -> User:
    details = {
        "first_name": "Gina",
        "last_name": "Guest",
        "organisation": "Renault",
        "country": "FR",
        "is_guest": True,
        "password": None,
        "date_joined": NOW - dt.timedelta(days=400),
    }
    return UserFactory(email=email, **{**details, **fields})


def registered(meeting, person, need: str, **fields) -> Attendance:
    attendance = AttendanceFactory(
        meeting=meeting,
        user=person,
        answer="in_person",
        responses={str(meeting.diet.pk): need},
        **fields,
    )
    Registration.objects.create(
        meeting=meeting,
        email=person.email,
        first_name=person.first_name,
        consent_at=meeting.start - dt.timedelta(days=10),
        created_at=meeting.start - dt.timedelta(days=10),
        token_hash=f"{attendance.pk:064d}",
        confirmed_at=meeting.start - dt.timedelta(days=10),
        attendance=attendance,
    )
    return attendance


def unconfirmed(email: str, age: dt.timedelta, meeting) -> Registration:
    return Registration.objects.create(
        meeting=meeting,
        email=email,
        first_name="Una",
        consent_at=NOW - age,
        created_at=NOW - age,
        token_hash=email.ljust(64, "x")[:64],
    )


@pytest.fixture
def world(db):
    """Two guests at an event that ended just past the period and just inside it; a guest
    with a past event and one to come; members at both past events."""
    old, recent = ended(90, -MINUTE), ended(90, MINUTE)
    coming = PublicConferenceFactory(start=NOW + dt.timedelta(days=20))
    coming.diet = QuestionFactory(meeting=coming, text="Dietary needs")
    people = {
        "gone": guest("gone@example.org"),
        "inside": guest("recent@example.org"),
        "returning": guest("returning@example.org"),
        "member": UserFactory(email="member@example.org", organisation="Volvo"),
    }
    registered(old, people["gone"], "Vegan", checked_in_at=old.start)
    registered(recent, people["inside"], "Halal")
    registered(old, people["returning"], "Kosher", checked_in_at=old.start)
    registered(coming, people["returning"], "Kosher")
    registered(old, people["member"], "Coeliac", checked_in_at=old.start)
    registered(recent, people["member"], "Nuts")
    return {"old": old, "recent": recent, "coming": coming, **people}


def remove() -> dict[str, int]:
    return retention.remove_old_data(now=NOW)


def responses_of(person, meeting) -> dict:
    return Attendance.objects.get(user=person, meeting=meeting).responses


def test_unconfirmed_registrations_go_after_a_day_and_one_just_inside_stays(world):
    unconfirmed("late@example.org", dt.timedelta(hours=24) + MINUTE, world["coming"])
    unconfirmed("fresh@example.org", dt.timedelta(hours=24) - MINUTE, world["coming"])
    assert remove()["unconfirmed registrations"] == 1
    assert list(
        Registration.objects.filter(confirmed_at__isnull=True).values_list("email", flat=True)
    ) == ["fresh@example.org"]


def test_the_unconfirmed_period_is_read_from_the_settings(world, settings):
    settings.REGISTRATION_CONFIRM_HOURS = 2
    unconfirmed("three-hours@example.org", dt.timedelta(hours=3), world["coming"])
    unconfirmed("one-hour@example.org", dt.timedelta(hours=1), world["coming"])
    remove()
    assert list(
        Registration.objects.filter(confirmed_at__isnull=True).values_list("email", flat=True)
    ) == ["one-hour@example.org"]


def test_a_guests_details_go_ninety_days_after_their_last_event(world):
    assert remove()["guests"] == 1
    gone = User.objects.get(pk=world["gone"].pk)
    assert gone.email.startswith(f"closed-{gone.pk}-")
    assert gone.email.endswith("@closed.invalid")
    assert (gone.first_name, gone.last_name, gone.organisation, gone.country) == ("", "", "", "")
    assert (gone.is_active, gone.closed_at is not None) == (False, True)
    assert gone.get_full_name() == "former guest"
    assert responses_of(gone, world["old"]) == {}
    assert not Registration.objects.filter(attendance__user=gone).exists()


def test_a_guest_inside_the_period_keeps_everything(world):
    remove()
    recent = User.objects.get(pk=world["inside"].pk)
    assert (recent.email, recent.first_name, recent.organisation, recent.country) == (
        "recent@example.org",
        "Gina",
        "Renault",
        "FR",
    )
    assert responses_of(recent, world["recent"]) == {str(world["recent"].diet.pk): "Halal"}
    assert Registration.objects.filter(attendance__user=recent).count() == 1


def test_a_guest_with_an_event_still_to_come_keeps_everything(world):
    remove()
    returning = User.objects.get(pk=world["returning"].pk)
    assert (returning.email, returning.closed_at) == ("returning@example.org", None)
    assert responses_of(returning, world["old"]) == {str(world["old"].diet.pk): "Kosher"}
    assert responses_of(returning, world["coming"]) == {str(world["coming"].diet.pk): "Kosher"}
    assert Registration.objects.filter(attendance__user=returning).count() == 2


def test_a_guest_without_answers_goes_ninety_days_after_registering(world):
    guest("long-ago@example.org", date_joined=NOW - dt.timedelta(days=90) - MINUTE)
    guest("lately@example.org", date_joined=NOW - dt.timedelta(days=90) + MINUTE)
    assert remove()["guests"] == 2
    assert sorted(
        User.objects.filter(is_guest=True, closed_at__isnull=True).values_list("email", flat=True)
    ) == ["lately@example.org", "recent@example.org", "returning@example.org"]


def test_an_old_events_counts_and_check_ins_stay(world):
    before = world["old"].attendances.counts()
    remove()
    assert (
        world["old"].attendances.counts()
        == before
        == {
            "in_person": 3,
            "waitlist": 0,
            "online": 0,
            "declined": 0,
        }
    )
    assert world["old"].attendances.filter(checked_in_at__isnull=False).count() == 3


def test_a_members_answers_to_questions_go_ninety_days_after_the_event(world):
    assert remove()["answers to questions"] == 1
    member = world["member"]
    assert responses_of(member, world["old"]) == {}
    assert responses_of(member, world["recent"]) == {str(world["recent"].diet.pk): "Nuts"}
    member.refresh_from_db()
    assert (member.email, member.organisation, member.closed_at) == (
        "member@example.org",
        "Volvo",
        None,
    )
    assert Attendance.objects.get(user=member, meeting=world["old"]).answer == "in_person"


def test_a_members_confirmed_registration_goes_with_the_answers_to_questions(world):
    assert remove()["confirmed registrations"] == 1
    assert list(
        Registration.objects.filter(attendance__user=world["member"]).values_list(
            "meeting", flat=True
        )
    ) == [world["recent"].pk]


def test_the_guest_period_is_read_from_the_settings(world, settings):
    settings.RETENTION_GUEST_DAYS = 30
    remove()
    assert sorted(
        User.objects.filter(is_guest=True, closed_at__isnull=True).values_list("email", flat=True)
    ) == ["returning@example.org"]


def test_running_again_removes_nothing_more(world):
    remove()
    assert remove() == {
        "unconfirmed registrations": 0,
        "guests": 0,
        "answers to questions": 0,
        "confirmed registrations": 0,
    }


def test_the_nightly_task_removes_registrations_data_with_the_rest(world):
    unconfirmed("late@example.org", dt.timedelta(hours=25), world["coming"])
    with time_machine.travel(NOW, tick=False):
        removed = old_data_remove.delay().get()
    keys = [
        "unconfirmed registrations",
        "guests",
        "answers to questions",
        "confirmed registrations",
    ]
    assert {key: removed[key] for key in keys} == {
        "unconfirmed registrations": 1,
        "guests": 1,
        "answers to questions": 1,
        "confirmed registrations": 1,
    }
