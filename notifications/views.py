"""The page of the reminders-off link in emails, reached without signing in. GET only
shows; a button (POST) changes, so mail scanners that follow links change nothing. A
forged or outdated link gets a clear page, never a 500. Pages of other links in emails
(meetings.rsvp) use the same helpers."""

from __future__ import annotations

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from accounts.backends import forget_person
from accounts.models import User
from notifications import tokens
from notifications.messages import language_of


def link_problem(request: HttpRequest, heading: str, text: str, status: int) -> HttpResponse:
    return render(
        request,
        "link_problem.html",
        {"heading": heading, "text": text},
        status=status,
    )


def in_language_of(person):
    """The page in the language of the person whose link it is, as their email was (the
    active language when the link names nobody)."""
    language = language_of(person) if person is not None else translation.get_language()
    return translation.override(language)


@csrf_exempt  # RFC 8058: mail programs post "List-Unsubscribe=One-Click" without a form
def reminders_off(request: HttpRequest, token: str) -> HttpResponse:
    try:
        person_id = tokens.reminders_off_read(token)
    except signing.BadSignature:
        person_id = None
    person = User.objects.filter(pk=person_id).first() if person_id else None
    with in_language_of(person):
        return _reminders_off(request, person)


def _reminders_off(request: HttpRequest, person) -> HttpResponse:
    if person is None:
        return link_problem(
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
