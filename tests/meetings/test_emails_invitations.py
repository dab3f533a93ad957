"""Publishing a meeting invites its audience by email, once per person, through a real
SMTP server; the answer links work without signing in."""

import re

import pytest
from django.core.files.base import ContentFile

from meetings import services
from meetings.models import Attendance
from notifications.models import Notification
from notifications.services import notifications_deliver
from tests.core.test_settings import manage
from tests.factories.accounts import UserFactory
from tests.factories.meetings import (
    AgendaItemFactory,
    DraftMeetingFactory,
    MeetingFactory,
    WorkingGroupFactory,
)
from tests.factories.regions import RegionFactory, representative_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(member):
    group = WorkingGroupFactory(code="WG4", name="Regional Implementation")
    group.members.add(member, UserFactory(email="second@example.org"))
    return group


@pytest.fixture
def draft(group):
    meeting = DraftMeetingFactory(
        title="WG4 meeting", slug="wg4-next", working_group=group, capacity=30
    )
    AgendaItemFactory(meeting=meeting, title="Welcome", position=1)
    AgendaItemFactory(
        meeting=meeting,
        title="Best practice from Stuttgart",
        position=2,
        document=ContentFile(b"%PDF-1.4 slides", name="slides.pdf"),
    )
    return meeting


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    def run(meeting):
        with django_capture_on_commit_callbacks(execute=True):
            services.meeting_publish(meeting=meeting)

    return run


def answer_links(text: str) -> dict[str, str]:
    links = re.findall(r"- (I [^:]+): https://portal\.example\.org(/rsvp/\S+/)", text)
    return dict(links)


def test_publishing_invites_each_member_of_the_group_once(smtp, draft, publish):
    publish(draft)
    publish(draft)  # publishing again changes nothing
    assert sorted(addr for item in smtp.received for addr in item.envelope_to) == [
        "member@example.org",
        "second@example.org",
    ]
    start = draft.local_start
    assert smtp.received[0].subject == f"Invitation: WG4 meeting, {start.day} {start:%B %Y}"
    rows = Notification.objects.filter(meeting=draft, kind="invitation")
    assert {row.status for row in rows} == {"sent"}
    assert all(row.sent_at and row.attempts == 1 for row in rows)


def test_the_invitation_has_both_parts_with_the_agenda_documents_and_place(
    smtp, draft, publish, member
):
    publish(draft)
    (received,) = smtp.to("member@example.org")
    for part in (received.text, received.html):
        assert "Best practice from Stuttgart" in part
        assert "https://portal.example.org/meetings/wg4-next/documents/" in part
        assert "Maison des Régions" in part
        assert "openstreetmap.org" in part
        assert "https://meet.example.org/asa-wg" in part
        assert "/rsvp/" in part
    # Styles are inlined for Outlook and Gmail; no remote images.
    assert "<style" not in received.html
    assert 'style="' in received.html
    assert "<img" not in received.html


# Signatures with this key, written out: row 7001's Message-ID and bounce address.
SECRET_KEY = "inbound-tests-secret-key-not-for-production-0123456789"


@pytest.fixture
def invitation_7001(settings, smtp, member):
    settings.SECRET_KEY = SECRET_KEY
    settings.DEFAULT_FROM_EMAIL = "ASA Portal <portal@example.org>"
    settings.BOUNCE_ADDRESS = ""
    return Notification.objects.create(
        pk=7001, meeting=MeetingFactory(), person=member, kind="invitation"
    )


def test_the_message_id_names_the_row_with_a_signature(smtp, invitation_7001):
    notifications_deliver(ids=[7001])
    (received,) = smtp.received
    assert received.message["Message-ID"] == (
        "<notification-7001.b3c385ef08d54c2fca46@portal.example.org>"
    )


def test_the_envelope_sender_names_the_row_signed_and_from_is_the_portals(smtp, invitation_7001):
    notifications_deliver(ids=[7001])
    (received,) = smtp.received
    assert received.envelope_from == "bounces+7001-a87ee4d0417b681be5a8@example.org"
    assert received.message["From"] == "ASA Portal <portal@example.org>"
    assert received.envelope_to == ["member@example.org"]


