"""Calendar replies (iTIP METHOD:REPLY) as Outlook, Gmail, Apple Calendar and Thunderbird
send them become the member's answer, under the same rules as the site."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from inbound.models import InboundMessage
from meetings import services as meeting_services
from meetings.models import Attendance, Meeting
from notifications.models import Notification
from tests.factories.accounts import UserFactory
from tests.factories.meetings import AttendanceFactory, MeetingFactory
from tests.inbound.conftest import mime

pytestmark = pytest.mark.django_db

Outcome = InboundMessage.Outcome


def answer_of(meeting, person):
    return Attendance.objects.filter(meeting=meeting, user=person).first()


@pytest.mark.parametrize(
    ("fixture", "answer"),
    [
        ("outlook_accept.eml", "in_person"),
        ("outlook_decline.eml", "declined"),
        ("gmail_accept.eml", "in_person"),
        ("apple_accept.eml", "in_person"),
        ("thunderbird_accept.eml", "in_person"),
        ("ics_attachment_only_decline.eml", "declined"),
    ],
)
def test_each_clients_reply_records_the_members_answer(
    deliver, invitation, meeting, member, fixture, answer
):
    row = deliver(fixture)
    assert row.outcome == Outcome.APPLIED, row.detail
    assert row.kind == InboundMessage.Kind.REPLY
    assert answer_of(meeting, member).answer == answer
    assert (row.person, row.meeting, row.notification) == (member, meeting, invitation)
    assert mail.outbox == []  # nothing to say: the calendar already shows the answer


def test_accepting_an_online_meeting_is_an_online_answer(deliver, invitation, meeting, member):
    Meeting.objects.filter(pk=meeting.pk).update(format="online", venue="", address="")
    deliver("outlook_accept.eml")
    assert answer_of(meeting, member).answer == "online"


def test_accepting_a_hybrid_meeting_keeps_an_earlier_online_answer(
    deliver, invitation, meeting, member
):
    meeting_services.attendance_answer(meeting=meeting, user=member, answer="declined")
    deliver("outlook_accept.eml")
    assert answer_of(meeting, member).answer == "in_person"
    meeting_services.attendance_answer(meeting=meeting, user=member, answer="online")
    deliver("gmail_accept.eml")
    assert answer_of(meeting, member).answer == "online"


def test_tentative_leaves_the_answer_as_it_was_and_notes_it(deliver, invitation, meeting, member):
    meeting_services.attendance_answer(meeting=meeting, user=member, answer="declined")
    row = deliver("thunderbird_tentative.eml")
    assert row.outcome == Outcome.NOTED
    assert "Tentative" in row.detail
    assert answer_of(meeting, member).answer == "declined"


def test_the_same_reply_delivered_twice_is_applied_once(deliver, invitation, meeting, member):
    first = deliver("outlook_accept.eml")
    meeting_services.attendance_answer(meeting=meeting, user=member, answer="declined")
    second = deliver("outlook_accept.eml")
    assert first.outcome == Outcome.APPLIED
    assert second.outcome == Outcome.DUPLICATE
    assert second.duplicate_of == first
    assert answer_of(meeting, member).answer == "declined"  # the later answer stands


def test_a_reply_for_a_cancelled_meeting_is_refused_and_the_member_told_why(
    deliver, invitation, meeting, member
):
    meeting_services.meeting_cancel(meeting=meeting)
    mail.outbox.clear()
    row = deliver("outlook_accept.eml")
    assert row.outcome == Outcome.REFUSED
    assert answer_of(meeting, member) is None
    (told,) = mail.outbox
    assert told.to == ["member@example.org"]
    assert told.subject == "Your answer was not recorded: WG4 meeting"
    assert "cancelled" in told.body
    assert "https://portal.example.org/meetings/wg4-next/" in told.body
    assert Notification.objects.get(kind="reply").status == "sent"


def test_the_answer_to_a_refused_reply_is_threaded_with_it(deliver, invitation, meeting):
    meeting_services.meeting_cancel(meeting=meeting)
    mail.outbox.clear()
    deliver("outlook_accept.eml")  # In-Reply-To and References name our invitation
    (told,) = mail.outbox
    headers = told.message()
    outlook = "<AM0PR07MB4530ACCEPTED0A1B2C3D4E5F@AM0PR07MB4530.eurprd07.prod.outlook.com>"
    assert headers["In-Reply-To"] == outlook
    assert " ".join(headers["References"].split()) == (
        f"<notification-7001.b3c385ef08d54c2fca46@portal.example.org> {outlook}"
    )


def test_the_answer_to_a_reply_with_only_in_reply_to_continues_that_thread(
    deliver, invitation, meeting
):
    meeting_services.meeting_cancel(meeting=meeting)
    mail.outbox.clear()
    deliver(re.sub(rb"References: <[^>]+>\r?\n", b"", mime("outlook_accept.eml")))
    (told,) = mail.outbox
    assert " ".join(told.message()["References"].split()) == (
        "<notification-7001.b3c385ef08d54c2fca46@portal.example.org> "
        "<AM0PR07MB4530ACCEPTED0A1B2C3D4E5F@AM0PR07MB4530.eurprd07.prod.outlook.com>"
    )


def test_the_answer_to_a_reply_without_references_names_the_reply(deliver, invitation, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(sequence=2)
    deliver("thunderbird_accept.eml")  # no In-Reply-To nor References
    (told,) = mail.outbox
    thunderbird = "<d3c2b1a0-accepted-4f5e-9d8c-7b6a5f4e3d2c@example.org>"
    assert told.message()["In-Reply-To"] == thunderbird
    assert told.message()["References"] == thunderbird


def test_the_answer_to_a_reply_without_a_message_id_names_no_thread(deliver, invitation, meeting):
    """Only the received message's own Message-ID may be In-Reply-To (its References
    name our invitation, which the answer does not answer)."""
    meeting_services.meeting_cancel(meeting=meeting)
    mail.outbox.clear()
    outlook = mime("outlook_accept.eml")
    nameless = re.sub(rb"Message-ID: <[^>]+>\r?\n", b"", outlook)
    assert b"Message-ID" not in nameless and b"References" in nameless
    deliver(nameless)
    (told,) = mail.outbox
    assert told.message()["In-Reply-To"] is None
    assert told.message()["References"] is None


def test_a_reply_after_the_deadline_is_refused_and_the_member_told_why(
    deliver, invitation, meeting, member
):
    Meeting.objects.filter(pk=meeting.pk).update(
        registration_deadline=timezone.now() - dt.timedelta(hours=1)
    )
    row = deliver("gmail_accept.eml")
    assert row.outcome == Outcome.REFUSED
    assert "deadline" in row.detail
    (told,) = mail.outbox
    assert "registration deadline has passed" in told.body


def test_a_reply_to_a_full_meeting_joins_the_waiting_list_and_says_so(
    deliver, invitation, meeting, member
):
    Meeting.objects.filter(pk=meeting.pk).update(capacity=1)
    AttendanceFactory(meeting=meeting, answer="in_person")
    row = deliver("outlook_accept.eml")
    assert row.outcome == Outcome.APPLIED
    attendance = answer_of(meeting, member)
    assert (attendance.answer, attendance.waitlisted) == ("in_person", True)
    (told,) = mail.outbox
    assert told.subject == "On the waiting list: WG4 meeting"


def test_a_reply_to_an_older_revision_counts_and_the_member_is_told_it_changed(
    deliver, invitation, meeting, member
):
    Meeting.objects.filter(pk=meeting.pk).update(sequence=2)
    row = deliver("thunderbird_accept.eml")
    assert row.outcome == Outcome.APPLIED
    assert answer_of(meeting, member).answer == "in_person"
    (told,) = mail.outbox
    assert told.subject == "Changed since your answer: WG4 meeting"
    assert "changed after the invitation you answered" in told.body


def test_a_reply_with_a_forged_from_is_kept_and_never_applied(deliver, invitation, member):
    other = UserFactory(email="other@example.org")
    forged = mime("thunderbird_accept.eml").replace(
        b"From: Maria Member <member@example.org>", b"From: Other <other@example.org>"
    )
    row = deliver(forged)
    assert row.outcome == Outcome.UNTRUSTED
    assert "ATTENDEE (member@example.org) is not its sender (other@example.org)" in row.detail
    assert not Attendance.objects.exists()
    assert mail.outbox == []  # a forged sender is never written to
    assert row.person == other


def test_a_reply_whose_attendee_is_someone_else_is_kept_and_never_applied(
    deliver, invitation, meeting, member
):
    UserFactory(email="other@example.org")
    forged = mime("thunderbird_accept.eml").replace(
        b"r:mailto:member@example.org", b"r:mailto:other@example.org"
    )
    row = deliver(forged)
    assert row.outcome == Outcome.UNTRUSTED
    assert not Attendance.objects.exists()


def test_a_reply_from_a_stranger_is_kept_and_never_applied(deliver, invitation, meeting):
    forged = mime("gmail_accept.eml").replace(b"member@example.org", b"stranger@example.net")
    row = deliver(forged)
    assert row.outcome == Outcome.UNTRUSTED
    assert "not a person of the portal" in row.detail
    assert not Attendance.objects.exists()


def test_a_reply_from_a_member_not_invited_to_that_meeting_is_not_applied(
    deliver, meeting, member
):
    row = deliver("outlook_accept.eml")
    assert row.outcome == Outcome.UNTRUSTED
    assert "was not sent an invitation" in row.detail
    assert not Attendance.objects.exists()


def test_a_reply_about_an_event_that_is_not_ours_is_not_applied(deliver, invitation):
    other = mime("thunderbird_accept.eml").replace(
        b"meeting-4242@portal.example.org", b"meeting-4242@elsewhere.example.com"
    )
    row = deliver(other)
    assert row.outcome == Outcome.UNTRUSTED
    assert not Attendance.objects.exists()


def test_malformed_calendar_data_is_kept_and_refused(deliver, invitation):
    row = deliver("malformed_calendar.eml")
    assert row.outcome == Outcome.REJECTED
    assert "malformed calendar data" in row.detail
    assert bytes(row.raw) == mime("malformed_calendar.eml")
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    ("from_header", "reason"),
    [
        (
            b"From: member@example.org <attacker@evil.example>",
            "From is not a well-formed address (invalid address in address-list)",
        ),
        (
            b"From: member@example.org)<attacker@evil.example>",
            "From is not a well-formed address (invalid address in address-list)",
        ),
        (
            b'From: "member@example.org" <attacker@evil.example>',
            "From's name is another address (member@example.org)",
        ),
        (
            b"From: =?utf-8?q?member=40example.org?= <attacker@evil.example>",
            "From's name is another address (member@example.org)",
        ),
        (
            b"From: member@example.org, attacker@evil.example",
            "From names 2 addresses, not one",
        ),
    ],
)
def test_a_reply_with_an_ambiguous_from_is_kept_as_not_trusted_and_never_applied(
    deliver, invitation, member, from_header, reason
):
    UserFactory(email="attacker@evil.example")
    ambiguous = mime("thunderbird_accept.eml").replace(
        b"From: Maria Member <member@example.org>", from_header
    )
    row = deliver(ambiguous)
    assert row.outcome == Outcome.UNTRUSTED
    assert row.detail == f"{reason}: not trusted, not applied."
    assert row.person is None
    assert not Attendance.objects.exists()
    assert mail.outbox == []


def test_a_reply_with_two_from_headers_is_never_applied(deliver, invitation, member):
    doubled = mime("thunderbird_accept.eml").replace(
        b"From: Maria Member <member@example.org>",
        b"From: Maria Member <member@example.org>\r\nFrom: attacker@evil.example",
    )
    row = deliver(doubled)
    assert (row.outcome, row.detail) == (
        Outcome.UNTRUSTED,
        "2 From headers: not trusted, not applied.",
    )
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    "from_header",
    [
        b'From: "member@example.org" <member@example.org>',
        "From: Mária Členová <member@example.org>".encode(),  # 8-bit UTF-8, as sent
        b"From: =?utf-8?q?M=C3=A1ria?= <member@example.org>",
        b"From: member@example.org",
    ],
)
def test_a_reply_whose_from_names_the_member_plainly_is_applied(
    deliver, invitation, meeting, member, from_header
):
    plain = mime("thunderbird_accept.eml").replace(
        b"From: Maria Member <member@example.org>", from_header
    )
    row = deliver(plain)
    assert row.outcome == Outcome.APPLIED, row.detail
    assert row.from_address == "member@example.org"
    assert answer_of(meeting, member).answer == "in_person"


def test_a_reply_whose_dtstamp_is_not_a_date_is_refused_unread(deliver, invitation):
    broken = re.sub(rb"DTSTAMP:[^\r\n]+", b"DTSTAMP:not-a-date", mime("apple_accept.eml"))
    row = deliver(broken)
    assert row.outcome == Outcome.REJECTED
    assert row.detail == "Not read: a DTSTAMP that is not a date and time."
    assert not Attendance.objects.exists()


def delegated(number: int, address: bytes = b"member@example.org") -> bytes:
    """A DELEGATED reply from `address` (From and ATTENDEE), its own Message-ID."""
    return (
        mime("thunderbird_accept.eml")
        .replace(b"PARTSTAT=ACCEPTED", b"PARTSTAT=DELEGATED")
        .replace(b"d3c2b1a0-accepted", f"forged-{number}".encode())
        .replace(b"member@example.org", address)
    )


def test_refusals_of_forged_replies_write_to_the_person_once_a_day(
    deliver, invitation, meeting, member
):
    rows = [deliver(delegated(n)) for n in range(3)]
    assert [row.outcome for row in rows] == [Outcome.REFUSED] * 3
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["member@example.org"]
    assert "Not told" not in rows[0].detail
    assert rows[2].detail.endswith("Not told: a refusal was sent to them in the last 24 hours.")
    with time_machine.travel(timezone.now() + dt.timedelta(hours=25)):
        deliver(delegated(3))
    assert len(mail.outbox) == 2


def test_a_refusal_told_to_one_person_does_not_silence_another(
    deliver, invitation, meeting, member
):
    other = UserFactory(email="second@example.org")
    Notification.objects.create(
        meeting=meeting,
        person=other,
        kind=Notification.Kind.INVITATION,
        status=Notification.Status.SENT,
        sent_at=timezone.now(),
        attempts=1,
    )
    deliver(delegated(1))
    deliver(delegated(2, address=b"second@example.org"))
    assert [message.to for message in mail.outbox] == [
        ["member@example.org"],
        ["second@example.org"],
    ]


def test_a_refusal_about_one_meeting_does_not_silence_one_about_another(
    deliver, invitation, meeting, member
):
    other = MeetingFactory(pk=4243, title="WG4 workshop", working_group=meeting.working_group)
    Notification.objects.create(
        meeting=other,
        person=member,
        kind=Notification.Kind.INVITATION,
        status=Notification.Status.SENT,
        sent_at=timezone.now(),
        attempts=1,
    )
    deliver(delegated(1))
    deliver(
        delegated(2).replace(
            b"meeting-4242@portal.example.org", b"meeting-4243@portal.example.org"
        )
    )
    assert [message.subject for message in mail.outbox] == [
        "Your answer was not recorded: WG4 meeting",
        "Your answer was not recorded: WG4 workshop",
    ]


def test_the_same_emailed_answer_again_keeps_the_place_on_the_waiting_list(
    deliver, invitation, meeting, member
):
    Meeting.objects.filter(pk=meeting.pk).update(capacity=1)
    AttendanceFactory(meeting=meeting, answer="in_person")
    deliver("outlook_accept.eml")
    waiting = answer_of(meeting, member)
    later = AttendanceFactory(meeting=meeting, answer="in_person", waitlisted=True)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1)):
        row = deliver("gmail_accept.eml")  # the same answer, another message
    assert row.outcome == Outcome.APPLIED
    again = answer_of(meeting, member)
    assert (again.waitlisted, again.answered_at) == (True, waiting.answered_at)
    meeting_services.meeting_update(meeting=meeting, data={"capacity": 2})
    assert not answer_of(meeting, member).waitlisted
    assert Attendance.objects.get(pk=later.pk).waitlisted
