"""The emails about practices, through the outbox (notifications.services): a submission,
told to the secretariat's mailbox, and the secretariat's review decision ("published" or
"returned for changes"), told to the region's representatives and the author."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext_lazy

from notifications.messages import (
    Body,
    EmailBuilder,
    absolute,
    inline_css,
    secretariat_mailbox,
)
from notifications.models import Notification
from notifications.services import notifications_create

Kind = Notification.Kind
Status = Notification.Status

REVIEW_SUBJECTS = {
    "submitted": pgettext_lazy("email subject", "To review: %(title)s (%(region)s)"),
    "submitted again": pgettext_lazy("email subject", "To review again: %(title)s (%(region)s)"),
    "published": pgettext_lazy("email subject", "Published: %(title)s"),
    "returned": pgettext_lazy("email subject", "Returned for changes: %(title)s"),
}


def _last_review_step(practice) -> tuple[int, str] | None:
    """The revision and decision of the practice's latest review email, if any."""
    last = (
        Notification.objects.filter(practice=practice, kind=Kind.PRACTICE_REVIEW)
        .order_by("-revision")
        .values_list("revision", "details")
        .first()
    )
    return None if last is None else (last[0], last[1].get("decision", ""))


def practice_submission_queue(*, practice) -> list[Notification]:
    """One email to the secretariat's mailbox (not one per member: they share the work)
    saying that `practice` waits for review. A practice submitted again before the
    secretariat decided (edited in between) is still the one waiting: no second email.
    After a decision (returned, published), a new submission is a new email, which says
    that the practice comes back."""
    last = _last_review_step(practice)
    if last is not None and last[1] == "submitted":
        return []
    return notifications_create(
        rows=[
            Notification(
                practice=practice,
                address=secretariat_mailbox(),
                kind=Kind.PRACTICE_REVIEW,
                revision=0 if last is None else last[0] + 1,
                details=(
                    {"decision": "submitted"}
                    if last is None
                    else {"decision": "submitted", "again": True}
                ),
            )
        ]
    )


def practice_review_queue(*, practice, decision: str, recipients) -> list[Notification]:
    """One email per recipient about a review decision, "published" or "returned" (to the
    representatives and the author); each step is a new revision. A return keeps its
    comment in the row: the practice's own comment is cleared when it is published, which
    may come before a late email is sent."""
    last = _last_review_step(practice)
    revision = 0 if last is None else last[0] + 1
    return notifications_create(
        rows=(
            Notification(
                practice=practice,
                person=person,
                kind=Kind.PRACTICE_REVIEW,
                revision=revision,
                details=(
                    {"decision": decision, "comment": practice.review_comment}
                    if decision == "returned"
                    else {"decision": decision}
                ),
            )
            for person in recipients
        )
    )


def practice_review_skip(*, practice, reason: str) -> int:
    """Keeps a practice's waiting review emails in the log without sending them (the demo
    world's practices were "published" years ago: nobody needs telling today)."""
    return Notification.objects.filter(
        practice=practice, kind=Kind.PRACTICE_REVIEW, status=Status.QUEUED
    ).update(status=Status.SKIPPED, last_error=reason, queued_at=None)


class PracticeReviewEmails(EmailBuilder):
    """The same for every representative told of one decision but the greeting: once
    per language."""

    kinds = frozenset({Kind.PRACTICE_REVIEW})

    def build(self, row: Notification, connection) -> EmailMultiAlternatives:
        practice, person = row.practice, row.person
        decision = row.details.get("decision", "published")
        again = bool(row.details.get("again"))
        key = (
            again,
            practice.pk,
            row.revision,
            decision,
            translation.get_language(),
            bool(person and person.first_name),
        )
        body = self.bodies.get(key)
        if body is None:
            subject = str(REVIEW_SUBJECTS[f"{decision} again" if again else decision]) % {
                "title": practice.title,
                "region": practice.region.name,
            }
            context = {
                **self.common_context(person),
                "subject": subject,
                "practice": practice,
                "again": again,
                "comment": row.details.get("comment", practice.review_comment),
                "practice_url": absolute(practice.get_absolute_url()),
                "edit_url": absolute(reverse("practices:edit", args=[practice.slug])),
                "review_url": absolute(
                    reverse("admin:practices_practicereview_change", args=[practice.pk])
                ),
            }
            body = self.bodies[key] = Body(
                subject=subject,
                text=render_to_string(f"practices/email/{decision}.txt", context),
                html=inline_css(render_to_string(f"practices/email/{decision}.html", context)),
            )
        return self.personal_message(row, body, connection)
