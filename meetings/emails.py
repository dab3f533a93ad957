"""The emails about meetings: invitations, reminders, updates, cancellations, seats,
the confirmation of a registration for an event open to the public, and the
secretariat's messages to participants (who gets which is meetings.invitations).

What every recipient of one meeting shares is made once per batch (the answers) and once
per language (the details, the agenda, the calendar file); a body once per variant (kind,
the answer given so far, what changed, ...) with markers for the personal values (first
name, answer links, own time zone, unsubscribe link). Each email has the event as an
iCalendar attachment made for its recipient.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from email.mime.image import MIMEImage
from email.mime.text import MIMEText

from babel.dates import format_date
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEMultipart
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext_lazy

from accounts import tokens as account_tokens
from meetings import calendar, ical, questions, timefmt, tokens
from meetings.models import Attendance, Meeting, agenda_schedule
from meetings.qr import checkin_qr_png
from notifications.messages import (
    Body,
    Composer,
    Email,
    EmailBuilder,
    NotApplicable,
    absolute,
    babel_locale,
    inline_css,
    language_of,
    links_to_the_site,
    long_date,
)
from notifications.models import Notification
from practices.text import render_markdown

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
# The confirmation of a registration says at once whether a seat is theirs.
REGISTERED_SUBJECT = pgettext_lazy("email subject", "Registered: %(title)s, %(date)s")
WAITLISTED_SUBJECT = pgettext_lazy("email subject", "Waiting list: %(title)s, %(date)s")
REGISTRATION_CANCELLED_SUBJECT = pgettext_lazy(
    "email subject", "Registration cancelled: %(title)s"
)


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
        # Past the deadline it is no date to answer by any more (a late reminder or update).
        "deadline": (
            timezone.localtime(meeting.registration_deadline, meeting.zone)
            if meeting.registration_deadline and meeting.registration_deadline > timezone.now()
            else None
        ),
    }


# The calendar file's name says what it is (mail programs show it); a reminder or a seat
# confirmation carries the meeting request again, as the invitation did.
CALENDAR_FILES = {
    Kind.UPDATE: "update.ics",
    Kind.CANCELLATION: "cancellation.ics",
    Kind.REGISTERED: "registration.ics",
    Kind.REGISTRATION_CANCELLED: "cancellation.ics",
}


def _calendar_part(content: str, method: str, kind: str) -> MIMEText:
    """The calendar attachment: its METHOD is also a parameter of its type (RFC 6047)."""
    part = MIMEText(content, "calendar", "utf-8")
    part.set_param("method", method)
    filename = CALENDAR_FILES.get(kind, "invitation.ics")
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part


# Sent to many people and stopped by the person's "emails about meetings" (reminders have
# their own switch; cancellations and seats always go).
STOPPABLE = frozenset({Kind.INVITATION, Kind.UPDATE, Kind.MESSAGE})


def unsubscribe_url(person, *, reminder: bool) -> str:
    """The person's own link that turns reminders, or emails about meetings, off."""
    if reminder:
        return absolute(reverse("reminders_off", args=[account_tokens.reminders_off(person)]))
    token = account_tokens.meeting_emails_off(person)
    return absolute(reverse("meeting_emails_off", args=[token]))


def registration_url(meeting: Meeting, person) -> str:
    """The person's own registration page (see, change or cancel), absolute."""
    token = tokens.registration_for(meeting.pk, person.pk)
    return absolute(
        reverse("meetings:registration", kwargs={"slug": meeting.slug, "token": token})
    )


