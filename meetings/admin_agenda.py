"""The agenda editor on a meeting's admin page: one compact row per item.

Each row holds the item's day, time, duration, title, kind, presenters, region and
practice; its document opens on demand. static/meetings/agenda_editor.js adds, on top of
the admin's own inline formset script, a row inserted below any row and a row duplicated,
and keeps every row's position in the order shown; without it the form still works (new
rows go last, see AgendaItemInlineForm.clean_position).
"""

from __future__ import annotations

from adminsortable2.admin import CustomInlineFormSet, SortableStackedInline
from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.utils.translation import pgettext_lazy

from meetings.models import (
    AGENDA_MAX_ITEMS,
    AgendaItem,
    agenda_errors,
    agenda_schedule,
    agenda_too_long_message,
    meeting_days,
)
from meetings.timefmt import long_date

# Changed by the editor's script in every row it adds (the position in the order shown,
# the day of the row above): a new row with nothing else typed stays an empty row.
SET_BY_SCRIPT = {"position", "day"}


class AgendaItemInlineForm(forms.ModelForm):
    # No Meta: the admin supplies the model and fields from the inline.
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "start_time" in self.fields:
            # A time of the event's day, in its zone: see event_time_widget.
            self.fields["start_time"].widget = forms.TimeInput(
                attrs={"type": "time"}, format="%H:%M"
            )
        if "day" in self.fields:
            attrs = {"min": 1, "class": "agenda-day"}
            meeting = getattr(self.instance, "meeting", None)
            days = meeting_days(meeting) if meeting is not None else []
            if days:
                attrs["max"] = len(days)
            self.fields["day"].widget = forms.NumberInput(attrs=attrs)
            self.fields["day"].required = False
        # The formset checks the whole agenda as submitted; the model's own check would
        # compare with the rows still in the database.
        self.instance._schedule_checked_by_formset = True

    def has_changed(self) -> bool:
        if self.instance.pk is None:
            return any(name not in SET_BY_SCRIPT for name in self.changed_data)
        return super().has_changed()

    def clean_day(self):
        """An empty day is the first: a one-day agenda needs nobody to type it."""
        return self.cleaned_data.get("day") or 1

    def clean_position(self):
        """Every new row arrives with the empty form's position 0 unless the editor's
        script placed it: 0 means "not placed yet", not a place that two rows could
        share. Such rows go last, in the order typed (see MeetingAdmin.save_formset)."""
        return self.cleaned_data.get("position") or None


class AgendaInlineFormSet(CustomInlineFormSet):
    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
        ]
        if len(kept) > AGENDA_MAX_ITEMS:
            raise forms.ValidationError(agenda_too_long_message())
        meeting = self.instance
        if not meeting.start or not meeting.end or any(self.errors):
            return
        items, forms_by_item = [], {}
        for index, form in enumerate(self.forms):
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            item = form.instance
            if not item.position:
                item.position = 100_000 + index  # new rows go last, in the order shown
            items.append(item)
            forms_by_item[id(item)] = form
        for item, field, message in agenda_errors(meeting, items):
            forms_by_item[id(item)].add_error(field, message)


class AgendaItemInline(SortableStackedInline):
    """One compact row per item (see templates/admin/meetings/meeting/agenda_inline.html):
    at 1,280 px a saved row is under 100 px tall."""

    model = AgendaItem
    form = AgendaItemInlineForm
    formset = AgendaInlineFormSet
    template = "admin/meetings/meeting/agenda_inline.html"
    extra = 1
    # The admin offers no row beyond it; the formset refuses more (a crafted form).
    max_num = AGENDA_MAX_ITEMS
    fields = [
        "position",  # hidden; the drag handles and the editor's script set it
        "day",
        "start_time",
        "duration_minutes",
        "title",
        "kind",
        "presenters",
        "presenting_region",
        "showcased_practice",
        "document",
        "scheduled",
    ]
    readonly_fields = ["scheduled"]
    autocomplete_fields = ["presenting_region", "showcased_practice"]

    class Media:
        js = ["meetings/agenda_editor.js"]
        css = {"all": ["meetings/agenda_editor.css"]}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        # No add, change and view icons beside a region or a practice: they would take a
        # line of each row; both are edited on their own pages.
        if formfield is not None and isinstance(formfield.widget, RelatedFieldWidgetWrapper):
            formfield.widget = formfield.widget.widget
        return formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._slots: dict[int, str] = {}

    @admin.display(description=pgettext_lazy("agenda item", "time"))
    def scheduled(self, item: AgendaItem) -> str:
        """The item's time as it follows from the start and the durations before it."""
        if not item.pk:
            return "–"
        if not self._slots:
            meeting = item.meeting
            for slot in agenda_schedule(meeting, meeting.agenda_items.all()):
                # Over several days, the first item of each day says which day.
                day = f"{long_date(slot.new_day)}, " if slot.new_day else ""
                self._slots[slot.item.pk] = day + slot.span
        return self._slots.get(item.pk, "–")
