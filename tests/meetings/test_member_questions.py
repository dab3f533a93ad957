"""Members answer an event's questions beside their answer on its page: saved with the
answer, required unless they decline, kept as typed when something is missing, changed
later while answers are open, and asked for when an email link recorded the answer
without them."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings import tokens
from meetings.models import Attendance, Meeting, Question
from meetings.services import attendance_answer
from tests.factories.accounts import UserFactory
from tests.factories.meetings import (
    AttendanceFactory,
    MeetingFactory,
    PublicConferenceFactory,
    QuestionFactory,
)

pytestmark = pytest.mark.django_db

MISSING = "Your answers to the event's questions are missing"


@pytest.fixture
def conference(db):
    """A hybrid conference with four questions, two of them required."""
    meeting = PublicConferenceFactory(title="ASA conference", slug="asa-conference")
    meeting.diet = QuestionFactory(
        meeting=meeting, position=1, text="Dietary needs", kind=Question.Kind.TEXT, required=True
    )
    meeting.workshop = QuestionFactory(
        meeting=meeting,
        position=2,
        text="Afternoon workshop",
        kind=Question.Kind.CHOICE,
        options="Batteries\nAI in factories",
        required=True,
    )
    meeting.wheelchair = QuestionFactory(
        meeting=meeting, position=3, text="Wheelchair access", kind=Question.Kind.YES_NO
    )
    meeting.visits = QuestionFactory(
        meeting=meeting,
        position=4,
        text="Site visits",
        kind=Question.Kind.CHOICES,
        options="Morning\nEvening",
    )
    return meeting


@pytest.fixture
def others(conference):
    """Another member's answers here, and another event with its own question and answer."""
    bert = UserFactory(email="bert@example.org")
    theirs = AttendanceFactory(
        meeting=conference,
        user=bert,
        answer="online",
        responses={str(conference.diet.pk): "Vegan", str(conference.workshop.pk): "Batteries"},
    )
    webinar = PublicConferenceFactory(title="Webinar", slug="webinar")
    webinar_question = QuestionFactory(meeting=webinar, text="Your role", required=True)
    return theirs, webinar, webinar_question


def squeezed(response) -> str:
    """The page with its runs of spaces as one (the form library's markup has doubles)."""
    return " ".join(response.text.split())


def fields(meeting, **answers) -> dict:
    names = {
        "diet": meeting.diet,
        "workshop": meeting.workshop,
        "wheelchair": meeting.wheelchair,
        "visits": meeting.visits,
    }
    return {f"question_{names[key].pk}": value for key, value in answers.items()}


def post(client, meeting, answer, **answers):
    data = (
        {"answer": answer, **fields(meeting, **answers)} if answer else fields(meeting, **answers)
    )
    return client.post(meeting.get_absolute_url(), data)


def test_the_event_page_shows_its_questions_beside_the_answer(client_for, member, conference):
    page = client_for(member).get(conference.get_absolute_url()).text
    assert "Dietary needs (required)" in page
    assert "Afternoon workshop (required)" in page
    assert "Wheelchair access" in page and "Wheelchair access (required)" not in page
    assert f'name="question_{conference.workshop.pk}" value="AI in factories"' in page


def test_an_event_without_questions_shows_none(client_for, member):
    page = client_for(member).get(MeetingFactory().get_absolute_url()).text
    assert "The event's questions" not in page
    assert 'name="question_' not in page


def test_a_member_answers_the_questions_with_their_answer(client_for, member, conference, others):
    response = post(
        client_for(member),
        conference,
        "in_person",
        diet="Vegetarian",
        workshop="AI in factories",
        wheelchair="yes",
        visits=["Morning", "Evening"],
    )
    assert response.status_code == 302
    mine = Attendance.objects.get(user=member)
    assert mine.answer == "in_person"
    assert mine.responses == {
        str(conference.diet.pk): "Vegetarian",
        str(conference.workshop.pk): "AI in factories",
        str(conference.wheelchair.pk): True,
        str(conference.visits.pk): ["Morning", "Evening"],
    }
    theirs, _webinar, _question = others
    theirs.refresh_from_db()
    assert theirs.responses == {
        str(conference.diet.pk): "Vegan",
        str(conference.workshop.pk): "Batteries",
    }


