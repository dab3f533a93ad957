"""The agenda PDF is drawn once per meeting and language until the portal's data changes,
whatever the query string and whoever asks; an agenda has at most 75 items."""

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from meetings import views
from meetings.models import AgendaItem, Meeting
from tests.adminpages import errors_of
from tests.factories.meetings import BRUSSELS, AgendaItemFactory, MeetingFactory
from tests.meetings.test_admin import LIST, submit_with_new_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def drawings():
    """Counts the PDFs drawn (each still drawn for real)."""
    with mock.patch.object(views, "agenda_pdf_bytes", side_effect=views.agenda_pdf_bytes) as draw:
        yield draw


@pytest.fixture
def meeting(db):
    meeting = MeetingFactory(slug="wg4-meeting", title="WG4 meeting")
    AgendaItemFactory(meeting=meeting, position=1, title="Welcome")
    return meeting


def test_two_query_strings_draw_the_agenda_once(meeting, drawings):
    first = Client().get("/meetings/wg4-meeting/agenda.pdf?utm_source=a")
    second = Client().get("/meetings/wg4-meeting/agenda.pdf?cachebuster=1")
    assert first.status_code == second.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    assert second.content == first.content
    assert drawings.call_count == 1


def test_a_member_and_a_visitor_share_the_drawn_agenda(meeting, member, drawings):
    client = Client()
    client.force_login(member)
    assert client.get("/meetings/wg4-meeting/agenda.pdf?x=1").status_code == 200
    assert Client().get("/meetings/wg4-meeting/agenda.pdf").status_code == 200
    assert drawings.call_count == 1


def test_a_change_to_the_meeting_draws_the_agenda_anew(meeting, drawings):
    before = Client().get("/meetings/wg4-meeting/agenda.pdf").content
    AgendaItemFactory(meeting=meeting, position=2, title="Open discussion")
    after = Client().get("/meetings/wg4-meeting/agenda.pdf").content
    assert drawings.call_count == 2
    assert after != before


def test_each_language_gets_its_own_agenda(meeting, drawings):
    english = Client(headers={"accept-language": "en"}).get("/meetings/wg4-meeting/agenda.pdf")
    german = Client(headers={"accept-language": "de"}).get("/meetings/wg4-meeting/agenda.pdf")
    assert drawings.call_count == 2
    assert english.content != german.content
    assert "Accept-Language" in german["Vary"]
    again = Client(headers={"accept-language": "de"}).get("/meetings/wg4-meeting/agenda.pdf?y")
    assert again.content == german.content
    assert drawings.call_count == 2


def test_another_meeting_gets_its_own_agenda(meeting, drawings):
    other = MeetingFactory(slug="asa-conference", title="ASA conference")
    AgendaItemFactory(meeting=other, position=1, title="Keynote")
    ours = Client().get("/meetings/wg4-meeting/agenda.pdf").content
    theirs = Client().get("/meetings/asa-conference/agenda.pdf").content
    assert ours != theirs
    assert drawings.call_count == 2


def test_a_visitor_never_gets_a_members_only_agenda_a_member_had_drawn(member, drawings):
    MeetingFactory(slug="closed", visibility=Meeting.Visibility.MEMBERS)
    client = Client()
    client.force_login(member)
    assert client.get("/meetings/closed/agenda.pdf").status_code == 200
    refused = Client().get("/meetings/closed/agenda.pdf")
    assert refused.status_code == 302
    assert refused["Location"].startswith("/accounts/login/")
    assert drawings.call_count == 1


# -- At most 75 items: what the meeting editor can send; a first drawing stays short ---


@pytest.fixture
def long_day(db):
    """A meeting of ten hours with 74 items of a minute each."""
    meeting = MeetingFactory(
        slug="long-day",
        working_group=None,
        start=dt.datetime(2099, 3, 25, 8, tzinfo=BRUSSELS),
        end=dt.datetime(2099, 3, 25, 18, tzinfo=BRUSSELS),
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=n, title=f"Item {n}", duration_minutes=1)
        for n in range(1, 75)
    )
    return meeting


def test_the_seventy_fifth_item_is_accepted(long_day):
    AgendaItem(meeting=long_day, position=75, title="Last", duration_minutes=1).full_clean()


def test_a_seventy_sixth_item_is_refused_with_a_message(long_day):
    AgendaItemFactory(meeting=long_day, position=75, duration_minutes=1)
    extra = AgendaItem(meeting=long_day, position=76, title="One too many", duration_minutes=1)
    with pytest.raises(ValidationError, match="An agenda has at most 75 items."):
        extra.full_clean()


def test_an_item_already_on_a_full_agenda_can_still_be_changed(long_day):
    AgendaItemFactory(meeting=long_day, position=75, duration_minutes=1)
    item = long_day.agenda_items.get(position=1)
    item.title = "Welcome"
    item.full_clean()


def test_the_agenda_editor_refuses_rows_past_seventy_five_and_saves_none(
    django_app, secretariat, long_day
):
    rows = [{"title": "One more", "duration_minutes": "1"}, {"title": "Too many"}]
    refused = submit_with_new_rows(django_app, f"{LIST}{long_day.pk}/change/", secretariat, rows)
    assert refused.status_code == 200
    assert "An agenda has at most 75 items." in errors_of(refused)
    assert long_day.agenda_items.count() == 74


def test_the_agenda_editor_saves_the_seventy_fifth_row(django_app, secretariat, long_day):
    rows = [{"title": "Closing", "duration_minutes": "1"}]
    saved = submit_with_new_rows(django_app, f"{LIST}{long_day.pk}/change/", secretariat, rows)
    assert saved.status_code == 302, errors_of(saved)
    assert long_day.agenda_items.count() == 75
