"""Line breaks and control characters: refused in one-line fields with a message, and a
calendar built from rows that hold them anyway (saved before the rule) never fails."""

import pytest
from django.core.exceptions import ValidationError
from icalendar import Calendar

from accounts.models import User
from meetings.models import AgendaItem, Meeting, WorkingGroup
from regions.models import Indicator, Partner, Region
from tests.factories.accounts import UserFactory
from tests.factories.meetings import AgendaItemFactory, MeetingFactory, WorkingGroupFactory
from tests.factories.regions import PartnerFactory, RegionFactory
from tests.meetings.test_admin import ADD, agenda_form, meeting_form

pytestmark = pytest.mark.django_db

BREAKS = ["Two\nlines", "Two\r\nlines", "Tab\there", "Nul\x00here", "Line\u2028separator"]

ONE_LINE_FIELDS = [
    (MeetingFactory, "title"),
    (MeetingFactory, "venue"),
    (MeetingFactory, "address"),
    (AgendaItemFactory, "title"),
    (AgendaItemFactory, "presenters"),
    (WorkingGroupFactory, "name"),
    (RegionFactory, "name"),
    (PartnerFactory, "name"),
    (PartnerFactory, "acronym"),
    (UserFactory, "first_name"),
    (UserFactory, "last_name"),
    (UserFactory, "organisation"),
]


@pytest.mark.parametrize("value", BREAKS, ids=repr)
@pytest.mark.parametrize(("factory", "field"), ONE_LINE_FIELDS, ids=lambda x: str(x))
def test_a_one_line_field_refuses_line_breaks_and_control_characters(factory, field, value):
    instance = factory.build(**{field: value})
    if isinstance(instance, AgendaItem):
        instance.meeting = MeetingFactory()
    with pytest.raises(ValidationError) as refusal:
        instance.full_clean()
    assert "one line of text" in " ".join(refusal.value.message_dict[field])


def test_an_online_link_with_a_control_character_is_refused():
    meeting = MeetingFactory.build(online_link="https://meet.example.org/a\x01b")
    with pytest.raises(ValidationError) as refusal:
        meeting.full_clean()
    assert "online_link" in refusal.value.message_dict


@pytest.mark.parametrize("field", ["unit", "source"])
def test_an_indicator_unit_or_source_refuses_line_breaks(field):
    indicator = Indicator(
        region=RegionFactory(),
        year=2024,
        kind=Indicator.Kind.EMPLOYMENT,
        value=1,
        unit="people",
        source="Eurostat",
    )
    setattr(indicator, field, "Two\nlines")
    with pytest.raises(ValidationError) as refusal:
        indicator.full_clean()
    assert field in refusal.value.message_dict


def test_the_admin_refuses_a_title_with_a_line_break_and_keeps_what_was_typed(
    client_for, secretariat
):
    response = client_for(secretariat).post(
        ADD, {**meeting_form(title="WG4\nmeeting"), **agenda_form([])}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Use one line of text" in page
    assert "Maison des Régions" in page
    assert not Meeting.objects.exists()


def test_ordinary_names_with_accents_and_punctuation_are_accepted():
    region = RegionFactory.build(name="Košice – Göteborg (EDUCAM), Île-de-France")
    region.full_clean()


# -- calendars from rows saved before the rule ---------------------------------------------


@pytest.fixture
def broken_meeting():
    """A meeting whose one-line fields hold line breaks, written past validation as old
    rows were."""
    meeting = MeetingFactory(visibility=Meeting.Visibility.PUBLIC)
    AgendaItemFactory(meeting=meeting, position=1)
    Meeting.objects.filter(pk=meeting.pk).update(
        title="WG4\nmeeting\r\non skills",
        venue="Maison\rdes Régions",
        address="Rue Montoyer 10\u2028Brussels",
        description="First line\r\nSecond line\x0bthird\x01",
    )
    AgendaItem.objects.filter(meeting=meeting).update(
        title="Welcome\nand coffee", presenters="Anna\tBerg"
    )
    WorkingGroup.objects.filter(pk=meeting.working_group_id).update(name="Regional\nwork")
    Region.objects.update(name="Not\nused")
    Partner.objects.update(name="Not\nused")
    User.objects.update(first_name="Two\nlines")
    meeting.refresh_from_db()
    return meeting


def parse(response) -> Calendar:
    assert response.status_code == 200
    return Calendar.from_ical(response.content)


def test_the_ics_of_a_title_with_a_line_break_is_built(client, broken_meeting):
    calendar = parse(client.get(f"/meetings/{broken_meeting.slug}/calendar.ics"))
    event = calendar.walk("VEVENT")[0]
    assert str(event["summary"]) == "WG4 meeting on skills"
    assert str(calendar["x-wr-calname"]) == "WG4 meeting on skills"
    assert str(event["location"]).startswith("Maison des Régions, Rue Montoyer 10 Brussels")
    description = str(event["description"])
    assert "First line\nSecond line\nthird" in description
    assert "Welcome and coffee (Anna Berg)" in description


def test_the_feeds_with_a_title_with_a_line_break_are_built(client, broken_meeting, member):
    parse(client.get("/calendar.ics"))
    broken_meeting.working_group.members.add(member)
    calendar = parse(client.get(f"/calendar/{member.calendar_token}.ics"))
    assert str(calendar.walk("VEVENT")[0]["summary"]) == "WG4 meeting on skills"


def test_a_cancelled_meeting_with_a_line_break_in_its_title_is_built(client, broken_meeting):
    Meeting.objects.filter(pk=broken_meeting.pk).update(status=Meeting.Status.CANCELLED)
    calendar = parse(client.get(f"/meetings/{broken_meeting.slug}/calendar.ics"))
    assert str(calendar.walk("VEVENT")[0]["summary"]) == "Cancelled: WG4 meeting on skills"


def test_the_profile_refuses_a_name_with_a_line_break_and_keeps_what_was_typed(client_for, member):
    response = client_for(member).post(
        "/accounts/profile/",
        {"first_name": "Anna\nBerg", "last_name": "Berg", "organisation": "EDUCAM"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Use one line of text" in page
    assert 'value="EDUCAM"' in page
    member.refresh_from_db()
    assert member.first_name != "Anna\nBerg"