def test_a_required_question_left_empty_records_nothing_and_keeps_what_was_typed(
    client_for, member, conference
):
    response = post(
        client_for(member), conference, "online", diet="No nuts, please", wheelchair="no"
    )
    assert response.status_code == 400
    assert not Attendance.objects.filter(user=member).exists()
    page = squeezed(response)
    assert "Your answer was not saved" in page
    assert "Answer this question, or choose “I cannot attend”." in page
    assert 'value="No nuts, please"' in page
    assert 'value="online" id="id_answer_1" required checked' in page
    assert f'value="no" id="id_question_{conference.wheelchair.pk}_1" checked' in page


def test_a_required_question_left_empty_is_named_beside_itself_only(
    client_for, member, conference
):
    page = post(client_for(member), conference, "online", workshop="Batteries").text
    assert page.count("Answer this question, or choose “I cannot attend”.") == 1
    assert f'id="error_1_id_question_{conference.diet.pk}"' in page


def test_an_option_the_question_does_not_offer_is_refused(client_for, member, conference):
    response = post(client_for(member), conference, "online", diet="None", workshop="Free lunch")
    assert response.status_code == 400
    assert not Attendance.objects.filter(user=member).exists()
    assert "Select a valid choice. Free lunch is not one of the available choices." in (
        response.text
    )


def test_a_missing_answer_is_asked_for_and_the_questions_kept(client_for, member, conference):
    response = post(client_for(member), conference, None, diet="Halal")
    assert response.status_code == 400
    assert "Choose one of the answers." in response.text
    assert 'value="Halal"' in response.text
    assert not Attendance.objects.exists()


def test_declining_needs_no_answers(client_for, member, conference):
    response = post(client_for(member), conference, "declined")
    assert response.status_code == 302
    mine = Attendance.objects.get(user=member)
    assert (mine.answer, mine.responses) == ("declined", {})


def test_declining_keeps_no_answers_given_before(client_for, member, conference):
    AttendanceFactory(
        meeting=conference,
        user=member,
        answer="online",
        responses={str(conference.diet.pk): "Vegan", str(conference.workshop.pk): "Batteries"},
    )
    post(client_for(member), conference, "declined", diet="Vegan", workshop="Batteries")
    assert Attendance.objects.get(user=member).responses == {}


def test_the_form_is_filled_with_the_members_stored_answers(client_for, member, conference):
    AttendanceFactory(
        meeting=conference,
        user=member,
        answer="online",
        responses={
            str(conference.diet.pk): "Gluten-free",
            str(conference.workshop.pk): "Batteries",
            str(conference.wheelchair.pk): False,
            str(conference.visits.pk): ["Evening"],
        },
    )
    page = squeezed(client_for(member).get(conference.get_absolute_url()))
    assert 'value="Gluten-free"' in page
    assert f'value="Batteries" id="id_question_{conference.workshop.pk}_0" checked' in page
    assert f'value="no" id="id_question_{conference.wheelchair.pk}_1" checked' in page
    assert f'value="Evening" id="id_question_{conference.visits.pk}_1" checked' in page
    assert f'value="Morning" id="id_question_{conference.visits.pk}_0" checked' not in page


def test_a_member_changes_their_answers_later_and_keeps_their_place(
    client_for, member, conference
):
    Meeting.objects.filter(pk=conference.pk).update(capacity=1)
    AttendanceFactory(meeting=conference, answer="in_person")
    answered = timezone.now() - dt.timedelta(days=2)
    AttendanceFactory(
        meeting=conference,
        user=member,
        answer="in_person",
        waitlisted=True,
        answered_at=answered,
        responses={str(conference.diet.pk): "Vegan", str(conference.workshop.pk): "Batteries"},
    )
    response = post(
        client_for(member), conference, "in_person", diet="Vegan", workshop="AI in factories"
    )
    assert response.status_code == 302
    mine = Attendance.objects.get(user=member)
    assert mine.responses == {
        str(conference.diet.pk): "Vegan",
        str(conference.workshop.pk): "AI in factories",
    }
    assert (mine.waitlisted, mine.answered_at) == (True, answered)


