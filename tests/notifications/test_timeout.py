"""A hung SMTP server (it accepts the connection and never says a word) holds a worker for
EMAIL_TIMEOUT once per batch, not forever and not once per message."""

import socket
import time

import pytest

from notifications import services
from notifications.models import Notification
from tests.core.test_settings import print_setting
from tests.factories.accounts import UserFactory
from tests.factories.meetings import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hung_server(settings):
    """Listens, so the connection is made, but never answers the greeting."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(200)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = listener.getsockname()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 1
    yield listener
    listener.close()


def test_email_timeout_is_30_seconds_unless_the_environment_says_otherwise():
    assert print_setting("s.EMAIL_TIMEOUT", EMAIL_URL="smtp://mail.example.org:25") == "30"
    assert print_setting("s.EMAIL_TIMEOUT", EMAIL_TIMEOUT="5") == "5"


def test_a_hung_server_fails_a_batch_after_one_timeout_and_puts_every_row_back(hung_server):
    meeting = MeetingFactory()
    rows = [
        Notification.objects.create(meeting=meeting, person=person, kind="invitation")
        for person in UserFactory.create_batch(5)
    ]
    started = time.monotonic()
    counts = services.notifications_deliver(ids=[row.pk for row in rows])
    assert time.monotonic() - started < 4
    assert counts == {"sent": 0, "retry": 1, "failed": 0, "skipped": 0}
    first, *rest = Notification.objects.filter(pk__in=[r.pk for r in rows]).order_by("pk")
    assert (first.attempts, first.status) == (1, "queued")
    assert "timed out" in first.last_error
    # The others were not tried: no attempt counted, no claim kept, due with the first.
    assert {(r.status, r.attempts, r.claimed_until, r.due_at) for r in rest} == {
        ("queued", 0, None, first.due_at)
    }
