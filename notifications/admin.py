"""The delivery log: every email the portal sent or will send, read-only, with the
rendered message and an action to resend failed ones."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from notifications import services
from notifications.messages import notification_preview
from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "kind",
        "recipient",
        "about",
        "status",
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
        "status",
        "attempts",
        "last_error",
        "due_at",
        "queued_at",
        "sent_at",
        "created_at",
        "message_id",
        "details",
        "rendered",
    ]
    readonly_fields = fields

    @admin.display(description="recipient", ordering="person__email")
    def recipient(self, row: Notification) -> str:
        return row.person.email

    @admin.display(description="about")
    def about(self, row: Notification) -> str:
        return str(row.subject)

    @admin.display(description="last error")
    def short_error(self, row: Notification) -> str:
        return row.last_error[:80]

    @admin.display(description="Message-ID")
    def message_id(self, row: Notification) -> str:
        return row.message_id

    @admin.display(description="the message (rendered from the current data)")
    def rendered(self, row: Notification) -> str:
        return format_html("<pre class='email-source'>{}</pre>", notification_preview(row))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.action(description="Send the selected failed emails again")
    def resend_failed(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        count = services.notifications_resend(ids=queryset.values_list("pk", flat=True))
        messages.success(request, f"{count} failed email(s) queued again.")
