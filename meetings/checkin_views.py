"""The check-in page at the door (/meetings/<slug>/check-in/), made for the secretariat's
phone. Thin: the rules are in meetings/checkin.py, who may use it in
accounts/permissions.py.

GET finds (by code, `?code=`, the address inside a participant's QR code; or by name,
`?q=`) and never changes anything, so a camera app or a link preview that opens the QR
code's address marks no one. POST marks present or undoes, then sends the browser back to
what it was looking at."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import permissions
from asa_portal.cache import no_store
from meetings.checkin import (
    SEARCH_MAX_RESULTS,
    checkin_counts,
    checkin_find,
    checkin_mark,
    checkin_search,
    checkin_undo,
)
from meetings.models import Attendance, Meeting

# Longer than any code or name typed at a door; it bounds the work a request can ask for.
MAX_TYPED = 200


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code (from the QR code or the badge)"), max_length=MAX_TYPED, strip=True
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name, organisation or email"), max_length=MAX_TYPED, strip=True)


class MarkForm(forms.Form):
    attendance = forms.IntegerField(min_value=1)
    action = forms.ChoiceField(choices=[("in", "in"), ("undo", "undo")])
    # Where the page was: the code or the search shown again after the mark.
    code = forms.CharField(max_length=MAX_TYPED, required=False)
    q = forms.CharField(max_length=MAX_TYPED, required=False)


def checkin(request: HttpRequest, slug: str) -> HttpResponse:
    if not permissions.can_check_in(request.user):
        return permissions.deny(request)
    step = _second_step(request)
    if step is not None:
        return step
    meeting = get_object_or_404(Meeting, slug=slug)
    if request.method == "POST":
        return _mark(request, meeting)

    lookup = None
    # An empty box sent is no search: the page as first opened.
    code_form = CodeForm(request.GET if request.GET.get("code", "").strip() else None)
    if code_form.is_valid():
        lookup = checkin_find(meeting=meeting, typed=code_form.cleaned_data["code"])
    found = None
    search_form = SearchForm(request.GET if request.GET.get("q", "").strip() else None)
    if search_form.is_valid():
        found = checkin_search(meeting=meeting, text=search_form.cleaned_data["q"])
    response = render(
        request,
        "meetings/checkin.html",
        {
            "meeting": meeting,
            "counts": checkin_counts(meeting),
            "code_form": code_form,
            "lookup": lookup,
            # The found person's card holds the code: the box is empty for the next one.
            "code_typed": "" if lookup and lookup.attendance else request.GET.get("code", ""),
            "search_form": search_form,
            "found": found[:SEARCH_MAX_RESULTS] if found is not None else None,
            "more_found": found is not None and len(found) > SEARCH_MAX_RESULTS,
            "search_typed": search_form.cleaned_data["q"] if found is not None else "",
        },
        status=400 if code_form.errors or search_form.errors else 200,
    )
    # Names and addresses of participants: kept by no cache.
    return no_store(response)


def _mark(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    form = MarkForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Nothing was changed: the form was incomplete."))
        return redirect(request.path)
    back = f"{request.path}{_return_query(form.cleaned_data)}"
    attendance = (
        Attendance.objects.select_related("user", "meeting")
        .filter(meeting=meeting, pk=form.cleaned_data["attendance"])
        .first()
    )
    if attendance is None:
        messages.error(request, gettext("This person is not a participant of this event."))
        return redirect(back)
    name = attendance.user.get_full_name() or attendance.user.email
    if form.cleaned_data["action"] == "undo":
        if checkin_undo(attendance, by=request.user):
            messages.success(request, gettext("%(name)s: check-in undone.") % {"name": name})
        else:
            messages.info(request, gettext("%(name)s was not checked in.") % {"name": name})
        return redirect(back)
    try:
        marked = checkin_mark(attendance, by=request.user)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return redirect(back)
    when = time_format(timezone.localtime(attendance.checked_in_at, meeting.zone), "H:i")
    if not marked:
        messages.info(
            request,
            gettext("%(name)s was already checked in at %(time)s.") % {"name": name, "time": when},
        )
    elif attendance.waitlisted:
        messages.warning(
            request,
            gettext(
                "%(name)s is checked in at %(time)s, although on the waiting list: there may "
                "be no seat."
            )
            % {"name": name, "time": when},
        )
    elif attendance.answer == Attendance.Answer.ONLINE:
        messages.success(
            request, gettext("%(name)s came online at %(time)s.") % {"name": name, "time": when}
        )
    else:
        messages.success(
            request,
            gettext("%(name)s is checked in at %(time)s.") % {"name": name, "time": when},
        )
    return redirect(back)


def _return_query(data) -> str:
    """The code or search the page showed, as a query string, for after a mark."""
    kept = {key: data[key] for key in ("code", "q") if data.get(key)}
    return f"?{urlencode(kept)}" if kept else ""


def _second_step(request: HttpRequest) -> HttpResponse | None:
    """The page shows participants' addresses and marks them, as the admin does: it waits
    for the secretariat's second step where the admin does (STAFF_2FA), on the admin's own
    pages, which come back here."""
    step = permissions.admin_second_step(request.user)
    if step is None:
        return None
    name = "admin:second_factor" if step == permissions.SET_UP else "admin:second_factor_verify"
    return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")