def test_the_bounce_address_setting_gives_the_envelope_senders_local_part_and_domain(
    smtp, invitation_7001, settings
):
    settings.BOUNCE_ADDRESS = "returns@mail.example.org"
    notifications_deliver(ids=[7001])
    (received,) = smtp.received
    assert received.envelope_from == "returns+7001-a87ee4d0417b681be5a8@mail.example.org"


@pytest.mark.parametrize("value", ["bounces", "bounces+x@example.org", "a@b@example.org"])
def test_a_bounce_address_that_is_not_a_plain_address_stops_start_up(value):
    result = manage("check", BOUNCE_ADDRESS=value)
    assert result.returncode != 0
    assert "BOUNCE_ADDRESS must be a plain address" in result.stderr


def test_the_bounce_address_is_bounces_at_the_senders_domain_unless_set():
    code = (
        "from notifications.tokens import bounce_address as b;"
        " a = b(1); print(a[:9], a.rpartition('@')[2])"
    )
    environment = {"DEFAULT_FROM_EMAIL": "Portal <portal@asa.example.eu>"}
    assert manage("shell", "--no-imports", "-c", code, **environment).stdout == (
        "bounces+1 asa.example.eu\n"
    )


def test_two_rows_have_different_signatures(smtp, invitation_7001, member):
    Notification.objects.create(
        pk=7002, meeting=invitation_7001.meeting, person=UserFactory(), kind="invitation"
    )
    notifications_deliver(ids=[7001, 7002])
    assert sorted(item.envelope_from for item in smtp.received) == [
        "bounces+7001-a87ee4d0417b681be5a8@example.org",
        "bounces+7002-ed8c229bd8753a14cdf1@example.org",
    ]


def test_the_calendar_file_is_a_meeting_request_for_the_recipient(smtp, draft, publish):
    publish(draft)
    (received,) = smtp.to("member@example.org")
    calendar = received.calendar
    assert calendar["METHOD"] == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"meeting-{draft.pk}@portal.example.org"
    assert event["SEQUENCE"] == 0
    assert str(event["ORGANIZER"]) == "mailto:secretariat@asa.example.org"
    assert str(event["ATTENDEE"]) == "mailto:member@example.org"
    assert event["ATTENDEE"].params["RSVP"] == "TRUE"
    assert event["ATTENDEE"].params["PARTSTAT"] == "NEEDS-ACTION"
    assert event.decoded("DTSTART") == draft.local_start
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Brussels"


def test_the_calendar_file_is_named_invitation_ics(smtp, draft, publish):
    publish(draft)
    (received,) = smtp.to("member@example.org")
    assert received.calendar_filename == "invitation.ics"


def test_the_invitation_of_someone_who_declined_already_keeps_their_answer(
    smtp, draft, publish, member
):
    """Who joins the group after declining on the site is invited then: their calendar
    shows the meeting declined, not waiting for an answer."""
    publish(draft)
    smtp.received.clear()
    newcomer = UserFactory(email="newcomer@example.org")
    services.attendance_answer(meeting=draft, user=newcomer, answer="declined")
    row = Notification.objects.create(meeting=draft, person=newcomer, kind="invitation")
    notifications_deliver(ids=[row.pk])
    (received,) = smtp.to("newcomer@example.org")
    (event,) = received.calendar.walk("VEVENT")
    assert event["ATTENDEE"].params["PARTSTAT"] == "DECLINED"


def test_the_organizer_defaults_to_the_sender_address(smtp, draft, publish, settings):
    settings.SECRETARIAT_EMAIL = ""
    settings.DEFAULT_FROM_EMAIL = "ASA Portal <portal@asa.example.org>"
    publish(draft)
    (event,) = smtp.received[0].calendar.walk("VEVENT")
    assert str(event["ORGANIZER"]) == "mailto:portal@asa.example.org"


def test_a_recipient_in_another_zone_sees_their_own_time_too(smtp, draft, publish, member):
    member.time_zone = "America/New_York"
    member.save()
    publish(draft)
    (received,) = smtp.to("member@example.org")
    assert "New York time" in received.text
    (other,) = smtp.to("second@example.org")
    assert "New York time" not in other.text


def test_all_invitations_of_a_batch_share_one_connection(smtp, group, draft, publish):
    group.members.add(*UserFactory.create_batch(8))
    publish(draft)
    assert len(smtp.received) == 10
    assert len(smtp.peers) == 1


