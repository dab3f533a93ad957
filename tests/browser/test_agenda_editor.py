"""The agenda editor in Chromium at 1,280 px, as the secretariat: a two-day agenda typed
top to bottom in one save, compact rows, rows inserted and duplicated before saving, and
a refused save that keeps every row where it was placed."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from meetings.models import agenda_schedule
from notifications.models import Notification
from tests.browser.checkers import axe_violations
from tests.browser.conftest import LAPTOP, page_width
from tests.factories.accounts import UserFactory
from tests.factories.meetings import AgendaItemFactory, MeetingFactory
from tests.factories.regions import RegionFactory

pytestmark = pytest.mark.django_db(transaction=True)
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
# A saved row at most this tall; the whole change page with six items at most this tall.
ROW_HEIGHT = 100
PAGE_HEIGHT = 2400


@pytest.fixture
def visit():
    return MeetingFactory(
        title="Study visit: automotive transformation in the Stuttgart Region",
        working_group=None,
        time_zone="Europe/Berlin",
        start=dt.datetime(2099, 5, 11, 9, tzinfo=BERLIN),
        end=dt.datetime(2099, 5, 12, 17, tzinfo=BERLIN),
    )


def change_page(page, live_server, meeting):
    page.goto(f"{live_server.url}/admin/meetings/meeting/{meeting.pk}/change/")


def rows_shown(page) -> list[str]:
    """The titles of the agenda's rows in the order the page shows them."""
    return page.locator(".agenda-row:not(.empty-form) [name$='-title']").evaluate_all(
        "inputs => inputs.map(input => input.value)"
    )


def new_row(page):
    """Presses "Add another" and returns the row it added."""
    page.locator("#agenda_items-group .add-row a").click()
    return page.locator(".agenda-row:not(.has_original):not(.empty-form)").last


def type_row(row, title, minutes, day=None, start=None):
    row.locator("[name$='-title']").fill(title)
    row.locator("[name$='-duration_minutes']").fill(str(minutes))
    if day is not None:
        row.locator("[name$='-day']").fill(str(day))
    if start is not None:
        row.locator("[name$='-start_time']").fill(start)


def save(page, live_server):
    page.locator("input[name=_continue]").click()
    page.wait_for_load_state("load")


def spans(meeting) -> list[str]:
    return [
        f"{slot.start:%d %H:%M}–{slot.end:%H:%M} {slot.item.title}"
        for slot in agenda_schedule(meeting, meeting.agenda_items.all())
    ]


def test_six_items_over_two_days_are_typed_top_to_bottom_in_one_save(
    admin_page, live_server, visit
):
    change_page(admin_page, live_server, visit)
    # The page offers one empty row; "Add another" gives the others.
    first = admin_page.locator(".agenda-row:not(.empty-form)").first
    type_row(first, "Welcome by the Stuttgart Region", 30)
    type_row(new_row(admin_page), "Visit of a training centre", 180)
    type_row(new_row(admin_page), "Dinner with the hosts", 120, start="19:00")
    type_row(new_row(admin_page), "Visit of a supplier", 150, day=2, start="09:00")
    # Added below a day-2 row, a row is on day 2 without typing it.
    type_row(new_row(admin_page), "Lunch", 60)
    type_row(new_row(admin_page), "What we take home", 45)
    save(admin_page, live_server)
    assert admin_page.locator(".errornote").count() == 0
    assert spans(visit) == [
        "11 09:00–09:30 Welcome by the Stuttgart Region",
        "11 09:30–12:30 Visit of a training centre",
        "11 19:00–21:00 Dinner with the hosts",
        "12 09:00–11:30 Visit of a supplier",
        "12 11:30–12:30 Lunch",
        "12 12:30–13:15 What we take home",
    ]
    # Just after the save, its messages above the form, the page still fits.
    assert page_width(admin_page) <= LAPTOP["width"]
    height = admin_page.evaluate("document.documentElement.scrollHeight")
    messages = admin_page.locator(".messagelist li").all_inner_texts()
    assert height <= PAGE_HEIGHT, f"the page is {height} px tall, with {messages}"
    assert admin_page.console_errors == []