def list_unsubscribe(url: str) -> dict[str, str]:
    """The headers of RFC 2369 and RFC 8058: a mail program's own unsubscribe button posts
    to the link at one click."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


class MeetingEmails(EmailBuilder):
    kinds = frozenset({Kind.INVITATION, Kind.REMINDER, Kind.UPDATE, Kind.CANCELLATION, Kind.SEAT})

    def __init__(self, composer: Composer) -> None:
        super().__init__(composer)
        self._meetings: dict[int, MeetingParts] = {}
        self._own_when: dict[tuple, str] = {}
        self._rsvp_path: str | None = None

    def check(self, row: Notification) -> None:
        self._check(row, self._parts(row.meeting))

    def build(self, row: Notification, connection) -> EmailMultiAlternatives:
        return self._meeting_email(row, self._parts(row.meeting), connection)

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

    def _published_and_ahead(self, meeting: Meeting) -> None:
        """An email about a meeting goes only while it is published and not over."""
        if meeting.status != Meeting.Status.PUBLISHED:
            raise NotApplicable(f"The meeting is {meeting.get_status_display().lower()}.")
        if meeting.end < self.composer.now:
            raise NotApplicable("The meeting is over.")

    def _check(self, row: Notification, parts: MeetingParts) -> None:
        meeting = parts.meeting
        if row.kind == Kind.CANCELLATION:
            if meeting.status != Meeting.Status.CANCELLED:
                raise NotApplicable("The meeting is not cancelled.")
            return
        self._published_and_ahead(meeting)
        answer = parts.answers.get(row.person_id)
        declined = answer is not None and answer.answer == Attendance.Answer.DECLINED
        if row.kind in {Kind.UPDATE, Kind.REMINDER} and declined:
            raise NotApplicable("The person declined.")
        if row.kind in STOPPABLE and not row.person.meeting_emails:
            raise NotApplicable("The person turned emails about meetings off.")
        if row.kind == Kind.REMINDER:
            if not row.person.meeting_reminders:
                raise NotApplicable("The person turned reminders off.")
            if meeting.start <= self.composer.now:
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
        # The answers offered now (Meeting.answers_offered): past the deadline, declining
        # alone to someone coming, nothing to anyone else. Part of the key, so that a
        # batch crossing the deadline renders a body for each.
        offered = (
            ()
            if cancelled
            else tuple(
                value for value, _label in meeting.answers_offered(answer and answer.answer)
            )
        )
        # A seat given to someone who registered for an event open to the public carries
        # the door's QR code, which their waiting-list confirmation did not.
        door = (
            row.kind == Kind.SEAT
            and meeting.public_registration
            and answer is not None
            and answer.answer == Attendance.Answer.IN_PERSON
            and not answer.waitlisted
        )
        key = (
            meeting.pk,
            row.kind,
            translation.get_language(),
            bool(person.first_name),
            (answer.answer, answer.waitlisted) if answer else None,
            bool(own_when),
            json.dumps(changes),
            person.is_guest,
            offered,
            door,
        )
        body = self.bodies.get(key)
        if body is None:
            body = self._meeting_body(row.kind, shared, answer, changes, key)
            self.bodies[key] = body
        personal = {"first_name": person.first_name, "own_when": own_when}
        headers = {"Message-ID": row.message_id}
        if person.is_guest:
            # A guest has no profile to turn emails off on: their registration's page is
            # where they change or cancel it, and cancelling stops the emails.
            personal["registration"] = registration_url(meeting, person)
        elif row.kind == Kind.REMINDER or row.kind in STOPPABLE:
            personal["unsubscribe"] = unsubscribe_url(person, reminder=row.kind == Kind.REMINDER)
            headers.update(list_unsubscribe(personal["unsubscribe"]))
        for value in offered:  # a token for each link shown, none for the others
            personal[f"answer_{value}"] = self._rsvp_url(meeting, person, value)
        images = []
        if door:
            image, width = checkin_image(answer)
            images.append(image)
            personal.update(
                checkin_code=answer.checkin_code,
                checkin_cid=checkin_cid(answer),
                checkin_width=str(width),
            )
        method = "CANCEL" if cancelled else "REQUEST"
        # The person's answer from the batch's answers (one query per meeting).
        ics = calendar.for_attendee(
            shared.calendar_for(method), person, partstat=calendar.partstat(answer)
        )
        message = EmailWithImages(
            subject=body.subject,
            body=self.fill(body.text, personal, escape=False),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[person.email],
            headers=headers,
            connection=connection,
            images=images,
        )
        message.attach_alternative(self.fill(body.html, personal, escape=True), "text/html")
        message.attach(_calendar_part(ics.decode(), method, row.kind))
        return message

    def _rsvp_url(self, meeting: Meeting, person, answer: str) -> str:
        """One reverse() per batch: the token (URL-safe characters and ':', which
        reverse() leaves as they are) goes where the placeholder was."""
        if self._rsvp_path is None:
            self._rsvp_path = absolute(reverse("meetings:rsvp", args=["TOKEN"]))
        return self._rsvp_path.replace("TOKEN", tokens.rsvp(meeting, person, answer), 1)

    def _meeting_body(self, kind, shared: LanguageParts, answer, changes, key) -> Body:
        """A meeting email's text and HTML in the active language, with markers for the
        personal values (rendered once per variant, see `key`)."""
        meeting = shared.meeting
        _, _, _, has_first_name, _, has_own_when, _, guest, offered, door = key
        answer_links = [
            {"answer": value, "label": label, "url": self.marked(f"answer_{value}")}
            for value, label in meeting.answer_choices()
            if value in offered
        ]
        context = {
            "kind": kind,
            "meeting": meeting,
            "first_name": self.marked("first_name") if has_first_name else "",
            "subject": meeting_subject(kind, meeting),
            "details_text": mark_safe(shared.details_text),  # noqa: S308 (our own template)
            "details_html": mark_safe(shared.details_html),  # noqa: S308 (our own template)
            "changes": changes_in_language(changes),
            "answer": answer,
            "answer_links": answer_links,
            "checkin_code": self.marked("checkin_code") if door else "",
            "checkin_cid": self.marked("checkin_cid") if door else "",
            "checkin_width": self.marked("checkin_width") if door else "",
            # Past the deadline: the decline link alone, to someone coming.
            "late_decline": offered == (Attendance.Answer.DECLINED,),
            "when": shared.when,
            "own_when": self.marked("own_when") if has_own_when else "",
            "unsubscribe_url": (
                self.marked("unsubscribe") if kind == Kind.REMINDER and not guest else ""
            ),
            "stop_url": self.marked("unsubscribe") if kind in STOPPABLE and not guest else "",
            "registration_url": self.marked("registration") if guest else "",
            "meeting_url": absolute(meeting.get_absolute_url()),
            "profile_url": absolute(reverse("profile")),
            "privacy_url": absolute(reverse("privacy")),
            "language": translation.get_language(),
        }
        text = render_to_string("notifications/email/meeting.txt", context)
        html_part = inline_css(render_to_string("notifications/email/meeting.html", context))
        return Body(subject=context["subject"], text=text, html=html_part)


class MessageEmails(EmailBuilder):
    """A message of the secretariat about a meeting: its Markdown as text and HTML, the
    same for everyone but the greeting: rendered once per language."""

    kinds = frozenset({Kind.MESSAGE})

    def check(self, row: Notification) -> None:
        if not row.person.meeting_emails:
            raise NotApplicable("The person turned emails about meetings off.")

    def build(self, row: Notification, connection) -> EmailMultiAlternatives:
        meeting, person = row.meeting, row.person
        guest = person.is_guest
        key = (
            "message",
            meeting.pk,
            row.revision,
            translation.get_language(),
            bool(person.first_name),
            guest,
        )
        body = self.bodies.get(key)
        if body is None:
            subject = str(MESSAGE_SUBJECT) % {
                "subject": row.details["subject"],
                "title": meeting.title,
            }
            context = {
                **self.common_context(person),
                "meeting": meeting,
                "subject": subject,
                "body": row.details["body"],
                "body_html": mark_safe(links_to_the_site(render_markdown(row.details["body"]))),  # noqa: S308 (nh3-cleaned)
                "meeting_url": absolute(meeting.get_absolute_url()),
                "stop_url": "" if guest else self.marked("unsubscribe"),
                "registration_url": self.marked("registration") if guest else "",
            }
            body = Body(
                subject=subject,
                text=render_to_string("notifications/email/message.txt", context),
                html=inline_css(render_to_string("notifications/email/message.html", context)),
            )
            self.bodies[key] = body
        if guest:
            personal = {"registration": registration_url(meeting, person)}
            return self.personal_message(row, body, connection, personal=personal)
        stop = unsubscribe_url(person, reminder=False)
        return self.personal_message(
            row, body, connection, personal={"unsubscribe": stop}, headers=list_unsubscribe(stop)
        )


class EmailWithImages(Email):
    """An email whose HTML part shows images of its own (`<img src="cid:...">`): the HTML
    and the images go together in a multipart/related (RFC 2387), beside the text part,
    so that mail programs show them in place rather than as attachments."""

    def __init__(self, *args, images: list[MIMEImage] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.images = list(images or [])

    def _create_alternatives(self, msg):
        msg = super()._create_alternatives(msg)
        if not self.images:
            return msg
        parts = msg.get_payload()
        html_index = next(
            index for index, part in enumerate(parts) if part.get_content_type() == "text/html"
        )
        related = SafeMIMEMultipart(
            _subtype="related", encoding=self.encoding or settings.DEFAULT_CHARSET
        )
        related.attach(parts[html_index])
        for image in self.images:
            related.attach(image)
        parts[html_index] = related
        return msg


def checkin_image(attendance: Attendance) -> tuple[MIMEImage, int]:
    """The QR code for the door as an inline PNG, and its width; its Content-ID names the
    code, which the email shows in text anyway."""
    png, width = checkin_qr_png(attendance)
    image = MIMEImage(png, "png")
    image.add_header("Content-ID", f"<{checkin_cid(attendance)}>")
    image.add_header("Content-Disposition", "inline", filename="check-in.png")
    return image, width


def checkin_cid(attendance: Attendance) -> str:
    return f"check-in-{attendance.checkin_code.lower()}@{ical.site_host()}"


class RegisteredEmails(MeetingEmails):
    """The confirmation of a registration for an event open to the public, once its address
    is confirmed (to a guest or to the member whose address it was): registered or on the
    waiting list, the event's time and place, the answers given to its questions, the
    personal link to see, change or cancel it, the QR code for the door (in person), and
    the calendar file naming the person as ATTENDEE, with the UID of every email of the
    event, so that updates and cancellations move it. One per person: rendered as it is."""

    kinds = frozenset({Kind.REGISTERED})

    def check(self, row: Notification) -> None:
        parts = self._parts(row.meeting)
        meeting = parts.meeting
        self._published_and_ahead(meeting)
        self._attendance(row, parts)

    def _attendance(self, row: Notification, parts: MeetingParts) -> Attendance:
        attendance = parts.answers.get(row.person_id)
        if attendance is None:
            raise NotApplicable("The person has no registration for the meeting.")
        if attendance.answer == Attendance.Answer.DECLINED:
            raise NotApplicable("The person cancelled the registration.")
        return attendance

    def build(self, row: Notification, connection) -> EmailMultiAlternatives:
        parts = self._parts(row.meeting)
        attendance = self._attendance(row, parts)
        shared = self._language_parts(parts)
        meeting, person = parts.meeting, row.person
        subject_format = WAITLISTED_SUBJECT if attendance.waitlisted else REGISTERED_SUBJECT
        subject = str(subject_format) % {
            "title": meeting.title,
            "date": long_date(meeting.local_start.date()),
        }
        # The door's code only with a seat: someone waiting is not let in by their email.
        in_person = attendance.answer == Attendance.Answer.IN_PERSON and not attendance.waitlisted
        image, width = checkin_image(attendance) if in_person else (None, 0)
        context = {
            **self.person_context(person),
            "subject": subject,
            "meeting": meeting,
            "attendance": attendance,
            "guest": person.is_guest,
            "when": shared.when,
            "own_when": self._own_when_for(meeting, person),
            "details_text": mark_safe(shared.details_text),  # noqa: S308 (our own template)
            "details_html": mark_safe(shared.details_html),  # noqa: S308 (our own template)
            "answers": [
                (question.text, questions.answer_text(question, attendance.responses))
                for question in meeting.questions.all()
            ],
            "registration_url": registration_url(meeting, person),
            "checkin_code": attendance.checkin_code if in_person else "",
            "checkin_cid": checkin_cid(attendance) if in_person else "",
            "checkin_width": width,
        }
        text = render_to_string("notifications/email/registered.txt", context)
        html_part = inline_css(render_to_string("notifications/email/registered.html", context))
        ics = calendar.for_attendee(
            shared.calendar_for("REQUEST"), person, partstat=calendar.partstat(attendance)
        )
        message = EmailWithImages(
            subject=subject,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[person.email],
            headers={"Message-ID": row.message_id},
            connection=connection,
            images=[image] if image else [],
        )
        message.attach_alternative(html_part, "text/html")
        message.attach(_calendar_part(ics.decode(), "REQUEST", row.kind))
        return message


class RegistrationCancelledEmails(MeetingEmails):
    """To a person who cancelled their registration on its page (meetings.invitations.
    registration_cancelled_queue): it is cancelled, they may register again while
    registration is open, and the calendar CANCEL with the event's UID naming them as
    ATTENDEE, which takes out of their calendar what their REGISTERED email put there (the
    event itself goes on: the file has no STATUS). One per cancellation: rendered as it is."""

    kinds = frozenset({Kind.REGISTRATION_CANCELLED})

    def check(self, row: Notification) -> None:
        parts = self._parts(row.meeting)
        meeting = parts.meeting
        self._published_and_ahead(meeting)
        attendance = parts.answers.get(row.person_id)
        if attendance is not None and attendance.answer != Attendance.Answer.DECLINED:
            # Its CANCEL would take out the event their new registration keeps.
            raise NotApplicable("The person registered again.")

    def build(self, row: Notification, connection) -> EmailMultiAlternatives:
        meeting, person = self._parts(row.meeting).meeting, row.person
        subject = str(REGISTRATION_CANCELLED_SUBJECT) % {"title": meeting.title}
        context = {
            **self.person_context(person),
            "subject": subject,
            "meeting": meeting,
            "guest": person.is_guest,
            "meeting_url": absolute(meeting.get_absolute_url()),
            "registration_url": registration_url(meeting, person) if person.is_guest else "",
        }
        text = render_to_string("notifications/email/registration_cancelled.txt", context)
        html_part = inline_css(
            render_to_string("notifications/email/registration_cancelled.html", context)
        )
        ics = calendar.for_attendee(
            calendar.meeting_calendar(meeting, method="CANCEL", uninvite=True),
            person,
            partstat="DECLINED",
        )
        message = Email(
            subject=subject,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[person.email],
            headers={"Message-ID": row.message_id},
            connection=connection,
        )
        message.attach_alternative(html_part, "text/html")
        message.attach(_calendar_part(ics.decode(), "CANCEL", row.kind))
        return message


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
