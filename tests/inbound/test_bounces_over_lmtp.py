"""A delivery report over LMTP (mail_gateway) is trusted by the address the MTA delivered it
to (RCPT TO): the signed bounce address of the email it answers."""

import smtplib

import pytest

from inbound.gateway import Gateway
from inbound.models import InboundMessage
from notifications.models import Notification
from tests.inbound.test_bounces import BOUNCES_7001, assert_nothing_changed, report_to
from tests.smtp_sink import free_port

# The server answers from its own thread, with its own database connection.
pytestmark = pytest.mark.django_db(transaction=True)

Outcome = InboundMessage.Outcome


@pytest.fixture
def lmtp():
    port = free_port()
    server = Gateway(hostname="127.0.0.1", port=port)
    server.start()
    client = smtplib.LMTP("127.0.0.1", port, timeout=30)
    yield client
    client.close()
    server.stop()


@pytest.fixture
def gone(invitation):
    person = invitation.person
    person.email = "gone@example.net"
    person.save()
    return invitation


def test_a_report_over_lmtp_to_the_signed_bounce_address_is_applied(lmtp, gone):
    lmtp.sendmail("", [BOUNCES_7001], report_to("portal@example.org"))
    row = InboundMessage.objects.get()
    assert row.outcome == Outcome.BOUNCED, row.detail
    gone.refresh_from_db()
    assert gone.status == Notification.Status.BOUNCED


def test_a_report_over_lmtp_to_an_unsigned_address_is_not_trusted_whatever_its_to_says(lmtp, gone):
    lmtp.sendmail("", ["bounces@example.org"], report_to(BOUNCES_7001))
    row = InboundMessage.objects.get()
    assert_nothing_changed(row, gone)
    assert "bounces@example.org" in row.detail
