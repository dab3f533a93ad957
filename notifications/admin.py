"""The delivery log: every email the portal sent or will send, read-only, with the
rendered message and an action to resend failed ones."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from asa_portal.admin_site import LogAdmin
from meetings.models import Meeting
from meetings.services import meeting_audience
from notifications import services
from notifications.messages import invitation_preview, notification_preview
from notifications.models import Notification


class MessageForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("Audience"),
        choices=list(services.MESSAGE_AUDIENCES.items()),
        widget=forms.RadioSelect,
    )
    subject = forms.CharField(label=_("Subject"), max_length=150)
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}), help_text=_("Markdown.")
    )


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

    # -- the invitation's preview, before publishing ------------------------------------

    def get_urls(self):
        return [
            path(
                "message/<int:meeting_id>/",
                self.admin_site.admin_view(self.message_view),
                name="notifications_meeting_message",
            ),
            path(
                "preview/<int:meeting_id>/",
                self.admin_site.admin_view(self.preview_view),
                name="notifications_invitation_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request: HttpRequest, meeting_id: int) -> HttpResponse:
        """/admin/notifications/notification/preview/<meeting id>/?person=<id>: both parts
        and the calendar file as one recipient (the first of the audience) will see them."""
        if not self.has_view_permission(request):
            raise Http404
        meeting = get_object_or_404(Meeting, pk=meeting_id)
        audience = meeting_audience(meeting=meeting).order_by("email")
        chosen = request.GET.get("person", "")
        person = (
            (User.objects.filter(pk=int(chosen)).first() if chosen.isdigit() else None)
            or audience.first()
            or request.user
        )
        return TemplateResponse(
            request,
            "admin/notifications/preview.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("Invitation preview: %(meeting)s") % {"meeting": meeting},
                "opts": self.model._meta,
                "meeting": meeting,
                "preview": invitation_preview(meeting, person),
                "audience": audience[:200],
                "audience_count": audience.count(),
            },
        )

    def message_view(self, request: HttpRequest, meeting_id: int) -> HttpResponse:
        """/admin/notifications/notification/message/<meeting id>/: the secretariat writes
        to a meeting's participants; the message goes out through the outbox. (The admin
        site lets only the secretariat in.)"""
        meeting = get_object_or_404(Meeting, pk=meeting_id)
        form = MessageForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                count = services.meeting_message_send(meeting=meeting, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "The message goes to %(count)d person.",
                        "The message goes to %(count)d people.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect("admin:notifications_notification_changelist")
        return TemplateResponse(
            request,
            "admin/notifications/message.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("Message to the participants of %(meeting)s")
                % {"meeting": meeting},
                "opts": self.model._meta,
                "meeting": meeting,
                "form": form,
            },
        )
