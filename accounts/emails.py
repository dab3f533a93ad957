"""The emails about a person's own account, built for the outbox's Composer
(notifications.messages) in the person's language: the password reset."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext

from notifications.messages import Email, EmailBuilder, NotApplicable, absolute, inline_css
from notifications.models import Notification


def password_reset_email(row: Notification, connection=None) -> EmailMultiAlternatives:
    """The password reset email of an outbox row (accounts.services.password_reset_queue).

    The link is made here, when the worker sends it, and kept nowhere: Django's token
    works until the password changes (or the person signs in) or PASSWORD_RESET_TIMEOUT
    passes. A request older than that timeout is not sent at all: nobody waits for it.
    """
    person = row.person
    timeout = dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    if row.created_at and timezone.now() - row.created_at > timeout:
        raise NotApplicable("The request is older than PASSWORD_RESET_TIMEOUT.")
    if not person.has_usable_password():
        raise NotApplicable("The person has no password to reset.")
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(person.pk)),
            "token": default_token_generator.make_token(person),
        },
    )
    subject = gettext("Your ASA Portal password")
    context = {
        "subject": subject,
        "first_name": person.first_name,
        "email": person.email,
        "reset_url": absolute(path),
        "language": translation.get_language(),
        "profile_url": absolute(reverse("profile")),
        "privacy_url": absolute(reverse("privacy")),
    }
    message = Email(
        subject=subject,
        body=render_to_string("accounts/email/password_reset.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[person.email],
        headers={"Message-ID": row.message_id},
        connection=connection,
    )
    html = render_to_string("accounts/email/password_reset.html", context)
    message.attach_alternative(inline_css(html), "text/html")
    return message


class PasswordResetEmails(EmailBuilder):
    kinds = frozenset({Notification.Kind.PASSWORD_RESET})

    def build(self, row: Notification, connection) -> EmailMultiAlternatives:
        return password_reset_email(row, connection)
