"""A request naming a host the portal does not serve (not in ALLOWED_HOSTS) is refused
with the 400 page, never a 500, whoever sends it."""

import pytest
from django.test import Client

from tests.factories.meetings import MeetingFactory

UNKNOWN_HOST = "attacker.example.net"


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["portal.example.org"]


@pytest.mark.parametrize("path", ["/", "/meetings/", "/accounts/login/", "/no-such-page/"])
def test_an_unknown_host_gets_the_400_page_on_any_address(production, db, path):
    response = Client(raise_request_exception=False).get(path, headers={"host": UNKNOWN_HOST})
    assert response.status_code == 400
    assert "The request could not be accepted" in response.content.decode()


def test_an_unknown_host_gets_the_400_page_on_a_meeting(production, db):
    meeting = MeetingFactory(title="WG4 meeting")
    response = Client(raise_request_exception=False).get(
        f"/meetings/{meeting.slug}/", headers={"host": UNKNOWN_HOST}
    )
    assert response.status_code == 400


def test_a_signed_in_session_with_an_unknown_host_gets_the_400_page(production, member):
    client = Client(raise_request_exception=False)
    client.force_login(member)
    assert client.get("/me/", headers={"host": "portal.example.org"}).status_code == 200
    response = client.get("/me/", headers={"host": UNKNOWN_HOST})
    assert response.status_code == 400
    page = response.content.decode()
    assert "The request could not be accepted" in page
    assert "member@example.org" not in page
