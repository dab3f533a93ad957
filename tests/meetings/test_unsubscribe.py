"""Every email sent to many people about a meeting (invitations, updates, messages to
participants, reminders) carries List-Unsubscribe and List-Unsubscribe-Post (RFC 8058)
with a link that works for its reader; one-to-one emails carry none."""

import re

import pytest
from django.test import Client

from accounts.models import User
from meetings import services
from meetings.invitations import meeting_message_send
from meetings.models import Attendance
from notifications.models import Notification
from notifications.services import notifications_deliver
from tests.factories.accounts import UserFactory
from tests.factories.meetings import AttendanceFactory, DraftMeetingFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna(db):
    return UserFactory(email="anna@example.org", first_name="Anna")


@pytest.fixture
def bert(db):
    return UserFactory(email="bert@example.org", first_name="Bert")


@pytest.fixture
def published(anna, bert, django_capture_on_commit_callbacks):
    group = WorkingGroupFactory(code="WG4")
    group.members.add(anna, bert)
    meeting = DraftMeetingFactory(title="WG4 meeting", working_group=group)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_publish(meeting=meeting)
    return meeting


def unsubscribe_path(received) -> str:
    assert received.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.fullmatch(
        r"<https://portal\.example\.org(/\S+)>", received.message["List-Unsubscribe"].strip()
    )
    return link[1]


def one_click(path: str) -> int:
    """As a mail program does it (RFC 8058): a POST without a form, cookie or token."""
    return (
        Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"}).status_code
    )


def test_an_invitation_offers_a_one_click_stop_that_works_for_its_reader_only(
    smtp, published, anna, bert
):
    (to_anna,) = smtp.to("anna@example.org")
    assert one_click(unsubscribe_path(to_anna)) == 200
    assert User.objects.get(pk=anna.pk).meeting_emails is False
    assert User.objects.get(pk=bert.pk).meeting_emails is True
    assert unsubscribe_path(to_anna) in to_anna.text  # the footer says it too


def test_after_the_stop_invitations_are_kept_on_their_page_but_not_emailed(
    smtp, published, anna, bert, django_capture_on_commit_callbacks, client_for
):
    one_click(unsubscribe_path(smtp.to("anna@example.org")[0]))
    smtp.received.clear()
    later = DraftMeetingFactory(title="WG4 autumn meeting", working_group=published.working_group)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_publish(meeting=later)
    assert [item.envelope_to for item in smtp.received] == [["bert@example.org"]]
    row = Notification.objects.get(meeting=later, person=anna)
    assert (row.status, row.last_error) == (
        "skipped",
        "The person turned emails about meetings off.",
    )
    assert "WG4 autumn meeting" in client_for(anna).get("/me/").content.decode()


def test_updates_and_messages_carry_the_stop_and_a_cancellation_does_not(
    smtp, published, anna, django_capture_on_commit_callbacks
):
    smtp.received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(meeting=published, data={"venue": "Elsewhere"})
        meeting_message_send(
            meeting=published, subject="Slides", body="Online now.", audience="no_answer"
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=published)
    kinds = {item.subject.split(":")[0]: item for item in smtp.to("anna@example.org")}
    assert sorted(kinds) == ["Cancelled", "Message", "Update"]
    assert unsubscribe_path(kinds["Update"]).startswith("/emails/off/")
    assert unsubscribe_path(kinds["Message"]).startswith("/emails/off/")
    assert kinds["Cancelled"].message["List-Unsubscribe"] is None


def test_a_reminders_link_turns_off_reminders_only(smtp, published, anna):
    from accounts import tokens

    assert one_click(f"/reminders/off/{tokens.reminders_off(anna)}/") == 200
    anna.refresh_from_db()
    assert (anna.meeting_reminders, anna.meeting_emails) == (False, True)


def test_a_reply_to_a_calendar_answer_carries_no_unsubscribe(smtp, published, anna):
    AttendanceFactory(meeting=published, user=anna, answer=Attendance.Answer.IN_PERSON)
    row = Notification.objects.create(
        meeting=published, person=anna, kind="reply", details={"waitlisted": True}
    )
    smtp.received.clear()
    notifications_deliver(ids=[row.pk])
    (reply,) = smtp.received
    assert reply.message["List-Unsubscribe"] is None


def test_the_profile_turns_meeting_emails_off_and_on(anna, client_for):
    client = client_for(anna)
    form = {
        "first_name": "Anna",
        "last_name": "",
        "organisation": "",
        "language": "en",
        "time_zone": "",
        "meeting_reminders": "on",
    }
    client.post("/accounts/profile/", form)
    assert User.objects.get(pk=anna.pk).meeting_emails is False
    client.post("/accounts/profile/", {**form, "meeting_emails": "on"})
    assert User.objects.get(pk=anna.pk).meeting_emails is True
