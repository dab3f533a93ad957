"""Safeguards that cover for each other, each tested alone, and the outbox's rules with
fixtures in more than the happy state. Expected values are written out."""

import datetime as dt

import psycopg
import pytest
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import connection
from django.utils import timezone

from meetings import services as meeting_services
from meetings.models import Attendance
from notifications import services
from notifications.models import Notification, ReminderTime
from tests.factories.accounts import UserFactory
from tests.factories.meetings import (
    AttendanceFactory,
    DraftMeetingFactory,
    MeetingFactory,
    WorkingGroupFactory,
)
from tests.services import require_postgresql

Status = Notification.Status


def invitation(meeting, person, **fields) -> Notification:
    return Notification.objects.create(meeting=meeting, person=person, kind="invitation", **fields)


class OtherTransaction:
    """A second connection to the test database that holds a row lock, as another
    worker or sweep in the middle of its transaction would."""

    def __init__(self, row: Notification) -> None:
        self.row = row

    def __enter__(self):
        self.connection = psycopg.connect(**connection.get_connection_params())
        table = Notification._meta.db_table
        self.connection.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR UPDATE", [self.row.pk])  # noqa: S608
        return self

    def __exit__(self, *exc) -> None:
        self.connection.rollback()
        self.connection.close()


@pytest.fixture
def no_waiting_for_locks(transactional_db):
    """Code that waited for the other transaction's lock fails at once instead."""
    require_postgresql()
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '1s'")


# -- delivering: the row lock and the lease ----------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_row_locked_by_a_delivering_worker_is_left_alone_without_any_lease(
    smtp, no_waiting_for_locks, member
):
    row = invitation(MeetingFactory(), member)
    other = invitation(MeetingFactory(), UserFactory(email="other@example.org"))
    with OtherTransaction(row):
        counts = services.notifications_deliver(ids=[row.pk, other.pk])
    assert counts["sent"] == 1
    assert [item.envelope_to for item in smtp.received] == [["other@example.org"]]
    row.refresh_from_db()
    assert (row.status, row.claimed_until, row.attempts) == ("queued", None, 0)


@pytest.mark.django_db
def test_a_row_leased_by_a_worker_is_left_alone_without_any_lock(smtp, member):
    row = invitation(
        MeetingFactory(), member, claimed_until=timezone.now() + dt.timedelta(minutes=3)
    )
    assert services.notifications_deliver(ids=[row.pk])["sent"] == 0
    assert smtp.received == []


