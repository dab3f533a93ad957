"""An event's questions (Question) as form fields, and their answers (Attendance.responses)
as the forms, pages and exports read them. The public registration form, a member's
answer on the meeting page and the personal registration page all use these.

Answers are stored as {str(question.pk): value}: a str for short text and one choice (the
option's text), a list of str for several choices, a bool for yes / no. A question left
unanswered is absent."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django import forms
from django.utils.translation import gettext

from meetings.models import Question

MAX_TEXT_ANSWER = 500


def field_name(question: Question) -> str:
    return f"question_{question.pk}"


def question_field(question: Question) -> forms.Field:
    Kind = Question.Kind
    common = {"label": question.text, "required": question.required}
    options = [(option, option) for option in question.option_list]
    if question.kind == Kind.CHOICE:
        return forms.ChoiceField(choices=options, widget=forms.RadioSelect, **common)
    if question.kind == Kind.CHOICES:
        return forms.MultipleChoiceField(
            choices=options, widget=forms.CheckboxSelectMultiple, **common
        )
    if question.kind == Kind.YES_NO:
        # Yes and No both answer; a required yes / no question needs one of them.
        return forms.TypedChoiceField(
            choices=[("yes", gettext("Yes")), ("no", gettext("No"))],
            coerce=lambda value: value == "yes",
            empty_value=None,
            widget=forms.RadioSelect,
            **common,
        )
    return forms.CharField(max_length=MAX_TEXT_ANSWER, strip=True, **common)


def question_fields(questions: Iterable[Question]) -> dict[str, forms.Field]:
    """The form fields of the questions, in their order, named question_<pk>."""
    return {field_name(question): question_field(question) for question in questions}


def responses_from(questions: Iterable[Question], cleaned_data: Mapping) -> dict:
    """The answers of a valid form, as Attendance.responses stores them."""
    responses = {}
    for question in questions:
        value = cleaned_data.get(field_name(question))
        if value in (None, "", []):
            continue
        responses[str(question.pk)] = list(value) if isinstance(value, list | tuple) else value
    return responses


def initial_from(questions: Iterable[Question], responses: Mapping) -> dict:
    """A form's initial values from stored answers (to change them)."""
    initial = {}
    for question in questions:
        value = responses.get(str(question.pk))
        if value is None:
            continue
        if isinstance(value, bool):
            value = "yes" if value else "no"
        initial[field_name(question)] = value
    return initial


def answer_text(question: Question, responses: Mapping) -> str:
    """One answer as a page, an email or an export shows it ("" when unanswered)."""
    value = responses.get(str(question.pk))
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def is_answered(question: Question, responses: Mapping) -> bool:
    return responses.get(str(question.pk)) not in (None, "", [])


def responses_missing(questions: Iterable[Question], responses: Mapping) -> list[Question]:
    """The required questions without an answer in `responses` (a person who answered by
    an email link, or before the questions were set, has none yet)."""
    return [q for q in questions if q.required and not is_answered(q, responses)]
