"""Check-in at the door: finding a participant by code or name, marking them present,
undoing it, the counts, and the secretariat's page (meetings/checkin.py,
meetings/checkin_views.py)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetings.checkin import (
    checkin_code_normalise,
    checkin_counts,
    checkin_find,
    checkin_mark,
    checkin_search,
    checkin_undo,
)
from meetings.models import Attendance, Meeting
from tests.factories.accounts import UserFactory
from tests.factories.meetings import BRUSSELS, AttendanceFactory, MeetingFactory

pytestmark = pytest.mark.django_db

IN_PERSON = Attendance.Answer.IN_PERSON
ONLINE = Attendance.Answer.ONLINE
DECLINED = Attendance.Answer.DECLINED


@pytest.fixture
def conference():
    return MeetingFactory(slug="brussels", title="ASA conference in Brussels")


@pytest.fixture
def other_event():
    return MeetingFactory(slug="webinar", title="Skills webinar")


def attendance(meeting, answer=IN_PERSON, code=None, **person) -> Attendance:
    extra = {"checkin_code": code} if code else {}
    return AttendanceFactory(meeting=meeting, user=UserFactory(**person), answer=answer, **extra)


@pytest.fixture
def jana(conference):
    return attendance(
        conference,
        code="AB3DEF7H9K",
        first_name="Jana",
        last_name="Nováková",
        organisation="Košice IT Valley",
        email="jana@kosice.example",
    )


@pytest.fixture
def erik(conference):
    return attendance(
        conference,
        answer=ONLINE,
        code="ERK2345678",
        first_name="Erik",
        last_name="Lindqvist",
        organisation="Göteborg Region",
        email="erik.lindqvist@vgregion.example",
    )


def page(slug: str = "brussels") -> str:
    return f"/meetings/{slug}/check-in/"


# -- the code, as typed or scanned --------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "AB3DEF7H9K",
        "ab3def7h9k",
        "ab3d-ef7h-9k",
        " AB3D EF7H 9K ",
        "ab3d–ef7h—9k",  # en and em dashes, as a phone's keyboard makes them
        "https://portal.example.org/meetings/brussels/check-in/?code=AB3DEF7H9K",
    ],
)
def test_a_typed_code_is_read_whatever_its_case_spaces_and_dashes(typed):
    assert checkin_code_normalise(typed) == "AB3DEF7H9K"


def test_a_code_typed_in_lower_case_with_dashes_finds_its_participant(conference, jana, erik):
    found = checkin_find(meeting=conference, typed="ab3d-ef7h-9k")
    assert found.attendance == jana
    assert found.problem == ""


def test_a_code_of_another_event_finds_no_one_and_names_that_event(conference, jana, other_event):
    elsewhere = attendance(other_event, code="WEB2345678")
    found = checkin_find(meeting=conference, typed=elsewhere.checkin_code)
    assert found.attendance is None
    assert found.problem == "The code WEB2345678 is for another event: Skills webinar."


def test_an_unknown_code_finds_no_one_and_says_so(conference, jana):
    found = checkin_find(meeting=conference, typed="ZZZZ-ZZZZ-ZZ")
    assert found.attendance is None
    assert found.problem == "No one has the code ZZZZZZZZZZ."


@pytest.mark.parametrize("typed", ["AB3DEF7H9", "AB3DEF7H9KX", "AB3DEF7H0K", "hello"])
def test_what_is_no_code_is_said_to_be_none_without_asking_the_database(
    typed, conference, jana, django_assert_num_queries
):
    with django_assert_num_queries(0):
        found = checkin_find(meeting=conference, typed=typed)
    assert found.attendance is None
    assert found.problem == (
        f"“{typed}” is not a check-in code: a code has 10 letters and digits."
    )


# -- marking present, twice, undoing ------------------------------------------------------


def test_marking_present_sets_the_time_of_check_in(
    conference, jana, erik, secretariat, time_machine
):
    at = dt.datetime(2099, 3, 25, 8, 55, tzinfo=BRUSSELS)
    time_machine.move_to(at, tick=False)
    assert checkin_mark(jana, by=secretariat) is True
    jana.refresh_from_db()
    erik.refresh_from_db()
    assert jana.checked_in_at == at
    assert erik.checked_in_at is None


def test_marking_twice_keeps_the_first_time(conference, jana, secretariat, time_machine):
    time_machine.move_to(dt.datetime(2099, 3, 25, 8, 55, tzinfo=BRUSSELS), tick=False)
    checkin_mark(jana, by=secretariat)
    time_machine.move_to(dt.datetime(2099, 3, 25, 9, 40, tzinfo=BRUSSELS), tick=False)
    again = Attendance.objects.get(pk=jana.pk)
    assert checkin_mark(again, by=secretariat) is False
    assert again.checked_in_at == dt.datetime(2099, 3, 25, 8, 55, tzinfo=BRUSSELS)
    jana.refresh_from_db()
    assert jana.checked_in_at == dt.datetime(2099, 3, 25, 8, 55, tzinfo=BRUSSELS)


def test_undo_clears_the_mark_of_that_participant_only(conference, jana, erik, secretariat):
    checkin_mark(jana, by=secretariat)
    checkin_mark(erik, by=secretariat)
    assert checkin_undo(jana, by=secretariat) is True
    jana.refresh_from_db()
    erik.refresh_from_db()
    assert jana.checked_in_at is None
    assert erik.checked_in_at is not None


def test_undo_of_someone_not_checked_in_says_there_was_nothing(conference, jana, secretariat):
    assert checkin_undo(jana, by=secretariat) is False


def test_someone_online_is_marked_as_come_online(conference, erik, secretariat):
    assert checkin_mark(erik, by=secretariat) is True
    erik.refresh_from_db()
    assert erik.checked_in_at is not None


def test_someone_who_declined_is_not_marked(conference, secretariat):
    declined = attendance(conference, answer=DECLINED, first_name="Ola", last_name="Berg")
    with pytest.raises(ValidationError) as refusal:
        checkin_mark(declined, by=secretariat)
    assert refusal.value.messages == [
        "Ola Berg declined this event. Change their answer in the admin first if they take "
        "part after all."
    ]
    declined.refresh_from_db()
    assert declined.checked_in_at is None


def test_someone_on_the_waiting_list_is_marked_and_stays_on_the_list(conference, secretariat):
    waiting = AttendanceFactory(meeting=conference, answer=IN_PERSON, waitlisted=True)
    assert checkin_mark(waiting, by=secretariat) is True
    waiting.refresh_from_db()
    assert waiting.checked_in_at is not None
    assert waiting.waitlisted is True


def test_no_one_is_marked_at_a_cancelled_event(conference, jana, secretariat):
    Meeting.objects.filter(pk=conference.pk).update(status=Meeting.Status.CANCELLED)
    jana.refresh_from_db()
    with pytest.raises(ValidationError):
        checkin_mark(jana, by=secretariat)
    jana.refresh_from_db()
    assert jana.checked_in_at is None


# -- the counts ---------------------------------------------------------------------------


def test_the_counts_split_who_came_in_person_and_online_and_leave_out_the_declined(
    conference, other_event
):
    now = timezone.now()
    for came in (now, now, None):
        AttendanceFactory(meeting=conference, answer=IN_PERSON, checked_in_at=came)
    AttendanceFactory(meeting=conference, answer=IN_PERSON, waitlisted=True, checked_in_at=now)
    AttendanceFactory(meeting=conference, answer=IN_PERSON, waitlisted=True)
    AttendanceFactory(meeting=conference, answer=ONLINE, checked_in_at=now)
    AttendanceFactory(meeting=conference, answer=ONLINE)
    # Marked, then declined after all: counted nowhere.
    AttendanceFactory(meeting=conference, answer=DECLINED, checked_in_at=now)
    AttendanceFactory(meeting=other_event, answer=IN_PERSON, checked_in_at=now)
    assert checkin_counts(conference) == {
        "in_person": 3,
        "in_person_came": 2,
        "online": 2,
        "online_came": 1,
        "waitlist_came": 1,
        "expected": 5,
        "came": 3,
    }


# -- the search by name -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["jana", "NOVÁKOVÁ", "košice it", "kosice.example", "jana valley", "novakova kosice"],
)
def test_the_search_finds_by_first_and_last_name_organisation_and_email(
    text, conference, jana, erik
):
    assert checkin_search(meeting=conference, text=text) == [jana]


def test_the_search_reads_names_without_their_accents_and_case(conference, jana, erik):
    assert checkin_search(meeting=conference, text="GOTEBORG") == [erik]


def test_the_search_needs_every_word_typed(conference, jana, erik):
    assert checkin_search(meeting=conference, text="jana göteborg") == []


def test_the_search_finds_no_one_of_another_event(conference, other_event, jana):
    attendance(other_event, first_name="Jana", last_name="Svobodová")
    assert checkin_search(meeting=conference, text="jana") == [jana]


def test_the_search_lists_by_last_name_and_stops_after_one_more_than_the_page_shows(
    conference,
):
    for n in range(25):
        attendance(conference, first_name="Anna", last_name=f"Name {n:02d}")
    found = checkin_search(meeting=conference, text="anna")
    assert [a.user.last_name for a in found] == [f"Name {n:02d}" for n in range(21)]


def test_the_search_reads_at_most_five_words(conference, jana):
    six_words = "jana jana jana jana jana nobody"
    assert checkin_search(meeting=conference, text=six_words) == [jana]


# -- the page -----------------------------------------------------------------------------


def test_the_page_shows_the_event_and_how_many_came(
    conference, jana, erik, client_for, secretariat
):
    Attendance.objects.filter(pk=erik.pk).update(checked_in_at=timezone.now())
    response = client_for(secretariat).get(page())
    assert response.status_code == 200
    text = response.content.decode()
    assert "Check-in: ASA conference in Brussels" in text
    assert "<strong>1</strong> of 2 checked in" in text
    assert "In person: 0 of 1" in text
    assert "Online: 1 of 1" in text


def test_a_member_may_not_open_the_page(conference, client_for, member, representative):
    assert client_for(member).get(page()).status_code == 403
    assert client_for(representative).get(page()).status_code == 403


def test_opening_the_address_in_the_qr_code_changes_nothing(
    conference, jana, client_for, secretariat
):
    response = client_for(secretariat).get(f"{page()}?code={jana.checkin_code}")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Jana Nováková" in text
    assert "Mark present" in text
    jana.refresh_from_db()
    assert jana.checked_in_at is None


def test_a_typed_code_shows_the_person_with_one_button_and_an_empty_box_for_the_next(
    conference, jana, erik, client_for, secretariat
):
    text = client_for(secretariat).get(f"{page()}?code=ab3d+ef7h+9k").content.decode()
    assert text.count('name="action" value="in"') == 1
    assert 'name="code" value=""' in text
    assert "Erik" not in text


def test_marking_present_by_post_moves_the_count_and_returns_to_the_person(
    conference, jana, erik, client_for, secretariat
):
    client = client_for(secretariat)
    response = client.post(
        page(), {"attendance": jana.pk, "action": "in", "code": jana.checkin_code}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{page()}?code={jana.checkin_code}"
    jana.refresh_from_db()
    assert jana.checked_in_at is not None
    text = client.get(response["Location"]).content.decode()
    assert "Jana Nováková is checked in at" in text
    assert "<strong>1</strong> of 2 checked in" in text
    assert "Undo" in text


def test_undo_by_post_clears_the_mark_and_returns_to_the_search(
    conference, jana, client_for, secretariat
):
    Attendance.objects.filter(pk=jana.pk).update(checked_in_at=timezone.now())
    client = client_for(secretariat)
    response = client.post(page(), {"attendance": jana.pk, "action": "undo", "q": "jana"})
    assert response["Location"] == f"{page()}?q=jana"
    jana.refresh_from_db()
    assert jana.checked_in_at is None
    assert "Jana Nováková: check-in undone." in client.get(response["Location"]).content.decode()


def test_a_participant_of_another_event_is_not_marked_from_this_events_page(
    conference, other_event, client_for, secretariat
):
    elsewhere = attendance(other_event)
    client = client_for(secretariat)
    response = client.post(page(), {"attendance": elsewhere.pk, "action": "in"})
    assert response.status_code == 302
    elsewhere.refresh_from_db()
    assert elsewhere.checked_in_at is None
    text = client.get(response["Location"]).content.decode()
    assert "This person is not a participant of this event." in text


@pytest.mark.parametrize(
    "data",
    [{}, {"attendance": "x", "action": "in"}, {"attendance": "1", "action": "delete"}],
)
def test_an_incomplete_post_changes_nothing_and_says_so(
    data, conference, jana, client_for, secretariat
):
    client = client_for(secretariat)
    response = client.post(page(), data)
    assert response.status_code == 302
    jana.refresh_from_db()
    assert jana.checked_in_at is None
    text = client.get(response["Location"]).content.decode()
    assert "Nothing was changed: the form was incomplete." in text


def test_someone_on_the_waiting_list_is_let_in_with_a_warning(conference, client_for, secretariat):
    waiting = attendance(conference, first_name="Lena", last_name="Wait")
    Attendance.objects.filter(pk=waiting.pk).update(waitlisted=True)
    client = client_for(secretariat)
    shown = client.get(f"{page()}?code={waiting.checkin_code}").content.decode()
    assert "On the waiting list: there may be no seat. The door decides." in shown
    response = client.post(page(), {"attendance": waiting.pk, "action": "in"})
    text = client.get(response["Location"]).content.decode()
    assert "although on the waiting list: there may be no seat." in text
    assert "Let in from the waiting list: 1" in text


def test_someone_who_declined_is_shown_without_a_button_and_a_post_is_refused(
    conference, client_for, secretariat
):
    declined = attendance(conference, answer=DECLINED, first_name="Ola", last_name="Berg")
    client = client_for(secretariat)
    shown = client.get(f"{page()}?code={declined.checkin_code}").content.decode()
    assert "Declined: not expected." in shown
    assert 'value="in"' not in shown
    response = client.post(page(), {"attendance": declined.pk, "action": "in"})
    assert "Ola Berg declined this event." in client.get(response["Location"]).content.decode()
    declined.refresh_from_db()
    assert declined.checked_in_at is None


def test_someone_online_gets_a_came_online_button(conference, erik, client_for, secretariat):
    text = client_for(secretariat).get(f"{page()}?code={erik.checkin_code}").content.decode()
    assert "Came online" in text
    assert "Mark present" not in text


def test_an_unknown_code_keeps_what_was_typed_and_says_why(
    conference, jana, client_for, secretariat
):
    text = client_for(secretariat).get(f"{page()}?code=zzzz-zzzz-zz").content.decode()
    assert 'value="zzzz-zzzz-zz"' in text
    assert "No one has the code ZZZZZZZZZZ." in text


def test_a_code_too_long_to_be_one_is_refused_with_a_message(conference, client_for, secretariat):
    response = client_for(secretariat).get(f"{page()}?code={'A' * 201}")
    assert response.status_code == 400
    assert "Ensure this value has at most 200 characters" in response.content.decode()


def test_a_search_lists_the_people_found_each_with_a_button(
    conference, jana, erik, client_for, secretariat
):
    text = client_for(secretariat).get(f"{page()}?q=example").content.decode()
    assert text.count('name="action" value="in"') == 2
    assert text.index("Erik Lindqvist") < text.index("Jana Nováková")


def test_a_search_that_finds_no_one_says_so(conference, jana, client_for, secretariat):
    text = client_for(secretariat).get(f"{page()}?q=nobody").content.decode()
    assert "No participant matches “nobody”." in text


def test_a_search_that_finds_too_many_asks_for_more_of_the_name(
    conference, client_for, secretariat
):
    for n in range(21):
        attendance(conference, first_name="Anna", last_name=f"Name {n:02d}")
    text = client_for(secretariat).get(f"{page()}?q=anna").content.decode()
    assert text.count('name="action" value="in"') == 20
    assert "More than 20 match: type more of the name." in text


def test_the_page_is_kept_by_no_cache(conference, client_for, secretariat):
    response = client_for(secretariat).get(page())
    assert "no-store" in response["Cache-Control"]


def test_where_a_second_factor_is_required_the_page_waits_for_it(
    staff_2fa_required, conference, client_for, secretariat
):
    response = client_for(secretariat).get(f"{page()}?code=AB3DEF7H9K")
    assert response.status_code == 302
    assert response["Location"] == (
        "/admin/second-factor/?next=%2Fmeetings%2Fbrussels%2Fcheck-in%2F%3Fcode%3DAB3DEF7H9K"
    )


def test_past_the_second_step_the_page_opens(
    staff_2fa_required, conference, verified_client_for, secretariat
):
    assert verified_client_for(secretariat).get(page()).status_code == 200


MANY = 60


@pytest.mark.parametrize("query", ["", "?q=example", "?code=AB3DEF7H9K"])
def test_the_page_costs_the_same_queries_for_2_and_60_participants(
    query, conference, jana, erik, client_for, secretariat, django_assert_num_queries
):
    client = client_for(secretariat)
    with CaptureQueriesContext(connection) as once:
        assert client.get(page() + query).status_code == 200
    for n in range(MANY):
        attendance(
            conference,
            answer=ONLINE if n % 3 else IN_PERSON,
            email=f"p{n}@example.org",
            organisation=f"Organisation {n}",
        )
    with django_assert_num_queries(len(once)):
        client.get(page() + query)


# -- the links to the page ----------------------------------------------------------------


def test_the_event_page_links_to_check_in_for_the_secretariat_only(
    conference, client_for, secretariat, member
):
    link = 'href="/meetings/brussels/check-in/"'
    assert link in client_for(secretariat).get("/meetings/brussels/").content.decode()
    assert link not in client_for(member).get("/meetings/brussels/").content.decode()


def test_the_meetings_admin_page_links_to_check_in(conference, client_for, secretariat):
    response = client_for(secretariat).get(f"/admin/meetings/meeting/{conference.pk}/change/")
    assert 'href="/meetings/brussels/check-in/"' in response.content.decode()