def test_a_saved_agenda_of_six_items_over_two_days_fits_the_page(admin_page, live_server, visit):
    region = RegionFactory(name="Baden-Württemberg (Stuttgart Region)")
    for position in range(1, 7):
        AgendaItemFactory(
            meeting=visit,
            position=position,
            day=1 if position <= 3 else 2,
            start_time=dt.time(9) if position == 4 else None,
            duration_minutes=45,
            title=f"Best practices from the partner regions, part {position}: what worked",
            presenters="Dr. Maria Musterfrau-Beispielhaft, Ministry of Economic Affairs",
            presenting_region=region,
        )
    change_page(admin_page, live_server, visit)
    heights = admin_page.locator("#agenda_items-group .inline-related.has_original").evaluate_all(
        "rows => rows.map(row => row.getBoundingClientRect().height)"
    )
    assert len(heights) == 6
    assert max(heights) <= ROW_HEIGHT, heights
    assert page_width(admin_page) <= LAPTOP["width"]
    height = admin_page.evaluate("document.documentElement.scrollHeight")
    assert height <= PAGE_HEIGHT, f"the page is {height} px tall"
    # The first item of each day names its day.
    labels = admin_page.locator(".agenda-row.has_original .inline_label").all_inner_texts()
    assert labels[0].startswith("11 May 2099")
    assert labels[3].startswith("12 May 2099")
    assert admin_page.console_errors == []


def test_a_row_inserted_between_rows_not_yet_saved_keeps_its_place(admin_page, live_server, visit):
    change_page(admin_page, live_server, visit)
    first = admin_page.locator(".agenda-row:not(.empty-form)").first
    type_row(first, "Welcome", 30)
    type_row(new_row(admin_page), "Closing", 30)
    first.locator(".agenda-insert").click()
    assert rows_shown(admin_page) == ["Welcome", "", "Closing"]
    # The new row has the focus.
    admin_page.keyboard.type("Training centre")
    save(admin_page, live_server)
    assert [item.title for item in visit.agenda_items.all()] == [
        "Welcome",
        "Training centre",
        "Closing",
    ]


def test_a_row_inserted_below_a_saved_row_keeps_its_place(admin_page, live_server, visit):
    for position, title in enumerate(["Welcome", "Lunch", "Closing"], start=1):
        AgendaItemFactory(meeting=visit, position=position, title=title, duration_minutes=30)
    change_page(admin_page, live_server, visit)
    admin_page.locator(".agenda-row.has_original").nth(1).locator(".agenda-insert").click()
    admin_page.keyboard.type("Visit")
    assert rows_shown(admin_page) == ["Welcome", "Lunch", "Visit", "Closing", ""]
    save(admin_page, live_server)
    assert [item.title for item in visit.agenda_items.all()] == [
        "Welcome",
        "Lunch",
        "Visit",
        "Closing",
    ]


def test_a_duplicated_row_copies_every_field_but_the_document(admin_page, live_server, visit):
    region = RegionFactory(name="Košice")
    AgendaItemFactory(meeting=visit, position=1, title="Welcome", duration_minutes=30)
    AgendaItemFactory(
        meeting=visit,
        position=2,
        title="Best practice from Košice",
        presenters="Ján Novák",
        presenting_region=region,
        kind="showcase",
        duration_minutes=40,
    )
    change_page(admin_page, live_server, visit)
    admin_page.locator(".agenda-row.has_original").first.locator(".agenda-duplicate").click()
    admin_page.locator(".agenda-row.has_original").nth(1).locator(".agenda-duplicate").click()
    save(admin_page, live_server)
    saved = [
        (item.title, item.presenters, item.presenting_region, item.kind, item.duration_minutes)
        for item in visit.agenda_items.all()
    ]
    copy = ("Best practice from Košice", "Ján Novák", region, "showcase", 40)
    welcome = ("Welcome", "", None, "presentation", 30)
    assert saved == [welcome, welcome, copy, copy]


