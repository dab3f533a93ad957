"""Guests (registered for one public event without an account) are kept out of what is
for members: audiences and invitations, sign-in, password reset, the admin's pickers."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts import permissions
from meetings import invitations
from meetings.services import meeting_audience, meeting_publish
from notifications.models import Notification
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.meetings import DraftMeetingFactory, MeetingFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def guest():
    guest = UserFactory(email="guest@example.com", is_guest=True)
    guest.set_unusable_password()
    guest.save()
    return guest


@pytest.fixture
def guest_with_a_password():
    """As if someone had set a password in the admin: still a guest."""
    return UserFactory(email="guest-pw@example.com", is_guest=True)


def test_a_conference_for_all_members_has_no_guest_in_its_audience(guest, member):
    meeting = DraftMeetingFactory(invite_all_members=True, working_group=None)
    assert list(meeting_audience(meeting=meeting)) == [member]


def test_publishing_a_conference_for_all_members_invites_no_guest(guest, member):
    meeting = DraftMeetingFactory(invite_all_members=True, working_group=None)
    meeting_publish(meeting=meeting)
    invited = Notification.objects.filter(meeting=meeting, kind=Notification.Kind.INVITATION)
    assert [row.person for row in invited] == [member]


def test_the_publish_pages_figures_name_no_guest(guest, member):
    meeting = DraftMeetingFactory(invite_all_members=True, working_group=None)
    (source,) = invitations.audience_breakdown(meeting=meeting)
    assert source.people == [member]


def test_a_guest_added_to_a_working_group_gets_no_invitation(guest, member):
    group = WorkingGroupFactory()
    meeting = MeetingFactory(working_group=group)
    group.members.add(guest, member)
    invited = Notification.objects.filter(meeting=meeting, kind=Notification.Kind.INVITATION)
    assert [row.person for row in invited] == [member]


def test_a_guest_named_as_an_invitee_gets_no_invitation(guest, member):
    meeting = MeetingFactory()
    meeting.invitees.add(guest, member)
    invited = Notification.objects.filter(meeting=meeting, kind=Notification.Kind.INVITATION)
    assert [row.person for row in invited] == [member]


def test_a_guest_with_a_password_still_cannot_sign_in(client, guest_with_a_password):
    response = client.post(
        "/accounts/login/", {"username": "guest-pw@example.com", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_guest_signed_in_anyhow_is_no_member(client, guest_with_a_password):
    client.force_login(guest_with_a_password)
    assert client.get("/accounts/profile/").status_code == 302


def test_a_guest_is_no_member_for_the_permissions(guest, member):
    assert not permissions.is_member(guest)
    assert permissions.is_member(member)
    assert not permissions.is_member(AnonymousUser())


def test_a_guest_gets_no_password_reset_email_and_the_same_page(
    client, guest_with_a_password, member
):
    guest_page = client.post("/accounts/password_reset/", {"email": "guest-pw@example.com"})
    nobody_page = client.post("/accounts/password_reset/", {"email": "nobody@example.com"})
    assert (guest_page.status_code, guest_page["Location"]) == (
        nobody_page.status_code,
        nobody_page["Location"],
    )
    assert not Notification.objects.filter(kind=Notification.Kind.PASSWORD_RESET).exists()
    client.post("/accounts/password_reset/", {"email": "member@example.org"})
    assert Notification.objects.filter(kind=Notification.Kind.PASSWORD_RESET).count() == 1


def test_the_admins_people_pickers_offer_no_guest(verified_client_for, secretariat, guest):
    member = UserFactory(email="guess-who@example.org")
    client = verified_client_for(secretariat)
    response = client.get(
        "/admin/autocomplete/",
        {
            "term": "gue",
            "app_label": "meetings",
            "model_name": "workinggroup",
            "field_name": "members",
        },
    )
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [str(member.pk)]


def test_the_admins_list_of_people_still_shows_guests(verified_client_for, secretariat, guest):
    response = verified_client_for(secretariat).get("/admin/accounts/user/", {"q": "guest"})
    assert "guest@example.com" in response.content.decode()
