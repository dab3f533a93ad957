"""The ATTENDEE line of a meeting email's calendar file, byte for byte as icalendar writes
it in an event (the bytes below are what an Event with that attendee gave): parameters
sorted, a name quoted and escaped (RFC 6868), the line folded at 75 octets and never
inside a character."""

import pytest

from meetings import calendar
from notifications.services import notifications_deliver
from tests.factories.accounts import UserFactory
from tests.factories.meetings import MeetingFactory
from tests.notifications.test_outbox import invitation


def person(first: str, last: str, email: str):
    return UserFactory.build(first_name=first, last_name=last, email=email)


def test_a_plain_name_is_quoted_and_the_line_folded():
    line = calendar.attendee_line(person("Ana", "Lima", "ana@example.org"))
    assert line == (
        b'ATTENDEE;CN="Ana Lima";PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRU\r\n'
        b" E:mailto:ana@example.org\r\n"
    )


def test_quotes_and_carets_in_a_name_are_escaped_and_the_answer_is_its_partstat():
    someone = person('Jean "Jo"', "d'Arc, Jr; CEO: ^1", "jo@example.org")
    assert calendar.attendee_line(someone, partstat="ACCEPTED") == (
        b"ATTENDEE;CN=\"Jean ^'Jo^' d'Arc, Jr; CEO: ^^1\";PARTSTAT=ACCEPTED;ROLE=REQ-P\r\n"
        b" ARTICIPANT;RSVP=TRUE:mailto:jo@example.org\r\n"
    )


def test_a_long_name_in_two_byte_characters_is_folded_between_characters():
    someone = person("Šárka", "Čechová-Ďurišová-Šťastná-Žďárská-Ľubošová", "sarka@example.org")
    line = calendar.attendee_line(someone, partstat="DECLINED")
    assert (
        line
        == (
            'ATTENDEE;CN="Šárka Čechová-Ďurišová-Šťastná-Žďárská-Ľubošo\r\n'
            ' vá";PARTSTAT=DECLINED;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:sarka@example\r\n'
            " .org\r\n"
        ).encode()
    )
    assert [len(part) for part in line.split(b"\r\n")] == [74, 75, 5, 0]


def test_without_a_name_there_is_no_cn():
    assert calendar.attendee_line(person("", "", "nobody@example.org")) == (
        b"ATTENDEE;PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:nobod\r\n"
        b" y@example.org\r\n"
    )


@pytest.mark.django_db
def test_each_invitations_calendar_names_its_own_recipient_once(smtp):
    meeting = MeetingFactory(title="WG4 meeting")
    ana = UserFactory(first_name="Ana", last_name="Lima", email="ana@example.org")
    bo = UserFactory(first_name="Bo", last_name="Berg", email="bo@example.org")
    notifications_deliver(ids=[invitation(meeting, ana).pk, invitation(meeting, bo).pk])
    for address, name in [("ana@example.org", "Ana Lima"), ("bo@example.org", "Bo Berg")]:
        (received,) = smtp.to(address)
        (event,) = received.calendar.walk("VEVENT")
        assert (str(event["ATTENDEE"]), event["ATTENDEE"].params["CN"]) == (
            f"mailto:{address}",
            name,
        )
        assert received.part("text/calendar").count("ATTENDEE") == 1
