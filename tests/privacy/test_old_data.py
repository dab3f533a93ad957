"""The nightly task removes, in every app, what is kept past its period: run here on a
database aged with time-machine, where rows just inside each period, other people's rows
and a meeting's answers must stay."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from inbound.models import InboundMessage
from meetings.models import Attendance
from notifications.models import Notification
from privacy.tasks import old_data_remove
from tests.factories.accounts import UserFactory
from tests.factories.meetings import AttendanceFactory, MeetingFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)
Kind, Status = Notification.Kind, Notification.Status


def days_ago(days: int, plus: dt.timedelta = dt.timedelta()) -> dt.datetime:
    return NOW - dt.timedelta(days=days) + plus


def made_at(when: dt.datetime, model, **fields):
    with time_machine.travel(when, tick=False):
        return model.objects.create(**fields)


@pytest.fixture
def aged(member):
    """One row of each kind just past its period and one just inside it, the older ones
    the member's, the newer ones another person's."""
    other = UserFactory(email="other@example.org")
    start = days_ago(800)
    meeting = MeetingFactory(start=start, end=start + dt.timedelta(hours=3))
    Session.objects.create(session_key="expired", session_data="", expire_date=NOW - MINUTE)
    Session.objects.create(session_key="valid", session_data="", expire_date=NOW + MINUTE)
    for when, username in [(days_ago(30, -MINUTE), "member"), (days_ago(30, MINUTE), "other")]:
        made_at(
            when,
            AccessAttempt,
            username=f"{username}@example.org",
            ip_address="192.0.2.7",
            user_agent="Firefox",
            failures_since_start=2,
        )
    for when, person in [(days_ago(730, -MINUTE), member), (days_ago(730, MINUTE), other)]:
        made_at(
            when,
            Notification,
            meeting=meeting,
            person=person,
            kind=Kind.INVITATION,
            status=Status.SENT,
        )
    made_at(
        days_ago(1000),
        Notification,
        meeting=meeting,
        person=other,
        kind=Kind.UPDATE,
        revision=1,
        status=Status.FAILED,
    )
    for when, sender in [(days_ago(90, -MINUTE), member), (days_ago(90, MINUTE), other)]:
        made_at(
            when,
            InboundMessage,
            via="pipe",
            raw=b"Subject: Accepted\r\n\r\n.\r\n",
            size=24,
            digest="d" * 64,
            from_address=sender.email,
            subject="Accepted",
            outcome="applied",
            person=sender,
        )
    with time_machine.travel(days_ago(800), tick=False):
        AttendanceFactory(meeting=meeting, user=member, answer=Attendance.Answer.IN_PERSON)
    return meeting


def test_the_nightly_task_removes_one_row_of_each_kind_past_its_period(aged):
    with time_machine.travel(NOW, tick=False):
        removed = old_data_remove.delay().get()
    assert removed == {
        "expired sessions": 1,
        "sign-in attempts": 1,
        "outbox rows": 1,
        "raw emails received": 1,
        "unconfirmed registrations": 0,
        "guests": 0,
        "answers to questions": 0,
        "confirmed registrations": 0,
    }


def test_what_is_inside_its_period_stays(aged):
    with time_machine.travel(NOW, tick=False):
        old_data_remove.delay()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["valid"]
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["other@example.org"]
    assert sorted(Notification.objects.values_list("person__email", "status")) == [
        ("other@example.org", "failed"),
        ("other@example.org", "sent"),
    ]
    kept = {m.from_address: bytes(m.raw) for m in InboundMessage.objects.all()}
    assert kept == {
        "member@example.org": b"",
        "other@example.org": b"Subject: Accepted\r\n\r\n.\r\n",
    }


def test_a_meetings_answers_are_kept_as_the_record(aged, member):
    with time_machine.travel(NOW, tick=False):
        old_data_remove.delay()
    assert list(Attendance.objects.values_list("meeting", "user", "answer")) == [
        (aged.pk, member.pk, "in_person")
    ]


def test_a_second_run_finds_nothing_more(aged):
    with time_machine.travel(NOW, tick=False):
        old_data_remove.delay()
        removed = old_data_remove.delay().get()
    assert removed == {
        "expired sessions": 0,
        "sign-in attempts": 0,
        "unconfirmed registrations": 0,
        "guests": 0,
        "answers to questions": 0,
        "confirmed registrations": 0,
        "outbox rows": 0,
        "raw emails received": 0,
    }


def test_beat_runs_the_task_every_night_at_half_past_three():
    task = PeriodicTask.objects.get(task="privacy.tasks.old_data_remove")
    assert task.enabled
    crontab = task.crontab
    assert (crontab.minute, crontab.hour, crontab.day_of_week) == ("30", "3", "*")
    assert (crontab.day_of_month, crontab.month_of_year) == ("*", "*")


def test_the_worker_knows_the_task():
    from asa_portal.celery import app

    app.loader.import_default_modules()
    assert "privacy.tasks.old_data_remove" in app.tasks


def test_the_command_removes_the_same_and_says_how_much(aged):
    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("remove_old_data", stdout=out)
    assert out.getvalue().splitlines() == [
        "expired sessions: 1",
        "sign-in attempts: 1",
        "unconfirmed registrations: 0",
        "guests: 0",
        "answers to questions: 0",
        "confirmed registrations: 0",
        "outbox rows: 1",
        "raw emails received: 1",
    ]
