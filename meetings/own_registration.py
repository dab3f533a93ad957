"""A person's own registration for an event, reached through the personal link of their
confirmation email (meetings.tokens.registration) without signing in: a guest's only way
to it, and a member's too. Seeing it, changing in person / online and the answers to the
event's questions, and cancelling it; every change of the answer goes through
meetings.services.attendance_answer, so seats and the waiting list follow the one rule
(a seat given up goes to the first waiting, who is told by email)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from meetings.invitations import registration_cancelled_queue
from meetings.models import Attendance, Meeting
from meetings.services import attendance_answer


def registration_change(*, attendance: Attendance, answer: str, responses: dict) -> Attendance:
    """Records the person's answer (in person or online: cancelling is
    registration_cancel) with their answers to the event's questions, together or not at
    all (attendance_answer). Refused (ValidationError) when answers are closed or a
    required question is unanswered; choosing the answer already given keeps the place
    (a seat, or the place in line)."""
    if answer == Attendance.Answer.DECLINED:
        raise ValidationError("Cancel a registration with registration_cancel.")
    return attendance_answer(
        meeting=attendance.meeting, user=attendance.user, answer=answer, responses=responses
    )


@transaction.atomic
def registration_cancel(*, attendance: Attendance) -> Attendance:
    """Cancels the registration: the answer becomes "declined" (the row stays for the
    records and the count; its answers to the questions go, as attendance_answer drops
    them for anyone declining); a seat it held goes to the first waiting. The person is
    told by email, with the calendar CANCEL that takes the event out of the calendar
    their confirmation put it in (registration_cancelled_queue), once per cancellation."""
    # The meeting's lock first, as attendance_answer takes it: two cancellations at once
    # read the answer one after the other, and only the first one tells the person.
    Meeting.objects.select_for_update().filter(pk=attendance.meeting_id).first()
    was_declined = Attendance.objects.filter(
        pk=attendance.pk, answer=Attendance.Answer.DECLINED
    ).exists()
    cancelled = attendance_answer(
        meeting=attendance.meeting, user=attendance.user, answer=Attendance.Answer.DECLINED
    )
    if not was_declined:
        registration_cancelled_queue(attendance=cancelled)
    return cancelled
