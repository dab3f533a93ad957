"""What happens to meetings: the business rules. Views, the admin and seed_demo call these.

Each state change (publish, update, cancel) is one function in one transaction, so the
email step of the next issue (invitation, update, cancellation) has exactly one place to
go: queue it with `transaction.on_commit` at the marked line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext

from accounts.models import User
from asa_portal.cache import invalidate_public_pages
from meetings import invitations, timefmt
from meetings.models import (
    FIRST_YEAR,
    LAST_YEAR,
    AgendaItem,
    Attendance,
    Meeting,
    Question,
)
from meetings.questions import responses_missing

# Positions are moved this far out of the way while an agenda is renumbered, so the
# unique (meeting, position) constraint holds at every step without being deferrable.
_REORDER_OFFSET = 1_000_000


def _save(meeting: Meeting) -> Meeting:
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def meeting_publish(*, meeting: Meeting) -> Meeting:
    """Publishes a draft: it appears on the site and in the calendar feeds.

    Side effects: status and published_at change; invitations to its audience (and their
    reminders) are queued in the same transaction and sent after the commit.
    Publishing an already published meeting changes nothing.
    """
    if meeting.status == Meeting.Status.PUBLISHED:
        return meeting
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(gettext("A cancelled meeting cannot be published again; clone it."))
    meeting.status = Meeting.Status.PUBLISHED
    meeting.published_at = timezone.now()
    _save(meeting)
    invitations.meeting_invitations_queue(meeting=meeting)
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, data: Mapping[str, Any]) -> Meeting:
    """Changes a meeting's fields; a change of time or place raises its `sequence`.

    Side effects: `sequence` + 1 when one of Meeting.SCHEDULE_FIELDS changed, so
    calendars replace the event; for a published meeting, an update email to everyone
    invited who has not declined.
    """
    old = {name: getattr(meeting, name) for name in Meeting.SCHEDULE_FIELDS}
    for name, value in data.items():
        setattr(meeting, name, value)
    return meeting_save_changes(meeting=meeting, before=old)


def meeting_save_changes(*, meeting: Meeting, before: Mapping[str, Any] | None) -> Meeting:
    """Saves a meeting changed elsewhere (the admin form), given its schedule fields as
    they were (None for a new meeting). The one place where `sequence` rises."""
    with transaction.atomic():
        # Validated first: a far date (refused) cannot even be compared with the old one.
        meeting.full_clean()
        moved = before is not None and any(
            before[name] != getattr(meeting, name) for name in Meeting.SCHEDULE_FIELDS
        )
        if moved:
            meeting.sequence += 1
        meeting.save()
        # A raised (or removed) capacity seats those waiting, in the order they answered.
        waitlist_fill(meeting=meeting)
        if meeting.status == Meeting.Status.PUBLISHED:
            if moved:
                invitations.meeting_updates_queue(
                    meeting=meeting, changes=schedule_changes(meeting, before)
                )
            # New invitees (everyone, for a conference) and changed reminder hours.
            invitations.meeting_invitations_queue(meeting=meeting)
    return meeting


def schedule_changes(meeting: Meeting, before: Mapping[str, Any]) -> list[list[str]]:
    """[label, was, now] for each schedule field that changed, as an email shows them."""

    def shown(name: str, value: Any) -> str:
        if isinstance(value, dt.datetime):
            return timefmt.moment_text(timezone.localtime(value, meeting.zone))
        if name == "format":
            return str(Meeting.Format(value).label) if value else ""
        return str(value or gettext("(none)"))

    return [
        [
            str(Meeting._meta.get_field(name).verbose_name).capitalize(),
            shown(name, before[name]),
            shown(name, getattr(meeting, name)),
        ]
        for name in Meeting.SCHEDULE_FIELDS
        if before[name] != getattr(meeting, name)
    ]


def meeting_audience(*, meeting: Meeting) -> QuerySet[User]:
    """Who is invited: the working group's members and whoever the secretariat added
    (people, everyone of a region or working group, every member for a conference), as
    invitations.audience_sources lists them). Never a guest: they registered for one
    public event without an account."""
    people = User.objects.filter(is_active=True, is_guest=False)
    if meeting.invite_all_members:
        return people
    who = Q()
    for _source, condition in invitations.audience_sources(meeting=meeting):
        who |= condition
    return people.filter(pk__in=User.objects.filter(who).values("pk"))


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, reason: str = "") -> Meeting:
    """Cancels a meeting, saying why if `reason` is given. It stays visible, marked
    cancelled with its reason, so calendars drop it and people know why.

    Side effects: status becomes cancelled and `sequence` rises (RFC 5545 asks for a new
    revision with STATUS:CANCELLED); a cancellation email (METHOD:CANCEL) to everyone
    invited who has not declined; waiting invitations and reminders are skipped.
    Cancelling twice changes nothing.
    """
    if meeting.status == Meeting.Status.CANCELLED:
        return meeting
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancellation_reason = reason.strip()
    meeting.sequence += 1
    _save(meeting)
    invitations.meeting_cancellations_queue(meeting=meeting)
    return meeting


@transaction.atomic
def meeting_clone(
    *, meeting: Meeting, new_start: dt.datetime, slug: str = "", title: str = ""
) -> Meeting:
    """A new draft of the same event at `new_start` (titled `title`, or as the old one):
    agenda, partners, reminders copied and every time shifted by the same amount.
    Answers are not copied.

    The shift keeps the wall-clock time in the event's zone (10:00 stays 10:00 across a
    daylight saving change).
    """
    if not FIRST_YEAR <= new_start.year <= LAST_YEAR:
        raise ValidationError(
            gettext("Give a date between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    zone = meeting.zone
    old_local = timezone.localtime(meeting.start, zone).replace(tzinfo=None)
    new_local = timezone.localtime(new_start, zone).replace(tzinfo=None)
    shift = new_local - old_local

    def shifted(value: dt.datetime | None) -> dt.datetime | None:
        if value is None:
            return None
        local = timezone.localtime(value, zone).replace(tzinfo=None) + shift
        return local.replace(tzinfo=zone)

    partners = list(meeting.partners.all())
    items = list(meeting.agenda_items.all())
    clone = Meeting.objects.get(pk=meeting.pk)
    clone.pk = None
    clone.id = None
    clone._state.adding = True
    clone.title = title or meeting.title
    clone.slug = slug or _clone_slug(clone.title, new_local.date())
    clone.start = shifted(meeting.start)
    clone.end = shifted(meeting.end)
    clone.registration_deadline = shifted(meeting.registration_deadline)
    clone.status = Meeting.Status.DRAFT
    clone.sequence = 0
    clone.published_at = None
    clone.minutes = ""  # the record of the old meeting, not of the new one
    clone.cancellation_reason = ""
    clone.reminder_hours = list(meeting.reminder_hours)
    _save(clone)
    clone.partners.set(partners)
    for item in items:
        item.pk = None
        item.id = None
        item._state.adding = True
        item.meeting = clone
        item.save()
    return clone


def _clone_slug(title: str, day: dt.date) -> str:
    """The clone's address from its own title ("WG4 meeting June 2027" ->
    wg4-meeting-june-2027); with the date added when the title kept the old one's."""
    base = slugify(title)[:170] or "meeting"
    if Meeting.objects.filter(slug=base).exists():
        base = f"{base}-{day:%Y-%m-%d}"
    return _free_slug(base)


