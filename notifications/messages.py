"""Turns outbox rows into email messages: a text and an HTML part from templates, the
event as an iCalendar attachment made for the recipient, stable headers.

A Composer lives for one batch: what is the same for every recipient of a meeting (its
agenda, documents, calendar file, the answers given so far) is built once per batch and
only the few personal lines are rendered per message.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.mime.text import MIMEText
from email.utils import parseaddr

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from meetings import timefmt
from meetings.models import Attendance, Meeting, agenda_schedule
from notifications import calendar, tokens
from notifications.models import Notification

Kind = Notification.Kind

SUBJECT_PREFIX = {
    Kind.INVITATION: "Invitation",
    Kind.REMINDER: "Reminder",
    Kind.UPDATE: "Update",
    Kind.CANCELLATION: "Cancelled",
    Kind.SEAT: "Seat confirmed",
}

REVIEW_SUBJECTS = {
    "published": "Published: {title}",
    "returned": "Returned for changes: {title}",
}

# Remote stylesheets are never fetched: everything the HTML part needs is in it.
_INLINER = css_inline.CSSInliner(load_remote_stylesheets=False)


class NotApplicable(Exception):
    """The row no longer applies (declined, cancelled, turned off): skip, never send."""


def secretariat_email() -> str:
    return settings.SECRETARIAT_EMAIL or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def meeting_subject(kind: str, meeting: Meeting) -> str:
    start = meeting.local_start
    return f"{SUBJECT_PREFIX[kind]}: {meeting.title}, {start.day} {start:%B %Y}"


@dataclass
class MeetingParts:
    """What every recipient of one meeting's emails shares, built once per batch."""

    meeting: Meeting
    answers: dict[int, Attendance]
    details_text: str
    details_html: str
    calendars: dict[str, bytes]  # by METHOD

    def calendar_for(self, method: str) -> bytes:
        if method not in self.calendars:
            self.calendars[method] = calendar.meeting_calendar(self.meeting, method=method)
        return self.calendars[method]


def meeting_details(meeting: Meeting) -> dict:
    """The shared context of a meeting's emails: times, place, agenda, documents."""
    items = list(meeting.agenda_items.select_related("presenting_region", "showcased_practice"))
    documents = [
        {
            "title": item.title,
            "url": absolute(reverse("meetings:document", args=[meeting.slug, item.pk])),
        }
        for item in items
        if item.document
    ]
    return {
        "meeting": meeting,
        "start": meeting.local_start,
        "end": meeting.local_end,
        "slots": agenda_schedule(meeting, items),
        "documents": documents,
        "meeting_url": absolute(meeting.get_absolute_url()),
        "deadline": (
            timezone.localtime(meeting.registration_deadline, meeting.zone)
            if meeting.registration_deadline
            else None
        ),
    }


