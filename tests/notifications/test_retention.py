"""Outbox rows go two years (RETENTION_OUTBOX_DAYS) after they were made, once their
email is done with; work still to do, and a meeting's invitation while the meeting is to
come, stay whatever their age."""

import datetime as dt

import pytest
import time_machine

from inbound.models import InboundMessage
from notifications.models import Notification
from notifications.services import notifications_old_remove
from tests.factories.accounts import UserFactory
from tests.factories.meetings import MeetingFactory
from tests.factories.practices import PracticeFactory

NOW = dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)
TWO_YEARS = dt.timedelta(days=730)
Kind, Status = Notification.Kind, Notification.Status


def row_made_at(when: dt.datetime, **fields) -> Notification:
    with time_machine.travel(when, tick=False):
        return Notification.objects.create(**fields)


def remaining() -> set[int]:
    return set(Notification.objects.values_list("pk", flat=True))


@pytest.fixture
def past_meeting(db):
    start = NOW - dt.timedelta(days=800)
    return MeetingFactory(start=start, end=start + dt.timedelta(hours=3))


@pytest.fixture
def other(db):
    return UserFactory(email="other@example.org")


def test_a_sent_row_made_just_over_two_years_ago_is_removed(member, other, past_meeting):
    old = row_made_at(
        NOW - TWO_YEARS - MINUTE,
        meeting=past_meeting,
        person=member,
        kind=Kind.INVITATION,
        status=Status.SENT,
    )
    others = row_made_at(
        NOW - TWO_YEARS + MINUTE,
        meeting=past_meeting,
        person=other,
        kind=Kind.INVITATION,
        status=Status.SENT,
    )
    assert notifications_old_remove(now=NOW) == 1
    assert remaining() == {others.pk}
    assert old.pk not in remaining()


def test_a_sent_row_made_just_under_two_years_ago_stays(member, past_meeting):
    recent = row_made_at(
        NOW - TWO_YEARS + MINUTE,
        meeting=past_meeting,
        person=member,
        kind=Kind.UPDATE,
        revision=1,
        status=Status.SENT,
    )
    assert notifications_old_remove(now=NOW) == 0
    assert remaining() == {recent.pk}


def test_skipped_and_bounced_rows_older_than_two_years_are_removed(member, other, past_meeting):
    three_years_ago = NOW - dt.timedelta(days=3 * 365)
    for person, status in [(member, Status.SKIPPED), (other, Status.BOUNCED)]:
        row_made_at(
            three_years_ago,
            meeting=past_meeting,
            person=person,
            kind=Kind.REMINDER,
            revision=24,
            status=status,
        )
    assert notifications_old_remove(now=NOW) == 2
    assert remaining() == set()


def test_a_queued_row_waiting_for_a_retry_stays_whatever_its_age(member, past_meeting):
    waiting = row_made_at(
        NOW - dt.timedelta(days=3 * 365),
        meeting=past_meeting,
        person=member,
        kind=Kind.CANCELLATION,
        status=Status.QUEUED,
        attempts=3,
        last_error="421 Try again later",
        due_at=NOW + dt.timedelta(minutes=8),
    )
    assert notifications_old_remove(now=NOW) == 0
    assert remaining() == {waiting.pk}


def test_a_failed_row_stays_whatever_its_age(member, past_meeting):
    failed = row_made_at(
        NOW - dt.timedelta(days=3 * 365),
        meeting=past_meeting,
        person=member,
        kind=Kind.INVITATION,
        status=Status.FAILED,
        attempts=6,
        last_error="550 No such user",
    )
    assert notifications_old_remove(now=NOW) == 0
    assert remaining() == {failed.pk}


def test_an_old_invitation_to_a_meeting_still_to_come_stays(member, past_meeting):
    start = NOW + dt.timedelta(days=30)
    far_ahead = MeetingFactory(start=start, end=start + dt.timedelta(hours=3))
    invitation = row_made_at(
        NOW - TWO_YEARS - dt.timedelta(days=10),
        meeting=far_ahead,
        person=member,
        kind=Kind.INVITATION,
        status=Status.SENT,
    )
    row_made_at(
        NOW - TWO_YEARS - dt.timedelta(days=10),
        meeting=past_meeting,
        person=member,
        kind=Kind.INVITATION,
        status=Status.SENT,
    )
    assert notifications_old_remove(now=NOW) == 1
    assert remaining() == {invitation.pk}


def test_old_rows_about_a_practice_or_a_persons_account_are_removed(member, other):
    practice = PracticeFactory()
    row_made_at(
        NOW - TWO_YEARS - MINUTE,
        practice=practice,
        person=member,
        kind=Kind.PRACTICE_REVIEW,
        status=Status.SENT,
    )
    row_made_at(
        NOW - TWO_YEARS - MINUTE,
        person=other,
        kind=Kind.PASSWORD_RESET,
        revision=1,
        status=Status.SENT,
    )
    assert notifications_old_remove(now=NOW) == 2
    assert remaining() == set()


def test_the_period_is_retention_outbox_days(settings, member, past_meeting):
    settings.RETENTION_OUTBOX_DAYS = 30
    month_old = row_made_at(
        NOW - dt.timedelta(days=31),
        meeting=past_meeting,
        person=member,
        kind=Kind.INVITATION,
        status=Status.SENT,
    )
    fortnight_old = row_made_at(
        NOW - dt.timedelta(days=14),
        meeting=past_meeting,
        person=member,
        kind=Kind.UPDATE,
        revision=1,
        status=Status.SENT,
    )
    assert notifications_old_remove(now=NOW) == 1
    assert remaining() == {fortnight_old.pk}
    assert month_old.pk not in remaining()


def test_an_email_received_about_a_removed_row_stays_without_the_link(member, past_meeting):
    old = row_made_at(
        NOW - TWO_YEARS - MINUTE,
        meeting=past_meeting,
        person=member,
        kind=Kind.INVITATION,
        status=Status.BOUNCED,
    )
    report = InboundMessage.objects.create(
        via="pipe", raw=b"", size=0, digest="0" * 64, kind="bounce", notification=old
    )
    notifications_old_remove(now=NOW)
    report.refresh_from_db()
    assert report.notification is None
    assert report.kind == "bounce"


def test_the_nightly_removal_finds_old_rows_by_an_index_not_by_reading_the_whole_table(db):
    from django.db import connection

    from notifications.services import DONE_WITH
    from tests.services import require_postgresql

    require_postgresql()
    with connection.cursor() as cursor:
        # The table is nearly empty here, so the planner would read it whole anyway;
        # forbidding that shows whether an index can answer the removal's query.
        cursor.execute("SET LOCAL enable_seqscan = off")
        old = Notification.objects.filter(created_at__lt=NOW - TWO_YEARS, status__in=DONE_WITH)
        plan = old.exclude(meeting__end__gte=NOW).explain()
    assert "notification_created_idx" in plan
