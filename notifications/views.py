"""Pages reached from links in emails, without signing in: answering an invitation and
turning reminders off. GET only shows; a button (POST) changes, so mail scanners that
follow links change nothing. A forged or outdated link gets a clear page, never a 500."""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from accounts.backends import forget_person
from accounts.models import User
from meetings.models import Attendance, Meeting
from meetings.services import attendance_answer
from notifications import tokens
from notifications.messages import language_of


def _problem(request: HttpRequest, heading: str, text: str, status: int) -> HttpResponse:
    return render(
        request,
        "notifications/link_problem.html",
        {"heading": heading, "text": text},
        status=status,
    )


def _in_language_of(person):
    """The page in the language of the person whose link it is, as their email was (the
    active language when the link names nobody)."""
    language = language_of(person) if person is not None else translation.get_language()
    return translation.override(language)


def rsvp(request: HttpRequest, token: str) -> HttpResponse:
    try:
        answer = tokens.rsvp_read(token)
    except signing.BadSignature:
        return _rsvp(request, None, None)
    person = User.objects.filter(pk=answer.person_id, is_active=True).first()
    with _in_language_of(person):
        return _rsvp(request, answer, person)


def _rsvp(request: HttpRequest, answer: tokens.Answer | None, person) -> HttpResponse:
    if answer is None:
        return _problem(
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
        return _problem(
            request,
            _("This answer link is not valid"),
            _("The meeting or the invitation no longer exists."),
            404,
        )
    if meeting.is_cancelled:
        return _problem(
            request,
            _("This meeting has been cancelled"),
            _("“%(title)s” has been cancelled, so it takes no answers.")
            % {"title": meeting.title},
            410,
        )
    closes = meeting.registration_deadline or meeting.start
    if timezone.now() > closes:
        return _problem(
            request,
            _("Answers are closed"),
            _("The time to answer for “%(title)s” has passed.") % {"title": meeting.title},
            410,
        )
    choices = dict(meeting.answer_choices())
    if answer.answer not in choices:
        return _problem(
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
    others = [
        {
            "label": label,
            "url": reverse("notifications:rsvp", args=[tokens.rsvp(meeting, person, value)]),
        }
        for value, label in choices.items()
        if value != answer.answer
    ]
    return render(
        request,
        "notifications/rsvp.html",
        {
            "meeting": meeting,
            "person": person,
            "chosen": choices[answer.answer],
            "current": current,
            "recorded": recorded,
            "error": error,
            "others": others,
        },
        status=400 if error else 200,
    )


@csrf_exempt  # RFC 8058: mail programs post "List-Unsubscribe=One-Click" without a form
def reminders_off(request: HttpRequest, token: str) -> HttpResponse:
    try:
        person_id = tokens.reminders_off_read(token)
    except signing.BadSignature:
        person_id = None
    person = User.objects.filter(pk=person_id).first() if person_id else None
    with _in_language_of(person):
        return _reminders_off(request, person)


def _reminders_off(request: HttpRequest, person) -> HttpResponse:
    if person is None:
        return _problem(
            request,
            _("This link is not valid"),
            _("Sign in and turn reminders off on your profile page instead."),
            404,
        )
    done = False
    if request.method == "POST":
        User.objects.filter(pk=person.pk).update(meeting_reminders=False)
        forget_person(person.pk)
        done = True
    return render(request, "notifications/reminders_off.html", {"person": person, "done": done})
