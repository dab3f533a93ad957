"""/me/: what a signed-in person has to do, first page after signing in."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetings.models import Attendance, Meeting
from meetings.services import meeting_publish
from notifications.models import Notification
from practices.models import Practice
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.meetings import (
    AttendanceFactory,
    DraftMeetingFactory,
    MeetingFactory,
    WorkingGroupFactory,
    in_days,
)
from tests.factories.practices import PracticeFactory

pytestmark = pytest.mark.django_db

MANY = 200


def page_of(client) -> str:
    response = client.get("/me/")
    assert response.status_code == 200
    return response.content.decode()


def invite(meeting, person) -> Notification:
    return Notification.objects.create(
        meeting=meeting, person=person, kind=Notification.Kind.INVITATION
    )


@pytest.fixture
def group(member):
    return WorkingGroupFactory(code="WG4", name="Regional Implementation", members=[member])


# -- signing in ------------------------------------------------------------------------


def test_signing_in_leads_to_my_page(client, member):
    response = client.post("/accounts/login/", {"username": member.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/me/"


def test_signing_in_from_a_page_goes_back_to_that_page(client, member):
    response = client.post(
        "/accounts/login/?next=/meetings/past/",
        {"username": member.email, "password": PASSWORD, "next": "/meetings/past/"},
    )
    assert response["Location"] == "/meetings/past/"


# -- a member -----------------------------------------------------------------------------


def test_a_member_sees_an_invitation_not_answered_with_its_deadline(client_for, member, group):
    meeting = DraftMeetingFactory(
        title="WG4 spring meeting", working_group=group, registration_deadline=in_days(14, 17)
    )
    meeting_publish(meeting=meeting)
    page = page_of(client_for(member))
    invitations = page.split("Invitations to answer")[1].split("My next meetings")[0]
    assert "WG4 spring meeting" in invitations
    assert "Answer by" in invitations and "17:00 (Brussels time)" in invitations


def test_a_member_answers_an_invitation_from_my_page_in_one_click(client_for, member, group):
    meeting = MeetingFactory(title="WG4 spring meeting", working_group=group)
    invite(meeting, member)
    client = client_for(member)
    response = client.post("/me/", {"meeting": meeting.pk, "answer": "online"}, follow=True)
    assert response.redirect_chain == [("/me/", 302)]
    assert Attendance.objects.get(meeting=meeting, user=member).answer == "online"
    page = response.content.decode()
    assert "Your answer to WG4 spring meeting: Online." in page
    assert "No invitation waits for your answer." in page
    assert "Your answer: <strong>Online</strong>" in page


def test_a_member_changes_an_answer_from_my_page(client_for, member):
    meeting = MeetingFactory()
    AttendanceFactory(meeting=meeting, user=member, answer=Attendance.Answer.ONLINE)
    client_for(member).post("/me/", {"meeting": meeting.pk, "answer": "declined"})
    assert Attendance.objects.get(meeting=meeting, user=member).answer == "declined"


def test_the_current_answer_is_the_pressed_button(client_for, member):
    meeting = MeetingFactory()
    AttendanceFactory(meeting=meeting, user=member, answer=Attendance.Answer.ONLINE)
    page = page_of(client_for(member))
    assert 'value="online" class="btn btn-sm btn-primary" aria-pressed="true"' in page
    assert 'value="declined" class="btn btn-sm btn-outline-primary" aria-pressed="false"' in page


def test_an_invitation_whose_deadline_has_passed_is_not_asked_for(client_for, member):
    meeting = MeetingFactory(title="Closed already", registration_deadline=in_days(-1))
    invite(meeting, member)
    assert "Closed already" not in page_of(client_for(member))


def test_after_the_deadline_someone_coming_is_offered_declining_alone(client_for, member):
    meeting = MeetingFactory(title="Closing soon", registration_deadline=in_days(14, 17))
    AttendanceFactory(meeting=meeting, user=member, answer=Attendance.Answer.IN_PERSON)
    with time_machine.travel(in_days(15)):
        page = page_of(client_for(member))
    row = page.split("Closing soon", 1)[1].split("</li>")[0]
    assert "Answers are closed, but until the meeting starts you can still say" in row
    assert 'value="declined" class="btn btn-sm btn-outline-primary"' in row
    assert 'value="in_person"' not in row
    assert 'value="online"' not in row


def test_after_the_deadline_someone_who_declined_is_offered_no_button(client_for, member):
    meeting = MeetingFactory(title="Closing soon", registration_deadline=in_days(14, 17))
    AttendanceFactory(meeting=meeting, user=member, answer=Attendance.Answer.DECLINED)
    with time_machine.travel(in_days(15)):
        page = page_of(client_for(member))
    row = page.split("Closing soon", 1)[1].split("</li>")[0]
    assert 'name="answer"' not in row
    assert "you can still say" not in row


def test_after_the_deadline_a_member_declines_from_my_page(client_for, member):
    meeting = MeetingFactory(
        title="Closing soon", registration_deadline=in_days(14, 17), capacity=1
    )
    mine = AttendanceFactory(meeting=meeting, user=member, answer=Attendance.Answer.IN_PERSON)
    waiting = AttendanceFactory(meeting=meeting, answer="in_person", waitlisted=True)
    with time_machine.travel(in_days(15)):
        response = client_for(member).post(
            "/me/", {"meeting": meeting.pk, "answer": "declined"}, follow=True
        )
    assert "Your answer to Closing soon: Declined." in response.content.decode()
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert (mine.answer, waiting.waitlisted) == ("declined", False)


def test_after_the_deadline_switching_from_my_page_is_refused(client_for, member):
    meeting = MeetingFactory(title="Closing soon", registration_deadline=in_days(14, 17))
    mine = AttendanceFactory(meeting=meeting, user=member, answer=Attendance.Answer.IN_PERSON)
    with time_machine.travel(in_days(15)):
        response = client_for(member).post(
            "/me/", {"meeting": meeting.pk, "answer": "online"}, follow=True
        )
    assert (
        "Closing soon: Answers are closed: the registration deadline has passed."
        in response.content.decode()
    )
    mine.refresh_from_db()
    assert mine.answer == "in_person"


def test_past_meetings_are_not_listed(client_for, member):
    meeting = MeetingFactory(title="Last year", start=in_days(-30), end=in_days(-30, 13))
    AttendanceFactory(meeting=meeting, user=member)
    assert "Last year" not in page_of(client_for(member))


def test_an_answer_the_format_does_not_allow_is_refused_with_the_reason(client_for, member):
    meeting = MeetingFactory(format=Meeting.Format.IN_PERSON)
    response = client_for(member).post(
        "/me/", {"meeting": meeting.pk, "answer": "online"}, follow=True
    )
    assert "not possible for this meeting&#x27;s format" in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_draft_cannot_be_answered_from_my_page(client_for, member):
    draft = DraftMeetingFactory()
    response = client_for(member).post(
        "/me/", {"meeting": draft.pk, "answer": "online"}, follow=True
    )
    assert "That meeting is not open to you; nothing was changed." in response.content.decode()
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    "data", [{}, {"meeting": "abc", "answer": "online"}, {"meeting": "1", "answer": "maybe"}]
)
def test_an_answer_that_cannot_be_read_is_refused_with_a_message(data, client_for, member):
    response = client_for(member).post("/me/", data, follow=True)
    assert response.status_code == 200
    assert "That answer could not be read; nothing was changed." in response.content.decode()


def test_my_working_groups_are_listed(client_for, member, group):
    assert "WG4 Regional Implementation" in page_of(client_for(member))


def test_a_member_sees_no_practices_nor_the_secretariats_lists(client_for, member):
    page = page_of(client_for(member))
    for heading in (
        "My region's practices",
        "Practices waiting for review",
        "Emails that failed",
        "Addresses that bounce",
    ):
        assert heading not in page


# -- a representative -------------------------------------------------------------------


def test_a_representative_sees_a_returned_practice_with_the_secretariats_comment(
    client_for, representative, region
):
    practice = PracticeFactory(
        region=region,
        title="Battery academy",
        status=Practice.Status.RETURNED,
        review_comment="Please add the number of people trained.",
    )
    page = page_of(client_for(representative))
    returned = page.split("Returned to you for changes")[1]
    assert "Battery academy" in returned
    assert "Please add the number of people trained." in returned
    assert f"/practices/{practice.slug}/edit/" in returned


def test_a_representative_sees_the_practices_by_state(client_for, representative, region):
    for status in ("draft", "submitted", "published"):
        PracticeFactory(region=region, title=f"A {status} one", status=status)
    page = page_of(client_for(representative))
    drafts, review, published = (
        page.index("Drafts, not yet submitted"),
        page.index("In review by the secretariat"),
        page.index("Published ("),
    )
    assert drafts < page.index("A draft one") < review < page.index("A submitted one")
    assert published < page.index("A published one")


def test_a_representative_does_not_see_another_regions_practices(
    client_for, representative, other_region
):
    PracticeFactory(region=other_region, title="Not ours")
    assert "Not ours" not in page_of(client_for(representative))


# -- the secretariat ---------------------------------------------------------------------


def test_the_secretariat_sees_the_practices_waiting_for_review(client_for, secretariat):
    practice = PracticeFactory(title="Waiting one", status=Practice.Status.SUBMITTED)
    PracticeFactory(title="Still a draft")
    page = page_of(client_for(secretariat))
    queue = page.split("Practices waiting for review")[1].split("Meetings ahead")[0]
    assert "Waiting one" in queue and "Still a draft" not in queue
    assert f"/admin/practices/practicereview/{practice.pk}/change/" in queue


def test_the_secretariat_sees_the_answers_and_who_has_not_answered(client_for, secretariat):
    meeting = MeetingFactory(title="Conference", working_group=None)
    people = UserFactory.create_batch(4)
    for person in people:
        invite(meeting, person)
    AttendanceFactory(meeting=meeting, user=people[0], answer=Attendance.Answer.IN_PERSON)
    AttendanceFactory(meeting=meeting, user=people[1], answer=Attendance.Answer.DECLINED)
    page = page_of(client_for(secretariat))
    row = page.split("Conference</a>")[1].split("</tr>")[0]
    cells = [cell.split("<")[0] for cell in row.split("<td>")[1:]]
    assert cells == ["1", "0", "1", "2"]  # in person, online, declined, not answered


def test_the_secretariat_sees_the_emails_that_failed(client_for, secretariat, member):
    row = invite(MeetingFactory(), member)
    Notification.objects.filter(pk=row.pk).update(
        status=Notification.Status.FAILED, last_error="550 mailbox unavailable"
    )
    page = page_of(client_for(secretariat))
    failed = page.split("Emails that failed")[1]
    assert "member@example.org" in failed and "550 mailbox unavailable" in failed


def bounced(person, meeting, *, status="5.1.1", diagnostic="550 5.1.1 User unknown", ago=0):
    """An invitation to the person that bounced for good `ago` days ago; their address is
    marked bouncing, as inbound.services marks it."""
    when = timezone.now() - dt.timedelta(days=ago)
    row = invite(meeting, person)
    Notification.objects.filter(pk=row.pk).update(
        status=Notification.Status.BOUNCED,
        bounced_at=when,
        bounce_status=status,
        bounce_diagnostic=diagnostic,
    )
    type(person).objects.filter(pk=person.pk).update(email_bouncing_since=when)
    return row


def test_the_secretariat_sees_whose_address_bounces_and_that_their_emails_wait(
    client_for, secretariat
):
    gone = UserFactory(email="gone@example.net", first_name="Maria", last_name="Gone")
    UserFactory(email="fine@example.net")
    bounced(gone, MeetingFactory())
    Notification.objects.create(
        meeting=MeetingFactory(), person=gone, kind=Notification.Kind.INVITATION
    )  # queued, waiting
    page = page_of(client_for(secretariat))
    section = page.split("Addresses that bounce")[1]
    assert f'href="/admin/accounts/user/{gone.pk}/change/">gone@example.net</a>' in section
    assert "Maria Gone" in section
    assert "5.1.1 550 5.1.1 User unknown" in section
    assert "1 email waits" in section
    assert "Emails to these people wait until their address is corrected" in section
    assert "fine@example.net" not in section


def test_the_secretariat_sees_the_last_bounce_of_an_address(client_for, secretariat):
    gone = UserFactory(email="gone@example.net")
    bounced(gone, MeetingFactory(), status="5.2.2", diagnostic="Mailbox full", ago=3)
    bounced(gone, MeetingFactory(), status="5.1.1", diagnostic="User unknown", ago=1)
    section = page_of(client_for(secretariat)).split("Addresses that bounce")[1]
    assert "5.1.1 User unknown" in section and "Mailbox full" not in section


def test_a_closed_account_whose_address_bounced_is_not_listed(client_for, secretariat):
    closed = UserFactory(email="closed@example.net", is_active=False)
    bounced(closed, MeetingFactory())
    assert "closed@example.net" not in page_of(client_for(secretariat))


def test_the_secretariat_is_told_when_no_address_bounces(client_for, secretariat):
    assert "No address bounces." in page_of(client_for(secretariat))


# -- cost ---------------------------------------------------------------------------------


def _fill(n: int, *, member, representative, region) -> None:
    """n of everything the page lists, for each kind of person."""
    group = WorkingGroupFactory(code="WG4")
    group.members.add(member, representative)
    for i in range(n):
        answered = MeetingFactory(working_group=group, start=in_days(3 + i))
        AttendanceFactory(meeting=answered, user=member)
        AttendanceFactory(meeting=answered, user=representative)
        open_ = MeetingFactory(working_group=group, start=in_days(4 + i))
        for person in (member, representative):
            row = invite(open_, person)
        Notification.objects.filter(pk=row.pk).update(status=Notification.Status.FAILED)
        for status in ("returned", "draft", "submitted", "published"):
            PracticeFactory(region=region, status=status, review_comment="More figures.")
        gone = UserFactory()
        bounced(gone, answered, ago=i)
        invite(open_, gone)  # waits


@pytest.mark.parametrize("person", ["member", "representative", "secretariat"])
def test_my_page_costs_the_same_queries_for_1_and_200_rows(
    person, member, representative, secretariat, region, client_for, django_assert_num_queries
):
    people = {"member": member, "representative": representative, "secretariat": secretariat}
    client = client_for(people[person])
    _fill(1, member=member, representative=representative, region=region)
    with CaptureQueriesContext(connection) as once:
        page_of(client)
    _fill(MANY - 1, member=member, representative=representative, region=region)
    with django_assert_num_queries(len(once)):
        page = page_of(client)
    if person != "secretariat":
        assert page.count('name="meeting"') == 40  # 20 answered and 20 invitations shown
    else:
        bouncing = page.split("Addresses that bounce")[1]
        assert bouncing.count("/admin/accounts/user/") == 21  # 20 people and the full list
