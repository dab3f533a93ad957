"""A person's own registration for an event, reached through the personal link of their
confirmation email (meetings.tokens.registration) without signing in: a guest's only way
to it, and a member's too. Seeing it, changing in person / online and the answers to the
event's questions, and cancelling it; every change of the answer goes through
meetings.services.attendance_answer, so seats and the waiting list follow the one rule
(a seat given up goes to the first waiting, who is told by email)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from meetings.models import Attendance
from meetings.services import attendance_answer


@transaction.atomic
def registration_change(*, attendance: Attendance, answer: str, responses: dict) -> Attendance:
    """Records the person's answer (in person or online: cancelling is
    registration_cancel) and their answers to the event's questions, together or not at
    all. Refused (ValidationError) when answers are closed, as attendance_answer refuses;
    choosing the answer already given keeps the place (a seat, or the place in line)."""
    if answer == Attendance.Answer.DECLINED:
        raise ValidationError("Cancel a registration with registration_cancel.")
    attendance = attendance_answer(meeting=attendance.meeting, user=attendance.user, answer=answer)
    if attendance.responses != responses:
        attendance.responses = responses
        attendance.save(update_fields=["responses"])
    return attendance


def registration_cancel(*, attendance: Attendance) -> Attendance:
    """Cancels the registration: the answer becomes "declined" (the row and its answers
    stay for the records and the count); a seat it held goes to the first waiting."""
    return attendance_answer(
        meeting=attendance.meeting, user=attendance.user, answer=Attendance.Answer.DECLINED
    )
