"""What the registration tests share: an event open to the public with two questions,
and the form as a visitor fills it in."""

from meetings.models import Question
from tests.factories.meetings import PublicConferenceFactory, QuestionFactory


def open_event(**fields):
    """A hybrid conference open to the public, three weeks ahead, asking for dietary
    needs (short text, optional) and a workshop (one choice, required)."""
    meeting = PublicConferenceFactory(**fields)
    meeting.diet = QuestionFactory(meeting=meeting, text="Dietary needs", kind=Question.Kind.TEXT)
    meeting.workshop = QuestionFactory(
        meeting=meeting,
        text="Which afternoon workshop?",
        kind=Question.Kind.CHOICE,
        options="Batteries\nSoftware",
        required=True,
    )
    return meeting


def form_data(meeting, **changes) -> dict:
    data = {
        "first_name": "Claire",
        "last_name": "Dubois",
        "email": "claire@example.com",
        "organisation": "Institut de formation",
        "country": "BE",
        "answer": "in_person",
        f"question_{meeting.diet.pk}": "Vegetarian",
        f"question_{meeting.workshop.pk}": "Software",
        "consent": "on",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def register_url(meeting) -> str:
    return f"/meetings/{meeting.slug}/register/"
