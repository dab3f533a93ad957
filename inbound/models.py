"""Every email that comes back to the portal, kept raw with what was done with it.

A row is written before the message is read, so nothing that arrives is lost, whatever it
is: a calendar reply that became an answer, a delivery report that marked a bounce, an
out-of-office note, a human message passed on to the secretariat, or something refused
unread (too large, too deeply nested).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class InboundMessage(models.Model):
    class Via(models.TextChoices):
        PIPE = "pipe", _("receive_mail (pipe)")
        LMTP = "lmtp", _("mail_gateway (LMTP)")

    class Kind(models.TextChoices):
        UNREAD = "unread", _("Not read (refused or not yet read)")
        REPLY = "reply", _("Calendar reply")
        BOUNCE = "bounce", _("Delivery report")
        AUTO_REPLY = "auto_reply", _("Automatic reply")
        OTHER = "other", _("Other message")

    class Outcome(models.TextChoices):
        RECEIVED = "received", _("Received, not handled yet")
        APPLIED = "applied", _("Answer recorded")
        NOTED = "noted", _("Noted, nothing changed")
        REFUSED = "refused", _("Answer refused, the person told why")
        UNTRUSTED = "untrusted", _("Not trusted, not applied")
        BOUNCED = "bounced", _("Bounce recorded")
        FORWARDED = "forwarded", _("For the secretariat (forwarded)")
        DUPLICATE = "duplicate", _("Duplicate, handled before")
        REJECTED = "rejected", _("Refused unread (size, nesting, parts)")
        ERROR = "error", _("Error while handling")

    received_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)
    via = models.CharField(_("via"), max_length=4, choices=Via.choices)
    envelope_from = models.CharField(_("envelope sender"), max_length=500, blank=True)
    envelope_to = models.TextField(_("envelope recipients"), blank=True)
    # The first bytes only when `truncated`: a message over the size cap is not read.
    raw = models.BinaryField(_("raw message"))
    size = models.PositiveBigIntegerField(_("size"), help_text=_("Bytes, as received."))
    truncated = models.BooleanField(_("truncated"), default=False)
    # The raw bytes are emptied after RETENTION_INBOUND_RAW_DAYS; the row stays.
    raw_removed_at = models.DateTimeField(_("raw message removed at"), null=True, blank=True)
    digest = models.CharField(
        _("digest"), max_length=64, db_index=True, help_text=_("SHA-256 of the message.")
    )
    message_id = models.CharField("Message-ID", max_length=500, blank=True, db_index=True)
    from_address = models.CharField(
        pgettext_lazy("email header", "From"), max_length=500, blank=True
    )
    subject = models.CharField(_("subject"), max_length=500, blank=True)

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.UNREAD)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.RECEIVED
    )
    detail = models.TextField(_("detail"), blank=True, help_text=_("What was done, and why."))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_messages",
        verbose_name=_("person"),
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_messages",
        verbose_name=_("meeting"),
    )
    notification = models.ForeignKey(
        "notifications.Notification",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_messages",
        verbose_name=_("notification"),
        help_text=_("The email of ours that this message answers or reports on."),
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    # Passing a message on to the secretariat: a task sends it after the commit.
    forwarded_at = models.DateTimeField(_("forwarded at"), null=True, blank=True)
    forward_error = models.TextField(_("forwarding error"), blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("email received")
        verbose_name_plural = _("emails received")
        constraints = [
            models.CheckConstraint(
                condition=Q(via__in=["pipe", "lmtp"]), name="inbound_via_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["unread", "reply", "bounce", "auto_reply", "other"]),
                name="inbound_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    outcome__in=[
                        "received",
                        "applied",
                        "noted",
                        "refused",
                        "untrusted",
                        "bounced",
                        "forwarded",
                        "duplicate",
                        "rejected",
                        "error",
                    ]
                ),
                name="inbound_outcome_valid",
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(subject)s from %(sender)s") % {
            "subject": self.subject or gettext("(no subject)"),
            "sender": self.from_address or self.envelope_from,
        }
