"""Cancelling a meeting in the admin: a page says first who will be told and takes an
optional reason, which the cancellation email and the meeting's page then show."""

import datetime as dt
import email
import email.policy

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from meetings import services
from meetings.models import Attendance, Meeting
from notifications.models import Notification
from tests.adminpages import changelist_action, form_with
from tests.factories.accounts import UserFactory
from tests.factories.meetings import AttendanceFactory, DraftMeetingFactory, WorkingGroupFactory
from tests.factories.regions import RegionFactory, representative_of

pytestmark = pytest.mark.django_db(transaction=True)

LIST = "/admin/meetings/meeting/"


@pytest.fixture
def published():
    """A WG4 meeting whose invitations went to Anna, Bert and Carla; Carla declined."""
    group = WorkingGroupFactory(code="WG4")
    people = [
        UserFactory(email=f"{name.lower()}@example.org", first_name=name)
        for name in ("Anna", "Bert", "Carla")
    ]
    group.members.add(*people)
    meeting = DraftMeetingFactory(title="WG4 spring meeting", working_group=group)
    services.meeting_publish(meeting=meeting)
    AttendanceFactory(meeting=meeting, user=people[2], answer=Attendance.Answer.DECLINED)
    mail.outbox.clear()
    return meeting


@pytest.fixture
def other(published):
    """Another published meeting with an invitation still waiting in the queue."""
    group = WorkingGroupFactory(code="WG1")
    group.members.add(UserFactory(email="dora@example.org"))
    meeting = DraftMeetingFactory(title="WG1 meeting", working_group=group)
    services.meeting_publish(meeting=meeting)
    Notification.objects.filter(meeting=meeting).update(status="queued", sent_at=None)
    mail.outbox.clear()
    return meeting


def test_the_cancel_action_asks_first_and_changes_nothing(django_app, secretariat, published):
    page = changelist_action(django_app, LIST, "cancel", [published], secretariat)
    assert page.status_code == 200
    assert "2 cancellations will be sent" in page.text
    assert "2 participants will be told: WG4 members (2)." in " ".join(page.text.split())
    who = page.html.find("details").get_text(" ", strip=True)
    assert "anna@example.org" in who and "bert@example.org" in who
    assert "carla@example.org" not in who  # she declined
    assert Meeting.objects.get(pk=published.pk).status == Meeting.Status.PUBLISHED
    assert not Notification.objects.filter(kind="cancellation").exists()
    assert mail.outbox == []


def test_the_cancel_page_says_who_is_told_by_source(django_app, secretariat, published):
    kosice = RegionFactory(name="Košice", slug="kosice")
    representative_of(kosice, email="karol@example.org")
    published.invited_regions.add(kosice)  # Karol is invited as Košice is added
    bert = published.working_group.members.get(email="bert@example.org")
    published.working_group.members.remove(bert)  # invited before, no longer in WG4
    page = changelist_action(django_app, LIST, "cancel", [published], secretariat)
    text = " ".join(page.html.select_one("#content").get_text().split())
    assert (
        "3 participants will be told: WG4 members (1), people of Košice (1), "
        "invited earlier, no longer among those invited (1)."
    ) in text
    labels = [p.get_text() for p in page.html.select("details .audience-source")]
    assert labels == [
        "WG4 members (1)",
        "People of Košice (1)",
        "Invited earlier, no longer among those invited (1)",
    ]


def test_an_invitation_still_waiting_is_not_counted_as_told(django_app, secretariat, other):
    page = changelist_action(django_app, LIST, "cancel", [other], secretariat)
    assert "nobody has heard of it yet: no cancellation is sent." in page.text


def test_confirming_cancels_with_the_reason_in_the_email_and_on_the_page(
    django_app, secretariat, published, client
):
    asked = changelist_action(django_app, LIST, "cancel", [published], secretariat)
    form = form_with(asked, "reason")
    form["reason"] = "The venue is closed <for works>."
    done = form.submit().follow()
    assert "1 meeting cancelled." in done.text
    published.refresh_from_db()
    assert (published.status, published.cancellation_reason) == (
        "cancelled",
        "The venue is closed <for works>.",
    )
    assert sorted(message.to[0] for message in mail.outbox) == [
        "anna@example.org",
        "bert@example.org",
    ]
    message = email.message_from_bytes(
        mail.outbox[0].message().as_bytes(), policy=email.policy.default
    )
    assert "Reason: The venue is closed <for works>." in message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "The venue is closed &lt;for works&gt;." in html
    page = client.get(published.get_absolute_url())
    assert "The venue is closed &lt;for works&gt;." in page.content.decode()


def test_without_a_reason_the_email_has_no_reason_line(django_app, secretariat, published):
    asked = changelist_action(django_app, LIST, "cancel", [published], secretariat)
    form_with(asked, "reason").submit().follow()
    assert len(mail.outbox) == 2
    assert "Reason:" not in mail.outbox[0].body


def test_a_reason_too_long_is_refused_with_the_text_kept_and_nothing_cancelled(
    django_app, secretariat, published
):
    asked = changelist_action(django_app, LIST, "cancel", [published], secretariat)
    form = form_with(asked, "reason")
    form["reason"] = "x" * 1001
    again = form.submit()
    assert again.status_code == 200
    assert "at most 1000 characters" in again.text
    assert form_with(again, "reason")["reason"].value == "x" * 1001
    assert Meeting.objects.get(pk=published.pk).status == Meeting.Status.PUBLISHED


def test_a_meeting_cancelled_before_keeps_its_reason(django_app, secretariat, published, other):
    services.meeting_cancel(meeting=published, reason="First reason")
    mail.outbox.clear()
    asked = changelist_action(django_app, LIST, "cancel", [published, other], secretariat)
    assert "already cancelled; nothing changes." in asked.text
    form = form_with(asked, "reason")
    form["reason"] = "Second reason"
    form.submit().follow()
    published.refresh_from_db()
    other.refresh_from_db()
    assert published.cancellation_reason == "First reason"
    assert (other.status, other.cancellation_reason) == ("cancelled", "Second reason")


def test_the_database_refuses_a_reason_on_a_meeting_not_cancelled(published):
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=published.pk).update(cancellation_reason="Not cancelled")


def test_a_clone_of_a_cancelled_meeting_has_no_reason(published):
    services.meeting_cancel(meeting=published, reason="Venue closed")
    clone = services.meeting_clone(meeting=published, new_start=published.start + dt.timedelta(7))
    assert (clone.status, clone.cancellation_reason) == ("draft", "")


def test_the_cancel_page_reads_the_same_number_of_queries_for_many_people(client_for, secretariat):
    secretariat_client = client_for(secretariat)

    def queries_for(members: int) -> int:
        group = WorkingGroupFactory(members=UserFactory.create_batch(members))
        meeting = DraftMeetingFactory(working_group=group)
        services.meeting_publish(meeting=meeting)
        # Half were told, though no longer in the group.
        group.members.remove(*group.members.all()[: members // 2])
        with CaptureQueriesContext(connection) as queries:
            page = secretariat_client.post(
                LIST, {"action": "cancel", "_selected_action": [meeting.pk]}
            )
        assert f"{members} participants will be told" in page.content.decode()
        return len(queries)

    assert queries_for(3) == queries_for(40)