def _free_slug(base: str) -> str:
    slug, n = base[:190], 2
    while Meeting.objects.filter(slug=slug).exists():
        slug, n = f"{base[:190]}-{n}", n + 1
    return slug


@transaction.atomic
def agenda_reorder(*, meeting: Meeting, item_ids: Iterable[int]) -> None:
    """Numbers the meeting's items 1, 2, 3 … in the given order; items not named keep
    their relative order after those named."""
    items = meeting.agenda_items.all()
    wanted = [int(pk) for pk in item_ids]
    known = set(items.values_list("pk", flat=True))
    if set(wanted) - known:
        raise ValidationError(gettext("These items do not belong to this meeting."))
    rest = list(items.order_by("position", "pk").values_list("pk", flat=True))
    order = wanted + [pk for pk in rest if pk not in wanted]
    items.update(position=F("position") + _REORDER_OFFSET)
    for position, pk in enumerate(order, start=1):
        AgendaItem.objects.filter(pk=pk).update(position=position)
    # The agenda is part of the event: feeds and pages must see a new Last-Modified.
    # (update() sends no signals, so the cached pages are told directly.)
    Meeting.objects.filter(pk=meeting.pk).update(updated_at=timezone.now())
    invalidate_public_pages()


def agenda_make_room(*, meeting: Meeting) -> None:
    """Moves all positions out of the way before a formset saves rows in a new order;
    agenda_reorder must follow in the same transaction."""
    meeting.agenda_items.update(position=F("position") + _REORDER_OFFSET)


