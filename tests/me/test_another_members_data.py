"""/me/ shows the signed-in member's own invitations and answers only, while another
member's invitations and answers exist, also for the same meetings."""

import pytest

from meetings.models import Attendance
from notifications.models import Notification
from tests.factories.accounts import UserFactory
from tests.factories.meetings import AttendanceFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def invite(meeting, person) -> Notification:
    return Notification.objects.create(
        meeting=meeting, person=person, kind=Notification.Kind.INVITATION
    )


def sections(client) -> tuple[str, str]:
    """The page's "Invitations to answer" and "My next meetings" sections."""
    response = client.get("/me/")
    assert response.status_code == 200
    page = response.content.decode()
    invitations, rest = page.split("Invitations to answer")[1].split("My next meetings")
    return invitations, rest.split("</section>")[0]


@pytest.fixture
def other(db):
    return UserFactory(email="other@example.org")


def test_another_members_invitation_is_not_mine_to_answer(client_for, member, other):
    invite(MeetingFactory(title="Only for the other"), other)
    invite(MeetingFactory(title="Mine to answer"), member)
    invitations, answered = sections(client_for(member))
    assert "Mine to answer" in invitations
    assert "Only for the other" not in invitations + answered


def test_another_members_answer_is_not_shown_as_mine(client_for, member, other):
    AttendanceFactory(
        meeting=MeetingFactory(title="The other answered"),
        user=other,
        answer=Attendance.Answer.IN_PERSON,
    )
    invitations, answered = sections(client_for(member))
    assert "The other answered" not in invitations + answered
    assert "No invitation waits for your answer." in invitations


def test_a_meeting_we_are_both_invited_to_waits_for_my_answer_though_the_other_answered(
    client_for, member, other
):
    shared = MeetingFactory(title="Both invited")
    invite(shared, member)
    invite(shared, other)
    AttendanceFactory(meeting=shared, user=other, answer=Attendance.Answer.IN_PERSON)
    invitations, answered = sections(client_for(member))
    assert "Both invited" in invitations
    assert "Both invited" not in answered


def test_on_a_meeting_we_both_answered_i_see_my_answer_not_the_others(client_for, member, other):
    shared = MeetingFactory(title="Both answered")
    invite(shared, member)
    invite(shared, other)
    AttendanceFactory(meeting=shared, user=other, answer=Attendance.Answer.IN_PERSON)
    AttendanceFactory(meeting=shared, user=member, answer=Attendance.Answer.ONLINE)
    invitations, answered = sections(client_for(member))
    assert "Both answered" not in invitations
    assert "Both answered" in answered
    assert "Your answer: <strong>Online</strong>" in answered
    assert "In person</strong>" not in answered
    other_invitations, other_answered = sections(client_for(other))
    assert "Your answer: <strong>In person</strong>" in other_answered
