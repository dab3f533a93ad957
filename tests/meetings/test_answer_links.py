"""The answer links of an invitation email, for more than the happy state: a closed
account's link and another person's link."""

import pytest

from meetings import tokens
from meetings.models import Attendance
from tests.factories.accounts import UserFactory
from tests.factories.meetings import MeetingFactory

pytestmark = pytest.mark.django_db


def test_the_link_of_a_closed_account_answers_nothing(client):
    meeting = MeetingFactory()
    closed = UserFactory(email="left@example.org", is_active=False)
    path = f"/rsvp/{tokens.rsvp(meeting, closed, 'online')}/"
    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404
    assert not Attendance.objects.filter(user=closed).exists()


def test_a_link_answers_for_its_own_person_only(client):
    meeting = MeetingFactory()
    anna, bert = UserFactory(email="anna@example.org"), UserFactory(email="bert@example.org")
    client.post(f"/rsvp/{tokens.rsvp(meeting, anna, 'online')}/")
    assert list(Attendance.objects.values_list("user__email", "answer")) == [
        ("anna@example.org", "online")
    ]
    assert bert.pk not in Attendance.objects.values_list("user_id", flat=True)