@pytest.mark.django_db
def test_a_lease_that_ended_no_longer_keeps_a_row(smtp, member):
    row = invitation(
        MeetingFactory(), member, claimed_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert services.notifications_deliver(ids=[row.pk])["sent"] == 1


# -- sweeping: the row lock and the lease ------------------------------------------------


def stale(row: Notification) -> Notification:
    """Handed to the broker ten minutes ago and still queued: the sweep hands it again."""
    Notification.objects.filter(pk=row.pk).update(
        queued_at=timezone.now() - dt.timedelta(minutes=10)
    )
    return row


@pytest.mark.django_db(transaction=True)
def test_a_row_locked_by_another_sweep_is_not_handed_twice(no_waiting_for_locks, member):
    row = stale(invitation(MeetingFactory(), member))
    other = stale(invitation(MeetingFactory(), UserFactory(email="other@example.org")))
    handed = []
    services._send_later, original = (lambda ids: handed.extend(ids)), services._send_later
    try:
        with OtherTransaction(row):
            assert services.notifications_sweep() == 1
    finally:
        services._send_later = original
    assert handed == [other.pk]


@pytest.mark.django_db
def test_a_row_leased_by_a_worker_is_not_handed_by_the_sweep(
    member, django_capture_on_commit_callbacks
):
    leased = stale(
        invitation(
            MeetingFactory(), member, claimed_until=timezone.now() + dt.timedelta(minutes=3)
        )
    )
    free = stale(invitation(MeetingFactory(), UserFactory(email="other@example.org")))
    with django_capture_on_commit_callbacks(execute=False):
        assert services.notifications_sweep() == 1
    leased.refresh_from_db()
    free.refresh_from_db()
    assert leased.queued_at < free.queued_at


# -- reminders: the exclusion when rows are made, and the check when they are sent -------


@pytest.fixture
def published(member, django_capture_on_commit_callbacks):
    group = WorkingGroupFactory(code="WG4")
    group.members.add(member, UserFactory(email="other@example.org", first_name="Other"))
    meeting = DraftMeetingFactory(working_group=group, reminder_hours=[24])
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.meeting_publish(meeting=meeting)
    return meeting


def reminder_rows(meeting) -> list[str]:
    return sorted(
        Notification.objects.filter(meeting=meeting, kind="reminder").values_list(
            "person__email", flat=True
        )
    )


@pytest.mark.django_db
def test_no_reminder_row_is_made_for_who_declined(
    published, member, time_machine, django_capture_on_commit_callbacks
):
    AttendanceFactory(meeting=published, user=member, answer=Attendance.Answer.DECLINED)
    time_machine.move_to(ReminderTime.objects.get(meeting=published).due_at, tick=False)
    with django_capture_on_commit_callbacks(execute=False):
        services.notifications_sweep()
    assert reminder_rows(published) == ["other@example.org"]


@pytest.mark.django_db
def test_a_reminder_row_made_before_a_decline_is_skipped_when_sent(smtp, published, member):
    rows = [
        Notification.objects.create(meeting=published, person=person, kind="reminder", revision=24)
        for person in published.working_group.members.order_by("email")
    ]
    AttendanceFactory(meeting=published, user=member, answer=Attendance.Answer.DECLINED)
    smtp.received.clear()
    counts = services.notifications_deliver(ids=[row.pk for row in rows])
    assert (counts["sent"], counts["skipped"]) == (1, 1)
    assert [item.envelope_to for item in smtp.received] == [["other@example.org"]]
    declined = Notification.objects.get(meeting=published, kind="reminder", person=member)
    assert (declined.status, declined.last_error) == ("skipped", "The person declined.")


# -- retries ------------------------------------------------------------------------------


def test_retry_delays_double_from_one_minute_up_to_an_hour():
    minutes = [
        services.retry_delay(attempts) / dt.timedelta(minutes=1) for attempts in range(1, 10)
    ]
    assert minutes == [1, 2, 4, 8, 16, 32, 60, 60, 60]


@pytest.mark.django_db
def test_each_refusal_puts_the_row_back_for_its_delay_and_the_sixth_fails_it(
    smtp, member, time_machine
):
    smtp.refuse = 10
    row = invitation(MeetingFactory(), member)
    seen = []
    for _attempt in range(6):
        now = timezone.now()
        time_machine.move_to(now, tick=False)
        services.notifications_deliver(ids=[row.pk])
        row.refresh_from_db()
        seen.append((row.status, row.attempts, (row.due_at - now) / dt.timedelta(minutes=1)))
        time_machine.move_to(row.due_at + dt.timedelta(seconds=1), tick=False)
    assert seen[:5] == [
        ("queued", 1, 1),
        ("queued", 2, 2),
        ("queued", 3, 4),
        ("queued", 4, 8),
        ("queued", 5, 16),
    ]
    assert seen[5][:2] == ("failed", 6)


# -- more than the happy state ------------------------------------------------------------


@pytest.mark.django_db
def test_a_sent_mark_for_a_row_another_worker_already_sent_changes_nothing(
    smtp, member, monkeypatch
):
    row = invitation(MeetingFactory(), member)
    earlier = timezone.now() - dt.timedelta(minutes=2)
    send = SMTPBackend.send_messages

    def another_worker_sent_it_meanwhile(backend, messages):
        sent = send(backend, messages)
        Notification.objects.filter(pk=row.pk).update(status="sent", sent_at=earlier, attempts=1)
        return sent

    monkeypatch.setattr(SMTPBackend, "send_messages", another_worker_sent_it_meanwhile)
    services.notifications_deliver(ids=[row.pk])
    row.refresh_from_db()
    assert (row.status, row.sent_at, row.attempts) == ("sent", earlier, 1)


@pytest.mark.django_db
def test_publishing_invites_people_whose_rows_for_other_meetings_are_queued_skipped_or_sent(
    django_capture_on_commit_callbacks,
):
    people = [UserFactory(email=f"{state}@example.org") for state in ("queued", "skipped", "sent")]
    earlier = MeetingFactory()
    for person in people:
        invitation(earlier, person, status=person.email.split("@")[0])
    group = WorkingGroupFactory(code="WG4")
    group.members.add(*people)
    meeting = DraftMeetingFactory(working_group=group)
    with django_capture_on_commit_callbacks(execute=False):
        meeting_services.meeting_publish(meeting=meeting)
    invited = Notification.objects.filter(meeting=meeting, kind="invitation")
    assert sorted(invited.values_list("person__email", "status")) == [
        ("queued@example.org", "queued"),
        ("sent@example.org", "queued"),
        ("skipped@example.org", "queued"),
    ]
