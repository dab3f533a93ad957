"""The secretariat writes to a meeting's participants; the message goes through the
outbox to the chosen people only."""

import pytest

from meetings import services
from notifications.models import Notification
from tests.factories.accounts import UserFactory
from tests.factories.meetings import DraftMeetingFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(member, django_capture_on_commit_callbacks):
    group = WorkingGroupFactory(code="WG4")
    people = [member, *(UserFactory(email=f"p{n}@example.org") for n in range(3))]
    group.members.add(*people)
    meeting = DraftMeetingFactory(title="WG4 meeting", working_group=group)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_publish(meeting=meeting)
    services.attendance_answer(meeting=meeting, user=people[0], answer="in_person")
    services.attendance_answer(meeting=meeting, user=people[1], answer="online")
    services.attendance_answer(meeting=meeting, user=people[2], answer="declined")
    return meeting


def send(client, meeting, audience, callbacks):
    with callbacks(execute=True):
        return client.post(
            f"/admin/meetings/meeting/{meeting.pk}/message/",
            {"audience": audience, "subject": "Slides", "body": "The **slides** are online."},
        )


@pytest.mark.parametrize(
    ("audience", "expected"),
    [
        ("answered", ["member@example.org", "p0@example.org"]),
        ("in_person", ["member@example.org"]),
        ("no_answer", ["p2@example.org"]),
    ],
)
def test_a_message_reaches_the_chosen_participants_only(
    audience, expected, smtp, meeting, secretariat, client_for, django_capture_on_commit_callbacks
):
    smtp.received.clear()
    response = send(client_for(secretariat), meeting, audience, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert sorted(a for item in smtp.received for a in item.envelope_to) == expected
    message = smtp.received[0]
    assert message.subject == "Message: Slides (WG4 meeting)"
    assert "<strong>slides</strong>" in message.html
    assert "The **slides** are online." in message.text


def test_a_link_to_a_page_of_the_site_in_a_message_leads_to_the_portal_from_a_mail_client(
    smtp, meeting, secretariat, client_for, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://portal.example.org"
    smtp.received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(secretariat).post(
            f"/admin/meetings/meeting/{meeting.pk}/message/",
            {"audience": "in_person", "subject": "Minutes", "body": "[Minutes](/meetings/x/)"},
        )
    assert 'href="https://portal.example.org/meetings/x/"' in smtp.received[0].html


def test_a_second_message_is_a_new_revision(
    smtp, meeting, secretariat, client_for, django_capture_on_commit_callbacks
):
    client = client_for(secretariat)
    send(client, meeting, "in_person", django_capture_on_commit_callbacks)
    send(client, meeting, "in_person", django_capture_on_commit_callbacks)
    revisions = Notification.objects.filter(kind="message").values_list("revision", flat=True)
    assert sorted(revisions) == [1, 2]


def test_an_empty_message_is_refused_and_keeps_what_was_typed(meeting, secretariat, client_for):
    page = client_for(secretariat).post(
        f"/admin/meetings/meeting/{meeting.pk}/message/",
        {"audience": "answered", "subject": "Slides", "body": ""},
    )
    assert page.status_code == 200
    assert b'value="Slides"' in page.content
    assert not Notification.objects.filter(kind="message").exists()


def test_only_the_secretariat_may_write_to_participants(meeting, member, client_for):
    response = client_for(member).get(f"/admin/meetings/meeting/{meeting.pk}/message/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
