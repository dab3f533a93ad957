"""Delivery reports (RFC 3464) as Postfix and Exchange send them mark our email bounced;
a permanent failure holds later emails to the address until the secretariat fixes it.
A report is trusted only when it came to the signed bounce address (VERP) of the email it
answers: forged ones are kept as not trusted and change nothing."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.services import address_works_again
from inbound.models import InboundMessage
from meetings import invitations
from notifications import services as outbox
from notifications.models import Notification
from tests.factories.accounts import UserFactory
from tests.inbound.conftest import mime

pytestmark = pytest.mark.django_db

Outcome = InboundMessage.Outcome

# Invitation 7001's signed bounce address and Message-ID (with conftest's SECRET_KEY), as
# the fixtures in mail/ carry them; 7002's bounce address.
BOUNCES_7001 = "bounces+7001-a87ee4d0417b681be5a8@example.org"
MESSAGE_ID_7001 = "<notification-7001.b3c385ef08d54c2fca46@portal.example.org>"
BOUNCES_7002 = "bounces+7002-ed8c229bd8753a14cdf1@example.org"


def report_to(address: str, *, message_id: str | None = MESSAGE_ID_7001) -> bytes:
    """Postfix's 5.1.1 report about gone@example.net, addressed to `address`, naming
    `message_id` as the failed message's (none: without one)."""
    raw = mime("postfix_bounce_5xx.eml").replace(
        f"To: {BOUNCES_7001}".encode(), f"To: {address}".encode()
    )
    replacement = f"Message-ID: {message_id}" if message_id else "X-Nothing: here"
    return raw.replace(f"Message-ID: {MESSAGE_ID_7001}".encode(), replacement.encode())


def assert_nothing_changed(row: InboundMessage, *invitations: Notification) -> None:
    assert row.outcome == Outcome.UNTRUSTED, row.detail
    for invitation in invitations:
        invitation.refresh_from_db()
        invitation.person.refresh_from_db()
        assert invitation.status == Notification.Status.SENT
        assert invitation.person.email_bouncing_since is None


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
    row = deliver(fixture, sender="", recipient=BOUNCES_7001)
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


def test_a_report_to_the_signed_bounce_address_without_the_message_id_is_applied(deliver, gone):
    row = deliver(report_to(BOUNCES_7001, message_id=None))
    assert row.outcome == Outcome.BOUNCED
    assert row.notification == gone


def test_the_envelope_recipient_given_by_the_mta_names_the_email(deliver, gone):
    row = deliver(report_to("portal@example.org"), recipient=BOUNCES_7001)
    assert row.outcome == Outcome.BOUNCED, row.detail
    assert row.notification == gone


def test_a_report_by_a_guessable_message_id_of_old_is_not_trusted(deliver, gone):
    row = deliver(
        report_to("portal@example.org", message_id="<notification-7001@portal.example.org>")
    )
    assert_nothing_changed(row, gone)
    assert row.detail == (
        "A delivery report to portal@example.org, not to a signed bounce address of one of "
        "our emails: not trusted, nothing changed."
    )


def test_a_report_by_our_real_message_id_alone_is_not_trusted(deliver, gone):
    row = deliver(report_to("portal@example.org"))
    assert_nothing_changed(row, gone)


def test_a_report_by_its_recipient_alone_is_not_trusted(deliver, gone):
    row = deliver(report_to("portal@example.org", message_id=None))
    assert_nothing_changed(row, gone)
    assert row.notification is None


def test_a_report_naming_a_message_id_that_does_not_exist_is_not_trusted(deliver, gone):
    row = deliver(
        report_to("portal@example.org", message_id="<notification-999999@portal.example.org>")
    )
    assert_nothing_changed(row, gone)


def test_a_report_to_a_bounce_address_with_a_wrong_signature_is_not_trusted(deliver, gone):
    forged = "bounces+7001-0123456789abcdef0123@example.org"
    row = deliver(report_to(forged), recipient=forged)
    assert_nothing_changed(row, gone)
    assert row.notification is None


def test_a_report_to_another_emails_bounce_address_naming_this_recipient_is_not_trusted(
    deliver, gone, meeting
):
    """7002's bounce address is genuine (its recipient could read it), but the report
    names gone@example.net, to whom 7002 was not sent."""
    other = Notification.objects.create(
        pk=7002,
        meeting=meeting,
        person=UserFactory(email="other@example.org"),
        kind=Notification.Kind.INVITATION,
        status=Notification.Status.SENT,
        sent_at=timezone.now(),
    )
    row = deliver(report_to(BOUNCES_7002), recipient=BOUNCES_7002)
    assert_nothing_changed(row, gone, other)
    assert "not other@example.org" in row.detail


def test_a_report_naming_another_address_than_our_recipient_changes_nothing(deliver, invitation):
    row = deliver("postfix_bounce_5xx.eml")  # names gone@example.net, sent to member@
    assert row.outcome == Outcome.UNTRUSTED
    invitation.refresh_from_db()
    invitation.person.refresh_from_db()
    assert invitation.status == Notification.Status.SENT
    assert invitation.person.email_bouncing_since is None


def test_a_report_about_an_email_that_does_not_exist_is_kept_not_trusted_and_not_passed_on(
    deliver,
):
    row = deliver("postfix_bounce_5xx.eml")  # to 7001's bounce address; no 7001 here
    assert row.outcome == Outcome.UNTRUSTED
    assert "for an email that does not exist" in row.detail
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


def test_a_forged_report_shows_in_the_admin_as_not_trusted_with_the_reason(
    deliver, gone, django_app, secretariat
):
    row = deliver(report_to("portal@example.org"))
    page = django_app.get(
        reverse("admin:inbound_inboundmessage_change", args=[row.pk]), user=secretariat
    )
    assert "Not trusted, not applied" in page.text
    assert "not to a signed bounce address of one of our emails" in page.text


def test_a_bounce_of_the_secretariats_mailbox_marks_its_email_and_holds_nobody(
    deliver, region, member
):
    from tests.factories.practices import PracticeFactory

    row = Notification.objects.create(
        pk=7001,
        practice=PracticeFactory(region=region),
        address="gone@example.net",
        kind=Notification.Kind.PRACTICE_REVIEW,
        details={"decision": "submitted"},
        status=Notification.Status.SENT,
        sent_at=timezone.now(),
        attempts=1,
    )
    report = deliver("postfix_bounce_5xx.eml", recipient=BOUNCES_7001)
    assert report.outcome == Outcome.BOUNCED, report.detail
    assert report.person is None
    assert "gone@example.net comes from the settings" in report.detail
    row.refresh_from_db()
    assert (row.status, row.bounce_status) == ("bounced", "5.1.1")
    member.refresh_from_db()
    assert member.email_bouncing_since is None
