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


class InboundMessage(models.Model):
    class Via(models.TextChoices):
        PIPE = "pipe", "receive_mail (pipe)"
        LMTP = "lmtp", "mail_gateway (LMTP)"

    class Kind(models.TextChoices):
        UNREAD = "unread", "Not read (refused or not yet read)"
        REPLY = "reply", "Calendar reply"
        BOUNCE = "bounce", "Delivery report"
        AUTO_REPLY = "auto_reply", "Automatic reply"
        OTHER = "other", "Other message"

    class Outcome(models.TextChoices):
        RECEIVED = "received", "Received, not handled yet"
        APPLIED = "applied", "Answer recorded"
        NOTED = "noted", "Noted, nothing changed"
        REFUSED = "refused", "Answer refused, the person told why"
        UNTRUSTED = "untrusted", "Not trusted, not applied"
        BOUNCED = "bounced", "Bounce recorded"
        FORWARDED = "forwarded", "For the secretariat (forwarded)"
        DUPLICATE = "duplicate", "Duplicate, handled before"
        REJECTED = "rejected", "Refused unread (size, nesting, parts)"
        ERROR = "error", "Error while handling"

    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    via = models.CharField(max_length=4, choices=Via.choices)
    envelope_from = models.CharField(max_length=500, blank=True)
    envelope_to = models.TextField(blank=True)
    # The first bytes only when `truncated`: a message over the size cap is not read.
    raw = models.BinaryField()
    size = models.PositiveBigIntegerField(help_text="Bytes, as received.")
    truncated = models.BooleanField(default=False)
    digest = models.CharField(max_length=64, db_index=True, help_text="SHA-256 of the message.")
    message_id = models.CharField("Message-ID", max_length=500, blank=True, db_index=True)
    from_address = models.CharField("From", max_length=500, blank=True)
    subject = models.CharField(max_length=500, blank=True)

    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.UNREAD)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.RECEIVED)
    detail = models.TextField(blank=True, help_text="What was done, and why.")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_messages",
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_messages",
    )
    notification = models.ForeignKey(
        "notifications.Notification",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_messages",
        help_text="The email of ours that this message answers or reports on.",
    )
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )
    # Passing a message on to the secretariat: a task sends it after the commit.
    forwarded_at = models.DateTimeField(null=True, blank=True)
    forward_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = "email received"
        verbose_name_plural = "emails received"
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
        return f"{self.subject or '(no subject)'} from {self.from_address or self.envelope_from}"
