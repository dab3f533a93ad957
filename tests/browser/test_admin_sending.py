"""The secretariat sends in Chromium, on a 1,280 px screen: publishes through the page that
says who gets an invitation, moves the meeting and reads how many get an update, cancels
with a reason that the cancellation email carries. The pages pass axe-core."""

import pytest
from django.core import mail

from meetings.models import Meeting
from notifications.models import Notification
from tests.browser.checkers import axe_violations
from tests.browser.conftest import LAPTOP, page_width
from tests.factories.accounts import UserFactory
from tests.factories.meetings import DraftMeetingFactory, WorkingGroupFactory
from tests.factories.regions import RegionFactory, representative_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def draft():
    wg4 = WorkingGroupFactory(code="WG4")
    wg4.members.add(*(UserFactory(email=f"wg4-{n}@example.org") for n in range(3)))
    stuttgart = RegionFactory(name="Stuttgart", slug="stuttgart")
    representative_of(stuttgart, email="stuttgart@example.org")
    meeting = DraftMeetingFactory(title="WG4 spring meeting", working_group=wg4)
    meeting.invited_regions.add(stuttgart)
    return meeting


def tick_and_run(page, live_server, meeting, action: str) -> None:
    page.goto(f"{live_server.url}/admin/meetings/meeting/")
    page.locator(f"input[name=_selected_action][value='{meeting.pk}']").check()
    page.select_option("select[name=action]", action)
    page.locator("button[name=index]").click()


def test_the_secretariat_publishes_moves_and_cancels_a_meeting(admin_page, live_server, draft):  # noqa: F811
    page = admin_page
    tick_and_run(page, live_server, draft, "publish")
    content = page.locator("#content")
    assert "4 invitations will be sent: WG4 members (3), people of Stuttgart (1)." in " ".join(
        content.inner_text().split()
    )
    assert page.locator("details.audience li").first.is_visible() is False
    page.locator("details.audience summary").click()
    assert page.locator("details.audience li").count() == 4
    assert page_width(page) <= LAPTOP["width"]
    assert axe_violations(page) == []
    page.locator("input[type=submit][value='Publish and send the invitations']").click()
    page.wait_for_url(f"{live_server.url}/admin/meetings/meeting/")
    assert "4 invitations are on their way" in page.locator(".messagelist").inner_text()
    assert Notification.objects.filter(meeting=draft, kind="invitation").count() == 4

    # The message's link leads to the meeting's page and its progress.
    page.locator(".messagelist a").click()
    progress = page.locator(".field-email_counts .email-progress").inner_text()
    assert "Invitations: 4 of 4 sent" in " ".join(progress.split())

    # A new time: the message after saving says who gets an update.
    page.locator("input[name=start_1]").fill("11:00")
    page.locator("input[name=_continue]").click()
    page.wait_for_load_state()
    messages = page.locator(".messagelist").inner_text()
    assert "4 participants will get an update." in messages

    # Cancelled with a reason, which the cancellation email says.
    mail.outbox.clear()
    tick_and_run(page, live_server, draft, "cancel")
    assert "4 participants will be told: WG4 members (3), people of Stuttgart (1)." in " ".join(
        page.locator("#content").inner_text().split()
    )
    assert axe_violations(page) == []
    page.locator("textarea[name=reason]").fill("The venue is closed for works.")
    page.locator("input[type=submit][value='Cancel and tell them']").click()
    page.wait_for_url(f"{live_server.url}/admin/meetings/meeting/")
    assert Meeting.objects.get(pk=draft.pk).status == Meeting.Status.CANCELLED
    assert len(mail.outbox) == 4
    assert "Reason: The venue is closed for works." in mail.outbox[0].body
    assert page.console_errors == []
