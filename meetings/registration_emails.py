"""The email of a registration from the public form (meetings.registrations): the link
that confirms the address, to the address typed, in the language of the page it was
typed on. The confirmation of the registration itself (kind REGISTERED) is
meetings.emails.RegisteredEmails."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext_lazy

from meetings import timefmt
from meetings.models import Registration
from meetings.registrations import (
    confirm_token,
    registration_expired,
    registration_open,
)
from notifications.messages import (
    Email,
    EmailBuilder,
    NotApplicable,
    absolute,
    inline_css,
    long_date,
)
from notifications.models import Notification

Kind = Notification.Kind

CONFIRM_SUBJECT = pgettext_lazy("email subject", "Confirm your registration: %(title)s, %(date)s")


def _subject(template, meeting) -> str:
    return str(template) % {"title": meeting.title, "date": long_date(meeting.local_start.date())}


class RegistrationConfirmEmails(EmailBuilder):
    """To the address typed on the form: what to do, and the link that confirms it."""

    kinds = frozenset({Kind.REGISTRATION_CONFIRM})

    def _registration(self, row: Notification) -> Registration | None:
        return Registration.objects.filter(pk=row.revision, meeting_id=row.meeting_id).first()

    def check(self, row: Notification) -> None:
        registration = self._registration(row)
        if registration is None:
            raise NotApplicable("The registration no longer exists.")
        if registration.confirmed_at is not None:
            raise NotApplicable("The registration is confirmed already.")
        if registration_expired(registration, self.composer.now):
            raise NotApplicable("The registration's link has expired.")
        if not registration_open(row.meeting):
            raise NotApplicable("The event no longer takes registrations.")

    def build(self, row: Notification, connection) -> EmailMultiAlternatives:
        registration = self._registration(row)
        if registration is None:
            raise NotApplicable("The registration no longer exists.")
        meeting = row.meeting
        # In the language of the page the form was sent from: nobody is known yet.
        with translation.override(registration.language):
            path = reverse("meetings:register_confirm", args=[meeting.slug, confirm_token(row)])
            subject = _subject(CONFIRM_SUBJECT, meeting)
            context = {
                "subject": subject,
                "first_name": registration.first_name,
                "meeting": meeting,
                "when": timefmt.meeting_when(meeting),
                "confirm_url": absolute(path),
                "meeting_url": absolute(meeting.get_absolute_url()),
                "hours": settings.REGISTRATION_CONFIRM_HOURS,
                "privacy_url": absolute(reverse("privacy")),
                "language": translation.get_language(),
            }
            text = render_to_string("meetings/email/registration_confirm.txt", context)
            html = render_to_string("meetings/email/registration_confirm.html", context)
        message = Email(
            subject=subject,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[row.to],
            headers={"Message-ID": row.message_id},
            connection=connection,
        )
        message.attach_alternative(inline_css(html), "text/html")
        return message
