"""Emails received, beside the delivery log: read-only, each with what was done with it,
the message as it came, and actions to handle one again or pass it on."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from asa_portal.admin_site import LogAdmin
from inbound import services
from inbound.models import InboundMessage

SHOWN_BYTES = 100 * 1024


@admin.register(InboundMessage)
class InboundMessageAdmin(LogAdmin):
    list_display = [
        "received_at",
        "from_address",
        "subject",
        "kind",
        "outcome",
        "short_detail",
        "person",
        "meeting",
    ]
    list_filter = ["outcome", "kind", "via", "truncated", "received_at"]
    search_fields = ["from_address", "subject", "message_id", "envelope_from", "detail"]
    list_select_related = ["person", "meeting"]
    date_hierarchy = "received_at"
    actions = ["handle_again", "forward"]
    fields = [
        "received_at",
        "via",
        "envelope_from",
        "envelope_to",
        "from_address",
        "subject",
        "message_id",
        "size",
        "truncated",
        "raw_removed_at",
        "kind",
        "outcome",
        "detail",
        "person",
        "meeting",
        "notification",
        "duplicate_of",
        "forwarded_at",
        "forward_error",
        "source",
    ]
    readonly_fields = fields

    @admin.display(description=_("what was done"))
    def short_detail(self, row: InboundMessage) -> str:
        return row.detail[:100]

    @admin.display(description=_("the message as received"))
    def source(self, row: InboundMessage) -> str:
        if row.raw_removed_at is not None:
            days = settings.RETENTION_INBOUND_RAW_DAYS
            return ngettext(
                "Removed on %(date)s: messages as received are kept for %(days)s day "
                "(RETENTION_INBOUND_RAW_DAYS).",
                "Removed on %(date)s: messages as received are kept for %(days)s days "
                "(RETENTION_INBOUND_RAW_DAYS).",
                days,
            ) % {
                "date": date_format(localtime(row.raw_removed_at), "DATE_FORMAT"),
                "days": days,
            }
        raw = bytes(row.raw)
        text = raw[:SHOWN_BYTES].decode("utf-8", errors="replace")
        if len(raw) > SHOWN_BYTES:
            more = len(raw) - SHOWN_BYTES
            text += "\n" + ngettext(
                "[… %(count)s more byte kept, not shown]",
                "[… %(count)s more bytes kept, not shown]",
                more,
            ) % {"count": f"{more:,}"}
        return format_html("<pre class='email-source'>{}</pre>", text)

    @admin.action(description=_("Handle the selected messages again (those that failed)"))
    def handle_again(self, request: HttpRequest, queryset: QuerySet[InboundMessage]) -> None:
        rows = queryset.filter(
            outcome__in=[InboundMessage.Outcome.ERROR, InboundMessage.Outcome.RECEIVED],
            raw_removed_at__isnull=True,
        )
        for row in rows:
            services.inbound_handle(message=row)
        messages.success(
            request,
            ngettext(
                "%(count)d message handled again.", "%(count)d messages handled again.", len(rows)
            )
            % {"count": len(rows)},
        )

    @admin.action(description=_("Pass the selected messages on to the secretariat"))
    def forward(self, request: HttpRequest, queryset: QuerySet[InboundMessage]) -> None:
        sent = sum(
            services.inbound_forward(message_id=pk)
            for pk in queryset.values_list("pk", flat=True)[:100]
        )
        messages.success(
            request,
            ngettext(
                "%(count)d message passed on to %(address)s.",
                "%(count)d messages passed on to %(address)s.",
                sent,
            )
            % {"count": sent, "address": services.forward_address()},
        )