def test_answers_to_the_questions_cannot_change_once_answers_are_closed(
    client_for, member, conference
):
    AttendanceFactory(
        meeting=conference,
        user=member,
        answer="online",
        responses={str(conference.diet.pk): "Vegan", str(conference.workshop.pk): "Batteries"},
    )
    Meeting.objects.filter(pk=conference.pk).update(
        registration_deadline=timezone.now() - dt.timedelta(hours=1)
    )
    client = client_for(member)
    post(client, conference, "online", diet="Meat, lots", workshop="AI in factories")
    assert Attendance.objects.get(user=member).responses == {
        str(conference.diet.pk): "Vegan",
        str(conference.workshop.pk): "Batteries",
    }
    assert 'name="question_' not in client.get(conference.get_absolute_url()).text


def test_an_answer_from_the_email_link_asks_on_the_page_for_the_missing_answers(
    client, client_for, member, conference
):
    link = reverse("meetings:rsvp", args=[tokens.rsvp(conference, member, "in_person")])
    assert client.post(link).status_code == 200
    assert Attendance.objects.get(user=member).responses == {}
    page = client_for(member).get(conference.get_absolute_url()).text
    assert MISSING in page
    assert 'value="in_person" id="id_answer_0" required checked' in page


def test_no_answers_are_asked_for_once_the_required_ones_are_given(client_for, member, conference):
    AttendanceFactory(
        meeting=conference,
        user=member,
        answer="online",
        responses={str(conference.diet.pk): "None", str(conference.workshop.pk): "Batteries"},
    )
    assert MISSING not in client_for(member).get(conference.get_absolute_url()).text


def test_no_answers_are_asked_for_from_a_member_who_declined(client_for, member, conference):
    AttendanceFactory(meeting=conference, user=member, answer="declined")
    assert MISSING not in client_for(member).get(conference.get_absolute_url()).text


def test_the_answer_link_page_says_the_event_asks_questions(client, member, conference):
    link = reverse("meetings:rsvp", args=[tokens.rsvp(conference, member, "online")])
    page = client.post(link).text
    assert "This event asks a few questions" in page
    assert conference.get_absolute_url() in page


# -- the service, for every caller ------------------------------------------------------


def test_the_service_refuses_responses_without_a_required_answer(member, conference):
    with pytest.raises(ValidationError) as refused:
        attendance_answer(
            meeting=conference,
            user=member,
            answer="online",
            responses={str(conference.diet.pk): "Vegan"},
        )
    assert refused.value.messages == ["This question needs an answer: Afternoon workshop."]
    assert not Attendance.objects.exists()


def test_the_service_keeps_only_answers_to_the_events_own_questions(member, conference, others):
    _theirs, _webinar, webinar_question = others
    attendance = attendance_answer(
        meeting=conference,
        user=member,
        answer="online",
        responses={
            str(conference.diet.pk): "Vegan",
            str(conference.workshop.pk): "Batteries",
            str(webinar_question.pk): "Engineer",
            "999999": "anything",
        },
    )
    assert attendance.responses == {
        str(conference.diet.pk): "Vegan",
        str(conference.workshop.pk): "Batteries",
    }


def test_an_answer_without_responses_keeps_those_stored(member, conference):
    stored = {str(conference.diet.pk): "Vegan", str(conference.workshop.pk): "Batteries"}
    AttendanceFactory(meeting=conference, user=member, answer="online", responses=stored)
    attendance = attendance_answer(meeting=conference, user=member, answer="in_person")
    assert (attendance.answer, attendance.responses) == ("in_person", stored)


# -- cost ---------------------------------------------------------------------------------


def test_the_event_page_costs_the_same_with_one_question_or_twenty(client_for, member):
    small, large = PublicConferenceFactory(), PublicConferenceFactory()
    QuestionFactory(meeting=small, required=True)
    AttendanceFactory(meeting=small, user=member, responses={})
    for position in range(20):
        QuestionFactory(meeting=large, position=position, required=True)
    AttendanceFactory(meeting=large, user=member, responses={})
    signed_in = client_for(member)
    signed_in.get("/")

    def cost(meeting) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert MISSING in signed_in.get(meeting.get_absolute_url()).text
        return len(captured)

    assert cost(large) == cost(small)
