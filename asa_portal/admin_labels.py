"""Names for the admin's form fields that Django leaves without one (WCAG 2.1: 1.3.1 and
4.1.2; checked by tests/browser/test_admin_pages.py).

- A split date and time shows one label for two inputs: each input is named "Date" or
  "Time" (`split_date_time_named`, `SplitDateTime`).
- A table inline (admin.TabularInline) shows each field's label once, in its column's
  heading, not beside the inputs of each row: each input of a row is named after its
  column (`RowsNamed`, mixed into every table inline of ours).

The autocomplete boxes (select2) are drawn in the browser and named there, on every admin
page, by static/js/admin_names.js.
"""

from __future__ import annotations

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.forms.utils import pretty_name
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


def split_date_time_named(widget: forms.SplitDateTimeWidget) -> forms.SplitDateTimeWidget:
    """The widget, its date input named "Date" and its time input "Time"."""
    date, time = widget.widgets
    date.attrs["aria-label"] = _("Date")
    time.attrs["aria-label"] = _("Time")
    return widget


class SplitDateTime(AdminSplitDateTime):
    """The admin's date and time inputs (with their calendar and clock), each named."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        split_date_time_named(self)


def row_fields_named(form: forms.BaseForm) -> None:
    """Names each visible input of a table inline's row after its column: the field's
    label, as its heading shows it. A split field names its own parts (above); a field
    already named keeps its name."""
    for name, field in form.fields.items():
        # The admin wraps a related field's widget (the add and change links around it).
        widget = getattr(field.widget, "widget", field.widget)
        if widget.is_hidden or isinstance(widget, forms.MultiWidget):
            continue
        widget.attrs.setdefault("aria-label", capfirst(field.label or pretty_name(name)))


class RowsNamed:
    """Mixed into a table inline (before admin.TabularInline): each input of each row,
    the new rows' template and the delete box included, is named after its column."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        def add_fields(self, form, index):
            formset.add_fields(self, form, index)
            row_fields_named(form)

        return type(formset.__name__, (formset,), {"add_fields": add_fields})
