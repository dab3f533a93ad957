"""The personal registration page (/meetings/<slug>/registration/<token>/): reached from the
confirmation email without signing in, it shows the event, the person's place and their
answers, changes in person / online and the answers, and cancels after a confirmation
step; a seat given up goes to the first waiting, who is told. Bad links get clear pages."""

import datetime as dt

import html5lib
import pytest
import time_machine
from django.core import signing
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from accounts.services import account_close
from meetings import tokens
from meetings.models import Attendance, Meeting
from meetings.own_registration import registration_change
from notifications.models import Notification
from tests.factories.accounts import UserFactory
from tests.factories.meetings import (
    AttendanceFactory,
    PublicConferenceFactory,
    QuestionFactory,
    in_days,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def conference():
    return PublicConferenceFactory(
        title="ASA conference", slug="asa-conference", start=in_days(30), capacity=1
    )


@pytest.fixture
def dietary(conference):
    return QuestionFactory(meeting=conference, text="Dietary needs", position=1)


@pytest.fixture
def workshop(conference):
    return QuestionFactory(
        meeting=conference,
        text="Afternoon workshop",
        kind="choice",
        options="Batteries\nSoftware",
        required=True,
        position=2,
    )


@pytest.fixture
def guest():
    return UserFactory(is_guest=True, email="ana@example.org", first_name="Ana", last_name="Novak")


@pytest.fixture
def seated(conference, guest, dietary, workshop):
    return AttendanceFactory(
        meeting=conference,
        user=guest,
        answer="in_person",
        checkin_code="ABCDEFGHJK",
        responses={str(dietary.pk): "Vegetarian", str(workshop.pk): "Software"},
    )


@pytest.fixture
def waiting(conference, seated):
    """A second guest, on the waiting list behind the seated one."""
    other = UserFactory(is_guest=True, email="second@example.org")
    return AttendanceFactory(
        meeting=conference,
        user=other,
        answer="in_person",
        waitlisted=True,
        answered_at=timezone.now() + dt.timedelta(minutes=1),
    )


def page_of(attendance) -> str:
    token = tokens.registration(attendance)
    return f"/meetings/{attendance.meeting.slug}/registration/{token}/"


def texts(response) -> str:
    """The page's words, tags removed and white space made single."""
    document = html5lib.parse(response.text, treebuilder="etree", namespaceHTMLElements=False)
    return " ".join("".join(document.find(".//main").itertext()).split())


# -- seeing it -------------------------------------------------------------------------


def test_the_page_shows_the_event_the_place_and_the_answers(client, seated):
    response = client.get(page_of(seated))
    assert response.status_code == 200
    words = texts(response)
    assert "ASA conference" in words
    assert "Ana Novak, ana@example.org" in words
    assert "In person: you have a seat." in words
    assert "Dietary needs Vegetarian Afternoon workshop Software" in words


def test_the_page_shows_the_qr_code_and_the_code_for_the_door(client, seated):
    response = client.get(page_of(seated))
    document = html5lib.parse(response.text, treebuilder="etree", namespaceHTMLElements=False)
    (svg,) = document.findall(".//{http://www.w3.org/2000/svg}svg")
    assert svg.get("role") == "img"
    title = svg.find("{http://www.w3.org/2000/svg}title")
    assert title.text == "QR code for the door, check-in code ABCDEFGHJK"
    assert "give your check-in code: ABCDEFGHJK" in texts(response)


def test_an_online_registration_shows_no_code_for_the_door(client, seated):
    Attendance.objects.filter(pk=seated.pk).update(answer="online")
    response = client.get(page_of(seated))
    assert "ABCDEFGHJK" not in response.text
    assert "<svg" not in response.text
    assert "https://meet.example.org/asa-wg" in response.text


def test_a_place_on_the_waiting_list_says_so(client, waiting):
    words = texts(client.get(page_of(waiting)))
    assert "In person, on the waiting list: all seats are taken." in words


def test_the_page_is_kept_by_no_cache(client, seated):
    response = client.get(page_of(seated))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_page_costs_a_fixed_number_of_queries(client, seated, django_assert_num_queries):
    # The person, their answer with the event, the questions.
    with django_assert_num_queries(3):
        assert client.get(page_of(seated)).status_code == 200


def test_the_page_is_in_the_persons_language(client, seated, guest):
    guest.language = "de"
    guest.save()
    response = client.get(page_of(seated))
    assert '<html lang="de">' in response.text
    assert "Wann" in texts(response)


def test_a_language_chosen_in_the_menu_wins_over_the_persons(client, seated, guest, settings):
    guest.language = "de"
    guest.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get(page_of(seated))
    assert '<html lang="fr">' in response.text


def test_a_member_opens_their_registrations_page_too(client, conference):
    member = UserFactory(email="member@example.org", first_name="Jan", last_name="Berg")
    attendance = AttendanceFactory(meeting=conference, user=member, answer="online")
    response = client.get(page_of(attendance))
    assert response.status_code == 200
    assert "Jan Berg, member@example.org" in texts(response)


def test_a_hostile_name_and_answer_are_shown_as_text(client, seated, guest, dietary):
    guest.first_name = "<script>alert(1)</script>"
    guest.save()
    seated.responses[str(dietary.pk)] = '<img src=x onerror="alert(2)">'
    seated.save()
    response = client.get(page_of(seated))
    document = html5lib.parse(response.text, treebuilder="etree", namespaceHTMLElements=False)
    main = document.find(".//main")
    assert main.findall(".//script") == []
    assert main.findall(".//img") == []
    assert '<img src=x onerror="alert(2)">' in texts(response)


# -- bad links: a clear page, never a 500 ---------------------------------------------


def test_a_forged_link_gets_the_not_valid_page(client, seated):
    response = client.get("/meetings/asa-conference/registration/WzEsMV0:forged:abc/")
    assert response.status_code == 404
    assert "This registration link is not valid" in response.text


def test_an_answer_links_token_does_not_open_a_registration(client, seated):
    token = signing.dumps([seated.meeting_id, seated.user_id], salt=tokens.RSVP_SALT)
    response = client.get(f"/meetings/asa-conference/registration/{token}/")
    assert response.status_code == 404


def test_a_link_sent_before_the_events_address_changed_leads_to_its_address_of_today(
    client, seated, conference
):
    path = page_of(seated)
    conference.slug = "asa-conference-2030"
    conference.save()
    response = client.get(path + "?cancel")
    assert response.status_code == 302
    assert response["Location"] == (
        path.replace("/asa-conference/", "/asa-conference-2030/") + "?cancel="
    )
    assert client.get(response["Location"]).status_code == 200


def test_a_link_of_someone_without_a_registration_is_not_valid(client, conference, seated):
    stranger = UserFactory(email="stranger@example.org")
    token = tokens.registration_for(conference.pk, stranger.pk)
    response = client.get(f"/meetings/asa-conference/registration/{token}/")
    assert response.status_code == 404
    assert "The registration or the event no longer exists." in response.text


def test_a_closed_accounts_link_is_not_valid(client, seated, guest):
    path = page_of(seated)
    account_close(user=guest)
    assert client.get(path).status_code == 404


def test_a_cancelled_events_link_says_so(client, seated, conference):
    conference.status = Meeting.Status.CANCELLED
    conference.save()
    response = client.get(page_of(seated))
    assert response.status_code == 410
    assert "This event has been cancelled" in response.text


def test_a_past_events_link_says_so(client, seated, conference):
    conference.start = timezone.now() - dt.timedelta(days=2)
    conference.end = conference.start + dt.timedelta(hours=3)
    conference.save()
    response = client.get(page_of(seated))
    assert response.status_code == 410
    assert "This event is over" in response.text


def test_a_cancelled_events_link_changes_nothing_on_post(client, seated, conference):
    conference.status = Meeting.Status.CANCELLED
    conference.save()
    assert client.post(page_of(seated) + "?cancel").status_code == 410
    seated.refresh_from_db()
    assert seated.answer == "in_person"


# -- changing it -----------------------------------------------------------------------


def form_data(workshop, dietary, answer="in_person", choice="Batteries", diet="Vegan"):
    return {
        "answer": answer,
        f"question_{workshop.pk}": choice,
        f"question_{dietary.pk}": diet,
    }


def test_changing_the_answers_to_the_questions_saves_them(client, seated, workshop, dietary):
    response = client.post(page_of(seated), form_data(workshop, dietary))
    assert response.status_code == 302
    seated.refresh_from_db()
    assert seated.responses == {str(dietary.pk): "Vegan", str(workshop.pk): "Batteries"}
    assert seated.answer == "in_person"
    assert not seated.waitlisted
    assert "Your registration is saved." in texts(client.get(response["Location"]))


def test_changing_the_answers_alone_keeps_the_place_in_line(client, waiting, workshop, dietary):
    answered_at = waiting.answered_at
    client.post(page_of(waiting), form_data(workshop, dietary))
    waiting.refresh_from_db()
    assert waiting.waitlisted
    assert waiting.answered_at == answered_at


def test_emptying_an_optional_answer_removes_it(client, seated, workshop, dietary):
    client.post(page_of(seated), form_data(workshop, dietary, diet=""))
    seated.refresh_from_db()
    assert seated.responses == {str(workshop.pk): "Batteries"}


def test_a_required_answer_left_empty_is_refused_keeping_what_was_typed(
    client, seated, workshop, dietary
):
    response = client.post(page_of(seated), form_data(workshop, dietary, choice=""))
    assert response.status_code == 400
    assert "This field is required." in response.text
    assert 'value="Vegan"' in response.text
    seated.refresh_from_db()
    assert seated.responses[str(dietary.pk)] == "Vegetarian"


def test_an_option_that_does_not_exist_is_refused(client, seated, workshop, dietary):
    response = client.post(page_of(seated), form_data(workshop, dietary, choice="Cooking"))
    assert response.status_code == 400
    seated.refresh_from_db()
    assert seated.responses[str(workshop.pk)] == "Software"


def test_the_change_form_offers_in_person_and_online_but_not_declining(client, seated):
    response = client.get(page_of(seated))
    document = html5lib.parse(response.text, treebuilder="etree", namespaceHTMLElements=False)
    radios = document.findall(".//input[@name='answer']")
    assert [radio.get("value") for radio in radios] == ["in_person", "online"]


def test_the_change_service_refuses_declining_which_is_cancelling(seated):
    with pytest.raises(ValidationError):
        registration_change(attendance=seated, answer="declined", responses={})
    seated.refresh_from_db()
    assert seated.answer == "in_person"


def test_declining_is_not_an_answer_of_the_change_form(client, seated, workshop, dietary):
    response = client.post(page_of(seated), form_data(workshop, dietary, answer="declined"))
    assert response.status_code == 400
    seated.refresh_from_db()
    assert seated.answer == "in_person"


def test_going_online_frees_the_seat_for_the_first_waiting_who_is_told(
    client, waiting, seated, workshop, dietary, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page_of(seated), form_data(workshop, dietary, answer="online"))
    seated.refresh_from_db()
    waiting.refresh_from_db()
    assert seated.answer == "online"
    assert not waiting.waitlisted
    (seat,) = Notification.objects.filter(kind="seat")
    assert seat.person_id == waiting.user_id


def test_going_in_person_when_the_seats_are_taken_joins_the_waiting_list(
    client, conference, seated, workshop, dietary
):
    other = UserFactory(is_guest=True, email="online@example.org")
    online = AttendanceFactory(meeting=conference, user=other, answer="online")
    response = client.post(page_of(online), form_data(workshop, dietary))
    online.refresh_from_db()
    assert online.waitlisted
    assert "You are on the waiting list for an in-person seat" in texts(
        client.get(response["Location"])
    )


def test_after_the_deadline_the_page_shows_no_form_and_a_post_changes_nothing(
    client, seated, conference, workshop, dietary
):
    conference.registration_deadline = timezone.now() - dt.timedelta(hours=1)
    conference.save()
    response = client.get(page_of(seated))
    assert 'name="answer"' not in response.text
    assert "the registration deadline has passed" in texts(response)
    client.post(page_of(seated), form_data(workshop, dietary, answer="online"))
    seated.refresh_from_db()
    assert seated.answer == "in_person"
    assert seated.responses[str(dietary.pk)] == "Vegetarian"


# -- cancelling it ---------------------------------------------------------------------


def test_the_cancel_step_asks_first_and_changes_nothing(client, seated):
    response = client.get(page_of(seated) + "?cancel")
    assert response.status_code == 200
    assert "Cancel your registration?" in texts(response)
    seated.refresh_from_db()
    assert seated.answer == "in_person"


def test_cancelling_declines_and_gives_the_seat_to_the_first_waiting_who_is_told(
    client, seated, waiting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page_of(seated) + "?cancel")
    assert response.status_code == 302
    seated.refresh_from_db()
    waiting.refresh_from_db()
    assert seated.answer == "declined"
    assert not waiting.waitlisted
    (seat,) = Notification.objects.filter(kind="seat")
    assert seat.person_id == waiting.user_id
    words = texts(client.get(response["Location"]))
    assert "Your registration is cancelled." in words
    assert "You cancelled this registration." in words


def test_cancelling_removes_the_answers_to_the_questions_and_says_so_first(client, seated):
    assert "Your answers to the event's questions will be deleted." in texts(
        client.get(page_of(seated) + "?cancel")
    )
    client.post(page_of(seated) + "?cancel")
    seated.refresh_from_db()
    assert seated.responses == {}


def test_a_cancelled_registration_may_register_again_at_the_end_of_the_line(
    client, conference, seated, waiting, workshop, dietary
):
    client.post(page_of(seated) + "?cancel")
    client.post(page_of(seated), form_data(workshop, dietary))
    seated.refresh_from_db()
    waiting.refresh_from_db()
    assert seated.answer == "in_person"
    assert seated.waitlisted
    assert not waiting.waitlisted


def test_a_second_cancel_changes_nothing_and_says_it_is_cancelled(client, seated):
    client.post(page_of(seated) + "?cancel")
    Attendance.objects.filter(pk=seated.pk).update(answered_at=timezone.now())
    response = client.post(page_of(seated) + "?cancel", follow=True)
    assert "Your registration is already cancelled." in texts(response)


def test_after_the_deadline_the_page_still_offers_cancelling(client, seated, conference):
    conference.registration_deadline = timezone.now() - dt.timedelta(hours=1)
    conference.save()
    response = client.get(page_of(seated))
    words = texts(response)
    assert "the registration deadline has passed" in words
    assert "you can still cancel your registration until the event starts" in words
    assert 'href="?cancel"' in response.text
    assert 'name="answer"' not in response.text


def test_after_the_deadline_the_cancel_step_says_there_is_no_coming_back(
    client, seated, conference
):
    conference.registration_deadline = timezone.now() - dt.timedelta(hours=1)
    conference.save()
    words = texts(client.get(page_of(seated) + "?cancel"))
    assert "Registration is closed: once cancelled, you cannot register again." in words
    seated.refresh_from_db()
    assert seated.answer == "in_person"


def test_before_the_deadline_the_cancel_step_does_not_say_there_is_no_coming_back(client, seated):
    assert "you cannot register again" not in texts(client.get(page_of(seated) + "?cancel"))


def test_after_the_deadline_cancelling_gives_the_seat_to_the_first_waiting_who_is_told(
    client, seated, waiting, conference, django_capture_on_commit_callbacks
):
    conference.registration_deadline = timezone.now() - dt.timedelta(hours=1)
    conference.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page_of(seated) + "?cancel")
    assert response.status_code == 302
    seated.refresh_from_db()
    waiting.refresh_from_db()
    assert (seated.answer, waiting.answer, waiting.waitlisted) == ("declined", "in_person", False)
    (seat,) = Notification.objects.filter(kind="seat")
    assert seat.person_id == waiting.user_id
    words = texts(client.get(response["Location"]))
    assert "Your registration is cancelled." in words
    assert "Cancel my registration" not in words


def test_after_the_start_cancelling_is_refused(client, seated, conference):
    with time_machine.travel(conference.start + dt.timedelta(minutes=30)):
        page = client.get(page_of(seated))
        response = client.post(page_of(seated) + "?cancel", follow=True)
    assert 'href="?cancel"' not in page.text
    assert "Answers are closed: the meeting has started." in texts(response)
    seated.refresh_from_db()
    assert seated.answer == "in_person"


def test_the_page_works_for_a_client_without_a_session_or_sign_in(seated):
    client = Client(enforce_csrf_checks=True)
    page = client.get(page_of(seated))
    token = page.cookies["csrftoken"].value
    response = client.post(page_of(seated) + "?cancel", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
