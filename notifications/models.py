"""The outbox: every email the portal sends about its own objects is one row here.

A row is one email to one person about one subject (a meeting or a practice), or about
the person's own account (a password reset: no subject), or to a mailbox that is nobody's
own (the secretariat's, told of a practice submitted for review: `address`, no person).
It is created in the same transaction as the change that causes it and is unique per
(subject, person or address, kind, revision), so a second row, and so a second email,
cannot exist.
The row is also the delivery log: state, attempts, the last SMTP error, when it went out.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from notifications import tokens

# Emails about the person's own account, which have no meeting or practice.
ACCOUNT_KINDS = ["password_reset"]


class NotificationQuerySet(models.QuerySet):
    def counts(self) -> dict[str, int]:
        """How many rows are queued, sent, failed and skipped, in one query."""
        return self.aggregate(
            **{
                status: models.Count("pk", filter=Q(status=status))
                for status in Notification.Status.values
            }
        )

    def progress(self) -> dict[str, dict[str, int]]:
        """How far each kind of email has gone, in one query: {kind: {status: count}},
        where queued rows waiting for an address that bounced count as "held" (the sweep
        keeps them back until the address is corrected), apart from "queued"."""
        rows = (
            self.order_by()
            .values_list("kind", "status")
            .annotate(
                n=models.Count("pk"),
                held=models.Count(
                    "pk",
                    filter=Q(status="queued", person__email_bouncing_since__isnull=False),
                ),
            )
        )
        progress: dict[str, dict[str, int]] = {}
        for kind, status, n, held in rows:
            counts = progress.setdefault(kind, {})
            counts[status] = n - held
            if held:
                counts["held"] = held
        return progress

    def due_unsent(self, now):
        """Queued rows whose time has come: those a worker should have sent by now. A
        refused row waiting for its retry is due again at its next attempt; rows to an
        address that bounced wait for the secretariat, not for a worker, and are left out,
        as the sweep leaves them."""
        return self.filter(status=Notification.Status.QUEUED, due_at__lte=now).exclude(
            person__email_bouncing_since__isnull=False
        )


class Notification(models.Model):
    class Kind(models.TextChoices):
        INVITATION = "invitation", pgettext_lazy("email kind", "Invitation")
        REMINDER = "reminder", pgettext_lazy("email kind", "Reminder")
        UPDATE = "update", pgettext_lazy("email kind", "Update")
        CANCELLATION = "cancellation", pgettext_lazy("email kind", "Cancellation")
        SEAT = "seat", pgettext_lazy("email kind", "Seat")
        MESSAGE = "message", pgettext_lazy("email kind", "Message")
        PRACTICE_REVIEW = "practice_review", _("Practice review")
        # The answer to a calendar reply that came back by email (inbound/).
        REPLY = "reply", _("Reply to an emailed answer")
        # A public event's registration (meetings.registrations): the link that confirms
        # the address (to the address typed, before anyone is known), then the
        # confirmation with the calendar file, the personal link and the door's QR code.
        REGISTRATION_CONFIRM = "registration_confirm", _("Registration: confirm the address")
        REGISTERED = "registered", pgettext_lazy("email kind", "Registration")
        # The person cancelled it on their registration's page: the calendar CANCEL that
        # takes the REGISTERED email's event out of their calendar (revision: a counter).
        REGISTRATION_CANCELLED = (
            "registration_off",
            pgettext_lazy("email kind", "Registration cancelled"),
        )
        # About the person's own account: no meeting or practice (accounts.emails).
        PASSWORD_RESET = "password_reset", _("Password reset")

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("email status", "Queued")
        SENT = "sent", pgettext_lazy("email status", "Sent")
        FAILED = "failed", pgettext_lazy("email status", "Failed")
        # No longer applies when its time came (the person declined, turned reminders
        # off, the meeting was cancelled): kept in the log, never sent.
        SKIPPED = "skipped", pgettext_lazy("email status", "Skipped")
        # Sent, then a delivery report said it failed for good (inbound/).
        BOUNCED = "bounced", pgettext_lazy("email status", "Bounced")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("person"),
    )
    # A shared mailbox instead of a person (the secretariat's): kept in the row, so a
    # retry goes where the first attempt went and the log says where that was.
    address = models.EmailField(_("address"), blank=True)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("meeting"),
    )
    practice = models.ForeignKey(
        "practices.Practice",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("practice"),
    )
    # What makes a second email of the same kind a different one: the meeting's SEQUENCE
    # for updates and cancellations, the hours before the start for reminders, 0 for the
    # one invitation, a running number for practice decisions.
    revision = models.PositiveIntegerField(_("revision"), default=0)
    # What the message needs beyond its subject: what changed, a review comment.
    details = models.JSONField(_("details"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    due_at = models.DateTimeField(
        _("due at"), default=timezone.now, help_text=_("Not sent before this time.")
    )
    # Handed to the broker at this time; the sweep hands it again if it stays queued.
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    # A worker is sending it until this time (a lease: a killed worker's rows come back).
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # From the delivery report (RFC 3464) that came back, if one did.
    bounced_at = models.DateTimeField(_("bounced at"), null=True, blank=True)
    bounce_status = models.CharField(
        _("bounce status"), max_length=20, blank=True, help_text=_("Such as 5.1.1.")
    )
    bounce_diagnostic = models.TextField(_("bounce diagnostic"), blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(meeting__isnull=False, practice__isnull=True)
                    | Q(meeting__isnull=True, practice__isnull=False)
                    | Q(meeting__isnull=True, practice__isnull=True, kind__in=ACCOUNT_KINDS)
                ),
                name="notification_has_one_subject",
            ),
            models.UniqueConstraint(
                fields=["meeting", "person", "kind", "revision"],
                condition=Q(meeting__isnull=False),
                name="notification_once_per_meeting",
            ),
            models.UniqueConstraint(
                fields=["practice", "person", "kind", "revision"],
                condition=Q(practice__isnull=False),
                name="notification_once_per_practice",
            ),
            # A person or an address, never both nor neither; an address is told only
            # of a practice (the secretariat's mailbox) or asked to confirm a public
            # event's registration (revision: the registration's id), once each.
            models.CheckConstraint(
                condition=(
                    Q(person__isnull=False, address="")
                    | (Q(person__isnull=True, practice__isnull=False) & ~Q(address=""))
                    | (
                        Q(person__isnull=True, meeting__isnull=False, kind="registration_confirm")
                        & ~Q(address="")
                    )
                ),
                name="notification_to_a_person_or_an_address",
            ),
            models.UniqueConstraint(
                fields=["practice", "address", "kind", "revision"],
                condition=Q(person__isnull=True, practice__isnull=False),
                name="notification_once_per_practice_to_address",
            ),
            models.UniqueConstraint(
                fields=["meeting", "address", "kind", "revision"],
                condition=Q(person__isnull=True, meeting__isnull=False),
                name="notification_once_per_meeting_to_address",
            ),
            models.UniqueConstraint(
                fields=["person", "kind", "revision"],
                condition=Q(meeting__isnull=True, practice__isnull=True),
                name="notification_once_per_person",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "sent", "failed", "skipped", "bounced"]),
                name="notification_status_valid",
            ),
        ]
        indexes = [
            # The sweep's query: queued rows whose time has come. Partial, so a million
            # sent rows do not make it larger.
            models.Index(
                fields=["due_at"], condition=Q(status="queued"), name="notification_due_idx"
            ),
            # The delivery log's order (newest first) and the nightly removal of old rows
            # (notifications_old_remove), which would otherwise read the whole table.
            models.Index(fields=["created_at"], name="notification_created_idx"),
        ]

    def __str__(self) -> str:
        recipient = self.address if self.person_id is None else self.person
        if self.subject is None:
            return gettext("%(kind)s to %(person)s") % {
                "kind": self.get_kind_display(),
                "person": recipient,
            }
        return gettext("%(kind)s to %(person)s about %(subject)s") % {
            "kind": self.get_kind_display(),
            "person": recipient,
            "subject": self.subject,
        }

    @property
    def to(self) -> str:
        """The address the email goes to: the person's, or the row's mailbox."""
        return self.address if self.person_id is None else self.person.email

    @property
    def subject(self):
        """The meeting or practice the email is about; None for one about the person's
        own account (a password reset)."""
        if self.meeting_id:
            return self.meeting
        return self.practice if self.practice_id else None

    @property
    def message_id(self) -> str:
        """Stable per row: a resend after a crash carries the same Message-ID. Signed, so
        that nobody can name another row's email by guessing its id."""
        return tokens.message_id(self.pk)


