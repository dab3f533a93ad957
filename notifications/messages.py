"""Turns outbox rows into email messages: a text and an HTML part from templates, the
event as an iCalendar attachment made for the recipient, stable headers.

Every email is in its recipient's language (`User.language`): it is built inside
`translation.override` of that language.

A Composer lives for one batch and renders what is the same for everyone once per
language, never once per person: a meeting's details (agenda, documents) and calendar
file once per language; the body of a meeting email once per language and variant (kind,
the answer given so far, what changed, ...), with markers where the few personal values
go (first name, answer links, own time zone, unsubscribe link), which are then filled in
per person by plain string replacement. A send to 5,000 people in three languages renders
a handful of templates, not 10,000. Each email is then an EmailMultiAlternatives (with the
calendar file attached), which the configured backend sends.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import secrets
from dataclasses import dataclass, field
from email.mime.text import MIMEText
from email.utils import parseaddr

import css_inline
from babel.dates import format_date
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext_lazy

from meetings import timefmt
from meetings.models import Attendance, Meeting, agenda_schedule
from notifications import calendar, tokens
from notifications.models import Notification

Kind = Notification.Kind

# The subject begins with its kind, in the recipient's language (French puts a no-break
# space before the colon).
MEETING_SUBJECTS = {
    Kind.INVITATION: pgettext_lazy("email subject", "Invitation: %(title)s, %(date)s"),
    Kind.REMINDER: pgettext_lazy("email subject", "Reminder: %(title)s, %(date)s"),
    Kind.UPDATE: pgettext_lazy("email subject", "Update: %(title)s, %(date)s"),
    Kind.CANCELLATION: pgettext_lazy("email subject", "Cancelled: %(title)s, %(date)s"),
    Kind.SEAT: pgettext_lazy("email subject", "Seat confirmed: %(title)s, %(date)s"),
}
MESSAGE_SUBJECT = pgettext_lazy("email subject", "Message: %(subject)s (%(title)s)")

REVIEW_SUBJECTS = {
    "published": pgettext_lazy("email subject", "Published: %(title)s"),
    "returned": pgettext_lazy("email subject", "Returned for changes: %(title)s"),
}

# Remote stylesheets are never fetched: everything the HTML part needs is in it.
_INLINER = css_inline.CSSInliner(load_remote_stylesheets=False)


class NotApplicable(Exception):
    """The row no longer applies (declined, cancelled, turned off): skip, never send.
    Its text goes to the delivery log, so it stays in English."""


def secretariat_email() -> str:
    return settings.SECRETARIAT_EMAIL or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def links_to_the_site(html: str) -> str:
    """A link the secretariat wrote as a path of the site ([the minutes](/meetings/x/))
    leads to the portal from a mail client too, which has no page to resolve it against."""
    return html.replace('href="/', f'href="{absolute("/")}')


def language_of(person) -> str:
    """The person's language, if the portal has it; English otherwise."""
    code = getattr(person, "language", "") or ""
    return code if code in dict(settings.LANGUAGES) else "en"


def babel_locale() -> str:
    """The active language as Babel names it; British English for English, as the
    portal's LANGUAGE_CODE (en-gb): "27 March 2024", not "March 27, 2024"."""
    language = translation.get_language() or "en"
    return "en_GB" if language.startswith("en") else translation.to_locale(language)


def long_date(day: dt.date) -> str:
    """A date in the active language's conventions: 27 March 2024, 27. März 2024."""
    return format_date(day, format="long", locale=babel_locale())


def changes_in_language(changes: list[list[str]]) -> list[list[str]]:
    """What changed ([label, was, now], as meetings.services.schedule_changes stored it
    in English when the meeting was saved) in the active language: the field's label and
    dates again in the reader's words; venues, addresses and links stay as written."""
    language = translation.get_language() or "en"
    if language.startswith("en"):
        return changes
    with translation.override("en"):
        fields = {
            str(Meeting._meta.get_field(name).verbose_name).capitalize(): name
            for name in Meeting.SCHEDULE_FIELDS
        }
        formats = {str(label): value for value, label in Meeting.Format.choices}

    def shown(name: str, value: str) -> str:
        if name in {"start", "end"}:
            try:
                moment = dt.datetime.strptime(value, "%A %d %B %Y, %H:%M")
            except ValueError:
                return value
            day = format_date(moment.date(), format="full", locale=babel_locale())
            return f"{day}, {moment:%H:%M}"
        if name == "format" and value in formats:
            return str(Meeting.Format(formats[value]).label)
        return value

    result = []
    for label, was, now in changes:
        name = fields.get(label)
        if name is None:
            result.append([label, was, now])
            continue
        label = str(Meeting._meta.get_field(name).verbose_name).capitalize()
        result.append([label, shown(name, was), shown(name, now)])
    return result


