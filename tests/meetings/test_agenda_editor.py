"""Explicit days in an agenda: each item belongs to a day of the meeting, typed top to
bottom in the admin's agenda editor (submitted as the browser submits it)."""

import datetime as dt
import importlib
import zoneinfo

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from meetings.models import AgendaItem, agenda_schedule
from meetings.services import meeting_clone
from tests.adminpages import errors_of, form_with, with_new_inline_rows
from tests.factories.meetings import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


@pytest.fixture
def visit():
    """Two days in Stuttgart, 9:00 on the first to 17:00 on the second; no agenda yet."""
    return MeetingFactory(
        slug="study-visit",
        working_group=None,
        time_zone="Europe/Berlin",
        start=dt.datetime(2099, 5, 11, 9, tzinfo=BERLIN),
        end=dt.datetime(2099, 5, 12, 17, tzinfo=BERLIN),
    )


def spans(meeting) -> list[str]:
    return [
        f"{slot.start:%d %H:%M}–{slot.end:%H:%M}"
        for slot in agenda_schedule(meeting, meeting.agenda_items.all())
    ]


def submit(app, user, meeting, rows):
    url = f"/admin/meetings/meeting/{meeting.pk}/change/"
    form = form_with(app.get(url, user=user), "title")
    pairs = with_new_inline_rows(form, "agenda_items", rows)
    return app.post(url, params=[*pairs, ("_save", "Save")], user=user, expect_errors=True)


# The page offers one empty row (agenda_items-0); the rows typed come after it.
FIRST = 1

TWO_DAYS = [
    {"title": "Welcome", "duration_minutes": "30"},
    {"title": "Training centre", "duration_minutes": "180"},
    {"title": "Dinner", "duration_minutes": "120", "start_time": "19:00"},
    {"title": "Supplier", "duration_minutes": "150", "day": "2", "start_time": "09:00"},
    {"title": "Lunch", "duration_minutes": "60", "day": "2"},
    {"title": "What we take home", "duration_minutes": "45", "day": "2"},
]


# -- the schedule ------------------------------------------------------------------------


def test_an_item_of_day_two_starts_at_its_time_on_the_second_date(visit):
    AgendaItemFactory(meeting=visit, position=1, duration_minutes=60)
    AgendaItemFactory(
        meeting=visit, position=2, day=2, start_time=dt.time(10), duration_minutes=30
    )
    assert spans(visit) == ["11 09:00–10:00", "12 10:00–10:30"]


def test_an_untimed_first_item_of_a_later_day_starts_at_the_meetings_starting_time(visit):
    AgendaItemFactory(meeting=visit, position=1, duration_minutes=60)
    AgendaItemFactory(meeting=visit, position=2, day=2, duration_minutes=30)
    AgendaItemFactory(meeting=visit, position=3, day=2, duration_minutes=15)
    assert spans(visit) == ["11 09:00–10:00", "12 09:00–09:30", "12 09:30–09:45"]


def test_an_untimed_item_after_one_that_ran_past_midnight_follows_it(visit):
    AgendaItemFactory(meeting=visit, position=1, start_time=dt.time(22), duration_minutes=180)
    AgendaItemFactory(meeting=visit, position=2, day=2, duration_minutes=30)
    assert spans(visit) == ["11 22:00–01:00", "12 01:00–01:30"]


def test_each_day_is_headed_by_its_date_from_the_items_day(visit):
    AgendaItemFactory(meeting=visit, position=1, duration_minutes=60)
    AgendaItemFactory(meeting=visit, position=2, duration_minutes=60)
    AgendaItemFactory(meeting=visit, position=3, day=2, start_time=dt.time(9), duration_minutes=60)
    slots = agenda_schedule(visit, visit.agenda_items.all())
    assert [slot.new_day for slot in slots] == [dt.date(2099, 5, 11), None, dt.date(2099, 5, 12)]


def test_a_clone_keeps_each_items_day_on_the_new_dates(visit):
    AgendaItemFactory(meeting=visit, position=1, duration_minutes=60)
    AgendaItemFactory(meeting=visit, position=2, day=2, start_time=dt.time(9), duration_minutes=60)
    clone = meeting_clone(meeting=visit, new_start=dt.datetime(2099, 6, 1, 9, tzinfo=BERLIN))
    assert spans(clone) == ["01 09:00–10:00", "02 09:00–10:00"]


# -- the model's own check ---------------------------------------------------------------


def test_the_model_refuses_a_day_after_the_meetings_last_day(visit):
    item = AgendaItem(meeting=visit, position=1, day=3, title="Too late", duration_minutes=30)
    with pytest.raises(ValidationError) as refused:
        item.full_clean()
    assert refused.value.message_dict == {
        "day": ["The meeting has 2 days: choose a day from 1 to 2."]
    }


def test_the_database_refuses_day_zero(visit):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        AgendaItem.objects.create(meeting=visit, position=1, day=0, title="Day zero")


# -- the editor --------------------------------------------------------------------------


