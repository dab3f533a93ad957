"""The emails of inbound/: the answer to a calendar reply (an outbox row of kind reply,
built here for notifications.messages.Composer) and a kept message passed on unchanged."""

from __future__ import annotations

import re
from email.utils import formatdate, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext

from meetings import timefmt
from meetings.ical import site_host
from notifications.messages import Email, EmailBuilder, absolute, inline_css
from notifications.models import Notification

_LINE_END = re.compile(rb"\r?\n")


def reply_email(row: Notification, connection=None) -> EmailMultiAlternatives:
    """Says what became of a person's calendar reply: refused and why, on the waiting
    list, or recorded for a meeting that changed since the invitation they answered.
    Built in the person's language (the Composer's override); the refusal's reason was
    put in that language when the reply was handled (inbound.services)."""
    meeting = row.meeting
    details = row.details
    if details.get("refused"):
        subject = pgettext("email subject", "Your answer was not recorded: %(title)s")
    elif details.get("waitlisted"):
        subject = pgettext("email subject", "On the waiting list: %(title)s")
    else:
        subject = pgettext("email subject", "Changed since your answer: %(title)s")
    subject %= {"title": meeting.title}
    context = {
        "subject": subject,
        "meeting": meeting,
        "person": row.person,
        "first_name": row.person.first_name,
        "profile_url": absolute(reverse("profile")),
        "privacy_url": absolute(reverse("privacy")),
        "refused": details.get("refused", ""),
        "waitlisted": details.get("waitlisted", False),
        "outdated": details.get("outdated", False),
        "when": timefmt.meeting_when(meeting),
        "meeting_url": absolute(meeting.get_absolute_url()),
        "language": translation.get_language(),
    }
    headers = {"Message-ID": row.message_id, "Auto-Submitted": "auto-replied"}
    thread = details.get("thread") or []
    if thread:
        # An answer to the person's message: their mail program shows it in that thread.
        headers["In-Reply-To"] = thread[-1]
        headers["References"] = " ".join(thread)
    message = Email(
        subject=subject,
        body=render_to_string("inbound/email/reply.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.person.email],
        headers=headers,
        connection=connection,
    )
    html = render_to_string("inbound/email/reply.html", context)
    message.attach_alternative(inline_css(html), "text/html")
    return message


class ReplyEmails(EmailBuilder):
    kinds = frozenset({Notification.Kind.REPLY})

    def build(self, row: Notification, connection) -> EmailMultiAlternatives:
        return reply_email(row, connection)


class _Raw:
    """What Django's mail backends ask of a message: its bytes."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def as_bytes(self, linesep: str = "\n") -> bytes:
        # SMTP wants CRLF; a piped message arrives with bare LFs.
        return _LINE_END.sub(linesep.encode(), self.data)

    def __getitem__(self, name):
        return None


class RawEmail(EmailMessage):
    """A kept message sent on as it came, Resent- headers in front."""

    def __init__(self, data: bytes, **kwargs) -> None:
        super().__init__(**kwargs)
        self.data = data

    def message(self, *, policy=None):
        return _Raw(self.data)

    @classmethod
    def resent(cls, row, *, to: str) -> RawEmail:
        sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
        headers = (
            f"Resent-From: {sender}\r\n"
            f"Resent-To: {to}\r\n"
            f"Resent-Date: {formatdate(localtime=False)}\r\n"
            f"Resent-Message-ID: <inbound-{row.pk}@{site_host()}>\r\n"
        ).encode()
        return cls(headers + bytes(row.raw), from_email=sender, to=[to])