def test_a_refused_save_shows_the_error_on_its_row_and_every_row_in_its_place(
    admin_page, live_server, visit
):
    for position, title in enumerate(["Welcome", "Lunch"], start=1):
        AgendaItemFactory(meeting=visit, position=position, title=title, duration_minutes=30)
    change_page(admin_page, live_server, visit)
    admin_page.locator(".agenda-row.has_original").first.locator(".agenda-insert").click()
    inserted = admin_page.locator(".agenda-row:not(.has_original):not(.empty-form)").first
    type_row(inserted, "Coffee", 15, start="09:10")  # before "Welcome" ends
    save(admin_page, live_server)
    assert rows_shown(admin_page) == ["Welcome", "Coffee", "Lunch", ""]
    refused = admin_page.locator(".agenda-row-errors")
    assert refused.count() == 1
    assert refused.locator("[name$='-title']").input_value() == "Coffee"
    assert refused.locator("[name$='-start_time']").input_value() == "09:10"
    assert refused.locator(".agenda-row-message").inner_text() == (
        "Start time: This item would start at 09:10, before the item above ends (09:30): "
        "choose a later time, or the next day."
    )
    assert [item.title for item in visit.agenda_items.all()] == ["Welcome", "Lunch"]


def test_a_published_two_day_meeting_with_its_emails_sent_fits_the_page(
    admin_page, live_server, visit
):
    region = RegionFactory(name="Baden-Württemberg (Stuttgart Region)")
    for position in range(1, 7):
        AgendaItemFactory(
            meeting=visit,
            position=position,
            day=1 if position <= 3 else 2,
            start_time=dt.time(9) if position == 4 else None,
            duration_minutes=45,
            title=f"Best practices from the partner regions, part {position}: what worked",
            presenters="Dr. Maria Musterfrau-Beispielhaft, Ministry of Economic Affairs",
            presenting_region=region,
        )
    now = timezone.now()
    bouncing = UserFactory(email="bouncing@example.org", email_bouncing_since=now)
    people = [UserFactory(email=f"participant-{n}@example.org") for n in range(4)]
    for person in people:
        Notification.objects.create(
            meeting=visit, person=person, kind="invitation", status="sent", sent_at=now
        )
    Notification.objects.create(meeting=visit, person=bouncing, kind="invitation")
    for person, status in zip(people, ["sent", "sent", "failed", "skipped"], strict=True):
        Notification.objects.create(
            meeting=visit,
            person=person,
            kind="update",
            revision=1,
            status=status,
            sent_at=now if status == "sent" else None,
        )
    for person in people[:2]:
        Notification.objects.create(
            meeting=visit, person=person, kind="reminder", revision=168, status="sent", sent_at=now
        )
    change_page(admin_page, live_server, visit)
    progress = admin_page.locator(".field-email_counts .email-progress li")
    assert [" ".join(line.split()) for line in progress.all_inner_texts()] == [
        "Invitations: 4 of 5 sent, 1 held: address bounced",
        "Reminders: 2 of 2 sent",
        "Updates: 2 of 4 sent, 1 failed, 1 held: no longer needed",
    ]
    # Each kind's progress on one line, and the links below on one line.
    line = progress.first.evaluate("item => parseFloat(getComputedStyle(item).lineHeight)")
    heights = progress.evaluate_all(
        "items => items.map(item => item.getBoundingClientRect().height)"
    )
    links = admin_page.locator(".field-email_links .readonly")
    heights.append(links.evaluate("links => links.getBoundingClientRect().height"))
    assert max(heights) < 2 * line, heights
    assert " ".join(links.inner_text().split()) == (
        "Delivery log · Preview the invitation · Write to participants"
    )
    assert page_width(admin_page) <= LAPTOP["width"]
    height = admin_page.evaluate("document.documentElement.scrollHeight")
    assert height <= PAGE_HEIGHT, f"the page is {height} px tall"
    # The rows' labels, hidden from sight, are still there for screen readers. (The page
    # has other findings, in the admin's own widgets, outside the Emails group.)
    assert [v for v in axe_violations(admin_page) if "email" in v.lower()] == []
    assert admin_page.console_errors == []
