"""Practices and regions link to the meetings where they were showcased or presented."""

import pytest

from meetings.models import Meeting
from tests.factories.meetings import AgendaItemFactory, DraftMeetingFactory, MeetingFactory
from tests.factories.practices import PublishedPracticeFactory

pytestmark = pytest.mark.django_db


def test_a_practice_page_lists_the_meetings_that_showcased_it(client, region):
    practice = PublishedPracticeFactory(region=region)
    meeting = MeetingFactory(title="WG4 meeting of March")
    AgendaItemFactory(meeting=meeting, showcased_practice=practice, presenting_region=region)
    page = client.get(practice.get_absolute_url()).text
    assert "Showcased at" in page
    assert f'href="{meeting.get_absolute_url()}"' in page


def test_the_meeting_page_links_back_to_the_showcased_practice(client, region):
    practice = PublishedPracticeFactory(region=region, title="Transformation network")
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting, showcased_practice=practice)
    assert f'href="{practice.get_absolute_url()}"' in client.get(meeting.get_absolute_url()).text


def test_a_draft_meeting_that_showcases_a_practice_stays_hidden_from_visitors(client, region):
    practice = PublishedPracticeFactory(region=region)
    AgendaItemFactory(
        meeting=DraftMeetingFactory(title="Secret draft"), showcased_practice=practice
    )
    assert "Secret draft" not in client.get(practice.get_absolute_url()).text


def test_a_members_only_meeting_is_listed_for_members_but_not_for_visitors(
    client, client_for, member, region
):
    practice = PublishedPracticeFactory(region=region)
    meeting = MeetingFactory(title="Closed session", visibility=Meeting.Visibility.MEMBERS)
    AgendaItemFactory(meeting=meeting, showcased_practice=practice)
    assert "Closed session" not in client.get(practice.get_absolute_url()).text
    assert "Closed session" in client_for(member).get(practice.get_absolute_url()).text


def test_a_region_page_lists_the_meetings_where_it_presented(client, region, other_region):
    AgendaItemFactory(meeting=MeetingFactory(title="Ours"), presenting_region=region)
    AgendaItemFactory(meeting=MeetingFactory(title="Theirs"), presenting_region=other_region)
    page = client.get(region.get_absolute_url()).text
    assert "Presented at" in page
    assert "Ours" in page
    assert "Theirs" not in page


def test_a_meeting_where_a_region_presented_twice_is_listed_once(client, region):
    meeting = MeetingFactory(title="Double act")
    AgendaItemFactory(meeting=meeting, presenting_region=region, position=1)
    AgendaItemFactory(meeting=meeting, presenting_region=region, position=2)
    assert client.get(region.get_absolute_url()).text.count("Double act") == 1


@pytest.mark.parametrize("meetings", [1, 30])
def test_a_practice_page_takes_the_same_queries_however_many_meetings_showcased_it(
    client, region, meetings, django_assert_num_queries
):
    practice = PublishedPracticeFactory(region=region)
    for _ in range(meetings):
        AgendaItemFactory(meeting=MeetingFactory(), showcased_practice=practice)
    with django_assert_num_queries(3):
        assert client.get(practice.get_absolute_url()).status_code == 200
