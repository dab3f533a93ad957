"""The delivery log: every email the portal sent or will send, read-only, with the
rendered message and an action to resend failed ones."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from asa_portal.admin_site import LogAdmin
from notifications import services
from notifications.messages import notification_preview
from notifications.models import Notification


def _whole_on_hover(text: str) -> str:
    """A cell's text, cut to its column by the stylesheet, whole in its tooltip."""
    return format_html('<span title="{}">{}</span>', text, text) if text else ""


def _short_time(value) -> str:
    """27 Mar 09:30 in the portal's time, on one line; the year in its tooltip."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        local.isoformat(),
        local.strftime("%Y-%m-%d %H:%M"),
        date_format(local, "j M H:i"),
    )


@admin.register(Notification)
class NotificationAdmin(LogAdmin):
    # One line a row on a 1,280 px screen (static/css/admin.css): long addresses,
    # subjects and errors are cut, whole on hovering; dates are short.
    list_display = [
        "kind",
        "recipient",
        "about",
        "state",
        "attempts",
        "due",
        "sent",
        "short_error",
    ]
    list_filter = ["status", "kind", ("meeting", admin.RelatedOnlyFieldListFilter), "due_at"]
    search_fields = [
        "person__email",
        "person__last_name",
        "address",
        "meeting__title",
        "practice__title",
    ]
    list_select_related = ["person", "meeting", "practice"]
    date_hierarchy = "created_at"
    actions = ["resend_failed"]
    fields = [
        "kind",
        "person",
        "address",
        "meeting",
        "practice",
        "revision",
        "state_in_full",
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

    def changelist_view(self, request, extra_context=None):
        context = {
            # Django's "Select notification to view" says nothing of what the list is.
            "title": gettext("Delivery log: every email the portal sent or will send"),
            # The table needs the width; the breadcrumbs lead back to the rest.
            "is_nav_sidebar_enabled": False,
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    @admin.display(description=_("recipient"), ordering="person__email")
    def recipient(self, row: Notification) -> str:
        return _whole_on_hover(row.to)

    @admin.display(description=_("about"))
    def about(self, row: Notification) -> str:
        return "" if row.subject is None else _whole_on_hover(str(row.subject))

    @admin.display(description=_("due at"), ordering="due_at")
    def due(self, row: Notification) -> str:
        return _short_time(row.due_at)

    @admin.display(description=_("sent at"), ordering="sent_at")
    def sent(self, row: Notification) -> str:
        return _short_time(row.sent_at)

    @admin.display(description=_("status"), ordering="status")
    def state(self, row: Notification) -> str:
        """The status; a queued email to an address that bounced for good says that it
        waits for the address to be fixed on the person's page (the sweep holds it): in
        a word in the list, whole in its tooltip."""
        return self._state(row, short=True)

    @admin.display(description=_("status"))
    def state_in_full(self, row: Notification) -> str:
        return self._state(row, short=False)

    def _state(self, row: Notification, *, short: bool) -> str:
        if (
            row.status == Notification.Status.QUEUED
            and row.person_id
            and row.person.email_bouncing_since
        ):
            held = gettext("held: the address bounces")
            return format_html(
                '{} <a href="{}" title="{}">{}</a>',
                row.get_status_display(),
                reverse("admin:accounts_user_change", args=[row.person_id]),
                held,
                gettext("held") if short else held,
            )
        return row.get_status_display()

    @admin.display(description=_("last error"))
    def short_error(self, row: Notification) -> str:
        return _whole_on_hover(row.last_error)

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
