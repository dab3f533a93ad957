"""The demo world's 27 March 2024 meeting has its minutes, and the events it announced
link to their pages."""

import re

import pytest
from django.core.management import call_command
from django.urls import resolve

from accounts.models import User
from meetings.models import Meeting
from notifications.models import Notification
from practices.models import Practice

pytestmark = pytest.mark.django_db

SLUG = "wg4-meeting-2024-03-27"


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Meeting.objects.get(slug=SLUG)


def links_of(meeting: Meeting) -> list[str]:
    return re.findall(r'<a href="([^"]+)"', meeting.minutes_html)


def test_the_march_2024_minutes_cover_what_the_meeting_covered(seeded):
    text = seeded.minutes
    for words in ("Göteborg", "Košice", "Stuttgart", "EDUCAM", "ARA", "CORAI", "10 April"):
        assert words in text


def test_the_minutes_link_to_the_events_they_announced(seeded):
    announced = {
        resolve(link).kwargs["slug"] for link in links_of(seeded) if link.startswith("/meetings/")
    }
    assert announced == {"asa-conference-2024-04-10", "wg4-next-meeting", "study-visit-stuttgart"}
    assert Meeting.objects.filter(slug__in=announced).count() == 3


def test_the_minutes_link_to_the_four_published_write_ups(seeded):
    slugs = {
        resolve(link).kwargs["slug"] for link in links_of(seeded) if link.startswith("/practices/")
    }
    assert len(slugs) == 4
    assert Practice.objects.published().filter(slug__in=slugs).count() == 4


def test_adding_the_minutes_sends_nothing_about_the_past_meeting(seeded):
    assert not Notification.objects.filter(meeting=seeded).exists()


def test_seeding_again_keeps_the_minutes_as_they_are(seeded):
    Meeting.objects.filter(pk=seeded.pk).update(minutes="Edited by the secretariat.")
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Meeting.objects.get(pk=seeded.pk).minutes == "Edited by the secretariat."


def test_members_read_the_minutes_on_the_meeting_page(seeded, client_for):
    member = User.objects.get(email="member@example.org")
    page = client_for(member).get(f"/meetings/{SLUG}/").content.decode()
    assert 'href="/meetings/wg4-next-meeting/"' in page
