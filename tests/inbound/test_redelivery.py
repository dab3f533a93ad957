"""A message an MTA delivers again is handled once, even when the copy differs by a
header the MTA added; a different message from the same person is handled on its own."""

import pytest

from meetings.models import Attendance
from tests.inbound.conftest import mime

pytestmark = pytest.mark.django_db


def test_a_copy_with_one_more_received_header_is_a_duplicate(deliver, invitation, member):
    first = deliver("outlook_accept.eml")
    answered = Attendance.objects.get(user=member).answered_at
    again = deliver(
        b"Received: from relay2.example.org by mx.example.org\r\n" + mime("outlook_accept.eml")
    )
    assert (first.outcome, again.outcome) == ("applied", "duplicate")
    assert Attendance.objects.get(user=member).answered_at == answered


def test_another_message_from_the_same_person_is_handled_on_its_own(deliver, invitation, member):
    deliver("outlook_accept.eml")
    assert deliver("outlook_decline.eml").outcome == "applied"
    assert Attendance.objects.get(user=member).answer == Attendance.Answer.DECLINED
