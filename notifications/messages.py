"""Turns outbox rows into email messages, knowing nothing of meetings or practices.

Each kind of email is built by a builder of the app it is about (meetings.emails,
practices.emails, inbound.emails, accounts.emails), registered here from that app's
AppConfig.ready(). A Composer lives for one batch: it keeps one builder of each class
for the batch, so that what is the same for many people is rendered once (a meeting's
agenda once per language; a body once per language and variant, with markers where the
few personal values go, filled in per person by plain string replacement). A send to
5,000 people in three languages renders a handful of templates, not 10,000.

Every email is in its recipient's language (`User.language`): it is built inside
`translation.override` of that language, and every email extends one layout
(templates/email/base.*): greeting, signature, and a footer saying why the reader gets it.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import secrets
from dataclasses import dataclass
from email.utils import parseaddr

import css_inline
from babel.dates import format_date
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from notifications import tokens
from notifications.models import Notification

# Remote stylesheets are never fetched: everything the HTML part needs is in it.
_INLINER = css_inline.CSSInliner(load_remote_stylesheets=False)


class NotApplicable(Exception):
    """The row no longer applies (declined, cancelled, turned off): skip, never send.
    Its text goes to the delivery log, so it stays in English."""


def secretariat_email() -> str:
    return settings.SECRETARIAT_EMAIL or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def secretariat_mailbox() -> str:
    """Where people of the secretariat read what the portal tells them: SECRETARIAT_EMAIL,
    unless that address is delivered to the portal itself (its mail gateway), in which
    case INBOUND_FORWARD_TO names their own mailbox."""
    return settings.INBOUND_FORWARD_TO or secretariat_email()


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def links_to_the_site(html: str) -> str:
    """A link the secretariat wrote as a path of the site ([the minutes](/meetings/x/))
    leads to the portal from a mail client too, which has no page to resolve it against."""
    return html.replace('href="/', f'href="{absolute("/")}')


def inline_css(html: str) -> str:
    """The HTML part with its stylesheet moved into style attributes, which every mail
    program keeps."""
    return _INLINER.inline(html)


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


class Email(EmailMultiAlternatives):
    """The email every builder makes: Django's, with its MIME boundaries drawn as the
    message is made.

    Left to it, the email package draws a boundary for each multipart part as it flattens
    the message and compiles a regular expression per boundary to make sure that no line
    of the part holds it: a third of the time Django takes to flatten an invitation. A
    boundary drawn here is 128 random bits after "=_", which neither base64 nor
    quoted-printable ever writes: it cannot be in the message, by chance or on purpose."""

    def message(self):
        message = super().message()
        for part in message.walk():
            if part.is_multipart():
                part.set_boundary("=_" + secrets.token_hex(16))
        return message


@dataclass(frozen=True)
class Body:
    """A rendered email with markers for the personal values."""

    subject: str
    text: str
    html: str


class EmailBuilder:
    """Builds the emails of some kinds (`kinds`); one per class and batch. `check` says
    why a row no longer applies (raising NotApplicable), `build` makes its message in
    the recipient's language (the Composer has switched to it)."""

    kinds: frozenset[str] = frozenset()

    def __init__(self, composer: Composer) -> None:
        self.composer = composer
        self.bodies: dict[tuple, Body] = {}

    def check(self, row: Notification) -> None:
        """Nothing to check unless the builder says so."""

    def build(self, row: Notification, connection) -> EmailMultiAlternatives:
        raise NotImplementedError

    # -- for builders: markers, the layout's context, a shared body made personal -------

    def marked(self, name: str) -> str:
        return self.composer.marked(name)

    def fill(self, template: str, values: dict[str, str], *, escape: bool) -> str:
        return self.composer.fill(template, values, escape=escape)

    def common_context(self, person) -> dict:
        """What every email's layout (templates/email/base.*) shows: the greeting, with
        a marker for the first name, the profile's address, the language."""
        return {
            "first_name": self.marked("first_name") if person and person.first_name else "",
            "profile_url": absolute(reverse("profile")),
            "privacy_url": absolute(reverse("privacy")),
            "language": translation.get_language(),
        }

    def person_context(self, person) -> dict:
        """The layout's context for an email rendered for one person alone: their first
        name itself, no marker."""
        return {**self.common_context(person), "first_name": person.first_name}

    def personal_message(
        self, row: Notification, body: Body, connection, *, personal=None, headers=None
    ) -> EmailMultiAlternatives:
        """A body shared by many people, with this person's values filled in."""
        first_name = row.person.first_name if row.person_id else ""
        personal = {"first_name": first_name, **(personal or {})}
        message = Email(
            subject=body.subject,
            body=self.fill(body.text, personal, escape=False),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[row.to],
            headers={"Message-ID": row.message_id, **(headers or {})},
            connection=connection,
        )
        message.attach_alternative(self.fill(body.html, personal, escape=True), "text/html")
        return message


# The builder of each kind, registered by the app the kind is about.
_BUILDERS: dict[str, type[EmailBuilder]] = {}


def register(builder: type[EmailBuilder]) -> None:
    """Called from an AppConfig.ready(): the builder makes the emails of its kinds."""
    for kind in builder.kinds:
        _BUILDERS[kind] = builder


class Composer:
    """Builds the batch's messages. `check=False` builds a message whatever the state
    (the secretariat's preview of a draft's invitation)."""

    def __init__(self, *, check: bool = True) -> None:
        self.now = timezone.now()
        self.check = check
        self._builders: dict[type[EmailBuilder], EmailBuilder] = {}
        # Personal values go where `<mark>-<name>` stands; the mark is random, so no
        # text of a meeting or a practice can contain it by chance (or on purpose).
        self._mark = "x" + secrets.token_hex(8)
        self._marker = re.compile(re.escape(self._mark) + r"-([a-z_]+)")

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
        if row.person_id is not None and (not row.person.is_active or not row.person.email):
            raise NotApplicable("The person's account is closed.")
        builder_class = _BUILDERS[row.kind]
        builder = self._builders.get(builder_class)
        if builder is None:
            builder = self._builders[builder_class] = builder_class(self)
        if self.check:
            builder.check(row)  # outside the override: its reasons go to the log
        with translation.override(language_of(row.person)):
            return builder.build(row, connection)

    def marked(self, name: str) -> str:
        return f"{self._mark}-{name}"

    def fill(self, template: str, values: dict[str, str], *, escape: bool) -> str:
        if escape:
            values = {name: html.escape(value) for name, value in values.items()}
        return self._marker.sub(lambda match: values[match.group(1)], template)


def notification_preview(row: Notification) -> str:
    """The message as the recipient's mail program receives it, for the delivery log."""
    try:
        message = Composer().build(row)
    except NotApplicable as reason:
        return gettext("Not sent: %(reason)s") % {"reason": reason}
    return message.message().as_string()
