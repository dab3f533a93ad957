"""The participants of events in the admin: everyone who answered an invitation or
registered (Attendance), with their answers to the event's questions; the registrations
still waiting for their address to be confirmed; and the exports of one event's
participants (CSV, XLSX, the attendance sheet and the badges as PDF), from the meeting's
page and from the meeting list's actions. The files are made by meetings.exports and
meetings.badges; who may take them is accounts.permissions.can_export_participants.
"""

from __future__ import annotations

from functools import partial

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.permissions import can_export_participants
from meetings import exports
from meetings.badges import badges_pdf
from meetings.models import Attendance, Meeting, Registration
from meetings.questions import answer_text
from meetings.services import attendances_delete

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _short_time(moment, shown: str = "j M H:i") -> str:
    """7 Dec 14:03 in the portal's time, on one line; the whole time in its tooltip (as
    the delivery log shows times)."""
    if moment is None:
        return "–"
    local = timezone.localtime(moment)
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        local.isoformat(),
        local.strftime("%Y-%m-%d %H:%M"),
        date_format(local, shown),
    )


def _answers_list(questions, responses) -> str:
    """The event's questions with one person's answers, as a definition list."""
    if not questions:
        return gettext("The event asks no questions.")
    return format_html(
        '<dl class="question-answers">{}</dl>',
        format_html_join(
            "",
            "<dt>{}</dt><dd>{}</dd>",
            ((question.text, answer_text(question, responses) or "–") for question in questions),
        ),
    )


