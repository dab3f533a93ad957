"""The MIME boundaries of an email are drawn by the portal as the message is made
(notifications.messages.Email), not by the email package as it flattens it, and the
message still reads as its parts."""

import re

import pytest

from notifications.services import notifications_deliver
from tests.factories.accounts import UserFactory
from tests.factories.meetings import AgendaItemFactory, MeetingFactory
from tests.notifications.test_outbox import invitation

pytestmark = pytest.mark.django_db

DRAWN = re.compile(r"=_[0-9a-f]{32}")


def structure(message) -> list:
    """The message's tree of content types."""
    if message.is_multipart():
        return [message.get_content_type(), [structure(part) for part in message.iter_parts()]]
    return message.get_content_type()


@pytest.fixture
def sent(smtp, member):
    meeting = MeetingFactory(title="WG4 meeting")
    AgendaItemFactory(meeting=meeting, title="Welcome", position=1)
    rows = [invitation(meeting, member), invitation(meeting, UserFactory(first_name="Ana"))]
    notifications_deliver(ids=[row.pk for row in rows])
    assert len(smtp.received) == 2
    return [item.message for item in smtp.received]


def test_each_multipart_of_an_invitation_has_a_boundary_of_128_random_bits(sent):
    for message in sent:
        multiparts = [part for part in message.walk() if part.is_multipart()]
        assert [part.get_content_type() for part in multiparts] == [
            "multipart/mixed",
            "multipart/alternative",
        ]
        for part in multiparts:
            assert DRAWN.fullmatch(part.get_boundary())


def test_no_two_boundaries_are_the_same_in_a_message_or_between_messages(sent):
    boundaries = [part.get_boundary() for message in sent for part in message.walk()]
    drawn = [boundary for boundary in boundaries if boundary is not None]
    assert len(drawn) == len(set(drawn)) == 4


def test_an_invitation_still_reads_as_text_and_html_with_the_calendar_beside(sent):
    for message in sent:
        assert structure(message) == [
            "multipart/mixed",
            [["multipart/alternative", ["text/plain", "text/html"]], "text/calendar"],
        ]
    text = sent[1].get_body(("plain",)).get_content()
    assert text.startswith("Hello Ana,\r\n\r\nYou are invited to WG4 meeting.")
    assert "</html>" in sent[1].get_body(("html",)).get_content()
