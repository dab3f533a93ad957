"""Publishing a meeting in the admin asks first, on a page that says how many invitations
go out and to whom, by where each person comes from (the working group, the groups and
regions invited, the people named, every member); the page's figures are the rows that
publishing then makes."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings import invitations, services
from meetings.models import Meeting
from notifications.models import Notification
from tests.adminpages import changelist_action, form_with
from tests.factories.accounts import UserFactory
from tests.factories.meetings import DraftMeetingFactory, MeetingFactory, WorkingGroupFactory
from tests.factories.regions import MembershipFactory, RegionFactory, representative_of

pytestmark = pytest.mark.django_db(transaction=True)

LIST = "/admin/meetings/meeting/"


def person(email: str, **fields):
    return UserFactory(email=email, first_name=email.split("@")[0].capitalize(), **fields)


@pytest.fixture
def draft():
    """A WG4 draft: WG4 has Anna, Bert and an inactive Otto; Stuttgart and Košice are
    invited (Stefan and Karol represent them, Bert is also of Stuttgart); Nina is named,
    and so is Anna (a WG4 member already). WG1's Dora is not invited."""
    wg4 = WorkingGroupFactory(code="WG4")
    anna, bert = person("anna@example.org"), person("bert@example.org")
    wg4.members.add(anna, bert, person("otto@example.org", is_active=False))
    WorkingGroupFactory(code="WG1").members.add(person("dora@example.org"))
    stuttgart = RegionFactory(name="Stuttgart", slug="stuttgart")
    kosice = RegionFactory(name="Košice", slug="kosice")
    representative_of(stuttgart, email="stefan@example.org", first_name="Stefan")
    representative_of(kosice, email="karol@example.org", first_name="Karol")
    MembershipFactory(region=stuttgart, user=bert)
    meeting = DraftMeetingFactory(title="WG4 spring meeting", working_group=wg4)
    meeting.invited_regions.add(stuttgart, kosice)
    meeting.invitees.add(person("nina@example.org"), anna)
    return meeting


def text_of(page) -> str:
    return " ".join(page.html.select_one("#content").get_text().split())


def listed(page, meeting) -> dict[str, list[str]]:
    """The people behind the disclosure, by source, as email addresses."""
    item = next(li for li in page.html.select(".confirm-list > li") if meeting.title in li.text)
    found = {}
    for label in item.select("details .audience-source"):
        people = label.find_next_sibling("ul").select("li")
        found[label.get_text()] = [li.get_text().split("<")[1].rstrip(">") for li in people]
    return found


def test_the_publish_action_asks_first_and_changes_nothing(django_app, secretariat, draft):
    page = changelist_action(django_app, LIST, "publish", [draft], secretariat)
    assert page.status_code == 200
    assert (
        "5 invitations will be sent: WG4 members (2), people of Košice and Stuttgart (2), "
        "people named one by one (1)."
    ) in text_of(page)
    assert Meeting.objects.get(pk=draft.pk).status == Meeting.Status.DRAFT
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_the_list_behind_the_disclosure_counts_each_person_once_under_the_first_source(
    django_app, secretariat, draft
):
    page = changelist_action(django_app, LIST, "publish", [draft], secretariat)
    assert listed(page, draft) == {
        # Anna is named too, Bert is of Stuttgart too: both count as WG4's.
        "WG4 members (2)": ["anna@example.org", "bert@example.org"],
        "People of Košice and Stuttgart (2)": ["karol@example.org", "stefan@example.org"],
        "People named one by one (1)": ["nina@example.org"],
    }


def test_confirming_publishes_and_invites_exactly_the_people_the_page_listed(
    django_app, secretariat, draft
):
    asked = changelist_action(django_app, LIST, "publish", [draft], secretariat)
    shown = sorted(email for people in listed(asked, draft).values() for email in people)
    done = form_with(asked, "apply").submit().follow()
    assert "1 meeting published." in done.text
    assert "“WG4 spring meeting”: 5 invitations are on their way" in done.text
    invited = Notification.objects.filter(meeting=draft, kind="invitation")
    assert sorted(invited.values_list("person__email", flat=True)) == shown
    assert shown == [
        "anna@example.org",
        "bert@example.org",
        "karol@example.org",
        "nina@example.org",
        "stefan@example.org",
    ]


def test_the_message_after_publishing_links_to_the_meetings_page(django_app, secretariat, draft):
    asked = changelist_action(django_app, LIST, "publish", [draft], secretariat)
    done = form_with(asked, "apply").submit().follow()
    page = done.click(description="5 invitations are on their way")
    assert page.request.path == f"{LIST}{draft.pk}/change/"