class ParticipantExports:
    """The exports on MeetingAdmin: four addresses under the meeting's own
    (/admin/meetings/meeting/<id>/participants.csv, .xlsx, attendance-sheet.pdf,
    badges.pdf), the links to them above its change form, and the two list actions."""

    change_form_template = "admin/meetings/meeting/change_form.html"

    # Short labels: the links share one line with History and View on site, beside the
    # page's title; each says more in its tooltip.
    EXPORTS = {
        "csv": ("participants.csv", "CSV", _("The participants and their answers as CSV")),
        "xlsx": (
            "participants.xlsx",
            "XLSX",
            _("The participants and their answers as a spreadsheet (Excel, LibreOffice)"),
        ),
        "sheet": (
            "attendance-sheet.pdf",
            _("Attendance sheet"),
            _("A PDF to print and sign at the door, by last name"),
        ),
        "badges": ("badges.pdf", _("Badges"), _("Name badges to print: A4, eight a page")),
    }

    def export_urls(self):
        return [
            path(
                f"<int:meeting_id>/{filename}",
                self.admin_site.admin_view(partial(self.export_view, export=export)),
                name=f"meetings_meeting_export_{export}",
            )
            for export, (filename, *_words) in self.EXPORTS.items()
        ]

    def export_links(self, request, meeting_id: int) -> list[dict]:
        if not can_export_participants(request.user):
            return []
        participants = reverse("admin:meetings_attendance_changelist")
        links = [
            {
                "url": f"{participants}?{urlencode({'meeting__id__exact': meeting_id})}",
                "label": gettext("Participants"),
                "title": gettext("Everyone who answered or registered, with their answers"),
            }
        ]
        for export, (_filename, label, title) in self.EXPORTS.items():
            url = reverse(f"admin:meetings_meeting_export_{export}", args=[meeting_id])
            links.append({"url": url, "label": label, "title": title})
        return links

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Links by the meeting's id: no query of their own (an unknown id gets the
        # admin's own answer, without them).
        links = self.export_links(request, int(object_id)) if object_id.isdigit() else []
        extra_context = {**(extra_context or {}), "export_links": links}
        return super().change_view(request, object_id, form_url, extra_context)

    def export_view(self, request: HttpRequest, meeting_id: int, export: str) -> HttpResponse:
        if not can_export_participants(request.user):
            raise PermissionDenied
        meeting = get_object_or_404(Meeting, pk=meeting_id)
        stem = meeting.slug
        if export in ("csv", "xlsx"):
            chosen = exports.export_meetings(Meeting.objects.filter(pk=meeting.pk))
            if export == "csv":
                return _download(
                    exports.participants_csv(chosen),
                    "text/csv; charset=utf-8",
                    f"{stem}-participants.csv",
                )
            return _download(exports.participants_xlsx(chosen), XLSX, f"{stem}-participants.xlsx")
        people = exports.printed(meeting, online=export == "sheet")
        if len(people) > exports.MAX_PRINTED:
            self.message_user(
                request, exports.too_many_printed_message(len(people)), messages.ERROR
            )
            return redirect(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
        if export == "sheet":
            pdf = exports.attendance_sheet_pdf(meeting, people)
            return _download(pdf, "application/pdf", f"{stem}-attendance-sheet.pdf")
        return _download(badges_pdf(meeting, people), "application/pdf", f"{stem}-badges.pdf")

    def _chosen_for_export(self, request, queryset) -> list[Meeting] | None:
        count = queryset.count()
        if count > exports.MAX_MEETINGS:
            self.message_user(request, exports.too_many_meetings_message(count), messages.ERROR)
            return None
        return exports.export_meetings(queryset)

    @admin.action(description=_("Export the participants of the selected meetings (CSV)"))
    def export_participants(self, request, queryset):
        chosen = self._chosen_for_export(request, queryset)
        if chosen is None:
            return None
        return _download(
            exports.participants_csv(chosen), "text/csv; charset=utf-8", "participants.csv"
        )

    @admin.action(description=_("Export the participants of the selected meetings (spreadsheet)"))
    def export_participants_xlsx(self, request, queryset):
        chosen = self._chosen_for_export(request, queryset)
        if chosen is None:
            return None
        return _download(exports.participants_xlsx(chosen), XLSX, "participants.xlsx")


class CheckedInFilter(admin.SimpleListFilter):
    title = _("checked in")
    parameter_name = "came"

    def lookups(self, request, model_admin):
        return [("yes", _("Came")), ("no", _("Not checked in"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(checked_in_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(checked_in_at__isnull=True)
        return queryset


class GuestFilter(admin.SimpleListFilter):
    title = _("guest or member")
    parameter_name = "guest"

    def lookups(self, request, model_admin):
        return [("yes", _("Guests")), ("no", _("Members"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(user__is_guest=True)
        if self.value() == "no":
            return queryset.filter(user__is_guest=False)
        return queryset


@admin.register(Attendance)
class ParticipantAdmin(admin.ModelAdmin):
    """Read only: answers change through attendance_answer (the meeting page, the
    personal link, an email), which keeps the waiting list; check-in at the door."""

    # Few, narrow columns, so that the list fits beside the navigation and the filters
    # at 1,280 px: under the name, guest or member and the address; under the
    # organisation, the country; the waiting list in the answer ("In person (waiting
    # list)") and under it the day of the answer or registration; the event only while
    # the list is not narrowed to one (get_list_display).
    list_display = ["person", "organisation", "event", "answer_shown", "came"]
    list_filter = [
        ("meeting", admin.RelatedOnlyFieldListFilter),
        "answer",
        "waitlisted",
        CheckedInFilter,
        GuestFilter,
    ]
    list_select_related = ["meeting", "user"]
    search_fields = [
        "user__first_name",
        "user__last_name",
        "user__email",
        "user__organisation",
        "meeting__title",
    ]
    ordering = ["-answered_at", "-pk"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "person_name",
                    "email",
                    "organisation_name",
                    "country_name",
                    "guest_or_member",
                    "meeting",
                ]
            },
        ),
        (
            _("Answer"),
            {"fields": ["answer", "waitlisted", "answered_at", "checked_in_at", "checkin_code"]},
        ),
        (_("Answers to the event's questions"), {"fields": ["question_answers"]}),
    ]

    class Media:
        css = {"all": ["meetings/participants_admin.css"]}

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    # Deleting an answer frees its seat: the seat goes to the first waiting, as when
    # someone declines.
    def delete_model(self, request, obj: Attendance) -> None:
        attendances_delete(attendances=Attendance.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset) -> None:
        attendances_delete(attendances=queryset)

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        if "meeting__id__exact" in request.GET:
            return [name for name in shown if name != "event"]
        return shown

    def get_readonly_fields(self, request, obj=None):
        return [field for _name, options in self.fieldsets for field in options["fields"]]

    @admin.display(description=_("person"), ordering="user__last_name")
    def person(self, attendance: Attendance) -> str:
        """The name; under it guest or member, and the address (cut to the column, whole
        on hovering)."""
        user = attendance.user
        email = "" if user.is_closed else user.email
        return format_html(
            '{}<span class="participant-more" title="{}">{} · {}</span>',
            user.get_full_name() or email,
            email,
            exports.participant_kind(user),
            email,
        )

    @admin.display(description=_("name"))
    def person_name(self, attendance: Attendance) -> str:
        return attendance.user.get_full_name() or "–"

    @admin.display(description=_("email address"))
    def email(self, attendance: Attendance) -> str:
        return "–" if attendance.user.is_closed else attendance.user.email

    @admin.display(description=_("organisation"), ordering="user__organisation")
    def organisation(self, attendance: Attendance) -> str:
        """The organisation; under it, the country."""
        user = attendance.user
        return format_html(
            '{}<span class="participant-more">{}</span>',
            user.organisation or "–",
            user.country.name if user.country else "",
        )

    @admin.display(description=_("organisation"))
    def organisation_name(self, attendance: Attendance) -> str:
        return attendance.user.organisation or "–"

    @admin.display(description=_("country"))
    def country_name(self, attendance: Attendance) -> str:
        country = attendance.user.country
        return country.name if country else "–"

    @admin.display(description=_("guest or member"))
    def guest_or_member(self, attendance: Attendance) -> str:
        return exports.participant_kind(attendance.user)

    @admin.display(description=_("event"), ordering="meeting__start")
    def event(self, attendance: Attendance) -> str:
        return attendance.meeting.title

    @admin.display(description=_("answer"), ordering="answered_at")
    def answer_shown(self, attendance: Attendance) -> str:
        """The answer, and under it the day it was given (registered), the time in its
        tooltip."""
        return format_html(
            '{}<span class="participant-more">{}</span>',
            attendance.label,
            _short_time(attendance.answered_at, "j M Y"),
        )

    @admin.display(description=_("came"), boolean=True, ordering="checked_in_at")
    def came(self, attendance: Attendance) -> bool:
        return attendance.checked_in_at is not None

    @admin.display(description=_("answers"))
    def question_answers(self, attendance: Attendance) -> str:
        return _answers_list(list(attendance.meeting.questions.all()), attendance.responses or {})


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """Read only: a registration becomes a participant when its address is confirmed (the
    link in its email); unconfirmed ones go after a day. Nothing here is for editing."""

    list_display = ["email", "name", "organisation", "meeting", "created", "confirmed"]
    list_filter = [("meeting", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["meeting"]
    search_fields = ["email", "first_name", "last_name", "organisation"]
    fields = [
        "meeting",
        "email",
        "first_name",
        "last_name",
        "organisation",
        "country",
        "language",
        "answer",
        "question_answers",
        "consent_at",
        "created_at",
        "confirmed_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("name"), ordering="last_name")
    def name(self, registration: Registration) -> str:
        return f"{registration.first_name} {registration.last_name}".strip() or "–"

    @admin.display(description=_("created at"), ordering="created_at")
    def created(self, registration: Registration) -> str:
        return _short_time(registration.created_at)

    @admin.display(description=_("confirmed"), boolean=True, ordering="confirmed_at")
    def confirmed(self, registration: Registration) -> bool:
        return registration.confirmed_at is not None

    @admin.display(description=_("answers"))
    def question_answers(self, registration: Registration) -> str:
        return _answers_list(
            list(registration.meeting.questions.all()), registration.responses or {}
        )
