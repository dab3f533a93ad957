"""The delivery log: every email the portal sent or will send, read-only, with the
rendered message and an action to resend failed ones."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from asa_portal.admin_site import LogAdmin
from notifications import services
from notifications.messages import notification_preview
from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(LogAdmin):
    list_display = [
        "kind",
        "recipient",
        "about",
        "state",
        "attempts",
        "due_at",
        "sent_at",
        "short_error",
    ]
    list_filter = ["status", "kind", ("meeting", admin.RelatedOnlyFieldListFilter), "due_at"]
    search_fields = ["person__email", "person__last_name", "meeting__title", "practice__title"]
    list_select_related = ["person", "meeting", "practice"]
    date_hierarchy = "created_at"
    actions = ["resend_failed"]
    fields = [
        "kind",
        "person",
        "meeting",
        "practice",
        "revision",
        "state",
        "attempts",
        "last_error",
        "due_at",
        "queued_at",
        "sent_at",
        "bounced_at",
        "bounce_status",
        "bounce_diagnostic",
        "created_at",
        "message_id",
        "details",
        "rendered",
    ]
    readonly_fields = fields

    @admin.display(description=_("recipient"), ordering="person__email")
    def recipient(self, row: Notification) -> str:
        return row.person.email

    @admin.display(description=_("about"))
    def about(self, row: Notification) -> str:
        return "" if row.subject is None else str(row.subject)

    @admin.display(description=_("status"), ordering="status")
    def state(self, row: Notification) -> str:
        """The status; a queued email to an address that bounced for good says that it
        waits for the address to be fixed on the person's page (the sweep holds it)."""
        if row.status == Notification.Status.QUEUED and row.person.email_bouncing_since:
            return format_html(
                '{} <a href="{}">{}</a>',
                row.get_status_display(),
                reverse("admin:accounts_user_change", args=[row.person_id]),
                gettext("held: the address bounces"),
            )
        return row.get_status_display()

    @admin.display(description=_("last error"))
    def short_error(self, row: Notification) -> str:
        return row.last_error[:80]

    @admin.display(description=pgettext_lazy("email header", "Message-ID"))
    def message_id(self, row: Notification) -> str:
        return row.message_id

    @admin.display(description=_("the message (rendered from the current data)"))
    def rendered(self, row: Notification) -> str:
        if row.kind == Notification.Kind.PASSWORD_RESET:
            # Rendering it makes a working reset link: nobody but the person may see one.
            return gettext("Not shown: it holds a link that sets the person's password.")
        return format_html("<pre class='email-source'>{}</pre>", notification_preview(row))

    @admin.action(description=_("Send the selected failed emails again"))
    def resend_failed(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        count = services.notifications_resend(ids=queryset.values_list("pk", flat=True))
        messages.success(
            request,
            ngettext(
                "%(count)d failed email queued again.",
                "%(count)d failed emails queued again.",
                count,
            )
            % {"count": count},
        )