@pytest.mark.parametrize(
    "audience",
    ["group and named", "invited groups and regions", "every member", "nobody"],
)
def test_the_pages_figures_are_the_rows_publishing_makes(django_app, secretariat, audience):
    """Whatever the audience, the total and each source's count on the page add up to
    the invitations that publishing creates."""
    wg2, wg3 = WorkingGroupFactory(code="WG2"), WorkingGroupFactory(code="WG3")
    both = person("both@example.org")
    wg2.members.add(both, person("wg2@example.org"))
    wg3.members.add(both, person("wg3@example.org"), person("gone@example.org", is_active=False))
    region = RegionFactory(name="Göteborg", slug="goteborg")
    MembershipFactory(region=region, user=both)
    MembershipFactory(region=region, user=person("gothenburg@example.org"))
    meeting = DraftMeetingFactory(title="The meeting", working_group=None)
    if audience == "group and named":
        meeting.working_group = wg2
        meeting.save()
        meeting.invitees.add(both, person("named@example.org"))
    elif audience == "invited groups and regions":
        meeting.invited_groups.add(wg2, wg3)
        meeting.invited_regions.add(region)
    elif audience == "every member":
        meeting.working_group = wg3
        meeting.invite_all_members = True
        meeting.save()
    asked = changelist_action(django_app, LIST, "publish", [meeting], secretariat)
    shown = listed(asked, meeting)
    form_with(asked, "apply").submit()
    invited = sorted(
        Notification.objects.filter(meeting=meeting, kind="invitation").values_list(
            "person__email", flat=True
        )
    )
    assert sorted(email for people in shown.values() for email in people) == invited
    expected_total = {
        "group and named": 3,
        "invited groups and regions": 4,
        "every member": 5,  # the secretariat too; not the inactive one
        "nobody": 0,
    }[audience]
    assert len(invited) == expected_total
    if invited:
        assert f"{expected_total} invitations will be sent" in text_of(asked)
    else:
        assert "nobody is invited yet: it will be published without invitations" in text_of(asked)


def test_every_member_comes_after_the_group_as_the_portals_other_members(django_app, secretariat):
    group = WorkingGroupFactory(code="WG3", members=[person("wg3@example.org")])
    person("someone@example.org")
    meeting = DraftMeetingFactory(working_group=group, invite_all_members=True)
    page = changelist_action(django_app, LIST, "publish", [meeting], secretariat)
    assert "3 invitations will be sent: WG3 members (1), the portal's other members (2)." in (
        text_of(page)
    )


def test_meetings_that_publishing_leaves_alone_or_sends_nothing_for_say_so(
    django_app, secretariat, draft
):
    published = MeetingFactory(title="Already out")
    cancelled = MeetingFactory(title="Called off", status=Meeting.Status.CANCELLED)
    past = DraftMeetingFactory(
        title="Last year's",
        working_group=draft.working_group,
        start=draft.start - dt.timedelta(days=400),
        end=draft.end - dt.timedelta(days=400),
    )
    page = changelist_action(
        django_app, LIST, "publish", [draft, published, cancelled, past], secretariat
    )
    text = text_of(page)
    assert "5 invitations will be sent, each with a calendar file" in text
    assert "Already out" in text and "already published; nothing changes." in text
    assert "cancelled: it cannot be published again; clone it." in text
    assert "it is over: it will be published without invitations." in text
    form_with(page, "apply").submit()
    assert not Notification.objects.filter(meeting=past).exists()
    assert Meeting.objects.get(pk=past.pk).status == Meeting.Status.PUBLISHED


def test_the_confirmation_page_reads_the_same_number_of_queries_for_many_people(
    client_for, secretariat
):
    secretariat_client = client_for(secretariat)

    def queries_for(members: int) -> int:
        group = WorkingGroupFactory(members=UserFactory.create_batch(members))
        region = RegionFactory()
        for user in UserFactory.create_batch(members):
            MembershipFactory(region=region, user=user)
        meeting = DraftMeetingFactory(working_group=group)
        meeting.invited_regions.add(region)
        meeting.invitees.add(*UserFactory.create_batch(members))
        with CaptureQueriesContext(connection) as queries:
            page = secretariat_client.post(
                LIST, {"action": "publish", "_selected_action": [meeting.pk]}
            )
        assert f"{3 * members} invitations will be sent" in page.content.decode()
        return len(queries)

    assert queries_for(3) == queries_for(40)


def test_the_breakdown_is_the_audience_that_publishing_invites(draft):
    breakdown = invitations.invitations_breakdown(meeting=draft)
    people = {p.pk for source in breakdown for p in source.people}
    audience = set(services.meeting_audience(meeting=draft).values_list("pk", flat=True))
    assert people == audience
    assert sum(len(source.people) for source in breakdown) == len(audience) == 5


def test_people_invited_already_are_not_counted_again(draft):
    services.meeting_publish(meeting=draft)
    draft.invitees.add(person("late@example.org"))  # invited as she is added
    assert invitations.invitations_breakdown(meeting=draft) == []
