"""Drive the admin as a browser does: WebTest (django-webtest) parses the page that the
admin rendered and submits its forms with every field, hidden input, inline management
form and CSRF token as they were rendered, so a test sends what the secretariat sends."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Model
from webtest import Form, TestApp, TestResponse


def changelist_action(
    app: TestApp, url: str, action: str, objects: Iterable[Model], user
) -> TestResponse:
    """Ticks `objects` on the changelist at `url`, chooses `action` and presses Go."""
    page = app.get(url, user=user)
    form = page.forms["changelist-form"]
    form["action"] = action
    wanted = {str(obj.pk) for obj in objects}
    boxes = form.fields.get("_selected_action", [])
    for box in boxes:
        box.checked = box._value in wanted
    assert {box._value for box in boxes if box.checked} == wanted, "not all rows are listed"
    return form.submit("index")


def form_with(page: TestResponse, field: str) -> Form:
    """The form on `page` that has a field named `field` (the admin's header has a
    sign-out form too)."""
    for form in page.forms.values():
        if field in form.fields:
            return form
    raise AssertionError(f"No form on the page has a field {field!r}.")


def errors_of(page: TestResponse) -> str:
    """The admin's error notes on a page, for assertion messages."""
    notes = page.html.select(".errornote, .errorlist")
    return " | ".join(note.get_text(" ", strip=True) for note in notes)


def with_new_inline_rows(form: Form | list, prefix: str, rows: list[dict[str, str]]) -> list:
    """The fields `form` submits after "Add another" was pressed once per row and each row
    typed in: as the admin's script does, each new row is a copy of the inline's empty
    form (`<prefix>-__prefix__-…`, with the defaults it carries) under the next number,
    and TOTAL_FORMS counts it. `form` may also be the (name, value) pairs of an earlier
    call, to add rows to a second inline. Returns (name, value) pairs for `TestApp.post`."""
    fields = list(form.submit_fields()) if isinstance(form, Form) else list(form)
    total_name = f"{prefix}-TOTAL_FORMS"
    total = int(dict(fields)[total_name])
    template = f"{prefix}-__prefix__-"
    empty = [(name[len(template) :], value) for name, value in fields if name.startswith(template)]
    for number, row in enumerate(rows, start=total):
        fields += [(f"{prefix}-{number}-{name}", row.get(name, value)) for name, value in empty]
        # A select without a chosen option (an autocomplete) sends nothing until chosen.
        chosen = {name for name, _ in empty}
        fields += [(f"{prefix}-{number}-{n}", v) for n, v in row.items() if n not in chosen]
    return [
        (name, str(total + len(rows)) if name == total_name else value) for name, value in fields
    ]


def who_works_in(model: type[Model], *, secretariat, superuser):
    """Who works in a model's admin list: the secretariat, but for the technical apps'
    lists (periodic tasks, sign-in records), which are the superusers'."""
    from accounts.permissions import TECHNICAL_ADMIN_APPS

    return superuser if model._meta.app_label in TECHNICAL_ADMIN_APPS else secretariat
