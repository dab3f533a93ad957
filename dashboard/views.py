"""/me/: what a signed-in person has to do. Reads in selectors.py; an answer given here
goes through meetings.services.attendance_answer, as on the meeting page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts import permissions
from dashboard import selectors
from meetings.models import Attendance, Meeting
from meetings.services import attendance_answer

# The buttons' words: short, one click each.
BUTTONS = {
    Attendance.Answer.IN_PERSON: _("In person"),
    Attendance.Answer.ONLINE: _("Online"),
    # Translators: a button: "I decline the invitation".
    Attendance.Answer.DECLINED: pgettext_lazy("answer button", "Decline"),
}


class QuickAnswerForm(forms.Form):
    meeting = forms.IntegerField(min_value=1)
    answer = forms.ChoiceField(choices=Attendance.Answer.choices)


def _answer(request: HttpRequest) -> HttpResponse:
    form = QuickAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("That answer could not be read; nothing was changed."))
        return redirect("me")
    meeting = (
        Meeting.objects.visible_to(request.user).filter(pk=form.cleaned_data["meeting"]).first()
    )
    if meeting is None:
        messages.error(request, gettext("That meeting is not open to you; nothing was changed."))
        return redirect("me")
    try:
        attendance = attendance_answer(
            meeting=meeting, user=request.user, answer=form.cleaned_data["answer"]
        )
    except ValidationError as refusal:
        messages.error(request, f"{meeting.title}: {' '.join(refusal.messages)}")
    else:
        messages.success(
            request,
            gettext("Your answer to %(meeting)s: %(answer)s.")
            % {"meeting": meeting.title, "answer": attendance.label},
        )
    return redirect("me")


def _with_buttons(meetings: list[Meeting]) -> list[Meeting]:
    for meeting in meetings:
        current = getattr(meeting, "my_answer", None)
        # Past the deadline, someone coming is offered "Decline" alone (answers_offered).
        meeting.buttons = [
            (answer, BUTTONS[answer], answer == current)
            for answer, _ in meeting.answers_offered(current)
        ]
        if current:
            meeting.my_label = Attendance(
                answer=current, waitlisted=bool(meeting.my_waitlisted)
            ).label
    return meetings


@login_required
def me(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _answer(request)
    user = request.user
    answered = selectors.meetings_answered(user)
    invitations = selectors.invitations_open(user)
    _with_buttons(answered.rows)
    _with_buttons(invitations.rows)
    context = {
        "answered": answered,
        "invitations": invitations,
        "groups": list(user.working_groups.all()),
        "practice_states": selectors.region_practices(user),
        "is_representative": permissions.is_representative(user),
        "secretariat": permissions.is_secretariat(user),
    }
    if context["secretariat"]:
        context |= {
            "review": selectors.review_queue(),
            "meetings": selectors.meetings_with_answers(),
            "failed": selectors.failed_emails(),
            "bouncing": selectors.bouncing_addresses(),
        }
    return render(request, "dashboard/me.html", context)
