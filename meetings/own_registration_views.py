"""The personal registration page (/meetings/<slug>/registration/<token>/), reached from
the confirmation email without signing in: the token is the credential. GET only shows;
changing and cancelling are POSTs, cancelling after a confirmation step (`?cancel`), so
mail scanners that follow links change nothing. A forged link, a closed account, a
cancelled or past event: a clear page, never a 500. Rules: meetings.own_registration."""

from __future__ import annotations

from contextlib import nullcontext

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.views import in_language_of, link_problem
from asa_portal.cache import no_store
from meetings import questions as question_forms
from meetings import tokens
from meetings.models import Attendance, Meeting
from meetings.own_registration import registration_cancel, registration_change
from meetings.qr import checkin_qr_svg


class OwnRegistrationForm(forms.Form):
    answer = forms.ChoiceField(label=gettext_lazy("How you take part"), widget=forms.RadioSelect)

    def __init__(self, *args, meeting: Meeting, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.fields["answer"].choices = [
            (value, label)
            for value, label in meeting.answer_choices()
            if value != Attendance.Answer.DECLINED
        ]
        self.fields.update(question_forms.question_fields(questions))

    @property
    def question_field_list(self):
        return [self[name] for name in self.fields if name != "answer"]

    def responses(self) -> dict:
        return question_forms.responses_from(self.questions, self.cleaned_data)


def registration(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    try:
        link = tokens.registration_read(token)
    except signing.BadSignature:
        link = None
    person = None
    if link is not None:
        person = User.objects.filter(
            pk=link.person_id, is_active=True, closed_at__isnull=True
        ).first()
    # In the language of the person whose link it is, as their email was; unless the
    # visitor chose one in the language menu, a guest's only way to choose (no profile).
    chosen = settings.LANGUAGE_COOKIE_NAME in request.COOKIES
    with nullcontext() if chosen else in_language_of(person):
        response = _registration(request, slug, link, person)
    # Personal (a name, answers, the door's code): kept by no cache, shared or not.
    return no_store(response)


def _not_valid(request: HttpRequest, text: str) -> HttpResponse:
    return link_problem(request, _("This registration link is not valid"), text, 404)


def _registration(request: HttpRequest, slug: str, link, person) -> HttpResponse:
    if link is None:
        return _not_valid(
            request,
            _(
                "The link may have been cut off by your mail program. Open it again from "
                "your confirmation email, or copy all of it into the address bar."
            ),
        )
    attendance = (
        Attendance.objects.select_related("meeting", "user")
        .filter(meeting_id=link.meeting_id, user=person)
        .first()
        if person is not None
        else None
    )
    meeting = attendance.meeting if attendance else None
    if meeting is None or meeting.status == Meeting.Status.DRAFT:
        return _not_valid(request, _("The registration or the event no longer exists."))
    if meeting.slug != slug:
        # The token names the event: a link sent before its address changed still leads
        # to it, under its address of today.
        path = request.path.replace(f"/meetings/{slug}/", f"/meetings/{meeting.slug}/", 1)
        return redirect(f"{path}?{request.GET.urlencode()}" if request.GET else path)
    if meeting.is_cancelled:
        return link_problem(
            request,
            _("This event has been cancelled"),
            _("“%(title)s” has been cancelled: there is no registration to change.")
            % {"title": meeting.title},
            410,
        )
    if meeting.end < timezone.now():
        return link_problem(
            request,
            _("This event is over"),
            _("“%(title)s” has taken place: its registrations can no longer be changed.")
            % {"title": meeting.title},
            410,
        )
    if "cancel" in request.GET:
        return _cancel_step(request, attendance)
    questions = list(meeting.questions.all())
    form = None
    status = 200
    if meeting.answers_open:
        initial = question_forms.initial_from(questions, attendance.responses)
        if attendance.answer != Attendance.Answer.DECLINED:
            initial["answer"] = attendance.answer
        form = OwnRegistrationForm(
            request.POST if request.method == "POST" else None,
            meeting=meeting,
            questions=questions,
            initial=initial,
        )
    if request.method == "POST":
        if form is None:
            messages.error(request, meeting.answers_closed_reason)
            return redirect(request.path)
        if form.is_valid():
            try:
                changed = registration_change(
                    attendance=attendance,
                    answer=form.cleaned_data["answer"],
                    responses=form.responses(),
                )
            except ValidationError as refusal:
                form.add_error(None, refusal)
            else:
                messages.success(request, _changed_message(changed))
                return redirect(request.path)
        status = 400
    return render(
        request,
        "meetings/own_registration.html",
        {
            "meeting": meeting,
            "attendance": attendance,
            "person": person,
            "answers": [
                (question.text, question_forms.answer_text(question, attendance.responses))
                for question in questions
            ],
            "form": form,
            # Past the deadline, someone coming may still cancel until the start.
            "can_cancel": bool(meeting.answers_offered(attendance.answer)),
            "qr_svg": _door_code(attendance),
        },
        status=status,
    )


def _changed_message(attendance: Attendance) -> str:
    if attendance.waitlisted:
        return _(
            "Your registration is saved. You are on the waiting list for an in-person "
            "seat: we will email you as soon as one is free."
        )
    return _("Your registration is saved.")


def _door_code(attendance: Attendance) -> str:
    """The QR code for the door, for an in-person registration (seated or waiting)."""
    if attendance.answer != Attendance.Answer.IN_PERSON:
        return ""
    svg = checkin_qr_svg(
        attendance,
        title=_("QR code for the door, check-in code %(code)s")
        % {"code": attendance.checkin_code},
    )
    # segno writes the SVG itself and escapes the title: nothing typed by anyone is in it.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308


def _cancel_step(request: HttpRequest, attendance: Attendance) -> HttpResponse:
    meeting = attendance.meeting
    if attendance.answer == Attendance.Answer.DECLINED:
        messages.info(request, _("Your registration is already cancelled."))
        return redirect(request.path)
    # Cancelling stays open past the deadline until the start (a seat goes to the first
    # waiting); registration_cancel refuses by the same rule.
    if not meeting.declining_open:
        messages.error(request, meeting.declining_closed_reason)
        return redirect(request.path)
    if request.method == "POST":
        try:
            registration_cancel(attendance=attendance)
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(request, _("Your registration is cancelled."))
        return redirect(request.path)
    return render(
        request,
        "meetings/own_registration_cancel.html",
        {"meeting": meeting, "attendance": attendance, "page_url": request.path},
    )
