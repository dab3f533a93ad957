"""Headers as mail programs expect them."""

import datetime as dt
from email.utils import parsedate_to_datetime

import pytest

from notifications.services import notifications_deliver
from tests.factories.meetings import MeetingFactory
from tests.notifications.test_outbox import invitation

pytestmark = pytest.mark.django_db


def test_the_date_header_gives_the_portals_own_offset_from_utc(smtp, member, settings):
    settings.TIME_ZONE = "Europe/Brussels"
    row = invitation(MeetingFactory(), member)
    notifications_deliver(ids=[row.pk])
    (received,) = smtp.received
    date = received.message["Date"]
    assert not str(date).endswith("-0000")
    assert parsedate_to_datetime(str(date)).utcoffset() in {
        dt.timedelta(hours=1),
        dt.timedelta(hours=2),
    }