class ReminderTime(models.Model):
    """When one of a published meeting's reminders falls due (one row per meeting and
    reminder hours). The beat sweep finds the due ones over an index and only then makes
    a Notification row for each person to remind: publishing creates two small rows, not
    two rows per invitee, and whoever joins or declines before the time is counted right.
    """

    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.CASCADE,
        related_name="reminder_times",
        verbose_name=_("meeting"),
    )
    hours = models.PositiveIntegerField(_("hours"), help_text=_("Hours before the start."))
    due_at = models.DateTimeField(_("due at"))
    # When the sweep made its rows; a move of the meeting that puts the time ahead again
    # opens it again (those already reminded are not reminded twice: the outbox's
    # unique constraint).
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder time")
        verbose_name_plural = _("reminder times")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "hours"], name="reminder_time_once"),
        ]
        indexes = [
            # The sweep's query; partial, so the times already done do not make it larger.
            models.Index(
                fields=["due_at"],
                condition=Q(done_at__isnull=True),
                name="reminder_time_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(hours)s h before %(meeting)s") % {
            "hours": self.hours,
            "meeting": self.meeting,
        }


class LastSweep(models.Model):
    """When the beat's sweep last ran: one row, written by each sweep once its work is
    committed, read by /healthz. The sweep itself writes it (not beat when it queues the
    task), so a fresh time means beat, the broker and a worker all did their part.

    The outbox's migration makes the row, so a fresh install counts its minutes from
    then: the first sweep, a minute after, finds it within the time allowed."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    swept_at = models.DateTimeField(_("swept at"), null=True, blank=True)

    class Meta:
        verbose_name = _("last sweep")
        verbose_name_plural = _("last sweep")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="last_sweep_one_row")]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
