"""The public registration form of an event open to the public, and the page of the
link that confirms it. Thin: the rules are in meetings.registrations.

The event's page for visitors is a cached public page: the form (with its CSRF token)
lives here, on a page that is never cached."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from accounts import permissions
from accounts.signin import client_address
from accounts.views import link_problem
from asa_portal.cache import no_store
from meetings import registrations
from meetings.models import Meeting
from meetings.registration_forms import RegistrationForm


def _open_meeting(slug: str) -> Meeting:
    """The published event open to the public with this address, or 404 (a draft, an
    event for members, one not open to the public: no registration form)."""
    meeting = Meeting.objects.filter(slug=slug).exclude(status=Meeting.Status.DRAFT).first()
    if (
        meeting is None
        or not meeting.public_registration
        or meeting.visibility != Meeting.Visibility.PUBLIC
    ):
        raise Http404(gettext("No such event is open to registration."))
    return meeting


def register(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = _open_meeting(slug)
    if permissions.is_member(request.user):
        # Members answer on the event's page, beside their answer.
        return no_store(render(request, "meetings/registration_member.html", {"meeting": meeting}))
    if not registrations.registration_open(meeting):
        return link_problem(
            request,
            gettext("Registration is closed"),
            meeting.answers_closed_reason or gettext("This event no longer takes registrations."),
            410,
        )
    form = RegistrationForm(request.POST or None, meeting=meeting)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            refusal = registrations.registration_throttle(
                meeting=meeting,
                email=form.cleaned_data["email"],
                client=client_address(request),
            )
            if refusal is None:
                try:
                    registrations.registration_start(
                        meeting=meeting,
                        data=form.registration_data(),
                        language=translation.get_language(),
                    )
                except ValidationError as refusal_of_service:
                    form.add_error(None, refusal_of_service)
                else:
                    # The same page whatever the address: a member's, one registered
                    # already, a new one.
                    return no_store(
                        render(
                            request,
                            "meetings/registration_sent.html",
                            {"meeting": meeting, "hours": settings.REGISTRATION_CONFIRM_HOURS},
                        )
                    )
            else:
                status = 429
                retry_at = timezone.localtime(refusal.retry_at)
                values = {
                    "time": f"{retry_at:%H:%M}",
                    "zone": timezone.get_current_timezone_name(),
                }
                form.add_error(
                    None,
                    gettext(
                        "Too many registrations from your connection or for this address. "
                        "Try again after %(time)s (%(zone)s time). A link we have already "
                        "sent still works."
                    )
                    % values,
                )
    response = render(
        request,
        "meetings/registration_form.html",
        {"meeting": meeting, "form": form, "full": registrations.in_person_full(meeting)},
        status=status,
    )
    return no_store(response)


def register_confirm(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """GET shows the event and a button; the button (POST) confirms, so mail scanners
    that follow links confirm nothing."""
    # In the language of the browser that opens it, as any visitor's page (the email was
    # in the language of the page the form was sent from, usually the same).
    registration = registrations.registration_find(token)
    if registration is not None and registration.meeting.slug != slug:
        registration = None
    problem = registrations.registration_problem(registration)
    attendance = None
    if problem is None and request.method == "POST":
        try:
            attendance = registrations.registration_confirm(token=token)
        except registrations.RegistrationProblem as refusal:
            problem = refusal
    elif problem is None and registration.confirmed_at is not None:
        attendance = registration.attendance
    if problem is not None:
        return no_store(_problem_page(request, problem))
    response = render(
        request,
        "meetings/registration_confirm.html",
        {"meeting": registration.meeting, "attendance": attendance},
    )
    return no_store(response)


def _problem_page(request: HttpRequest, problem: registrations.RegistrationProblem):
    if problem.reason == "expired":
        hours = settings.REGISTRATION_CONFIRM_HOURS
        return link_problem(
            request,
            gettext("This link has expired"),
            ngettext(
                "A registration must be confirmed within %(hours)d hour. Register again on "
                "the event's page: you will get a new link.",
                "A registration must be confirmed within %(hours)d hours. Register again on "
                "the event's page: you will get a new link.",
                hours,
            )
            % {"hours": hours},
            410,
        )
    if problem.reason == "closed":
        return link_problem(request, gettext("Registration is closed"), problem.message, 410)
    return link_problem(
        request,
        gettext("This confirmation link is not valid"),
        gettext(
            "The link may have been cut off by your mail program: copy the whole address "
            "from the email. Otherwise, register again on the event's page."
        ),
        404,
    )
