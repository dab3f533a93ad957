"""Over SMTP a meeting email is filled into its variant's skeleton, flattened once per
batch: the bytes must be those Django's SMTP backend sends for the full message, and a
large send must not flatten one message per person."""

import email.policy
import re

import pytest
import time_machine
from django.core.mail import EmailMessage
from django.core.mail.message import sanitize_address
from django.utils import timezone

from meetings.models import Attendance
from notifications import messages
from notifications import services as outbox
from notifications.messages import Composer
from notifications.models import Notification
from tests.factories.accounts import UserFactory
from tests.factories.meetings import AgendaItemFactory, AttendanceFactory, MeetingFactory

pytestmark = pytest.mark.django_db

BOUNDARY = re.compile(rb"={15}\d+==")


def normalised(data: bytes) -> bytes:
    """The same email whatever its random MIME boundary."""
    return BOUNDARY.sub(b"BOUNDARY", data)


def django_bytes(message) -> tuple[str, list[str], bytes]:
    """What django.core.mail.backends.smtp.EmailBackend hands to smtplib."""
    return (
        sanitize_address(message.from_email, "utf-8"),
        [sanitize_address(address, "utf-8") for address in message.recipients()],
        message.message().as_bytes(linesep="\r\n"),
    )


@pytest.fixture(autouse=True)
def still():
    """Answer links and Date headers carry the time: both ways are made in one second."""
    with time_machine.travel(timezone.now(), tick=False):
        yield


@pytest.fixture
def meeting(settings):
    settings.SITE_URL = "https://portal.example.org"
    meeting = MeetingFactory(title="WG4 meeting — Régions & <Skills>", slug="wg4-next")
    AgendaItemFactory(meeting=meeting, title="Welcome", position=1)
    return meeting


@pytest.fixture
def people(meeting):
    people = [
        UserFactory(email="anna@example.org", first_name="Anna", language="de"),
        UserFactory(email="jan@example.org", first_name='Ján <Ľ & "Š">', language="sk"),
        UserFactory(email="noname@example.org", first_name="", language="en"),
        UserFactory(email="far@example.org", first_name="Kai", time_zone="Asia/Tokyo"),
        # An address Django has to encode: the full message is built for it.
        UserFactory(email="jürgen@bücher.example", first_name="Jürgen", language="de"),
    ]
    AttendanceFactory(meeting=meeting, user=people[0], answer=Attendance.Answer.IN_PERSON)
    return people


@pytest.mark.parametrize("kind", ["invitation", "reminder", "update", "seat"])
def test_the_bytes_sent_are_those_django_sends_for_the_full_message(meeting, people, kind):
    details = (
        {"changes": [["Venue", "Maison des Régions", "Stadhuis"]]} if kind == "update" else {}
    )
    composer = Composer()
    for n, person in enumerate(people, start=1):
        row = Notification(meeting=meeting, person=person, kind=kind, pk=n, details=details)
        wire = composer.wire(row)
        sender, recipients, data = django_bytes(composer.build(row))
        assert (wire.from_email, wire.recipients) == (sender, recipients)
        assert normalised(wire.data) == normalised(data)


def test_the_bytes_of_a_cancellation_are_those_django_sends(meeting, people):
    meeting.status = meeting.Status.CANCELLED
    meeting.save()
    composer = Composer()
    for n, person in enumerate(people, start=1):
        row = Notification(meeting=meeting, person=person, kind="cancellation", pk=n)
        assert normalised(composer.wire(row).data) == normalised(
            django_bytes(composer.build(row))[2]
        )


@pytest.mark.parametrize("kind", ["invitation", "reminder"])
def test_a_batch_over_smtp_flattens_one_email_per_variant_not_one_per_person(
    smtp, meeting, monkeypatch, kind
):
    flattened = []
    message = EmailMessage.message

    def counted(self):
        flattened.append(self.to)
        return message(self)

    monkeypatch.setattr(EmailMessage, "message", counted)
    people = UserFactory.create_batch(30, first_name="Pat")
    rows = Notification.objects.bulk_create(
        Notification(meeting=meeting, person=person, kind=kind) for person in people
    )
    counts = outbox.notifications_deliver(ids=[row.pk for row in rows])
    assert counts["sent"] == 30
    assert len(smtp.received) == 30
    assert len(flattened) == 1


@pytest.mark.parametrize(
    "value",
    [
        "person@example.org",
        "Thu, 03 Dec 2026 15:16:25 +0000",
        "<20261203151625.7001@portal.example.org>",
        " leading and  double  spaces ",
        "=?utf-8?q?looks_encoded?=",
        "x" * 74,  # "To: " and 74 characters: 78, the longest line left as it is
        "x" * 75,
        "words " * 14,
        "<https://portal.example.org/notifications/reminders-off/" + "t" * 40 + ">",
        "Grüße",
    ],
)
def test_a_header_value_is_written_as_the_email_package_folds_it(value):
    policy = email.policy.compat32.clone(linesep="\r\n")
    assert messages._header("To", value) == policy.fold_binary("To", value)[4:-2]
