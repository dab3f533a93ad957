"""Signed-in pages cost a few queries, the same with one row or many: what is the same
for every member comes from the shared fragments, the rest is the member's own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.accounts import UserFactory
from tests.factories.meetings import AgendaItemFactory, AttendanceFactory, MeetingFactory
from tests.factories.practices import PublishedPracticeFactory
from tests.factories.regions import RegionFactory

pytestmark = pytest.mark.django_db

# None: the person with their roles (tests/core/test_person_cache.py), the shared
# fragments and the member's own answer all come from the cache.
WARM_MEETING_PAGE = 0


def queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_a_members_meeting_page_costs_the_same_with_one_agenda_item_or_twenty(client_for, member):
    small, large = MeetingFactory(), MeetingFactory()
    AgendaItemFactory(meeting=small)
    AttendanceFactory(meeting=small)
    for position in range(1, 21):
        AgendaItemFactory(meeting=large, position=position)
        AttendanceFactory(meeting=large)
    signed_in = client_for(member)
    signed_in.get("/")  # the person is kept from here on; the meeting pages are not
    cold = queries(signed_in, small.get_absolute_url())
    assert queries(signed_in, large.get_absolute_url()) == cold


def test_a_members_meeting_page_costs_no_query_once_its_fragments_are_kept(client_for, member):
    meeting = MeetingFactory()
    for position in range(1, 21):
        AgendaItemFactory(meeting=meeting, position=position)
    signed_in = client_for(member)
    signed_in.get(meeting.get_absolute_url())
    assert queries(signed_in, meeting.get_absolute_url()) == WARM_MEETING_PAGE


def test_another_member_uses_the_fragments_the_first_one_filled(client_for, member):
    meeting = MeetingFactory(online_link="https://meet.example.org/room")
    AgendaItemFactory(meeting=meeting, title="Shared agenda item")
    other = client_for(UserFactory())
    other.get("/")
    client_for(member).get(meeting.get_absolute_url())
    # Only their own answer is read, the first time.
    assert queries(other, meeting.get_absolute_url()) == WARM_MEETING_PAGE + 1
    page = other.get(meeting.get_absolute_url()).text
    assert "Shared agenda item" in page and "https://meet.example.org/room" in page


def test_a_member_sees_their_own_answer_on_a_page_others_filled(client_for, member):
    meeting = MeetingFactory()
    client_for(UserFactory()).get(meeting.get_absolute_url())
    AttendanceFactory(meeting=meeting, user=member, answer="online")
    page = client_for(member).get(meeting.get_absolute_url()).text
    assert "Your answer: <strong>" in page
    assert 'value="online" id="id_answer_1" required checked' in page


def test_two_members_each_see_their_own_kept_answer(client_for, member):
    meeting = MeetingFactory()
    other = UserFactory()
    AttendanceFactory(meeting=meeting, user=member, answer="online")
    AttendanceFactory(meeting=meeting, user=other, answer="declined")
    mine, theirs = client_for(member), client_for(other)
    for _ in range(2):  # the second time from the cache
        assert (
            'value="online" id="id_answer_1" required checked'
            in mine.get(meeting.get_absolute_url()).text
        )
        assert (
            'value="declined" id="id_answer_2" required checked'
            in theirs.get(meeting.get_absolute_url()).text
        )


def test_a_member_who_changes_their_answer_sees_the_new_one_at_once(client_for, member):
    meeting = MeetingFactory(format="hybrid")
    signed_in = client_for(member)
    signed_in.post(meeting.get_absolute_url(), {"answer": "online"})
    assert "Your answer: <strong>Online</strong>" in signed_in.get(meeting.get_absolute_url()).text
    signed_in.post(meeting.get_absolute_url(), {"answer": "declined"})
    page = signed_in.get(meeting.get_absolute_url()).text
    assert "Your answer: <strong>Declined</strong>" in page


@pytest.mark.parametrize("rows", [1, 30])
def test_the_members_practice_search_costs_the_same_with_one_hit_or_thirty(
    client_for, member, rows, django_assert_max_num_queries
):
    region = RegionFactory(name="Košice", slug="kosice", country="SK")
    for _ in range(rows):
        PublishedPracticeFactory(region=region)
    signed_in = client_for(member)
    signed_in.get("/practices/?q=kosice")
    with django_assert_max_num_queries(2):
        signed_in.get("/practices/?q=kosice")


@pytest.mark.parametrize("rows", [1, 15])
def test_the_members_meeting_list_costs_the_same_with_one_meeting_or_fifteen(
    client_for, member, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        MeetingFactory()
    signed_in = client_for(member)
    signed_in.get("/meetings/")
    with django_assert_max_num_queries(2):
        signed_in.get("/meetings/")


def test_the_members_region_list_comes_from_the_shared_fragment(
    client_for, member, django_assert_max_num_queries
):
    for n in range(10):
        RegionFactory(slug=f"region-{n}")
    signed_in = client_for(member)
    signed_in.get("/regions/")
    with django_assert_max_num_queries(2):
        signed_in.get("/regions/")


def test_a_members_only_meeting_in_the_shared_list_is_never_shown_to_visitors(
    client, client_for, member
):
    MeetingFactory(title="Members evening", visibility="members")
    assert "Members evening" in client_for(member).get("/meetings/").text
    assert "Members evening" not in client.get("/meetings/").text


def test_the_upcoming_list_shows_fifty_meetings_a_page_and_links_the_next(client):
    MeetingFactory.create_batch(60)
    first = client.get("/meetings/").text
    assert first.count('class="meeting-item') == 50
    assert 'href="?page=2"' in first
    assert client.get("/meetings/?page=2").text.count('class="meeting-item') == 10
