"""The time-zone menus (a meeting's zone in the admin, a person's on the profile) offer
today's zone names from tzdata, Europe's first; old names a meeting or a profile holds
still validate and show."""

import zoneinfo

import pytest
from bs4 import BeautifulSoup

from accounts.models import current_time_zones, validate_time_zone

pytestmark = pytest.mark.django_db


def test_every_zone_in_the_menu_is_one_python_knows():
    zones = current_time_zones()
    assert len(zones) > 300
    assert set(zones) <= zoneinfo.available_timezones()


def test_old_aliases_still_validate():
    for alias in ("Europe/Kiev", "US/Eastern", "GB", "Etc/GMT+1"):
        validate_time_zone(alias)


def profile_zones(page) -> list[tuple[str, bool]]:
    select = BeautifulSoup(page.content, "html.parser").select_one("select[name=time_zone]")
    return [(option["value"], option.has_attr("selected")) for option in select.select("option")]


def test_the_profile_menu_offers_the_portals_time_then_europe(client_for, member):
    options = profile_zones(client_for(member).get("/accounts/profile/"))
    assert options[0] == ("", True)
    assert options[1] == ("Europe/Amsterdam", False)
    assert "US/Eastern" not in [name for name, _ in options]


def test_a_profile_in_an_old_zone_name_shows_it_chosen_and_saves(client_for, member):
    member.time_zone = "US/Eastern"
    member.save()
    client = client_for(member)
    options = profile_zones(client.get("/accounts/profile/"))
    assert options[1] == ("US/Eastern", True)
    form = {
        "first_name": "Mia",
        "last_name": member.last_name,
        "organisation": "",
        "language": "en",
        "time_zone": "US/Eastern",
        "meeting_reminders": "on",
        "meeting_emails": "on",
    }
    response = client.post("/accounts/profile/", form)
    assert response.status_code == 302, response.content[:2000]
    member.refresh_from_db()
    assert (member.first_name, member.time_zone) == ("Mia", "US/Eastern")
