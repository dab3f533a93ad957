"""Delivery reports (RFC 3464) as Postfix and Exchange send them mark our email bounced;
a permanent failure holds later emails to the address until the secretariat fixes it."""

import pytest
from django.core import mail

from accounts.services import address_works_again
from inbound.models import InboundMessage
from meetings import invitations
from notifications import services as outbox
from notifications.models import Notification
from tests.factories.accounts import UserFactory
from tests.inbound.conftest import mime

pytestmark = pytest.mark.django_db

Outcome = InboundMessage.Outcome


@pytest.fixture
def gone(invitation):
    """The invitation went to an address that no longer exists."""
    person = invitation.person
    person.email = "gone@example.net"
    person.save()
    return invitation


def test_a_report_with_a_5xx_status_is_permanent_whatever_its_action_says(deliver, gone):
    odd = mime("postfix_bounce_5xx.eml").replace(b"Action: failed", b"Action: delayed")
    assert deliver(odd).outcome == Outcome.BOUNCED


@pytest.mark.parametrize("fixture", ["postfix_bounce_5xx.eml", "exchange_ndr_5xx.eml"])
def test_a_permanent_failure_marks_the_email_bounced_and_the_address_bouncing(
    deliver, invitation, fixture
):
    person = invitation.person
    person.email = "gone@example.net" if "postfix" in fixture else "left@contoso.example"
    person.save()
    row = deliver(fixture, sender="", recipient="portal@example.org")
    assert row.outcome == Outcome.BOUNCED, row.detail
    assert row.kind == InboundMessage.Kind.BOUNCE
    invitation.refresh_from_db()
    assert invitation.status == Notification.Status.BOUNCED
    assert invitation.bounce_status == ("5.1.1" if "postfix" in fixture else "5.1.10")
    assert "550 5.1.1" in invitation.bounce_diagnostic or "RecipientNotFound" in (
        invitation.bounce_diagnostic
    )
    person.refresh_from_db()
    assert person.email_bouncing_since is not None
    assert mail.outbox == []


def test_a_temporary_failure_is_only_noted(deliver, gone):
    row = deliver("postfix_delay_4xx.eml")
    assert row.outcome == Outcome.NOTED
    assert "A temporary failure, noted: 4.4.1" in row.detail
    assert row.notification == gone
    gone.refresh_from_db()
    gone.person.refresh_from_db()
    assert gone.status == Notification.Status.SENT
    assert gone.person.email_bouncing_since is None


def test_a_report_without_the_message_id_is_matched_by_its_recipient(deliver, gone):
    without_id = mime("postfix_bounce_5xx.eml").replace(
        b"Message-ID: <notification-7001@portal.example.org>", b"X-Nothing: here"
    )
    row = deliver(without_id)
    assert row.outcome == Outcome.BOUNCED
    assert row.notification == gone


def test_a_report_naming_another_address_than_our_recipient_changes_nothing(deliver, invitation):
    row = deliver("postfix_bounce_5xx.eml")  # names gone@example.net, sent to member@
    assert row.outcome == Outcome.UNTRUSTED
    invitation.refresh_from_db()
    invitation.person.refresh_from_db()
    assert invitation.status == Notification.Status.SENT
    assert invitation.person.email_bouncing_since is None


def test_a_report_about_no_email_of_ours_is_kept_and_not_passed_on(deliver):
    row = deliver("postfix_bounce_5xx.eml")
    assert row.outcome == Outcome.NOTED
    assert mail.outbox == []


def test_emails_to_a_bouncing_address_wait_until_it_is_fixed(
    deliver, gone, meeting, django_capture_on_commit_callbacks
):
    deliver("postfix_bounce_5xx.eml")
    person = gone.person
    other = UserFactory(email="other@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        invitations.meeting_message_send(
            meeting=meeting, subject="Slides", body="Online now.", audience="no_answer"
        )
        outbox.notifications_create(
            rows=[
                Notification(
                    meeting=meeting,
                    person=other,
                    kind="message",
                    revision=9,
                    details={"subject": "Slides", "body": "Online now."},
                )
            ]
        )
    waiting = Notification.objects.get(person=person, kind="message", revision=1)
    assert waiting.status == Notification.Status.QUEUED
    assert [m.to for m in mail.outbox] == [["other@example.org"]]
    Notification.objects.filter(pk=waiting.pk).update(queued_at=None)  # as after 5 minutes
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.notifications_sweep() == 0  # the sweep does not hand it on either
    address_works_again(people=[person])
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.notifications_sweep() == 1
    waiting.refresh_from_db()
    assert waiting.status == Notification.Status.SENT
    assert mail.outbox[-1].to == ["gone@example.net"]


def test_an_automatic_reply_is_recognised_and_is_neither_an_answer_nor_a_bounce(
    deliver, invitation
):
    row = deliver("out_of_office.eml")
    assert row.kind == InboundMessage.Kind.AUTO_REPLY
    assert row.outcome == Outcome.NOTED
    assert row.notification == invitation
    invitation.refresh_from_db()
    assert invitation.status == Notification.Status.SENT
    assert mail.outbox == []


def test_an_automatic_reply_carrying_a_calendar_reply_is_not_an_answer(deliver, invitation):
    auto = mime("thunderbird_accept.eml").replace(
        b"User-Agent:", b"Auto-Submitted: auto-generated\r\nUser-Agent:"
    )
    row = deliver(auto)
    assert row.kind == InboundMessage.Kind.AUTO_REPLY
    assert not invitation.meeting.attendances.exists()


def test_a_bounce_is_kept_when_the_person_then_saves_their_profile(deliver, gone, client_for):
    person = gone.person
    signed_in = client_for(person)
    profile = signed_in.get("/accounts/profile/").context["form"].initial
    assert deliver("postfix_bounce_5xx.eml").outcome == Outcome.BOUNCED
    signed_in.post("/accounts/profile/", {**profile, "first_name": "Renamed"})
    person.refresh_from_db()
    assert person.first_name == "Renamed"
    assert person.email_bouncing_since is not None
