"""Reminder times are chosen in the admin, not typed as JSON: common times to tick, other
hours to type, and the meeting's reminders said in words."""

import pytest
from bs4 import BeautifulSoup
from django.utils import translation

from meetings.models import Meeting
from meetings.timefmt import reminder_in_words, reminders_in_words
from tests.factories.meetings import DraftMeetingFactory
from tests.meetings.test_admin import LIST, agenda_form, meeting_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client_for, secretariat):
    return client_for(secretariat)


@pytest.fixture
def draft():
    return DraftMeetingFactory(slug="wg4-meeting", reminder_hours=[168, 48])


def save(admin_client, meeting, **reminders):
    return admin_client.post(
        f"{LIST}{meeting.pk}/change/", {**meeting_form(**reminders), **agenda_form([])}
    )


def test_the_form_ticks_the_common_times_and_shows_the_others_as_typed(admin_client, draft):
    page = BeautifulSoup(admin_client.get(f"{LIST}{draft.pk}/change/").content, "html.parser")
    boxes = {
        box["value"]: (box.has_attr("checked"), box.find_parent("label").get_text(strip=True))
        for box in page.select("input[name=reminder_hours_0]")
    }
    assert boxes == {
        "168": (True, "1 week before"),
        "72": (False, "3 days before"),
        "24": (False, "1 day before"),
        "2": (False, "2 hours before"),
    }
    assert page.select_one("input[name=reminder_hours_1]")["value"] == "48"
    assert "Now: 1 week before, 2 days before." in page.get_text()


def shown(admin_client, meeting) -> tuple[list[str], str]:
    """The ticked common times and the other hours, as the change form shows them."""
    page = BeautifulSoup(admin_client.get(f"{LIST}{meeting.pk}/change/").content, "html.parser")
    ticked = [box["value"] for box in page.select("input[name=reminder_hours_0][checked]")]
    return ticked, page.select_one("input[name=reminder_hours_1]").get("value", "")


@pytest.mark.parametrize(
    ("stored", "ticked", "other"),
    [
        ([168, 36, 2], ["168", "2"], "36"),
        ([34], [], "34"),
        ([168, 72, 24, 2], ["168", "72", "24", "2"], ""),
        ([100, 50, 24], ["24"], "100, 50"),
        ([], [], ""),
    ],
)
def test_every_stored_time_shows_on_the_form(admin_client, stored, ticked, other):
    meeting = DraftMeetingFactory(slug="wg4-meeting", reminder_hours=stored)
    other_meeting = DraftMeetingFactory(slug="wg3-meeting", reminder_hours=[72, 12])
    assert shown(admin_client, meeting) == (ticked, other)
    assert shown(admin_client, other_meeting) == (["72"], "12")


def test_saving_a_meeting_again_as_shown_keeps_its_reminders(admin_client):
    meeting = DraftMeetingFactory(slug="wg4-meeting", reminder_hours=[168, 36, 2])
    ticked, other = shown(admin_client, meeting)
    save(admin_client, meeting, reminder_hours_0=ticked, reminder_hours_1=other)
    assert Meeting.objects.get(pk=meeting.pk).reminder_hours == [168, 36, 2]


def test_ticked_and_typed_times_are_saved_as_hours(admin_client, draft):
    response = save(admin_client, draft, reminder_hours_0=["168", "2"], reminder_hours_1="36, 5")
    assert response.status_code == 302
    assert Meeting.objects.get(pk=draft.pk).reminder_hours == [168, 36, 5, 2]


def test_nothing_ticked_means_no_reminders(admin_client, draft):
    save(admin_client, draft, reminder_hours_0=[], reminder_hours_1="")
    assert Meeting.objects.get(pk=draft.pk).reminder_hours == []


@pytest.mark.parametrize("typed", ["two days", "0", "2161", "12, -3"])
def test_other_times_that_are_not_hours_are_refused_with_what_was_typed_kept(
    admin_client, draft, typed
):
    response = save(admin_client, draft, reminder_hours_0=["24"], reminder_hours_1=typed)
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert "whole hours before the start, from 1 to 2160" in page.get_text()
    assert page.select_one("input[name=reminder_hours_1]")["value"] == typed
    assert page.select_one("input[name=reminder_hours_0][value='24']").has_attr("checked")
    assert Meeting.objects.get(pk=draft.pk).reminder_hours == [168, 48]


@pytest.mark.parametrize(
    ("hours", "words"),
    [
        (168, "1 week before"),
        (336, "2 weeks before"),
        (72, "3 days before"),
        (24, "1 day before"),
        (36, "36 hours before"),
        (1, "1 hour before"),
    ],
)
def test_a_reminder_time_in_words(hours, words):
    assert reminder_in_words(hours) == words


def test_a_meetings_reminders_in_words_earliest_first_and_in_the_readers_language():
    assert reminders_in_words([24, 168]) == "1 week before, 1 day before"
    assert reminders_in_words([]) == "no reminders"
    with translation.override("de"):
        assert reminders_in_words([2, 72]) == "3 Tage vorher, 2 Stunden vorher"