@transaction.atomic
def attendance_answer(
    *, meeting: Meeting, user: User, answer: str, responses: Mapping | None = None
) -> Attendance:
    """Records a person's answer; in-person answers beyond capacity join the waiting list.

    `responses` are the answers to the event's questions (meetings.questions), saved with
    it: given again with the same answer, they replace the stored ones and nothing else
    changes. None (the answer links, calendar replies) keeps those stored. Declining
    keeps none: nobody's dietary or accessibility needs are kept for an event they skip.

    Refused (ValidationError) for drafts, cancelled meetings, after the deadline (except
    declining, taken until the start: Meeting.answer_closed_reason), for an answer the
    format does not allow, and for responses that leave a required question
    unanswered (unless declining). Seats follow waitlist_fill: a new in-person answer
    waits behind everyone who answered before, and a seat given up goes to the first
    person waiting.
    """
    # Lock the meeting row so two last-seat answers cannot both win (PostgreSQL; SQLite
    # serialises writers anyway).
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    closed = meeting.answer_closed_reason(answer)
    if closed:
        raise ValidationError(closed)
    if answer not in dict(meeting.answer_choices()):
        raise ValidationError(gettext("That answer is not possible for this meeting's format."))
    if answer == Attendance.Answer.DECLINED:
        responses = {}
    elif responses is not None:
        responses = _responses_checked(meeting, responses)

    attendance = Attendance.objects.filter(meeting=meeting, user=user).first()
    had_seat = bool(
        attendance
        and attendance.answer == Attendance.Answer.IN_PERSON
        and not attendance.waitlisted
    )
    if attendance is None:
        attendance = Attendance(meeting=meeting, user=user)
    elif attendance.answer == answer:
        # The same answer again keeps its place; only changed responses are saved.
        if responses is not None and responses != attendance.responses:
            attendance.responses = responses
            attendance.save(update_fields=["responses"])
        return attendance

    attendance.answer = answer
    attendance.answered_at = timezone.now()
    if responses is not None:
        attendance.responses = responses
    # A new in-person answer joins the end of the line; waitlist_fill gives it a seat only
    # if one is free after everyone who answered before has been seated.
    attendance.waitlisted = (
        answer == Attendance.Answer.IN_PERSON and not had_seat and meeting.capacity is not None
    )
    attendance.full_clean()
    attendance.save()
    waitlist_fill(meeting=meeting, answering=attendance)
    attendance.refresh_from_db(fields=["waitlisted"])
    return attendance


