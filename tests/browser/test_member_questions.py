"""A member answers an event's questions in Chromium: the form passes axe-core and the
Nu HTML Checker as shown and with its errors, and a missing required answer keeps what
was typed. (The every-page check sees the demo's conference too, once it has questions.)"""

import pytest

from meetings.models import Attendance, Question
from tests.browser.checkers import axe_violations, nu_errors
from tests.factories.meetings import PublicConferenceFactory, QuestionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def conference(db):
    meeting = PublicConferenceFactory(title="ASA conference", slug="asa-conference")
    QuestionFactory(meeting=meeting, text="Dietary needs", required=True)
    QuestionFactory(
        meeting=meeting,
        text="Afternoon workshop",
        kind=Question.Kind.CHOICE,
        options="Batteries\nAI in factories",
        required=True,
    )
    QuestionFactory(meeting=meeting, text="Wheelchair access", kind=Question.Kind.YES_NO)
    QuestionFactory(
        meeting=meeting, text="Site visits", kind=Question.Kind.CHOICES, options="Morning\nEvening"
    )
    return meeting


def test_the_questions_and_their_errors_pass_axe_and_the_html_checker(
    member_page, live_server, conference, tmp_path
):
    member_page.goto(live_server.url + conference.get_absolute_url())
    shown = member_page.content()
    assert axe_violations(member_page) == []
    member_page.get_by_label("I will attend online").check()
    member_page.get_by_label("Dietary needs (required)").fill("No nuts")
    member_page.get_by_role("button", name="Send answer").click()
    member_page.wait_for_load_state()
    assert member_page.get_by_text("Answer this question, or choose").count() == 1
    assert member_page.get_by_label("Dietary needs (required)").input_value() == "No nuts"
    assert axe_violations(member_page) == []
    (tmp_path / "questions.html").write_text(shown)
    (tmp_path / "errors.html").write_text(member_page.content())
    assert nu_errors([tmp_path / "questions.html", tmp_path / "errors.html"]) == {}
    assert not Attendance.objects.exists()


def test_a_member_answers_with_the_keyboard_and_the_answers_are_saved(
    member_page, live_server, conference, member
):
    member_page.goto(live_server.url + conference.get_absolute_url())
    member_page.get_by_label("I will attend in person").check()
    member_page.get_by_label("Dietary needs (required)").fill("Vegetarian")
    member_page.get_by_label("AI in factories").check()
    member_page.get_by_label("Evening").check()
    member_page.get_by_label("Dietary needs (required)").press("Enter")
    member_page.wait_for_load_state()
    assert member_page.get_by_text("Your answer has been saved").is_visible()
    assert sorted(Attendance.objects.get(user=member).responses.values(), key=str) == [
        "AI in factories",
        "Vegetarian",
        ["Evening"],
    ]
