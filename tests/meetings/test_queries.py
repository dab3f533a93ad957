"""Pages cost a fixed number of queries, whether they show 1 or 200 things."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.models import Attendance
from tests.factories.accounts import UserFactory
from tests.factories.meetings import (
    AgendaItemFactory,
    AttendanceFactory,
    MeetingFactory,
    WorkingGroupFactory,
    in_days,
)
from tests.factories.practices import PracticeFactory
from tests.factories.regions import PartnerFactory, RegionFactory

pytestmark = pytest.mark.django_db

MANY = 200


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.fixture
def people(member, secretariat):
    return {"member": member, "secretariat": secretariat, "anonymous": None}


@pytest.mark.parametrize("person", ["anonymous", "member", "secretariat"])
def test_the_detail_page_costs_the_same_for_200_items_and_answers(
    person, people, client_for, django_assert_num_queries
):
    client = client_for(people[person])
    region = RegionFactory()
    meeting = MeetingFactory(
        start=in_days(5, 0), end=in_days(8, 0), partners=[PartnerFactory(acronym="ARA")]
    )
    AgendaItemFactory(meeting=meeting, presenting_region=region)
    AttendanceFactory(meeting=meeting)
    url = f"/meetings/{meeting.slug}/"
    once = queries_for(client, url)
    for _ in range(MANY - 1):
        AgendaItemFactory(
            meeting=meeting, presenting_region=region, showcased_practice=PracticeFactory()
        )
        AttendanceFactory(meeting=meeting, answer=Attendance.Answer.IN_PERSON)
    with django_assert_num_queries(once):
        client.get(url)


@pytest.mark.parametrize("url", ["/meetings/", "/meetings/past/", "/", "/groups/WG4/"])
def test_lists_cost_the_same_for_200_meetings(url, client_for, member, django_assert_num_queries):
    client = client_for(member)
    group = WorkingGroupFactory(code="WG4", members=[member])
    region = RegionFactory()
    days = -3 if "past" in url else 3
    MeetingFactory(working_group=group, host_region=region, start=in_days(days))
    once = queries_for(client, url)
    for n in range(MANY - 1):
        MeetingFactory(
            working_group=group,
            host_region=region,
            start=in_days(days + (n if days > 0 else -n)),
        )
        group.members.add(UserFactory())
    with django_assert_num_queries(once):
        client.get(url)


def test_the_public_feed_costs_the_same_for_200_meetings(client, django_assert_num_queries):
    region = RegionFactory()
    meeting = MeetingFactory(start=in_days(3))
    AgendaItemFactory(meeting=meeting, presenting_region=region)
    once = queries_for(client, "/calendar.ics")
    for n in range(MANY - 1):
        AgendaItemFactory(meeting=MeetingFactory(start=in_days(4 + n)), presenting_region=region)
    with django_assert_num_queries(once):
        client.get("/calendar.ics")


def test_a_personal_feed_costs_the_same_for_200_meetings(
    client, member, django_assert_num_queries
):
    group = WorkingGroupFactory(members=[member])
    AgendaItemFactory(meeting=MeetingFactory(working_group=group))
    url = f"/calendar/{member.calendar_token}.ics"
    once = queries_for(client, url)
    for _ in range(MANY - 1):
        AgendaItemFactory(meeting=MeetingFactory(working_group=group))
    with django_assert_num_queries(once):
        client.get(url)


def test_the_admin_list_costs_the_same_for_200_meetings(
    client_for, secretariat, django_assert_num_queries
):
    client = client_for(secretariat)
    AttendanceFactory(meeting=MeetingFactory())
    once = queries_for(client, "/admin/meetings/meeting/?all=")
    for _ in range(MANY - 1):
        AttendanceFactory(meeting=MeetingFactory())
    with django_assert_num_queries(once):
        client.get("/admin/meetings/meeting/?all=")