def _responses_checked(meeting: Meeting, responses: Mapping) -> dict:
    """The responses to this meeting's own questions (any other key is dropped), refused
    when a required one is unanswered."""
    questions = list(meeting.questions.all())
    missing = responses_missing(questions, responses)
    if missing:
        raise ValidationError(
            ngettext(
                "This question needs an answer: %(questions)s.",
                "These questions need an answer: %(questions)s.",
                len(missing),
            )
            % {"questions": "; ".join(question.text for question in missing)}
        )
    own = {str(question.pk) for question in questions}
    return {key: value for key, value in responses.items() if key in own}


def attendances_delete(*, attendances: QuerySet[Attendance]) -> int:
    """Deletes answers (the secretariat's admin), then gives each meeting's freed seats to
    those waiting, first answered first, who are told by email (waitlist_fill)."""
    with transaction.atomic():
        meeting_ids = set(attendances.values_list("meeting_id", flat=True))
        deleted, _ = Attendance.objects.filter(pk__in=attendances.values("pk")).delete()
        for meeting in Meeting.objects.filter(pk__in=meeting_ids).order_by("pk"):
            waitlist_fill(meeting=meeting)
    return deleted


def waitlist_fill(*, meeting: Meeting, answering: Attendance | None = None) -> list[Attendance]:
    """Gives the free in-person seats to those waiting, first answered first (answered_at,
    then pk), and returns them. The one rule for seats: attendance_answer and every save
    of a meeting (meeting_update, the admin) call it, so no newer answer is seated while
    an older one waits.

    Runs in the caller's transaction with the meeting row locked, so two fills cannot
    hand out the same seat. Each person seated is told by email, except `answering`, the
    person whose answer is being recorded now: the page tells them.
    """
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().filter(pk=meeting.pk)
        capacity = locked.values_list("capacity", flat=True).get()
        waiting = meeting.attendances.filter(waitlisted=True).order_by("answered_at", "pk")
        if capacity is not None:
            seated = meeting.attendances.filter(
                answer=Attendance.Answer.IN_PERSON, waitlisted=False
            ).count()
            waiting = waiting[: max(capacity - seated, 0)]
        chosen = list(waiting)
        if chosen:
            Attendance.objects.filter(pk__in=[a.pk for a in chosen]).update(waitlisted=False)
            for attendance in chosen:
                attendance.waitlisted = False
                if answering is None or attendance.pk != answering.pk:
                    invitations.attendance_seat_queue(attendance=attendance)
    return chosen


# -- a person's own data (accounts.services.account_export) ---------------------------


def person_working_groups(user: User, limit: int) -> list[dict]:
    """The working groups the person is a member of, for their export."""
    return [
        {"code": code, "name": name}
        for code, name in user.working_groups.order_by("code").values_list("code", "name")[:limit]
    ]


def person_answers(user: User, limit: int) -> list[dict]:
    """The person's answers, newest meeting first, for their export: with their answers
    to each event's questions ({question: answer}; one of a question since removed under
    its number) and when they were checked in at the door. Two queries, however many."""
    rows = list(
        Attendance.objects.filter(user=user)
        .order_by("-meeting__start", "-pk")
        .values(
            "meeting_id",
            "meeting__title",
            "meeting__slug",
            "meeting__start",
            "answer",
            "waitlisted",
            "answered_at",
            "responses",
            "checked_in_at",
        )[:limit]
    )
    asked = {row["meeting_id"] for row in rows if row["responses"]}
    questions = Question.objects.filter(meeting__in=asked).values_list("pk", "text")
    texts = {str(pk): text for pk, text in questions} if asked else {}
    return [
        {
            "meeting": row["meeting__title"],
            "slug": row["meeting__slug"],
            "start": row["meeting__start"],
            "answer": row["answer"],
            "waiting_list": row["waitlisted"],
            "answered_at": row["answered_at"],
            "questions": {
                texts.get(key, f"#{key}"): value for key, value in row["responses"].items()
            },
            "checked_in_at": row["checked_in_at"],
        }
        for row in rows
    ]
