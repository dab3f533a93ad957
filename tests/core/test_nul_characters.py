"""A NUL character in an address: PostgreSQL refuses such text, so without a check each
lookup below is a 500 there. Every one must be a plain 404, on both databases."""

import pytest
from django.test import Client

from tests.factories.meetings import MeetingFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db

IN_A_PATH = [
    "/groups/%00/",
    "/groups/WG4%00/",
    "/calendar/%00.ics",
    "/calendar/abc%00def.ics",
    "/meetings/%00/",
    "/meetings/%00/calendar.ics",
    "/regions/%00/",
    "/practices/%00/",
    "/accounts/reset/%00/%00/",
    "/admin/meetings/meeting/%00/change/",
    "/admin/regions/region/%00/change/",
]

IN_A_QUERY = [
    "/meetings/?working_group=%00",
    "/meetings/?region=%00",
    "/meetings/?kind=%00",
    "/meetings/past/?page=%00",
    "/practices/?q=%00",
    "/practices/?q=a%00b",
    "/regions/compare/?region=%00",
    "/admin/meetings/meeting/?q=%00",
    "/admin/meetings/meeting/?working_group__id__exact=%00",
    "/admin/autocomplete/?term=%00&app_label=meetings&model_name=meeting&field_name=partners",
    "/groups/WG4/?%00=1",
]


@pytest.fixture
def world():
    MeetingFactory(working_group=WorkingGroupFactory(code="WG4"))


@pytest.mark.parametrize("path", IN_A_PATH + IN_A_QUERY)
def test_a_nul_character_in_an_address_is_not_found_for_a_visitor(path, world):
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code == 404, path


@pytest.mark.parametrize("path", IN_A_PATH + IN_A_QUERY)
def test_a_nul_character_in_an_address_is_not_found_for_the_secretariat(
    path, world, client_for, secretariat
):
    client = client_for(secretariat)
    client.raise_request_exception = False
    response = client.get(path)
    assert response.status_code == 404, path
    if path.startswith("/groups/"):
        assert "Sign out" in response.text  # the 404 page still knows who is asking


def test_a_session_cookie_holding_a_nul_character_is_no_session(member):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "abcdefghij\x00klmnop"
    response = client.get("/accounts/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_address_without_nul_still_works(world):
    assert Client().get("/groups/WG4/").status_code == 200
    assert Client().get("/meetings/?working_group=WG4").status_code == 200