def meeting_subject(kind: str, meeting: Meeting) -> str:
    """`Invitation: <title>, <date in the event's zone>` in the active language."""
    values = {"title": meeting.title, "date": long_date(meeting.local_start.date())}
    return str(MEETING_SUBJECTS[kind]) % values


@dataclass
class LanguageParts:
    """What every recipient of one meeting's emails in one language shares."""

    meeting: Meeting
    details_text: str
    details_html: str
    when: str
    calendars: dict[str, bytes] = field(default_factory=dict)  # by METHOD

    def calendar_for(self, method: str) -> bytes:
        if method not in self.calendars:
            self.calendars[method] = calendar.meeting_calendar(
                self.meeting, method=method, description=self.details_text
            )
        return self.calendars[method]


@dataclass
class MeetingParts:
    """What every recipient of one meeting's emails shares, built once per batch."""

    meeting: Meeting
    answers: dict[int, Attendance]
    languages: dict[str, LanguageParts] = field(default_factory=dict)


@dataclass(frozen=True)
class Body:
    """A rendered email with markers for the personal values."""

    subject: str
    text: str
    html: str


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


# The calendar file's name says what it is (mail programs show it); a reminder or a seat
# confirmation carries the meeting request again, as the invitation did.
CALENDAR_FILES = {Kind.UPDATE: "update.ics", Kind.CANCELLATION: "cancellation.ics"}


def _calendar_part(content: str, method: str, kind: str) -> MIMEText:
    """The calendar attachment: its METHOD is also a parameter of its type (RFC 6047)."""
    part = MIMEText(content, "calendar", "utf-8")
    part.set_param("method", method)
    filename = CALENDAR_FILES.get(kind, "invitation.ics")
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part


