"""A meeting of ours, its invitation sent to the member, and a way to hand a MIME file to
receive_mail as an MTA's pipe does.

The fixtures in mail/ are real messages in the forms each client and server sends (see
mail/README.md); they name meeting 4242 and invitation 7001 of https://portal.example.org,
which these fixtures create. Its signed Message-ID and bounce address, written out in the
fixtures, follow from the SECRET_KEY set here.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from inbound.models import InboundMessage
from notifications.models import Notification
from tests.factories.meetings import MeetingFactory, WorkingGroupFactory

MAIL = Path(__file__).parent / "mail"
# Signs the Message-IDs and bounce addresses in mail/ (invitation 7001's:
# <notification-7001.b3c385ef08d54c2fca46@portal.example.org>,
# bounces+7001-a87ee4d0417b681be5a8@example.org).
SECRET_KEY = "inbound-tests-secret-key-not-for-production-0123456789"


def mime(name: str) -> bytes:
    return (MAIL / name).read_bytes()


@pytest.fixture(autouse=True)
def _our_site(settings):
    settings.SECRET_KEY = SECRET_KEY
    settings.DEFAULT_FROM_EMAIL = "ASA Portal <portal@example.org>"
    settings.BOUNCE_ADDRESS = ""
    settings.SITE_URL = "https://portal.example.org"
    settings.SECRETARIAT_EMAIL = "secretariat@asa.example.org"
    settings.INBOUND_FORWARD_TO = "office@asa.example.org"


@pytest.fixture
def meeting(member):
    group = WorkingGroupFactory(code="WG4", name="Regional Implementation")
    group.members.add(member)
    return MeetingFactory(pk=4242, title="WG4 meeting", slug="wg4-next", working_group=group)


@pytest.fixture
def invitation(meeting, member):
    return Notification.objects.create(
        pk=7001,
        meeting=meeting,
        person=member,
        kind=Notification.Kind.INVITATION,
        status=Notification.Status.SENT,
        sent_at=timezone.now(),
        attempts=1,
    )


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """Pipes a message (a fixture's name or bytes) into receive_mail; returns its row.
    What it queues after the commit (emails) runs, as it would in production."""

    def run(message: str | bytes, *, sender: str = "", recipient: str = "") -> InboundMessage:
        raw = mime(message) if isinstance(message, str) else message
        before = InboundMessage.objects.order_by("-pk").values_list("pk", flat=True).first()
        options = {"stdin": io.BytesIO(raw), "stdout": io.StringIO()}
        if sender:
            options["sender"] = sender
        if recipient:
            options["recipient"] = [recipient]
        with django_capture_on_commit_callbacks(execute=True):
            call_command("receive_mail", **options)
        return InboundMessage.objects.filter(pk__gt=before or 0).get()

    return run
