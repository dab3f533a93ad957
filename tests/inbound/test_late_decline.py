"""A calendar's DECLINED reply past the registration deadline is applied until the
meeting starts (Meeting.answer_closed_reason): the seat goes to the first waiting. An
acceptance past the deadline stays refused."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from inbound.models import InboundMessage
from meetings.models import Attendance, Meeting
from notifications.models import Notification
from tests.factories.meetings import AttendanceFactory

pytestmark = pytest.mark.django_db

Outcome = InboundMessage.Outcome


def answer_of(meeting, person) -> tuple[str, bool]:
    attendance = Attendance.objects.get(meeting=meeting, user=person)
    return attendance.answer, attendance.waitlisted


@pytest.fixture
def full(meeting, member):
    """One seat, the member's; two waiting behind; the deadline passed an hour ago."""
    Meeting.objects.filter(pk=meeting.pk).update(
        capacity=1, registration_deadline=timezone.now() - dt.timedelta(hours=1)
    )
    AttendanceFactory(
        meeting=meeting,
        user=member,
        answer="in_person",
        answered_at=timezone.now() - dt.timedelta(days=3),
    )
    first = AttendanceFactory(
        meeting=meeting,
        answer="in_person",
        waitlisted=True,
        answered_at=timezone.now() - dt.timedelta(days=2),
    )
    second = AttendanceFactory(
        meeting=meeting,
        answer="in_person",
        waitlisted=True,
        answered_at=timezone.now() - dt.timedelta(days=1),
    )
    return first, second


def test_a_decline_after_the_deadline_is_applied_and_frees_the_seat(
    deliver, invitation, meeting, member, full
):
    first, second = full
    row = deliver("outlook_decline.eml")
    assert row.outcome == Outcome.APPLIED, row.detail
    assert answer_of(meeting, member) == ("declined", False)
    assert answer_of(meeting, first.user) == ("in_person", False)
    assert answer_of(meeting, second.user) == ("in_person", True)
    (seat,) = Notification.objects.filter(kind=Notification.Kind.SEAT)
    assert seat.person_id == first.user_id
    assert [m.subject for m in mail.outbox if m.to == [member.email]] == []


def test_an_acceptance_after_the_deadline_is_still_refused(
    deliver, invitation, meeting, member, full
):
    Attendance.objects.filter(meeting=meeting, user=member).update(answer="online")
    row = deliver("gmail_accept.eml")
    assert row.outcome == Outcome.REFUSED
    assert "the registration deadline has passed" in row.detail
    assert answer_of(meeting, member) == ("online", False)


def test_a_decline_after_the_start_is_refused_and_the_member_told_why(
    deliver, invitation, meeting, member, full
):
    meeting.refresh_from_db()
    with time_machine.travel(meeting.start + dt.timedelta(minutes=30)):
        row = deliver("outlook_decline.eml")
    assert row.outcome == Outcome.REFUSED
    assert "the meeting has started" in row.detail
    assert answer_of(meeting, member) == ("in_person", False)
    (told,) = mail.outbox
    assert told.to == [member.email]
    assert "the meeting has started" in told.body


@pytest.fixture
def registered(meeting, member):
    """The member registered on the event's public form: their calendar entry came from
    the confirmation (REGISTERED), not from an invitation."""
    return Notification.objects.create(
        meeting=meeting,
        person=member,
        kind=Notification.Kind.REGISTERED,
        revision=1,
        status=Notification.Status.SENT,
        sent_at=timezone.now(),
        attempts=1,
    )


def test_a_decline_from_the_calendar_of_a_registration_is_applied(
    deliver, registered, meeting, member, full
):
    first, _ = full
    row = deliver("outlook_decline.eml")
    assert row.outcome == Outcome.APPLIED, row.detail
    assert row.notification_id == registered.pk
    assert answer_of(meeting, member) == ("declined", False)
    assert answer_of(meeting, first.user) == ("in_person", False)


def test_a_registration_whose_confirmation_is_still_queued_is_not_trusted(
    deliver, registered, meeting, member, full
):
    Notification.objects.filter(pk=registered.pk).update(
        status=Notification.Status.QUEUED, sent_at=None, attempts=0
    )
    row = deliver("outlook_decline.eml")
    assert row.outcome == Outcome.UNTRUSTED
    assert row.detail == "member@example.org was not sent an invitation to this meeting."
    assert answer_of(meeting, member) == ("in_person", False)


def test_a_guest_declines_from_their_calendar(deliver, registered, meeting, member, full):
    type(member).objects.filter(pk=member.pk).update(is_guest=True)
    row = deliver("outlook_decline.eml")
    assert row.outcome == Outcome.APPLIED, row.detail
    assert answer_of(meeting, member) == ("declined", False)
