"""An event's questions: what the secretariat may set, the form fields they become, and
how answers are stored and shown."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from meetings.models import Question
from meetings.questions import answer_text, initial_from, question_fields, responses_from
from tests.factories.meetings import QuestionFactory

pytestmark = pytest.mark.django_db


def test_a_question_with_choices_needs_two_options():
    question = QuestionFactory.build(kind=Question.Kind.CHOICE, options="Only one\n\n")
    with pytest.raises(ValidationError) as refused:
        question.clean()
    assert refused.value.message_dict == {"options": ["Give at least two options, one a line."]}


def test_a_question_with_choices_refuses_the_same_option_twice():
    question = QuestionFactory.build(kind=Question.Kind.CHOICES, options="Fish\nFish\nMeat")
    with pytest.raises(ValidationError) as refused:
        question.clean()
    assert "options" in refused.value.message_dict


def test_a_question_with_choices_refuses_more_than_twenty_options():
    options = "\n".join(f"Workshop {n}" for n in range(21))
    question = QuestionFactory.build(kind=Question.Kind.CHOICE, options=options)
    with pytest.raises(ValidationError):
        question.clean()


def test_a_text_question_refuses_options():
    question = QuestionFactory.build(kind=Question.Kind.TEXT, options="A\nB")
    with pytest.raises(ValidationError):
        question.clean()


def test_options_are_read_one_a_line_without_blank_lines_or_spaces():
    question = QuestionFactory.build(
        kind=Question.Kind.CHOICE, options=" A: batteries \n\nB: AI\n"
    )
    assert question.option_list == ["A: batteries", "B: AI"]


def test_each_kind_of_question_becomes_its_own_field_named_after_the_question():
    meeting_questions = [
        QuestionFactory(text="Dietary needs", kind=Question.Kind.TEXT),
        QuestionFactory(text="Workshop", kind=Question.Kind.CHOICE, options="A\nB"),
        QuestionFactory(text="Visits", kind=Question.Kind.CHOICES, options="X\nY"),
        QuestionFactory(text="Hotel", kind=Question.Kind.YES_NO, required=True),
    ]
    fields = question_fields(meeting_questions)
    text, choice, choices, yes_no = (fields[f"question_{q.pk}"] for q in meeting_questions)
    assert (type(text), text.max_length, text.required) == (forms.CharField, 500, False)
    assert (type(choice), choice.choices) == (forms.ChoiceField, [("A", "A"), ("B", "B")])
    assert type(choices) is forms.MultipleChoiceField
    assert (yes_no.label, yes_no.required) == ("Hotel", True)


class _Form(forms.Form):
    pass


def _answer(questions, data):
    form = _Form(data)
    form.fields.update(question_fields(questions))
    assert form.is_valid(), form.errors
    return responses_from(questions, form.cleaned_data)


def test_answers_are_stored_by_question_with_unanswered_questions_left_out():
    diet = QuestionFactory(kind=Question.Kind.TEXT)
    workshop = QuestionFactory(kind=Question.Kind.CHOICE, options="A\nB")
    visits = QuestionFactory(kind=Question.Kind.CHOICES, options="X\nY\nZ")
    hotel = QuestionFactory(kind=Question.Kind.YES_NO)
    unanswered = QuestionFactory(kind=Question.Kind.TEXT)
    data = {
        f"question_{diet.pk}": "  vegetarian ",
        f"question_{workshop.pk}": "B",
        f"question_{visits.pk}": ["X", "Z"],
        f"question_{hotel.pk}": "no",
    }
    responses = _answer([diet, workshop, visits, hotel, unanswered], data)
    assert responses == {
        str(diet.pk): "vegetarian",
        str(workshop.pk): "B",
        str(visits.pk): ["X", "Z"],
        str(hotel.pk): False,
    }


def test_an_option_not_offered_is_refused():
    workshop = QuestionFactory(kind=Question.Kind.CHOICE, options="A\nB")
    form = _Form({f"question_{workshop.pk}": "C"})
    form.fields.update(question_fields([workshop]))
    assert not form.is_valid()


def test_a_required_yes_no_question_is_answered_by_no():
    hotel = QuestionFactory(kind=Question.Kind.YES_NO, required=True)
    assert _answer([hotel], {f"question_{hotel.pk}": "no"}) == {str(hotel.pk): False}


def test_stored_answers_fill_the_form_again():
    workshop = QuestionFactory(kind=Question.Kind.CHOICE, options="A\nB")
    hotel = QuestionFactory(kind=Question.Kind.YES_NO)
    other = QuestionFactory(kind=Question.Kind.TEXT)
    initial = initial_from([workshop, hotel, other], {str(workshop.pk): "A", str(hotel.pk): True})
    assert initial == {f"question_{workshop.pk}": "A", f"question_{hotel.pk}": "yes"}


def test_answers_read_as_words():
    visits = QuestionFactory(kind=Question.Kind.CHOICES, options="X\nY")
    hotel = QuestionFactory(kind=Question.Kind.YES_NO)
    diet = QuestionFactory(kind=Question.Kind.TEXT)
    responses = {str(visits.pk): ["X", "Y"], str(hotel.pk): True}
    assert answer_text(visits, responses) == "X, Y"
    assert answer_text(hotel, responses) == "Yes"
    assert answer_text(diet, responses) == ""
