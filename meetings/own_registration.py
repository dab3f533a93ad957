"""A person's own registration for an event, reached through the personal link of their
confirmation email (meetings.tokens.registration) without signing in: a guest's only way
to it, and a member's too. Seeing it, changing in person / online and the answers to the
event's questions, and cancelling it; every change of the answer goes through
meetings.services.attendance_answer, so seats and the waiting list follow the one rule
(a seat given up goes to the first waiting, who is told by email)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from meetings.models import Attendance
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


def registration_cancel(*, attendance: Attendance) -> Attendance:
    """Cancels the registration: the answer becomes "declined" (the row stays for the
    records and the count; its answers to the questions go, as attendance_answer drops
    them for anyone declining); a seat it held goes to the first waiting."""
    return attendance_answer(
        meeting=attendance.meeting, user=attendance.user, answer=Attendance.Answer.DECLINED
    )
