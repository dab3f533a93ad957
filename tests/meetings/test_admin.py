"""The secretariat's workplace, driven through the test client as the secretariat."""

import csv
import datetime as dt
import io

import pytest
from bs4 import BeautifulSoup

from meetings.models import AgendaItem, Attendance, Meeting
from tests.adminpages import changelist_action, errors_of, form_with, with_new_inline_rows
from tests.factories.accounts import UserFactory
from tests.factories.meetings import (
    BRUSSELS,
    AgendaItemFactory,
    AttendanceFactory,
    DraftMeetingFactory,
    MeetingFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db

ADD = "/admin/meetings/meeting/add/"
LIST = "/admin/meetings/meeting/"


@pytest.fixture
def admin_client(client_for, secretariat):
    return client_for(secretariat)


def meeting_form(**overrides) -> dict:
    data = {
        "title": "WG4 meeting",
        "slug": "wg4-meeting",
        "kind": "wg_meeting",
        "working_group": "",
        "description": "",
        "time_zone": "Europe/Brussels",
        "start_0": "2099-03-25",
        "start_1": "10:00",
        "end_0": "2099-03-25",
        "end_1": "13:00",
        "registration_deadline_0": "",
        "registration_deadline_1": "",
        "format": "hybrid",
        "venue": "Maison des Régions",
        "address": "Rue Montoyer 10, Brussels",
        "online_link": "https://meet.example.org/wg4",
        "capacity": "",
        "host_region": "",
        "visibility": "public",
        "reminder_hours_0": ["168", "24"],
        "reminder_hours_1": "",
        # The event's questions (an inline of their own): none.
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def agenda_form(rows: list[dict], initial: int = 0, prefix: str = "agenda_items") -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        values = {
            "position": str(n + 1),
            "start_time": "",
            "duration_minutes": "20",
            "title": f"Item {n + 1}",
            "kind": "presentation",
            "presenters": "",
            "presenting_region": "",
            "showcased_practice": "",
            **row,
        }
        for name, value in values.items():
            data[f"{prefix}-{n}-{name}"] = value
    return data


def existing_rows(meeting: Meeting) -> list[dict]:
    return [
        {
            "id": str(item.pk),
            "meeting": str(meeting.pk),
            "position": str(item.position),
            "duration_minutes": str(item.duration_minutes),
            "title": item.title,
        }
        for item in meeting.agenda_items.all()
    ]


def test_the_secretariat_adds_a_meeting_with_six_agenda_items(admin_client):
    rows = [{"title": f"Item {n}"} for n in range(1, 7)]
    response = admin_client.post(ADD, {**meeting_form(), **agenda_form(rows)})
    assert response.status_code == 302, response.context["errors"]
    meeting = Meeting.objects.get(slug="wg4-meeting")
    assert [i.title for i in meeting.agenda_items.all()] == [f"Item {n}" for n in range(1, 7)]
    assert [i.position for i in meeting.agenda_items.all()] == [1, 2, 3, 4, 5, 6]
    assert meeting.status == Meeting.Status.DRAFT


def test_times_are_entered_in_the_events_own_zone(admin_client):
    form = meeting_form(time_zone="Europe/Helsinki")
    admin_client.post(ADD, {**form, **agenda_form([])})
    meeting = Meeting.objects.get(slug="wg4-meeting")
    assert meeting.start == dt.datetime(2099, 3, 25, 8, tzinfo=dt.UTC)  # 10:00 in Helsinki


def test_an_agenda_item_after_the_end_is_refused_and_nothing_saved(admin_client):
    rows = [{"duration_minutes": "120"}, {"duration_minutes": "90"}]
    response = admin_client.post(ADD, {**meeting_form(), **agenda_form(rows)})
    assert response.status_code == 200
    assert "after the meeting ends (13:00)" in response.content.decode()
    assert not Meeting.objects.exists()


def test_an_agenda_item_before_the_start_is_refused_on_its_row(admin_client):
    rows = [{"start_time": "09:30"}, {}]
    response = admin_client.post(ADD, {**meeting_form(), **agenda_form(rows)})
    assert response.status_code == 200
    assert "This item would start at 09:30, before the meeting starts (10:00)." in (
        response.content.decode()
    )
    assert not Meeting.objects.exists()


def test_an_agenda_item_at_the_meetings_start_is_accepted(admin_client):
    rows = [{"start_time": "10:00"}, {}]
    response = admin_client.post(ADD, {**meeting_form(), **agenda_form(rows)})
    assert response.status_code == 302


def test_moving_a_meeting_later_than_its_first_timed_item_asks_for_the_item_to_move(
    admin_client,
):
    rows = [{"start_time": "10:00"}, {}]
    admin_client.post(ADD, {**meeting_form(), **agenda_form(rows)})
    meeting = Meeting.objects.get(slug="wg4-meeting")
    change = f"/admin/meetings/meeting/{meeting.pk}/change/"
    moved = meeting_form(start_1="11:00", end_1="14:00")
    saved = existing_rows(meeting)
    saved[0]["start_time"] = "10:00"
    response = admin_client.post(change, {**moved, **agenda_form(saved, initial=2)})
    assert "before the meeting starts (11:00)" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.local_start.hour == 10


def test_an_end_before_the_start_is_refused(admin_client):
    response = admin_client.post(ADD, {**meeting_form(end_1="09:00"), **agenda_form([])})
    assert "The end must be after the start." in response.content.decode()
    assert not Meeting.objects.exists()


def test_an_unknown_time_zone_is_refused_clearly(admin_client):
    response = admin_client.post(
        ADD, {**meeting_form(time_zone="Mars/Olympus"), **agenda_form([{}])}
    )
    assert "is not a known time zone" in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_capacity_below_the_seats_given_is_refused(admin_client):
    meeting = MeetingFactory(slug="wg4-meeting", capacity=10, working_group=None)
    AttendanceFactory.create_batch(3, meeting=meeting, answer=Attendance.Answer.IN_PERSON)
    response = admin_client.post(
        f"{LIST}{meeting.pk}/change/", {**meeting_form(capacity="2"), **agenda_form([])}
    )
    assert "3 people already have an in-person seat" in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).capacity == 10


def test_reordering_the_inline_saves_the_new_order(admin_client):
    meeting = MeetingFactory(
        slug="wg4-meeting",
        working_group=None,
        start=dt.datetime(2099, 3, 25, 10, tzinfo=BRUSSELS),
        end=dt.datetime(2099, 3, 25, 13, tzinfo=BRUSSELS),
    )
    for n in (1, 2, 3):
        AgendaItemFactory(meeting=meeting, position=n, title=f"Item {n}")
    rows = existing_rows(meeting)
    rows[0]["position"], rows[2]["position"] = "3", "1"
    response = admin_client.post(
        f"{LIST}{meeting.pk}/change/", {**meeting_form(), **agenda_form(rows, initial=3)}
    )
    assert response.status_code == 302
    assert [i.title for i in meeting.agenda_items.all()] == ["Item 3", "Item 2", "Item 1"]


def test_changing_the_time_in_the_admin_raises_the_sequence(admin_client):
    meeting = MeetingFactory(
        slug="wg4-meeting",
        working_group=None,
        start=dt.datetime(2099, 3, 25, 10, tzinfo=BRUSSELS),
        end=dt.datetime(2099, 3, 25, 13, tzinfo=BRUSSELS),
    )
    admin_client.post(
        f"{LIST}{meeting.pk}/change/", {**meeting_form(start_1="10:30"), **agenda_form([])}
    )
    assert Meeting.objects.get(pk=meeting.pk).sequence == 1


def test_saving_unchanged_times_in_the_admin_keeps_the_sequence(admin_client):
    meeting = MeetingFactory(
        slug="wg4-meeting",
        working_group=None,
        start=dt.datetime(2099, 3, 25, 10, tzinfo=BRUSSELS),
        end=dt.datetime(2099, 3, 25, 13, tzinfo=BRUSSELS),
        online_link="https://meet.example.org/wg4",
    )
    admin_client.post(
        f"{LIST}{meeting.pk}/change/", {**meeting_form(title="Renamed"), **agenda_form([])}
    )
    meeting.refresh_from_db()
    assert (meeting.title, meeting.sequence) == ("Renamed", 0)


def test_the_change_page_shows_each_items_time(admin_client):
    meeting = MeetingFactory(start=dt.datetime(2099, 3, 25, 10, tzinfo=BRUSSELS))
    AgendaItemFactory(meeting=meeting, position=1, duration_minutes=30)
    AgendaItemFactory(meeting=meeting, position=2, duration_minutes=30)
    page = admin_client.get(f"{LIST}{meeting.pk}/change/").content.decode()
    assert "10:30–11:00" in page


@pytest.mark.django_db(transaction=True)  # each request outside a test transaction
def test_the_publish_action_publishes_the_ticked_drafts(django_app, secretariat):
    ticked, untouched = DraftMeetingFactory(), DraftMeetingFactory()
    asked = changelist_action(django_app, LIST, "publish", [ticked], secretariat)
    page = form_with(asked, "apply").submit().follow()
    assert "1 meeting published." in page.text
    assert Meeting.objects.get(pk=ticked.pk).status == Meeting.Status.PUBLISHED
    assert Meeting.objects.get(pk=untouched.pk).status == Meeting.Status.DRAFT


@pytest.mark.django_db(transaction=True)
def test_publishing_a_meeting_with_nobody_to_invite_warns_the_secretariat(django_app, secretariat):
    empty = DraftMeetingFactory(title="Empty group meeting")
    full = DraftMeetingFactory(
        title="Full group meeting", working_group=WorkingGroupFactory(members=[UserFactory()])
    )
    asked = changelist_action(django_app, LIST, "publish", [empty, full], secretariat)
    page = form_with(asked, "apply").submit().follow()
    assert "2 meetings published." in page.text
    assert "“Empty group meeting” is published, but nobody is invited yet" in page.text
    assert "“Full group meeting” is published, but" not in page.text


@pytest.mark.django_db(transaction=True)
def test_the_cancel_action_cancels_the_ticked_meetings(django_app, secretariat):
    meeting = MeetingFactory()
    asked = changelist_action(django_app, LIST, "cancel", [meeting], secretariat)
    page = form_with(asked, "reason").submit().follow()
    assert "1 meeting cancelled." in page.text
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.CANCELLED


def test_the_clone_action_asks_for_the_new_date_first(django_app, secretariat):
    meeting = MeetingFactory()
    asked = changelist_action(django_app, LIST, "clone", [meeting], secretariat)
    assert asked.status_code == 200
    assert "new_date" in form_with(asked, "new_date").fields
    assert Meeting.objects.count() == 1


def test_cloning_two_meetings_at_once_is_refused_clearly(django_app, secretariat):
    meetings = MeetingFactory.create_batch(2)
    page = changelist_action(django_app, LIST, "clone", meetings, secretariat).follow()
    assert "Choose exactly one meeting to clone." in page.text
    assert Meeting.objects.count() == 2


def test_the_clone_action_creates_a_shifted_draft(admin_client):
    meeting = MeetingFactory(
        start=dt.datetime(2099, 3, 25, 10, tzinfo=BRUSSELS),
        end=dt.datetime(2099, 3, 25, 13, tzinfo=BRUSSELS),
    )
    AgendaItemFactory(meeting=meeting, title="Welcome")
    response = admin_client.post(
        LIST,
        {
            "action": "clone",
            "_selected_action": [meeting.pk],
            "apply": "1",
            "title": "WG4 meeting in June",
            "new_date": "2099-06-17",
            "new_time": "09:30",
            "slug": "wg4-june",
        },
    )
    clone = Meeting.objects.get(slug="wg4-june")
    assert response["Location"] == f"{LIST}{clone.pk}/change/"
    assert clone.local_start == dt.datetime(2099, 6, 17, 9, 30, tzinfo=BRUSSELS)
    assert clone.local_end == dt.datetime(2099, 6, 17, 12, 30, tzinfo=BRUSSELS)
    assert [i.title for i in clone.agenda_items.all()] == ["Welcome"]


def test_the_csv_export_lists_answers_and_silent_members(django_app, secretariat, member):
    quiet = member.__class__.objects.create_user("quiet@example.org")
    meeting = MeetingFactory(working_group=WorkingGroupFactory(members=[member, quiet]))
    AttendanceFactory(meeting=meeting, user=member, answer=Attendance.Answer.ONLINE)
    response = changelist_action(django_app, LIST, "export_participants", [meeting], secretariat)
    assert response.content_type == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {(r["email"], r["answer"]) for r in rows} == {
        ("member@example.org", "Online"),
        ("quiet@example.org", "No answer"),
    }


def test_the_csv_export_makes_formula_like_names_plain_text(admin_client, member):
    member.organisation = '=HYPERLINK("http://evil.example")'
    member.save()
    meeting = MeetingFactory()
    AttendanceFactory(meeting=meeting, user=member, answer=Attendance.Answer.ONLINE)
    response = admin_client.post(
        LIST, {"action": "export_participants", "_selected_action": [meeting.pk]}
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["organisation"].startswith("'=")


def test_the_list_shows_the_answers_so_far(admin_client, member):
    meeting = MeetingFactory(working_group=WorkingGroupFactory(members=[member]))
    AttendanceFactory(meeting=meeting, answer=Attendance.Answer.DECLINED)
    page = admin_client.get(LIST).content.decode()
    assert '<span class="answer-count">1 declined</span>' in page
    assert '<span class="answer-count">1 no answer</span>' in page


def test_the_list_costs_the_same_queries_for_many_meetings(
    admin_client, django_assert_max_num_queries
):
    MeetingFactory()
    with django_assert_max_num_queries(12) as few:
        admin_client.get(LIST)
    for _ in range(30):
        AttendanceFactory(meeting=MeetingFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client.get(LIST)


def history_rows(page: str) -> list[tuple[str, str]]:
    """(action, changes) of each row of a history page, newest first."""
    table = BeautifulSoup(page, "html.parser").select_one("#change-history")
    assert table is not None, "no history table on the page"
    return [
        (cells[2].get_text(" ", strip=True), " ".join(cells[5].get_text(" ", strip=True).split()))
        for cells in (row.select("td") for row in table.select("tbody tr"))
    ]


def test_the_history_shows_what_changed_in_a_meeting(admin_client):
    meeting = MeetingFactory(title="First title")
    meeting.title = "Second title"
    meeting.save()
    page = admin_client.get(f"{LIST}{meeting.pk}/history/").content.decode()
    assert history_rows(page) == [
        ("Changed", "Title: First title \u2192 Second title"),
        ("Created", ""),
    ]


def test_the_history_of_an_unchanged_meeting_has_only_its_creation(admin_client):
    meeting = MeetingFactory(title="First title")
    page = admin_client.get(f"{LIST}{meeting.pk}/history/").content.decode()
    assert history_rows(page) == [("Created", "")]


def test_a_deleted_agenda_item_is_restored_from_its_history(admin_client):
    item = AgendaItemFactory(title="Lost item")
    pk, meeting = item.pk, item.meeting
    item.delete()
    record = AgendaItem.history.filter(id=pk, history_type="-").get()
    previous = AgendaItem.history.filter(id=pk, history_type="+").get()
    url = f"/admin/meetings/agendaitem/{pk}/history/{previous.history_id}/"
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        {
            "meeting": meeting.pk,
            "position": record.position,
            "day": record.day,
            "duration_minutes": record.duration_minutes,
            "title": record.title,
            "kind": record.kind,
        },
    )
    assert response.status_code == 302
    assert AgendaItem.objects.get(pk=pk).title == "Lost item"


def test_other_people_cannot_open_the_meetings_admin(client_for, member):
    response = client_for(member).get(LIST)
    assert response.status_code == 302


def test_the_change_page_shows_times_in_the_events_zone(admin_client):
    meeting = MeetingFactory(
        time_zone="Europe/Helsinki",
        start=dt.datetime(2099, 3, 25, 8, tzinfo=dt.UTC),
        end=dt.datetime(2099, 3, 25, 11, tzinfo=dt.UTC),
    )
    page = admin_client.get(f"{LIST}{meeting.pk}/change/").content.decode()
    assert 'name="start_1" value="10:00"' in page


def test_the_add_page_opens(admin_client):
    assert admin_client.get(ADD).status_code == 200


def test_the_working_group_admin_lists_groups(admin_client):
    WorkingGroupFactory(code="WG4")
    assert "WG4" in admin_client.get("/admin/meetings/workinggroup/").content.decode()


# -- the agenda editor, submitted as the browser submits it ------------------------------


def submit_with_new_rows(app, url: str, user, rows: list[dict], **fields):
    page = app.get(url, user=user)
    form = form_with(page, "title")
    for name, value in fields.items():
        form[name] = value
    pairs = with_new_inline_rows(form, "agenda_items", rows)
    return app.post(url, params=[*pairs, ("_save", "Save")], user=user)


def test_ten_agenda_items_typed_at_once_save_in_the_order_typed(django_app, secretariat):
    rows = [{"title": f"Item {n}", "duration_minutes": "15"} for n in range(1, 11)]
    saved = submit_with_new_rows(
        django_app,
        ADD,
        secretariat,
        rows,
        title="WG4 meeting",
        slug="wg4-meeting",
        start_0="2099-03-25",
        start_1="10:00",
        end_0="2099-03-25",
        end_1="13:00",
    )
    assert saved.status_code == 302, errors_of(saved)
    meeting = Meeting.objects.get(slug="wg4-meeting")
    items = list(meeting.agenda_items.all())
    assert [i.title for i in items] == [f"Item {n}" for n in range(1, 11)]
    assert [i.position for i in items] == list(range(1, 11))


@pytest.fixture
def agenda(db):
    meeting = MeetingFactory(
        slug="wg4-meeting",
        working_group=None,
        start=dt.datetime(2099, 3, 25, 10, tzinfo=BRUSSELS),
        end=dt.datetime(2099, 3, 25, 13, tzinfo=BRUSSELS),
    )
    for n in (1, 2, 3):
        AgendaItemFactory(meeting=meeting, position=n, title=f"Item {n}", duration_minutes=20)
    return meeting


def test_new_agenda_items_not_moved_go_after_the_existing_ones(django_app, secretariat, agenda):
    rows = [{"title": "Later A"}, {"title": "Later B"}]
    url = f"{LIST}{agenda.pk}/change/"
    saved = submit_with_new_rows(django_app, url, secretariat, rows)
    assert saved.status_code == 302, errors_of(saved)
    titles = [i.title for i in agenda.agenda_items.all()]
    assert titles == ["Item 1", "Item 2", "Item 3", "Later A", "Later B"]


def test_new_agenda_items_dragged_between_existing_ones_keep_that_place(
    django_app, secretariat, agenda
):
    # Dragging renumbers every row of the inline, the new ones too.
    rows = [
        {"title": "Between 1 and 2", "position": "2"},
        {"title": "Between 2 and 3", "position": "4"},
    ]
    url = f"{LIST}{agenda.pk}/change/"
    moved = {"agenda_items-0-position": "1", "agenda_items-1-position": "3",
             "agenda_items-2-position": "5"}  # fmt: skip
    saved = submit_with_new_rows(django_app, url, secretariat, rows, **moved)
    assert saved.status_code == 302, errors_of(saved)
    titles = [i.title for i in agenda.agenda_items.all()]
    assert titles == ["Item 1", "Between 1 and 2", "Item 2", "Between 2 and 3", "Item 3"]
    assert [i.position for i in agenda.agenda_items.all()] == [1, 2, 3, 4, 5]


# -- the clone form, as the browser shows and submits it ---------------------------------


def test_the_clone_form_prefills_the_date_and_time_in_the_format_it_expects(
    django_app, secretariat
):
    meeting = MeetingFactory(
        title="WG4 meeting",
        start=dt.datetime(2027, 3, 17, 10, tzinfo=BRUSSELS),
        end=dt.datetime(2027, 3, 17, 13, tzinfo=BRUSSELS),
    )
    asked = changelist_action(django_app, LIST, "clone", [meeting], secretariat)
    form = form_with(asked, "new_date")
    date_input = asked.html.select_one("input[name=new_date]")
    assert (date_input["type"], date_input["value"]) == ("date", "2027-03-17")
    assert asked.html.select_one("input[name=new_time]")["type"] == "time"
    assert "YYYY-MM-DD" not in asked.text  # the browser's date picker shows its own format
    # Submitted as prefilled (same day, same time), the form is accepted.
    assert (form["title"].value, form["new_date"].value, form["new_time"].value) == (
        "WG4 meeting",
        "2027-03-17",
        "10:00",
    )
    saved = form.submit()
    assert saved.status_code == 302, errors_of(saved)
    clone = Meeting.objects.exclude(pk=meeting.pk).get()
    assert clone.local_start == dt.datetime(2027, 3, 17, 10, tzinfo=BRUSSELS)


def test_the_clone_gets_the_title_typed_in_the_clone_form(django_app, secretariat):
    meeting = MeetingFactory(title="WG4 meeting March 2027")
    form = form_with(changelist_action(django_app, LIST, "clone", [meeting], secretariat), "title")
    form["title"] = "WG4 meeting June 2027"
    form["new_date"] = "2027-06-16"
    saved = form.submit()
    assert saved.status_code == 302, errors_of(saved)
    assert Meeting.objects.exclude(pk=meeting.pk).get().title == "WG4 meeting June 2027"
    assert Meeting.objects.get(pk=meeting.pk).title == "WG4 meeting March 2027"


def test_a_clone_form_with_a_date_in_another_format_is_refused_and_keeps_what_was_typed(
    django_app, secretariat
):
    meeting = MeetingFactory(title="WG4 meeting")
    form = form_with(changelist_action(django_app, LIST, "clone", [meeting], secretariat), "title")
    form["title"] = "WG4 in June"
    form["new_date"] = "16/06/2027"
    again = form.submit()
    assert again.status_code == 200
    assert "Enter a valid date." in errors_of(again)
    assert form_with(again, "title")["title"].value == "WG4 in June"
    assert Meeting.objects.count() == 1


def test_the_clone_gets_an_address_made_from_its_new_title(django_app, secretariat):
    meeting = MeetingFactory(title="WG4 meeting March 2027", slug="wg4-march-2027")
    form = form_with(changelist_action(django_app, LIST, "clone", [meeting], secretariat), "title")
    form["title"] = "WG4 meeting June 2027"
    form["new_date"] = "2027-06-16"
    assert form.submit().status_code == 302
    assert Meeting.objects.exclude(pk=meeting.pk).get().slug == "wg4-meeting-june-2027"


def test_a_clone_that_keeps_the_title_gets_its_date_in_the_address(django_app, secretariat):
    meeting = MeetingFactory(title="WG4 meeting", slug="wg4-meeting")
    form = form_with(changelist_action(django_app, LIST, "clone", [meeting], secretariat), "title")
    form["new_date"] = "2027-06-16"
    assert form.submit().status_code == 302
    assert Meeting.objects.exclude(pk=meeting.pk).get().slug == "wg4-meeting-2027-06-16"


# -- the registration deadline's default and the time-zone menu ---------------------------


def test_a_new_meeting_saved_without_a_deadline_gets_one_a_day_before_the_start(admin_client):
    response = admin_client.post(ADD, {**meeting_form(), **agenda_form([])}, follow=True)
    meeting = Meeting.objects.get(slug="wg4-meeting")
    assert meeting.registration_deadline == dt.datetime(2099, 3, 24, 10, tzinfo=BRUSSELS)
    told = [str(message) for message in response.context["messages"]]
    assert told[0] == (
        "No registration deadline was given: it is set to a day before the start, "
        "24 March 2099 at 10:00 (Europe/Brussels). Change it on the meeting if answers "
        "should close at another time."
    )


def test_the_default_deadline_is_a_day_before_in_the_events_own_zone(admin_client):
    form = meeting_form(time_zone="America/New_York", start_1="09:00", end_1="12:00")
    admin_client.post(ADD, {**form, **agenda_form([])})
    meeting = Meeting.objects.get(slug="wg4-meeting")
    # 9:00 in New York the day before, whatever the portal's own zone (Brussels).
    assert meeting.registration_deadline == dt.datetime(2099, 3, 24, 13, tzinfo=dt.UTC)


def test_a_deadline_typed_by_the_secretariat_is_kept_and_nothing_is_said(admin_client):
    form = meeting_form(registration_deadline_0="2099-03-20", registration_deadline_1="12:00")
    response = admin_client.post(ADD, {**form, **agenda_form([])}, follow=True)
    meeting = Meeting.objects.get(slug="wg4-meeting")
    assert meeting.registration_deadline == dt.datetime(2099, 3, 20, 12, tzinfo=BRUSSELS)
    assert not any("deadline" in str(m) for m in response.context["messages"])


def test_a_meeting_less_than_a_day_ahead_gets_no_deadline(admin_client):
    start = dt.datetime.now(BRUSSELS) + dt.timedelta(hours=12)
    end = start + dt.timedelta(hours=1)
    form = meeting_form(
        start_0=f"{start:%Y-%m-%d}",
        start_1=f"{start:%H:%M}",
        end_0=f"{end:%Y-%m-%d}",
        end_1=f"{end:%H:%M}",
    )
    response = admin_client.post(ADD, {**form, **agenda_form([])}, follow=True)
    assert Meeting.objects.get(slug="wg4-meeting").registration_deadline is None
    assert not any("deadline" in str(m) for m in response.context["messages"])


def test_a_saved_meeting_keeps_a_deadline_the_secretariat_emptied(admin_client):
    meeting = DraftMeetingFactory(
        slug="wg4-meeting",
        start=dt.datetime(2099, 3, 25, 10, tzinfo=BRUSSELS),
        end=dt.datetime(2099, 3, 25, 13, tzinfo=BRUSSELS),
        registration_deadline=None,
    )
    url = f"/admin/meetings/meeting/{meeting.pk}/change/"
    response = admin_client.post(url, {**meeting_form(), **agenda_form([])})
    assert response.status_code == 302, errors_of_response(response)
    meeting.refresh_from_db()
    assert meeting.registration_deadline is None


def errors_of_response(response) -> str:
    return str(response.context and response.context.get("errors"))


def zone_options(page) -> list[tuple[str, bool]]:
    select = BeautifulSoup(page.content, "html.parser").select_one("select[name=time_zone]")
    return [(option["value"], option.has_attr("selected")) for option in select.select("option")]


def test_the_time_zone_menu_lists_todays_names_with_europes_first(admin_client):
    options = zone_options(admin_client.get(ADD))
    names = [name for name, _ in options]
    assert ("Europe/Brussels", True) in options
    for current in ("Europe/Stockholm", "Europe/Bratislava", "Europe/Kyiv", "Asia/Kolkata"):
        assert current in names
    for alias in ("Europe/Kiev", "US/Eastern", "GB", "Etc/GMT+1", "Asia/Calcutta", "UTC"):
        assert alias not in names
    europe = [n for n, name in enumerate(names) if name.startswith("Europe/")]
    assert europe == list(range(len(europe)))
    assert names[0] == "Europe/Amsterdam"
    assert names[len(europe)] == "Africa/Abidjan"


def test_a_meeting_in_an_old_zone_name_shows_it_chosen_and_saves(admin_client):
    meeting = DraftMeetingFactory(
        slug="wg4-meeting",
        time_zone="Europe/Kiev",
        start=dt.datetime(2099, 3, 25, 10, tzinfo=BRUSSELS),
        end=dt.datetime(2099, 3, 25, 13, tzinfo=BRUSSELS),
    )
    url = f"/admin/meetings/meeting/{meeting.pk}/change/"
    assert zone_options(admin_client.get(url))[0] == ("Europe/Kiev", True)
    response = admin_client.post(url, {**meeting_form(time_zone="Europe/Kiev"), **agenda_form([])})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.time_zone == "Europe/Kiev"


def test_a_refused_zone_stays_in_the_menu_with_the_error(admin_client):
    response = admin_client.post(
        ADD, {**meeting_form(time_zone="Mars/Olympus"), **agenda_form([])}
    )
    assert zone_options(response)[0] == ("Mars/Olympus", True)


def test_the_reason_for_cancelling_shows_on_a_cancelled_meetings_page_only(admin_client):
    published = MeetingFactory(title="Published")
    cancelled = MeetingFactory(
        title="Cancelled", status=Meeting.Status.CANCELLED, cancellation_reason="The hall flooded."
    )
    page = admin_client.get(f"/admin/meetings/meeting/{published.pk}/change/").content.decode()
    assert "field-cancellation_reason" not in page
    page = admin_client.get(f"/admin/meetings/meeting/{cancelled.pk}/change/").content.decode()
    assert "field-cancellation_reason" in page
    assert "The hall flooded." in page
