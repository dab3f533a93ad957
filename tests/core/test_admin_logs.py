"""The delivery log and the emails received are logs: the secretariat reads them and acts
through their actions, but cannot add, edit or delete a row by hand."""

import pytest
from django.urls import reverse

from inbound.models import InboundMessage
from notifications.models import Notification
from tests.factories.meetings import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(member):
    notification = Notification.objects.create(
        meeting=MeetingFactory(), person=member, kind=Notification.Kind.INVITATION
    )
    message = InboundMessage.objects.create(
        via="pipe", raw=b"Subject: x\r\n\r\nx", size=16, digest="d"
    )
    return [notification, message]


def admin_url(row, action: str) -> str:
    meta = row._meta
    name = f"admin:{meta.app_label}_{meta.model_name}_{action}"
    return reverse(name) if action == "add" else reverse(name, args=[row.pk])


@pytest.mark.parametrize("index", [0, 1], ids=["delivery log", "emails received"])
def test_the_secretariat_cannot_add_a_row_to_a_log(rows, index, secretariat, client_for):
    response = client_for(secretariat).get(admin_url(rows[index], "add"))
    assert response.status_code == 403


@pytest.mark.parametrize("index", [0, 1], ids=["delivery log", "emails received"])
def test_the_secretariat_reads_a_log_row_but_cannot_change_it(
    rows, index, secretariat, client_for
):
    row = rows[index]
    client = client_for(secretariat)
    page = client.get(admin_url(row, "change"))
    assert page.status_code == 200
    assert b'type="submit" value="Save"' not in page.content
    assert client.post(admin_url(row, "change"), {}).status_code == 403


@pytest.mark.parametrize("index", [0, 1], ids=["delivery log", "emails received"])
def test_the_secretariat_cannot_delete_a_log_row(rows, index, secretariat, client_for):
    row = rows[index]
    response = client_for(secretariat).post(admin_url(row, "delete"), {"post": "yes"})
    assert response.status_code == 403
    assert type(row).objects.filter(pk=row.pk).exists()