class Composer:
    """`check=False` builds a message whatever the state (the secretariat's preview of a
    draft's invitation)."""

    def __init__(self, *, check: bool = True) -> None:
        self._meetings: dict[int, MeetingParts] = {}
        self._bodies: dict[tuple, Body] = {}
        self._own_when: dict[tuple, str] = {}
        self.now = timezone.now()
        self.check = check
        # Personal values go where `<mark>-<name>` stands; the mark is random, so no
        # meeting's text can contain it by chance (or on purpose).
        self._mark = "x" + secrets.token_hex(8)
        self._marker = re.compile(re.escape(self._mark) + r"-([a-z_]+)")
        self._rsvp_path: str | None = None

    def build(self, row: Notification, *, connection=None) -> EmailMultiAlternatives:
        message = self._build(row, connection)
        if row.pk is not None:
            # The envelope sender (SMTP's MAIL FROM, where delivery reports go) names the
            # row with a signature (VERP), so that a report is trusted only for the email
            # it answers (inbound/); the From header stays the portal's.
            message.extra_headers["From"] = message.from_email
            message.from_email = tokens.bounce_address(row.pk)
        return message

    def _build(self, row: Notification, connection) -> EmailMultiAlternatives:
        if not row.person.is_active or not row.person.email:
            raise NotApplicable("The person's account is closed.")
        if row.kind in {Kind.PRACTICE_REVIEW, Kind.MESSAGE, Kind.REPLY}:
            with translation.override(language_of(row.person)):
                if row.kind == Kind.PRACTICE_REVIEW:
                    return self._practice_review(row, connection)
                if row.kind == Kind.MESSAGE:
                    return self._message(row, connection)
                from inbound.emails import reply_email

                return reply_email(row, connection)
        parts = self._parts(row.meeting)
        if self.check:
            self._check(row, parts)  # outside the override: its reasons go to the log
        with translation.override(language_of(row.person)):
            return self._meeting_email(row, parts, connection)

    def _marked(self, name: str) -> str:
        return f"{self._mark}-{name}"

    def _fill(self, template: str, values: dict[str, str], *, escape: bool) -> str:
        if escape:
            values = {name: html.escape(value) for name, value in values.items()}
        return self._marker.sub(lambda match: values[match.group(1)], template)

    # -- meetings -----------------------------------------------------------------------

    def _parts(self, meeting: Meeting) -> MeetingParts:
        parts = self._meetings.get(meeting.pk)
        if parts is None:
            parts = MeetingParts(
                meeting=meeting,
                answers={
                    attendance.user_id: attendance
                    for attendance in Attendance.objects.filter(meeting=meeting)
                },
            )
            self._meetings[meeting.pk] = parts
        return parts

    def _language_parts(self, parts: MeetingParts) -> LanguageParts:
        """The meeting's details in the active language, rendered once per batch."""
        language = translation.get_language()
        shared = parts.languages.get(language)
        if shared is None:
            meeting = parts.meeting
            context = meeting_details(meeting)
            shared = LanguageParts(
                meeting=meeting,
                details_text=render_to_string("notifications/email/_details.txt", context),
                details_html=render_to_string("notifications/email/_details.html", context),
                when=timefmt.meeting_when(meeting),
            )
            parts.languages[language] = shared
        return shared

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

    def _own_when_for(self, meeting: Meeting, person) -> str:
        """The times in the person's own zone ("" for the event's), once per zone."""
        key = (meeting.pk, translation.get_language(), getattr(person, "time_zone", ""))
        if key not in self._own_when:
            self._own_when[key] = timefmt.meeting_when_for(meeting, person)
        return self._own_when[key]

    def _meeting_email(
        self, row: Notification, parts: MeetingParts, connection
    ) -> EmailMultiAlternatives:
        """The person's email: their variant's body (rendered once per variant, see
        `key`) with their values filled in, and their calendar file."""
        shared = self._language_parts(parts)
        meeting, person = parts.meeting, row.person
        cancelled = row.kind == Kind.CANCELLATION
        answer = parts.answers.get(person.pk)
        own_when = self._own_when_for(meeting, person)
        changes = row.details.get("changes", [])
        key = (
            meeting.pk,
            row.kind,
            translation.get_language(),
            bool(person.first_name),
            (answer.answer, answer.waitlisted) if answer else None,
            bool(own_when),
            json.dumps(changes),
        )
        body = self._bodies.get(key)
        if body is None:
            body = self._meeting_body(row.kind, shared, answer, changes, key)
            self._bodies[key] = body
        personal = {"first_name": person.first_name, "own_when": own_when}
        headers = {"Message-ID": row.message_id}
        if row.kind == Kind.REMINDER:
            personal["unsubscribe"] = self._unsubscribe_url(person)
            headers["List-Unsubscribe"] = f"<{personal['unsubscribe']}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        if not cancelled:
            for value, _label in meeting.answer_choices():
                personal[f"answer_{value}"] = self._rsvp_url(meeting, person, value)
        method = "CANCEL" if cancelled else "REQUEST"
        # The person's answer from the batch's answers (one query per meeting).
        ics = calendar.for_attendee(
            shared.calendar_for(method), person, partstat=calendar.partstat(answer)
        )
        message = EmailMultiAlternatives(
            subject=body.subject,
            body=self._fill(body.text, personal, escape=False),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[person.email],
            headers=headers,
            connection=connection,
        )
        message.attach_alternative(self._fill(body.html, personal, escape=True), "text/html")
        message.attach(_calendar_part(ics.decode(), method, row.kind))
        return message

    def _rsvp_url(self, meeting: Meeting, person, answer: str) -> str:
        """One reverse() per batch: the token (URL-safe characters and ':', which
        reverse() leaves as they are) goes where the placeholder was."""
        if self._rsvp_path is None:
            self._rsvp_path = absolute(reverse("notifications:rsvp", args=["TOKEN"]))
        return self._rsvp_path.replace("TOKEN", tokens.rsvp(meeting, person, answer), 1)

    def _meeting_body(self, kind, shared: LanguageParts, answer, changes, key) -> Body:
        """A meeting email's text and HTML in the active language, with markers for the
        personal values (rendered once per variant, see `key`)."""
        meeting = shared.meeting
        _, _, _, has_first_name, _, has_own_when, _ = key
        context = {
            "kind": kind,
            "meeting": meeting,
            "first_name": self._marked("first_name") if has_first_name else "",
            "subject": meeting_subject(kind, meeting),
            "details_text": mark_safe(shared.details_text),  # noqa: S308 (our own template)
            "details_html": mark_safe(shared.details_html),  # noqa: S308 (our own template)
            "changes": changes_in_language(changes),
            "answer": answer,
            "answer_links": (
                []
                if kind == Kind.CANCELLATION
                else [
                    {"answer": value, "label": label, "url": self._marked(f"answer_{value}")}
                    for value, label in meeting.answer_choices()
                ]
            ),
            "when": shared.when,
            "own_when": self._marked("own_when") if has_own_when else "",
            "unsubscribe_url": self._marked("unsubscribe") if kind == Kind.REMINDER else "",
            "meeting_url": absolute(meeting.get_absolute_url()),
            "profile_url": absolute(reverse("profile")),
            "language": translation.get_language(),
        }
        text = render_to_string("notifications/email/meeting.txt", context)
        html_part = _INLINER.inline(render_to_string("notifications/email/meeting.html", context))
        return Body(subject=context["subject"], text=text, html=html_part)

    def _unsubscribe_url(self, person) -> str:
        token = tokens.reminders_off(person)
        return absolute(reverse("notifications:reminders_off", args=[token]))

    def _message(self, row: Notification, connection) -> EmailMultiAlternatives:
        """A message of the secretariat about a meeting: its Markdown as text and HTML,
        the same for everyone: rendered once per language."""
        meeting = row.meeting
        key = ("message", meeting.pk, row.revision, translation.get_language())
        body = self._bodies.get(key)
        if body is None:
            from practices.text import render_markdown

            subject = str(MESSAGE_SUBJECT) % {
                "subject": row.details["subject"],
                "title": meeting.title,
            }
            context = {
                "meeting": meeting,
                "subject": subject,
                "body": row.details["body"],
                "body_html": mark_safe(links_to_the_site(render_markdown(row.details["body"]))),  # noqa: S308 (nh3-cleaned)
                "meeting_url": absolute(meeting.get_absolute_url()),
                "language": translation.get_language(),
            }
            body = Body(
                subject=subject,
                text=render_to_string("notifications/email/message.txt", context),
                html=_INLINER.inline(
                    render_to_string("notifications/email/message.html", context)
                ),
            )
            self._bodies[key] = body
        message = EmailMultiAlternatives(
            subject=body.subject,
            body=body.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[row.person.email],
            headers={"Message-ID": row.message_id},
            connection=connection,
        )
        message.attach_alternative(body.html, "text/html")
        return message

    # -- practices ----------------------------------------------------------------------

    def _practice_review(self, row: Notification, connection) -> EmailMultiAlternatives:
        """The same for every representative told of one decision: once per language."""
        practice = row.practice
        decision = row.details.get("decision", "published")
        key = ("review", practice.pk, row.revision, decision, translation.get_language())
        body = self._bodies.get(key)
        if body is None:
            context = {
                "practice": practice,
                "site_url": settings.SITE_URL,
                "comment": row.details.get("comment", ""),
            }
            body = Body(
                subject=str(REVIEW_SUBJECTS[decision]) % {"title": practice.title},
                text=render_to_string(f"practices/email/{decision}.txt", context),
                html="",
            )
            self._bodies[key] = body
        return EmailMultiAlternatives(
            subject=body.subject,
            body=body.text,
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
        return gettext("Not sent: %(reason)s") % {"reason": reason}
    return message.message().as_string()


@dataclass
class Preview:
    subject: str
    text: str
    html: str
    calendar: str
    recipient: object
    language_name: str = ""


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
        language_name=translation.get_language_info(language_of(person))["name_local"],
    )
