"""The records behind an event open to the public: who may open one, the door's codes,
and the outbox rows to an address that is nobody's yet."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from meetings.models import CHECKIN_ALPHABET, Meeting
from notifications.models import Notification
from tests.factories.meetings import AttendanceFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def test_a_members_only_event_cannot_be_open_to_the_public():
    meeting = MeetingFactory.build(visibility=Meeting.Visibility.MEMBERS, public_registration=True)
    with pytest.raises(ValidationError) as refused:
        meeting.full_clean(exclude=["slug", "working_group"])
    assert "public_registration" in refused.value.message_dict


def test_every_answer_gets_its_own_check_in_code_of_ten_unambiguous_characters():
    meeting = MeetingFactory()
    codes = [AttendanceFactory(meeting=meeting).checkin_code for _ in range(3)]
    assert len(set(codes)) == 3
    assert all(len(code) == 10 and set(code) <= set(CHECKIN_ALPHABET) for code in codes)
    assert not set("01IO") & set(CHECKIN_ALPHABET)


def test_the_database_refuses_two_answers_with_the_same_check_in_code():
    first = AttendanceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceFactory(checkin_code=first.checkin_code)


def test_an_address_may_be_asked_to_confirm_a_registration_once_per_registration():
    meeting = MeetingFactory()
    row = {"meeting": meeting, "address": "guest@example.com", "kind": "registration_confirm"}
    Notification.objects.create(revision=1, **row)
    Notification.objects.create(revision=2, **row)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(revision=1, **row)


def test_no_other_meeting_email_goes_to_an_address_without_a_person():
    meeting = MeetingFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            meeting=meeting, address="guest@example.com", kind="invitation"
        )
