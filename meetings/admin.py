"""The secretariat's workplace for meetings. State changes go through meetings.services."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from adminsortable2.admin import SortableAdminBase
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import User, time_zone_choices
from asa_portal.admin_labels import split_date_time_named
from meetings import invitations, services
from meetings.admin_agenda import AgendaItemInline
from meetings.admin_participants import ParticipantExports
from meetings.admin_questions import QuestionInline
from meetings.emails import invitation_preview
from meetings.models import (
    AgendaItem,
    Meeting,
    WorkingGroup,
)
from meetings.timefmt import long_date, meeting_when, reminder_in_words, reminders_in_words
from notifications.models import Notification

# Entered and shown as wall-clock time in the event's own zone, not the admin's.
LOCAL_TIME_FIELDS = ("start", "end", "registration_deadline")
LOCAL_TIME_HELP = _(
    "In the event's own time zone (above), whatever the zone of your computer: 10:00 for "
    "a Brussels meeting is 10:00 in Brussels."
)


def event_time_widget() -> forms.SplitDateTimeWidget:
    """The browser's own date and time inputs, for a time in the event's zone.

    The admin's text inputs with calendar and clock get a note from the admin's script
    ("You are 6 hours behind server time") when the browser's zone differs from the
    server's. Neither zone is the event's, so the note misleads; the script leaves these
    inputs alone (it only decorates type="text" ones). They send ISO 8601, the format
    they are given."""
    return split_date_time_named(
        forms.SplitDateTimeWidget(
            date_attrs={"type": "date"},
            time_attrs={"type": "time"},
            date_format="%Y-%m-%d",
            time_format="%H:%M",
        )
    )


def _zone_or_none(name: str | None) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name) if name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


# The reminder times a secretariat chooses most, in hours before the start.
COMMON_REMINDERS = [168, 72, 24, 2]


class ReminderHoursWidget(forms.MultiWidget):
    """Boxes to tick for the common times, and a box for other hours."""

    def __init__(self, attrs=None):
        common = [(hours, reminder_in_words(hours)) for hours in COMMON_REMINDERS]
        other = forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "size": 12,
                "placeholder": _("e.g. 48"),
                "aria-label": _("Other times, in hours before the start"),
            }
        )
        super().__init__([forms.CheckboxSelectMultiple(choices=common), other], attrs)

    def decompress(self, value):
        value = value or []
        others = [str(hours) for hours in value if hours not in COMMON_REMINDERS]
        return [[hours for hours in value if hours in COMMON_REMINDERS], ", ".join(others)]


class ReminderHoursField(forms.MultiValueField):
    """The meeting's reminders as a list of hours (the largest first), from the ticked
    common times and the other hours typed, comma-separated."""

    widget = ReminderHoursWidget

    def __init__(self, **kwargs):
        fields = (
            forms.MultipleChoiceField(choices=[(h, h) for h in COMMON_REMINDERS], required=False),
            forms.CharField(required=False, max_length=100),
        )
        super().__init__(fields, require_all_fields=False, required=False, **kwargs)

    def prepare_value(self, value):
        """The meeting's hours as stored ([168, 36, 2]) split for the two boxes. The
        widget would take any list as already split ([ticked, other]), and show the
        first two hours only; what was typed on a refused form is already split."""
        if isinstance(value, list | tuple) and all(isinstance(hours, int) for hours in value):
            return self.widget.decompress(value)
        return value

    def compress(self, data_list) -> list[int]:
        chosen, other = data_list or ([], "")
        hours = {int(value) for value in chosen or []}
        for part in (other or "").replace(";", ",").split(","):
            part = part.strip().removesuffix("h").strip()
            if not part:
                continue
            if not part.isdigit() or not 0 < int(part) <= 24 * 90:
                raise ValidationError(
                    _(
                        "Other times are whole hours before the start, from 1 to 2160, "
                        "separated by commas: “%(value)s” is not one."
                    ),
                    code="reminder_hours",
                    params={"value": part},
                )
            hours.add(int(part))
        return sorted(hours, reverse=True)


def deadline_filled_in_message(meeting: Meeting) -> str:
    local = timezone.localtime(meeting.registration_deadline, meeting.zone)
    return gettext(
        "No registration deadline was given: it is set to a day before the start, "
        "%(date)s at %(time)s (%(zone)s). Change it on the meeting if answers should "
        "close at another time."
    ) % {
        "date": long_date(local.date()),
        "time": local.strftime("%H:%M"),
        "zone": meeting.time_zone,
    }


class MeetingAdminForm(forms.ModelForm):
    """Times are typed as the event's local time ("10:00" in Brussels for a Brussels
    meeting), whatever zone the secretariat sits in."""

    reminder_hours = ReminderHoursField(
        label=_("Reminders"),
        help_text=_(
            "Emails to those invited who have not declined. Other times: whole hours, such "
            "as 48 for two days."
        ),
    )

    # The answer deadline follows the start as it is typed, a day before (until the
    # secretariat types another); saving without one fills it in (clean).
    class Media:
        js = ["js/meeting_deadline.js"]

    # Set by clean when the deadline was left empty and filled in: the admin says so.
    deadline_filled_in: dt.datetime | None = None

    # No Meta: the admin supplies the model and fields from MeetingAdmin.
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "time_zone" in self.fields:
            # Today's zone names, Europe's first; an old alias the meeting holds (or a
            # name just refused) stays, chosen.
            self.fields["time_zone"].widget = forms.Select(
                choices=time_zone_choices(self["time_zone"].value() or "")
            )
        if self.instance.pk and "reminder_hours" in self.fields:
            now = reminders_in_words(self.instance.reminder_hours)
            field = self.fields["reminder_hours"]
            field.help_text = "{} {}".format(
                gettext("Now: %(reminders)s.") % {"reminders": now}, field.help_text
            )
        if "public_registration" in self.fields:
            # A box beside the visibility, on its line: what it does is said above the
            # questions it shows (templates/admin/meetings/meeting/questions_inline.html).
            self.fields["public_registration"].help_text = ""
        for name in LOCAL_TIME_FIELDS:
            if name in self.fields:
                self.fields[name].widget = event_time_widget()
                self.fields[name].help_text = LOCAL_TIME_HELP
        if self.instance.pk:
            for name in LOCAL_TIME_FIELDS:
                value = getattr(self.instance, name)
                if value is not None:
                    # Naive: the widget shows the wall time as it is.
                    self.initial[name] = value.astimezone(self.instance.zone).replace(tzinfo=None)

    def clean(self):
        cleaned = super().clean()
        zone = _zone_or_none(cleaned.get("time_zone"))
        if zone is not None:
            current = timezone.get_current_timezone()
            for name in LOCAL_TIME_FIELDS:
                value = cleaned.get(name)
                if value is not None:
                    cleaned[name] = value.astimezone(current).replace(tzinfo=zone)
        self._default_deadline(cleaned)
        return cleaned

    def _default_deadline(self, cleaned: dict) -> None:
        """A new meeting saved without a deadline gets the default one. A meeting saved
        before keeps an empty deadline as chosen: answers then close at the start."""
        if (
            self.instance.pk
            or "registration_deadline" not in self.fields
            or cleaned.get("registration_deadline") is not None
            or cleaned.get("start") is None
            or self.has_error("registration_deadline")
        ):
            return
        trial = Meeting(start=cleaned["start"], time_zone=cleaned.get("time_zone") or "")
        deadline = trial.default_registration_deadline()
        if deadline is not None:
            cleaned["registration_deadline"] = deadline
            self.deadline_filled_in = deadline


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown in the cancellation email and on the meeting's page."),
    )


class CloneForm(forms.Form):
    # The title as the model checks it (length, one line).
    title = Meeting._meta.get_field("title").formfield(
        label=_("Title of the new meeting"),
        help_text=_("Filled in with the old title: change it."),
    )
    # The browser's own date and time pickers: they show the date in the person's own
    # format and send ISO 8601 (2027-03-17), which is also the format they are given.
    new_date = forms.DateField(
        label=_("New date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )
    new_time = forms.TimeField(
        label=_("New start time"),
        help_text=_("Local time of the event."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        input_formats=["%H:%M", "%H:%M:%S"],
    )
    slug = forms.SlugField(
        label=_("Address (slug)"),
        required=False,
        help_text=_("Empty: made from the new title."),
    )

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug and Meeting.objects.filter(slug=slug).exists():
            raise ValidationError(_("A meeting with this address exists already."))
        return slug


class MessageForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("Audience"),
        choices=list(invitations.MESSAGE_AUDIENCES.items()),
        widget=forms.RadioSelect,
    )
    subject = forms.CharField(label=_("Subject"), max_length=150)
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}), help_text=_("Markdown.")
    )


def _emails_made_in_words(made: dict[str, int]) -> list[str]:
    """What a save of a meeting sends, for the messages that follow it."""
    Kind = Notification.Kind
    texts = {
        Kind.UPDATE: lambda n: ngettext(
            "%(count)d participant will get an update.",
            "%(count)d participants will get an update.",
            n,
        ),
        Kind.INVITATION: lambda n: ngettext(
            "%(count)d new invitation will be sent.", "%(count)d new invitations will be sent.", n
        ),
        Kind.SEAT: lambda n: ngettext(
            "%(count)d person waiting gets a seat and will be told.",
            "%(count)d people waiting get a seat and will be told.",
            n,
        ),
    }
    return [
        text(made[kind]) % {"count": made[kind]} for kind, text in texts.items() if made.get(kind)
    ]


# The emails of a meeting by kind, as its page names them.
KIND_PLURALS = {
    Notification.Kind.INVITATION: _("Invitations"),
    Notification.Kind.REMINDER: _("Reminders"),
    Notification.Kind.UPDATE: _("Updates"),
    Notification.Kind.CANCELLATION: _("Cancellations"),
    Notification.Kind.SEAT: _("Seats from the waiting list"),
    Notification.Kind.MESSAGE: _("Messages"),
    Notification.Kind.REPLY: _("Replies to emailed answers"),
    Notification.Kind.REGISTRATION_CONFIRM: _("Links to confirm a registration"),
    Notification.Kind.REGISTERED: _("Registration confirmations"),
    Notification.Kind.REGISTRATION_CANCELLED: _("Registration cancellations"),
}


def _progress_line(kind: str, counts: dict[str, int], log: str) -> dict:
    """One kind's progress: "37 of 42 sent" and the other states that have rows, each
    with the delivery log's address for those rows. "Held" rows are not sent on purpose:
    no longer needed (skipped), or waiting for an address that bounced."""
    Status = Notification.Status
    total = sum(counts.values())
    sent = counts.get(Status.SENT, 0)
    rows = f"{log}&kind__exact={kind}&status__exact="
    parts = [
        (
            Status.QUEUED,
            ngettext("%(count)d queued", "%(count)d queued", counts.get(Status.QUEUED, 0)),
        ),
        (
            Status.FAILED,
            ngettext("%(count)d failed", "%(count)d failed", counts.get(Status.FAILED, 0)),
        ),
        (
            Status.BOUNCED,
            ngettext(
                "%(count)d bounced after sending",
                "%(count)d bounced after sending",
                counts.get(Status.BOUNCED, 0),
            ),
        ),
        (
            Status.SKIPPED,
            ngettext(
                "%(count)d held: no longer needed",
                "%(count)d held: no longer needed",
                counts.get(Status.SKIPPED, 0),
            ),
        ),
    ]
    others = [
        {"text": text % {"count": counts[status]}, "url": rows + status}
        for status, text in parts
        if counts.get(status)
    ]
    if counts.get("held"):
        others.append(
            {
                "text": ngettext(
                    "%(count)d held: address bounced",
                    "%(count)d held: addresses bounced",
                    counts["held"],
                )
                % {"count": counts["held"]},
                "url": rows + Status.QUEUED,
            }
        )
    return {
        "kind": KIND_PLURALS.get(kind, kind),
        "sent": sent,
        "total": total,
        "sent_text": gettext("%(sent)d of %(total)d sent") % {"sent": sent, "total": total},
        "sent_url": rows + Status.SENT,
        "others": others,
    }


@admin.register(Meeting)
class MeetingAdmin(ParticipantExports, SortableAdminBase, SimpleHistoryAdmin):
    form = MeetingAdminForm
    # The questions (shown only for an event open to the public) above the agenda.
    inlines = [QuestionInline, AgendaItemInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # Few, narrow columns, so that the answer counts stay in view on a 1,280 px screen
    # beside the navigation and the filters (the kind is a filter).
    list_display = [
        "title",
        "when",
        "group",
        "status",
        "answers",
    ]
    list_filter = ["working_group", "kind", "status", "format", "visibility", "start"]
    list_select_related = ["working_group"]
    search_fields = ["title", "slug", "venue", "address", "working_group__code"]
    date_hierarchy = "start"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = [
        "working_group",
        "partners",
        "host_region",
        "invitees",
        "invited_regions",
        "invited_groups",
    ]
    readonly_fields = [
        "status",
        "cancellation_reason",
        "sequence",
        "published_at",
        "created_at",
        "updated_at",
        "tell_participants",
        "email_counts",
        "email_links",
    ]
    actions = ["publish", "cancel", "clone", "export_participants", "export_participants_xlsx"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "working_group", "description"]}),
        (
            _("When (local time of the event)"),
            {"fields": ["time_zone", "start", "end", "registration_deadline"]},
        ),
        (_("Where"), {"fields": ["format", "venue", "address", "online_link", "capacity"]}),
        (
            _("Who is invited"),
            {
                "description": _(
                    "The members of the working group above, and whoever is named here. "
                    "People added after publishing are invited when the meeting is saved; "
                    "nobody is invited twice."
                ),
                "fields": ["invitees", "invited_regions", "invited_groups", "invite_all_members"],
            },
        ),
        (_("Organisers"), {"fields": ["partners", "host_region"]}),
        (
            _("Publishing"),
            {
                "fields": [
                    # On one line: open to the public takes no room of its own.
                    ("visibility", "public_registration"),
                    "status",
                    "cancellation_reason",
                    "reminder_hours",
                    "sequence",
                    "published_at",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
        (
            _("Minutes and documents (after the meeting)"),
            {"fields": ["minutes", "tell_participants"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_answer_counts()

    @admin.display(description=_("participants"))
    def tell_participants(self, meeting: Meeting) -> str:
        """The minutes and slides are online: one message to the participants, through
        the outbox (the notifications admin's message form)."""
        if not meeting.pk:
            return gettext("Save the meeting first.")
        url = reverse("admin:meetings_meeting_message", args=[meeting.pk])
        return format_html(
            '<a href="{}">{}</a>', url, gettext("Send a message to the participants")
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or obj.status != Meeting.Status.CANCELLED:
            # The reason is given when cancelling (its confirmation page): until then the
            # line would only say "-".
            fieldsets = [
                (
                    name,
                    {
                        **options,
                        "fields": [f for f in options["fields"] if f != "cancellation_reason"],
                    },
                )
                for name, options in fieldsets
            ]
        if obj is None or obj.pk is None:
            return fieldsets
        # Read on each page load (no cache): the counts move while a send is under way.
        emails = (gettext("Emails"), {"fields": ["email_counts", "email_links"]})
        return [*fieldsets, emails]

    @admin.display(description=_("emails so far"))
    def email_counts(self, meeting: Meeting) -> str:
        """How far each kind of its emails has gone ("37 of 42 sent, 4 queued, 1 failed"),
        each figure a link to those rows in the delivery log; read in one query."""
        if meeting.status == Meeting.Status.DRAFT:
            return gettext("None before publishing: publishing invites the people above.")
        progress = Notification.objects.filter(meeting=meeting).progress()
        log = reverse("admin:notifications_notification_changelist")
        lines = [
            _progress_line(kind, progress[kind], f"{log}?meeting__id__exact={meeting.pk}")
            for kind in Notification.Kind.values
            if kind in progress
        ]
        if not lines:
            return gettext("None yet.")
        return render_to_string("admin/meetings/meeting/email_progress.html", {"lines": lines})

    @admin.display(description=_("write"))
    def email_links(self, meeting: Meeting) -> str:
        """One line below the progress: this meeting's rows in the delivery log (once it
        is published), the invitation's preview and the message form."""
        links = [
            (
                reverse("admin:meetings_invitation_preview", args=[meeting.pk]),
                gettext("Preview the invitation"),
            ),
            (
                reverse("admin:meetings_meeting_message", args=[meeting.pk]),
                gettext("Write to participants"),
            ),
        ]
        if meeting.status != Meeting.Status.DRAFT:
            log = reverse("admin:notifications_notification_changelist")
            links.insert(0, (f"{log}?meeting__id__exact={meeting.pk}", gettext("Delivery log")))
        return format_html_join(" · ", '<a href="{}">{}</a>', links)

    @admin.display(description=_("when"), ordering="start")
    def when(self, meeting: Meeting) -> str:
        return meeting_when(meeting)

    @admin.display(description=_("group"), ordering="working_group__code")
    def group(self, meeting: Meeting) -> str:
        return meeting.working_group.code if meeting.working_group else "–"

    @admin.display(description=_("answers"), ordering="-in_person_count")
    def answers(self, meeting: Meeting) -> str:
        """The answers so far, one count a line (a column each did not fit 1,280 px)."""
        lines = [
            gettext("%(count)s in person") % {"count": meeting.in_person_count},
            gettext("%(count)s online") % {"count": meeting.online_count},
            gettext("%(count)s declined") % {"count": meeting.declined_count},
            gettext("%(count)s no answer") % {"count": meeting.no_answer_count},
        ]
        if meeting.waitlist_count:
            lines[0] = gettext("%(count)s in person (+%(waiting)s waiting)") % {
                "count": meeting.in_person_count,
                "waiting": meeting.waitlist_count,
            }
        return format_html_join(
            "", '<span class="answer-count">{}</span>', ((line,) for line in lines)
        )

    def save_model(self, request, obj: Meeting, form, change: bool) -> None:
        if form.deadline_filled_in is not None:
            messages.info(request, deadline_filled_in_message(obj))
        before = None
        if change:
            old = Meeting.objects.get(pk=obj.pk)
            before = {name: getattr(old, name) for name in Meeting.SCHEDULE_FIELDS}
        # The outbox rows made after this one are the save's: its updates, and the
        # invitations of people added on the form (saved after this, by save_related).
        # On the request, not on self: one MeetingAdmin serves every request at once.
        request.outbox_last_id = invitations.outbox_last_id()
        services.meeting_save_changes(meeting=obj, before=before)

    def response_change(self, request, obj: Meeting) -> HttpResponse:
        """After "changed successfully", what the save sends: "3 participants will get
        an update", "2 new invitations will be sent"."""
        response = super().response_change(request, obj)
        last_id = getattr(request, "outbox_last_id", None)
        if last_id is not None:
            made = invitations.emails_made_since(meeting=obj, last_id=last_id)
            for words in _emails_made_in_words(made):
                self.message_user(request, words, messages.INFO)
        return response

    def save_formset(self, request, form, formset, change: bool) -> None:
        if formset.model is not AgendaItem:
            return super().save_formset(request, form, formset, change)
        meeting = form.instance
        with transaction.atomic():
            # Rows are saved one by one: move the old positions aside so that a new
            # order never collides with the unique (meeting, position) constraint.
            services.agenda_make_room(meeting=meeting)
            formset.save()
            kept = [
                f
                for f in formset.forms
                if f.instance.pk and f not in formset.deleted_forms and f.cleaned_data
            ]
            kept.sort(key=lambda f: (f.cleaned_data.get("position") or 10**9, f.instance.pk))
            services.agenda_reorder(meeting=meeting, item_ids=[f.instance.pk for f in kept])

    # -- actions --------------------------------------------------------------------------

    @admin.action(description=_("Publish the selected meetings"))
    def publish(self, request, queryset):
        """Asks first, on a page that says how many invitations go out and to whom, by
        source (invitations.invitations_breakdown: the people publishing invites)."""
        meetings = list(queryset.select_related("working_group").order_by("start"))
        if "apply" in request.POST:
            drafts = [meeting for meeting in meetings if meeting.status == Meeting.Status.DRAFT]
            self._each(
                request,
                meetings,
                lambda meeting: services.meeting_publish(meeting=meeting),
                lambda n: ngettext(
                    "%(count)d meeting published.", "%(count)d meetings published.", n
                ),
            )
            self._tell_invitations(request, drafts)
            return None
        now = timezone.now()
        rows = []
        for meeting in meetings:
            state = meeting.status
            if state == Meeting.Status.DRAFT and meeting.end <= now:
                state = "over"
            sources = (
                invitations.invitations_breakdown(meeting=meeting)
                if state == Meeting.Status.DRAFT
                else []
            )
            rows.append(
                {
                    "meeting": meeting,
                    "when": meeting_when(meeting),
                    "state": state,
                    "sources": sources,
                    "count": sum(len(source.people) for source in sources),
                }
            )
        return self._confirm(
            request,
            "admin/meetings/meeting/publish.html",
            gettext("Publish meetings"),
            {"rows": rows, "total": sum(row["count"] for row in rows)},
        )

    def _tell_invitations(self, request, meetings) -> None:
        """After publishing these drafts: each one's invitations on their way, with a link
        to its page, where their progress shows; or a warning that nobody is invited."""
        published = [meeting for meeting in meetings if meeting.status == Meeting.Status.PUBLISHED]
        counts = dict(
            Notification.objects.filter(meeting__in=published, kind=Notification.Kind.INVITATION)
            .order_by()
            .values_list("meeting")
            .annotate(n=Count("pk"))
        )
        for meeting in published:
            count = counts.get(meeting.pk, 0)
            if count:
                self.message_user(
                    request,
                    format_html(
                        '<a href="{}">{}</a>',
                        reverse("admin:meetings_meeting_change", args=[meeting.pk]),
                        ngettext(
                            "“%(title)s”: %(count)d invitation is on its way; its page "
                            "shows how far the sending has gone.",
                            "“%(title)s”: %(count)d invitations are on their way; its page "
                            "shows how far the sending has gone.",
                            count,
                        )
                        % {"title": meeting.title, "count": count},
                    ),
                    messages.INFO,
                )
            elif meeting.end > timezone.now():
                # A group without members and nobody else named: no email went out.
                self.message_user(
                    request,
                    gettext(
                        "“%(title)s” is published, but nobody is invited yet: add people, "
                        "regions or groups under “Who is invited” (they are invited when the "
                        "meeting is saved)."
                    )
                    % {"title": meeting.title},
                    messages.WARNING,
                )

    @admin.action(description=_("Cancel the selected meetings"))
    def cancel(self, request, queryset):
        """Asks first, on a page that says who will be told, by source, and takes an
        optional reason (the cancellation email and the meeting's page show it)."""
        meetings = list(queryset.select_related("working_group").order_by("start"))
        form = CancelForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            self._each(
                request,
                meetings,
                lambda meeting: services.meeting_cancel(meeting=meeting, reason=reason),
                lambda n: ngettext(
                    "%(count)d meeting cancelled.", "%(count)d meetings cancelled.", n
                ),
            )
            return None
        rows = []
        for meeting in meetings:
            cancelled = meeting.status == Meeting.Status.CANCELLED
            sources = (
                []
                if cancelled
                else invitations.audience_breakdown(
                    meeting=meeting, only=invitations.cancellation_audience(meeting=meeting)
                )
            )
            rows.append(
                {
                    "meeting": meeting,
                    "when": meeting_when(meeting),
                    "cancelled": cancelled,
                    "sources": sources,
                    "count": sum(len(source.people) for source in sources),
                }
            )
        return self._confirm(
            request,
            "admin/meetings/meeting/cancel.html",
            gettext("Cancel meetings"),
            {"rows": rows, "total": sum(row["count"] for row in rows), "form": form},
        )

    def _confirm(self, request, template: str, title: str, context: dict) -> TemplateResponse:
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "title": title,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                **context,
            },
        )

    def _each(self, request, meetings, service, done) -> None:
        count = 0
        for meeting in meetings:
            try:
                service(meeting)
            except ValidationError as error:
                self.message_user(
                    request, f"{meeting}: {' '.join(error.messages)}", messages.ERROR
                )
            else:
                count += 1
        if count:
            self.message_user(request, done(count) % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Clone the selected meeting to a new date"))
    def clone(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request, gettext("Choose exactly one meeting to clone."), messages.WARNING
            )
            return None
        meeting = queryset.get()
        local = meeting.local_start
        form = CloneForm(
            request.POST if "apply" in request.POST else None,
            initial={"title": meeting.title, "new_date": local.date(), "new_time": local.time()},
        )
        if form.is_valid():
            new_start = dt.datetime.combine(
                form.cleaned_data["new_date"], form.cleaned_data["new_time"], tzinfo=meeting.zone
            )
            try:
                clone = services.meeting_clone(
                    meeting=meeting,
                    new_start=new_start,
                    slug=form.cleaned_data["slug"],
                    title=form.cleaned_data["title"],
                )
            except ValidationError as error:
                form.add_error(None, error.messages)  # shown above the form, typed values kept
            else:
                self.message_user(
                    request,
                    gettext("Cloned as a draft: %(meeting)s (%(when)s).")
                    % {"meeting": clone, "when": meeting_when(clone)},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:meetings_meeting_change", args=[clone.pk]))
        return TemplateResponse(
            request,
            "admin/meetings/meeting/clone.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("Clone %(meeting)s") % {"meeting": meeting},
                "meeting": meeting,
                "form": form,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    # -- the invitation's preview, before publishing; a message to participants --------

    def get_urls(self):
        return [
            *self.export_urls(),
            path(
                "<int:meeting_id>/message/",
                self.admin_site.admin_view(self.message_view),
                name="meetings_meeting_message",
            ),
            path(
                "<int:meeting_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="meetings_invitation_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request: HttpRequest, meeting_id: int) -> HttpResponse:
        """/admin/meetings/meeting/<meeting id>/preview/?person=<id>: both parts
        and the calendar file as one recipient (the first of the audience) will see them."""
        if not self.has_view_permission(request):
            raise Http404
        meeting = get_object_or_404(Meeting, pk=meeting_id)
        audience = services.meeting_audience(meeting=meeting).order_by("email")
        chosen = request.GET.get("person", "")
        person = (
            (User.objects.filter(pk=int(chosen)).first() if chosen.isdigit() else None)
            or audience.first()
            or request.user
        )
        return TemplateResponse(
            request,
            "admin/meetings/invitation_preview.html",
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
        """/admin/meetings/meeting/<meeting id>/message/: the secretariat writes
        to a meeting's participants; the message goes out through the outbox. (The admin
        site lets only the secretariat in.)"""
        meeting = get_object_or_404(Meeting, pk=meeting_id)
        form = MessageForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                count = invitations.meeting_message_send(meeting=meeting, **form.cleaned_data)
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
            "admin/meetings/message.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("Message to the participants of %(meeting)s")
                % {"meeting": meeting},
                "opts": self.model._meta,
                "meeting": meeting,
                "form": form,
            },
        )


@admin.register(AgendaItem)
class AgendaItemAdmin(SimpleHistoryAdmin):
    """Mostly edited inline; here for its history, where a deleted item can be restored."""

    list_display = ["title", "meeting", "position", "kind", "presenting_region"]
    list_filter = ["kind"]
    # A time of the event's day, in its zone: see event_time_widget.
    formfield_overrides = {
        models.TimeField: {"widget": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}
    }
    list_select_related = ["meeting", "presenting_region"]
    search_fields = ["title", "presenters", "meeting__title"]
    autocomplete_fields = ["meeting", "presenting_region", "showcased_practice"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "member_count"]
    # The list and the autocomplete page through the groups: in a stable order.
    ordering = ["code"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["members"]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(member_count=Count("members"))

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, group: WorkingGroup) -> int:
        return group.member_count