class Composer:
    """`check=False` builds a message whatever the state (the secretariat's preview of a
    draft's invitation)."""

    def __init__(self, *, check: bool = True) -> None:
        self._meetings: dict[int, MeetingParts] = {}
        self.now = timezone.now()
        self.check = check

    def build(self, row: Notification, *, connection=None) -> EmailMultiAlternatives:
        if not row.person.is_active or not row.person.email:
            raise NotApplicable("The person's account is closed.")
        if row.kind == Kind.PRACTICE_REVIEW:
            return self._practice_review(row, connection)
        if row.kind == Kind.MESSAGE:
            return self._message(row, connection)
        if row.kind == Kind.REPLY:
            from inbound.emails import reply_email

            return reply_email(row, connection)
        return self._meeting_email(row, connection)

    # -- meetings -----------------------------------------------------------------------

    def _parts(self, meeting: Meeting) -> MeetingParts:
        parts = self._meetings.get(meeting.pk)
        if parts is None:
            context = meeting_details(meeting)
            parts = MeetingParts(
                meeting=meeting,
                answers={
                    attendance.user_id: attendance
                    for attendance in Attendance.objects.filter(meeting=meeting)
                },
                details_text=render_to_string("notifications/email/_details.txt", context),
                details_html=render_to_string("notifications/email/_details.html", context),
                calendars={},
            )
            self._meetings[meeting.pk] = parts
        return parts

    def _check(self, row: Notification, parts: MeetingParts) -> None:
        meeting = parts.meeting
        if row.kind == Kind.CANCELLATION:
            if meeting.status != Meeting.Status.CANCELLED:
                raise NotApplicable("The meeting is not cancelled.")
            return
        if meeting.status != Meeting.Status.PUBLISHED:
            raise NotApplicable(f"The meeting is {meeting.get_status_display().lower()}.")
        if meeting.end < self.now:
            raise NotApplicable("The meeting is over.")
        answer = parts.answers.get(row.person_id)
        declined = answer is not None and answer.answer == Attendance.Answer.DECLINED
        if row.kind in {Kind.UPDATE, Kind.REMINDER} and declined:
            raise NotApplicable("The person declined.")
        if row.kind == Kind.REMINDER:
            if not row.person.meeting_reminders:
                raise NotApplicable("The person turned reminders off.")
            if meeting.start <= self.now:
                raise NotApplicable("The meeting has started.")

    def _meeting_email(self, row: Notification, connection) -> EmailMultiAlternatives:
        parts = self._parts(row.meeting)
        if self.check:
            self._check(row, parts)
        meeting, person = parts.meeting, row.person
        cancelled = row.kind == Kind.CANCELLATION
        context = {
            "kind": row.kind,
            "meeting": meeting,
            "person": person,
            "subject": meeting_subject(row.kind, meeting),
            "details_text": mark_safe(parts.details_text),  # noqa: S308 (our own template)
            "details_html": mark_safe(parts.details_html),  # noqa: S308 (our own template)
            "changes": row.details.get("changes", []),
            "answer": parts.answers.get(person.pk),
            "answer_links": [] if cancelled else self._answer_links(meeting, person),
            "when": timefmt.meeting_when(meeting),
            "own_when": timefmt.meeting_when_for(meeting, person),
            "unsubscribe_url": self._unsubscribe_url(person) if row.kind == Kind.REMINDER else "",
            "meeting_url": absolute(meeting.get_absolute_url()),
            "profile_url": absolute(reverse("profile")),
        }
        headers = {"Message-ID": row.message_id}
        if context["unsubscribe_url"]:
            headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message = EmailMultiAlternatives(
            subject=context["subject"],
            body=render_to_string("notifications/email/meeting.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[person.email],
            headers=headers,
            connection=connection,
        )
        html = render_to_string("notifications/email/meeting.html", context)
        message.attach_alternative(_INLINER.inline(html), "text/html")
        method = "CANCEL" if cancelled else "REQUEST"
        ics = calendar.for_attendee(parts.calendar_for(method), person)
        part = MIMEText(ics.decode(), "calendar", "utf-8")
        part.set_param("method", method)
        part.add_header("Content-Disposition", "attachment", filename="invitation.ics")
        message.attach(part)
        return message

    def _unsubscribe_url(self, person) -> str:
        token = tokens.reminders_off(person)
        return absolute(reverse("notifications:reminders_off", args=[token]))

    def _answer_links(self, meeting: Meeting, person) -> list[dict]:
        return [
            {
                "answer": answer,
                "label": label,
                "url": absolute(
                    reverse("notifications:rsvp", args=[tokens.rsvp(meeting, person, answer)])
                ),
            }
            for answer, label in meeting.answer_choices()
        ]

    def _message(self, row: Notification, connection) -> EmailMultiAlternatives:
        """A message of the secretariat about a meeting: its Markdown as text and HTML."""
        from practices.text import render_markdown

        meeting = row.meeting
        context = {
            "meeting": meeting,
            "person": row.person,
            "subject": f"{meeting.title}: {row.details['subject']}",
            "body": row.details["body"],
            "body_html": mark_safe(render_markdown(row.details["body"])),  # noqa: S308 (nh3-cleaned)
            "meeting_url": absolute(meeting.get_absolute_url()),
        }
        message = EmailMultiAlternatives(
            subject=context["subject"],
            body=render_to_string("notifications/email/message.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[row.person.email],
            headers={"Message-ID": row.message_id},
            connection=connection,
        )
        html = render_to_string("notifications/email/message.html", context)
        message.attach_alternative(_INLINER.inline(html), "text/html")
        return message

    # -- practices ----------------------------------------------------------------------

    def _practice_review(self, row: Notification, connection) -> EmailMultiAlternatives:
        practice = row.practice
        decision = row.details.get("decision", "published")
        context = {
            "practice": practice,
            "site_url": settings.SITE_URL,
            "comment": row.details.get("comment", ""),
        }
        return EmailMultiAlternatives(
            subject=REVIEW_SUBJECTS[decision].format(title=practice.title),
            body=render_to_string(f"practices/email/{decision}.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[row.person.email],
            headers={"Message-ID": row.message_id},
            connection=connection,
        )


def notification_preview(row: Notification) -> str:
    """The message as the recipient's mail program receives it, for the delivery log."""
    try:
        message = Composer().build(row)
    except NotApplicable as reason:
        return f"Not sent: {reason}"
    return message.message().as_string()


@dataclass
class Preview:
    subject: str
    text: str
    html: str
    calendar: str
    recipient: object


def invitation_preview(meeting: Meeting, person) -> Preview:
    """The invitation as this person would receive it, before publishing."""
    row = Notification(meeting=meeting, person=person, kind=Kind.INVITATION)
    message = Composer(check=False).build(row)
    html = next(content for content, mimetype in message.alternatives if mimetype == "text/html")
    calendar_part = next(part for part in message.attachments if isinstance(part, MIMEText))
    return Preview(
        subject=message.subject,
        text=message.body,
        html=html,
        calendar=calendar_part.get_payload(decode=True).decode(),
        recipient=person,
    )