def test_extra_invitees_regions_and_groups_are_invited(smtp, draft, publish):
    guest = UserFactory(email="guest@example.org")
    region = RegionFactory(name="Göteborg", slug="goteborg", country="SE")
    representative_of(region, email="goteborg@example.org")
    other_group = WorkingGroupFactory(code="WG1")
    other_group.members.add(UserFactory(email="wg1@example.org"))
    draft.invitees.add(guest)
    draft.invited_regions.add(region)
    draft.invited_groups.add(other_group)
    UserFactory(email="outsider@example.org")
    publish(draft)
    assert sorted(a for item in smtp.received for a in item.envelope_to) == [
        "goteborg@example.org",
        "guest@example.org",
        "member@example.org",
        "second@example.org",
        "wg1@example.org",
    ]


def test_a_conference_for_all_members_invites_everyone(smtp, draft, publish, secretariat):
    draft.invite_all_members = True
    draft.save()
    publish(draft)
    assert len(smtp.received) == 3


def test_people_added_after_publishing_are_invited_when_added_and_nobody_twice(
    smtp, group, draft, publish, django_capture_on_commit_callbacks
):
    publish(draft)
    late = UserFactory(email="late@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        group.members.add(late)
    with django_capture_on_commit_callbacks(execute=True):
        draft.invitees.add(late)  # already invited as a member
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(meeting=draft, data={"description": "More detail."})
    assert len(smtp.to("late@example.org")) == 1
    assert len(smtp.received) == 3


def test_an_answer_link_shows_the_answer_on_get_and_records_it_on_post(
    smtp, draft, publish, member, client
):
    publish(draft)
    links = answer_links(smtp.to("member@example.org")[0].text)
    assert set(links) == {"I will attend in person", "I will attend online", "I cannot attend"}
    url = links["I will attend online"]
    page = client.get(url)
    assert page.status_code == 200
    assert b"Confirm: I will attend online" in page.content
    assert not Attendance.objects.exists()  # a mail scanner following links changes nothing
    page = client.post(url)
    assert page.status_code == 200
    assert Attendance.objects.get(meeting=draft, user=member).answer == "online"
    # The person can change their answer from the same page.
    page = client.post(links["I cannot attend"])
    assert Attendance.objects.get(meeting=draft, user=member).answer == "declined"


def test_a_forged_answer_link_gets_a_clear_page(smtp, draft, publish, client):
    publish(draft)
    url = answer_links(smtp.received[0].text)["I will attend online"]
    page = client.post(url.replace("/rsvp/", "/rsvp/x"))
    assert page.status_code == 404
    assert b"This answer link is not valid" in page.content
    assert not Attendance.objects.exists()


def test_an_answer_link_of_a_cancelled_meeting_gets_a_clear_page(smtp, draft, publish, client):
    publish(draft)
    url = answer_links(smtp.received[0].text)["I will attend online"]
    services.meeting_cancel(meeting=draft)
    page = client.post(url)
    assert page.status_code == 410
    assert b"has been cancelled" in page.content
    assert not Attendance.objects.exists()


def test_an_answer_link_expires_at_the_start(smtp, draft, publish, client, time_machine):
    publish(draft)
    url = answer_links(smtp.received[0].text)["I will attend online"]
    time_machine.move_to(draft.start, tick=False)
    time_machine.shift(60)
    page = client.post(url)
    assert page.status_code == 410
    assert b"Answers are closed" in page.content
    assert not Attendance.objects.exists()


def test_the_secretariat_previews_the_invitation_of_a_draft_as_one_recipient(
    draft, secretariat, client_for, member
):
    page = client_for(secretariat).get(
        f"/admin/meetings/meeting/{draft.pk}/preview/?person={member.pk}"
    )
    assert page.status_code == 200
    content = page.content.decode()
    assert "Invitation: WG4 meeting" in content
    assert "METHOD:REQUEST" in content
    assert "mailto:member@example.org" in content
    assert "Best practice from Stuttgart" in content
    assert not Notification.objects.exists()  # a preview sends nothing


def test_only_the_secretariat_may_preview(draft, member, client_for):
    page = client_for(member).get(f"/admin/meetings/meeting/{draft.pk}/preview/")
    assert page.status_code == 302
