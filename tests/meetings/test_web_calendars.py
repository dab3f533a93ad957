"""Beside each "Add to calendar" download: the event opened in Google Calendar and in
Outlook on the web, and the calendar feeds offered as webcal:// subscriptions."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from meetings.models import Meeting
from tests.factories.accounts import UserFactory
from tests.factories.meetings import BRUSSELS, MeetingFactory

pytestmark = pytest.mark.django_db

SECRET_ROOM = "https://meet.example.org/secret-room"


@pytest.fixture
def settings_site(settings):
    settings.SITE_URL = "https://portal.example.org"
    return settings


@pytest.fixture
def conference(settings_site):
    # Brussels in winter is UTC+1: 10:00–13:00 there is 09:00–12:00 UTC.
    return MeetingFactory(
        title="ASA conference",
        slug="asa-conference",
        start=dt.datetime(2031, 2, 12, 10, 0, tzinfo=BRUSSELS),
        end=dt.datetime(2031, 2, 12, 13, 0, tzinfo=BRUSSELS),
        format=Meeting.Format.HYBRID,
        venue="Maison des Régions",
        address="Rue Montoyer 10, Brussels",
        online_link=SECRET_ROOM,
        description="Skills for the green and digital transition.",
    )


def links(response) -> dict[str, str]:
    page = BeautifulSoup(response.content, "html.parser")
    return {a.get_text(strip=True): a["href"] for a in page.select(".calendar-links a")}


def query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def test_the_meeting_page_opens_the_event_in_google_calendar(client, conference):
    google = links(client.get("/meetings/asa-conference/"))["Google Calendar"]
    assert google.startswith("https://calendar.google.com/calendar/render?")
    assert query(google) == {
        "action": "TEMPLATE",
        "text": "ASA conference",
        "dates": "20310212T090000Z/20310212T120000Z",
        "ctz": "Europe/Brussels",
        "details": "Skills for the green and digital transition.\n\n"
        "https://portal.example.org/meetings/asa-conference/",
        "location": "Maison des Régions, Rue Montoyer 10, Brussels, Online",
    }


def test_the_meeting_page_opens_the_event_in_outlook(client, conference):
    outlook = links(client.get("/meetings/asa-conference/"))["Outlook"]
    assert outlook.startswith("https://outlook.office.com/calendar/0/action/compose?")
    assert query(outlook) == {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": "ASA conference",
        "startdt": "2031-02-12T09:00:00Z",
        "enddt": "2031-02-12T12:00:00Z",
        "body": "Skills for the green and digital transition.\n\n"
        "https://portal.example.org/meetings/asa-conference/",
        "location": "Maison des Régions, Rue Montoyer 10, Brussels, Online",
    }


def test_the_web_calendar_links_never_carry_the_members_online_link(
    client_for, member, conference
):
    # A member sees the online link on the page; a link copied to a calendar must not.
    response = client_for(member).get("/meetings/asa-conference/")
    assert SECRET_ROOM in response.content.decode()
    for label in ("Google Calendar", "Outlook"):
        values = query(links(response)[label]).values()
        assert not [value for value in values if "secret-room" in value]


def test_a_long_description_is_cut_so_the_links_stay_short_enough_to_open(client, conference):
    conference.description = "Skills " * 2_000
    conference.save()
    for label in ("Google Calendar", "Outlook"):
        url = links(client.get("/meetings/asa-conference/"))[label]
        assert len(url) < 2_000
        assert query(url)["details" if label != "Outlook" else "body"].endswith(
            "…\n\nhttps://portal.example.org/meetings/asa-conference/"
        )


def test_an_online_meeting_names_no_place_but_online(client, conference):
    conference.format = Meeting.Format.ONLINE
    conference.save()
    google = links(client.get("/meetings/asa-conference/"))["Google Calendar"]
    assert query(google)["location"] == "Online"


def test_the_public_calendar_is_offered_as_a_subscription(client, settings_site):
    page = BeautifulSoup(client.get("/meetings/").content, "html.parser")
    subscribe = page.find("a", string="Subscribe to the public calendar")
    download = page.find("a", string="or download it")
    assert subscribe["href"] == "webcal://portal.example.org/calendar.ics"
    assert download["href"] == "/calendar.ics"


def test_a_members_own_feed_is_offered_as_a_subscription(client_for, member):
    other = UserFactory()
    page = BeautifulSoup(client_for(member).get("/accounts/profile/").content, "html.parser")
    subscribe = page.find("a", string="Subscribe in your calendar program")
    assert subscribe["href"] == f"webcal://testserver/calendar/{member.calendar_token}.ics"
    assert other.calendar_token not in subscribe["href"]
