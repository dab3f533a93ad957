"""The page of the answer links in invitation emails (/rsvp/<token>/), reached without
signing in. GET only shows the chosen answer and a button; the button (POST) records it,
so mail scanners that follow links change nothing. A forged or outdated link gets a clear
page, never a 500."""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.views import in_language_of, link_problem
from meetings import tokens
from meetings.models import Attendance, Meeting
from meetings.questions import responses_missing
from meetings.services import attendance_answer


def rsvp(request: HttpRequest, token: str) -> HttpResponse:
    try:
        answer = tokens.rsvp_read(token)
    except signing.BadSignature:
        return _rsvp(request, None, None)
    person = User.objects.filter(pk=answer.person_id, is_active=True).first()
    with in_language_of(person):
        return _rsvp(request, answer, person)


def _rsvp(request: HttpRequest, answer: tokens.Answer | None, person) -> HttpResponse:
    if answer is None:
        return link_problem(
            request,
            _("This answer link is not valid"),
            _(
                "The link may have been cut off by your mail program. Use the buttons in the "
                "invitation again, or sign in and answer on the meeting's page."
            ),
            404,
        )
    meeting = Meeting.objects.filter(pk=answer.meeting_id).first()
    if meeting is None or person is None or meeting.status == Meeting.Status.DRAFT:
        return link_problem(
            request,
            _("This answer link is not valid"),
            _("The meeting or the invitation no longer exists."),
            404,
        )
    if meeting.is_cancelled:
        return link_problem(
            request,
            _("This meeting has been cancelled"),
            _("“%(title)s” has been cancelled, so it takes no answers.")
            % {"title": meeting.title},
            410,
        )
    if meeting.answer_closed_reason(answer.answer):
        # Declining stays open until the start; every other answer closes at the deadline.
        return link_problem(
            request,
            _("Answers are closed"),
            _("The time to answer for “%(title)s” has passed.") % {"title": meeting.title},
            410,
        )
    choices = dict(meeting.answer_choices())
    if answer.answer not in choices:
        return link_problem(
            request,
            _("This answer is not possible"),
            _("The meeting's format changed; choose one of the answers on its page."),
            404,
        )
    error = ""
    recorded = False
    if request.method == "POST":
        try:
            attendance_answer(meeting=meeting, user=person, answer=answer.answer)
            recorded = True
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
    current = Attendance.objects.filter(meeting=meeting, user=person).first()
    # The link records the answer alone: the event's page asks its questions.
    questions_missing = bool(
        recorded
        and current.answer != Attendance.Answer.DECLINED
        and responses_missing(meeting.questions.all(), current.responses)
    )
    others = [
        {
            "label": label,
            "url": reverse("meetings:rsvp", args=[tokens.rsvp(meeting, person, value)]),
        }
        for value, label in choices.items()
        if value != answer.answer and not meeting.answer_closed_reason(value)
    ]
    return render(
        request,
        "meetings/rsvp.html",
        {
            "meeting": meeting,
            "person": person,
            "chosen": choices[answer.answer],
            "current": current,
            "recorded": recorded,
            "questions_missing": questions_missing,
            "error": error,
            "others": others,
        },
        status=400 if error else 200,
    )