def test_a_two_day_agenda_typed_top_to_bottom_saves_in_one_go(django_app, secretariat, visit):
    saved = submit(django_app, secretariat, visit, TWO_DAYS)
    assert saved.status_code == 302, errors_of(saved)
    items = list(visit.agenda_items.all())
    assert [(i.title, i.day) for i in items] == [
        ("Welcome", 1),
        ("Training centre", 1),
        ("Dinner", 1),
        ("Supplier", 2),
        ("Lunch", 2),
        ("What we take home", 2),
    ]
    assert spans(visit) == [
        "11 09:00–09:30",
        "11 09:30–12:30",
        "11 19:00–21:00",
        "12 09:00–11:30",
        "12 11:30–12:30",
        "12 12:30–13:15",
    ]


def test_an_earlier_time_on_the_same_day_is_refused_on_its_row(django_app, secretariat, visit):
    rows = [dict(row) for row in TWO_DAYS]
    rows[3]["day"] = "1"  # 09:00 after a dinner that ends at 21:00, on the same day
    refused = submit(django_app, secretariat, visit, rows)
    assert refused.status_code == 200
    row = refused.html.select_one(f"#agenda_items-{FIRST + 3}")
    assert row.select_one(".agenda-error-start_time .errorlist").get_text(strip=True) == (
        "This item would start at 09:00, before the item above ends (21:00): "
        "choose a later time, or the next day."
    )
    assert refused.html.select(".agenda-row .errorlist") == row.select(".errorlist")
    assert visit.agenda_items.count() == 0


def test_a_day_after_the_meeting_is_refused_and_every_row_keeps_what_was_typed(
    django_app, secretariat, visit
):
    rows = [dict(row) for row in TWO_DAYS]
    rows[5]["day"] = "3"
    refused = submit(django_app, secretariat, visit, rows)
    assert refused.status_code == 200
    row = refused.html.select_one(f"#agenda_items-{FIRST + 5}")
    assert row.select_one(".agenda-error-day .errorlist").get_text(strip=True) == (
        "The meeting has 2 days: choose a day from 1 to 2."
    )
    form = form_with(refused, "title")
    assert [form[f"agenda_items-{FIRST + n}-title"].value for n in range(6)] == [
        row["title"] for row in TWO_DAYS
    ]
    assert [form[f"agenda_items-{FIRST + n}-day"].value for n in range(6)] == [
        "1",
        "1",
        "1",
        "2",
        "2",
        "3",
    ]
    assert visit.agenda_items.count() == 0


def test_a_day_before_the_day_above_is_refused(django_app, secretariat, visit):
    rows = [dict(row) for row in TWO_DAYS]
    rows[4]["day"] = "1"
    rows[4]["start_time"] = "14:00"
    refused = submit(django_app, secretariat, visit, rows)
    row = refused.html.select_one(f"#agenda_items-{FIRST + 4}")
    assert row.select_one(".agenda-error-day .errorlist").get_text(strip=True) == (
        "The item above is on day 2: move this item up, or choose day 2 or later."
    )


def test_a_new_row_with_only_the_day_and_place_the_script_sets_stays_empty(
    django_app, secretariat, visit
):
    rows = [
        {"title": "Welcome", "duration_minutes": "30"},
        {"day": "2", "position": "2"},  # added, never typed in
    ]
    saved = submit(django_app, secretariat, visit, rows)
    assert saved.status_code == 302, errors_of(saved)
    assert list(visit.agenda_items.values_list("title", flat=True)) == ["Welcome"]


def test_a_saved_item_moved_to_day_two_alone_is_saved(django_app, secretariat, visit):
    AgendaItemFactory(meeting=visit, position=1, title="Welcome", duration_minutes=30)
    item = AgendaItemFactory(meeting=visit, position=2, title="Plant visit", duration_minutes=60)
    url = f"/admin/meetings/meeting/{visit.pk}/change/"
    form = form_with(django_app.get(url, user=secretariat), "title")
    form["agenda_items-1-day"] = "2"
    saved = form.submit("_save")
    assert saved.status_code == 302, errors_of(saved)
    item.refresh_from_db()
    assert item.day == 2


# -- existing agendas --------------------------------------------------------------------


def test_the_migration_gives_items_after_the_earlier_time_trick_the_next_day(visit):
    """Before days were explicit, a time earlier than the previous item's end started
    the next day; the migration writes that day down, so the agenda reads the same."""
    titles = ["Welcome", "Dinner", "Plant visit", "Lunch", "Night walk", "Breakfast talk"]
    times = [None, dt.time(19), dt.time(9), None, dt.time(23), dt.time(8)]
    minutes = [30, 120, 180, 60, 120, 30]
    for position, (title, time, length) in enumerate(
        zip(titles, times, minutes, strict=True), start=1
    ):
        AgendaItemFactory(
            meeting=visit, position=position, title=title, start_time=time, duration_minutes=length
        )
    other = MeetingFactory(start=dt.datetime(2099, 5, 11, 9, tzinfo=BERLIN))
    AgendaItemFactory(meeting=other, position=1, start_time=dt.time(8), duration_minutes=30)
    migration = importlib.import_module("meetings.migrations.0009_agendaitem_day")
    migration.days_from_times(apps, None)
    days = dict(AgendaItem.objects.values_list("title", "day"))
    assert [days[title] for title in titles] == [1, 1, 2, 2, 2, 3]
    assert other.agenda_items.get().day == 1
