"""Pages and calendars of meetings and working groups. Thin: rules live in services.py
(what may change) and accounts/permissions.py (who may see)."""

from __future__ import annotations

import datetime as dt
import hashlib
from itertools import groupby
from pathlib import Path

from csp.decorators import csp_exempt
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.views.decorators.http import condition, require_POST

from accounts import permissions
from accounts.models import User
from asa_portal.cache import (
    no_store,
    personal_fragment,
    public_page,
    shared_fragment,
    shared_html,
)
from meetings import ical
from meetings.agenda_pdf import agenda_pdf as agenda_pdf_bytes
from meetings.filters import AnswerForm, MeetingFilter
from meetings.models import (
    AgendaItem,
    Attendance,
    Meeting,
    WorkingGroup,
    agenda_schedule,
    tally,
)
from meetings.questions import initial_from, responses_missing
from meetings.services import attendance_answer
from meetings.timefmt import meeting_when, quarter_label

PAST_PER_PAGE = 20
UPCOMING_PER_PAGE = 50
# A personal feed keeps recent past events, so they do not vanish from calendars at once.
FEED_KEEPS_PAST = dt.timedelta(days=90)


def _meeting_or_404(request: HttpRequest, slug: str) -> Meeting:
    """Drafts are 404 to all but the secretariat, who may preview them. The row (with its
    group, host and partners) is kept with the shared fragments, under their invalidation."""
    meeting = shared_fragment(
        "meeting-row",
        slug,
        build=lambda: (
            Meeting.objects.select_related("working_group", "host_region")
            .prefetch_related("partners")
            .filter(slug=slug)
            .first()
        ),
    )
    if meeting is None:
        raise Http404(gettext("No such meeting."))
    if meeting.status == Meeting.Status.DRAFT and not permissions.is_secretariat(request.user):
        raise Http404(gettext("No such meeting."))
    return meeting


def _meeting_shared(meeting: Meeting, *, members_see: bool, login_next: str) -> dict:
    """The parts of a meeting's page that are the same for everyone who sees them alike:
    facts, agenda and documents, the counts and (for members) who takes part."""

    def build() -> dict:
        slots = agenda_schedule(
            meeting, meeting.agenda_items.select_related("presenting_region", "showcased_practice")
        )
        context = {
            "meeting": meeting,
            "slots": slots,
            "documents": [slot.item for slot in slots if slot.item.document],
            "members_see": members_see,
            "login_next": login_next,
        }
        if members_see:
            answers = list(meeting.attendances.select_related("user"))
            counts = tally(answers)
            participants = sorted(
                (a for a in answers if a.answer != Attendance.Answer.DECLINED),
                key=lambda a: (a.waitlisted, a.user.last_name, a.user.first_name, a.user.email),
            )
            participants_html = render_to_string(
                "meetings/_meeting_participants.html", {"participants": participants}
            )
        else:
            counts, participants_html = meeting.attendances.counts(), ""
        return {
            "when": meeting_when(meeting),
            "facts": mark_safe(render_to_string("meetings/_meeting_facts.html", context)),  # noqa: S308
            "body": mark_safe(render_to_string("meetings/_meeting_body.html", context)),  # noqa: S308
            "participants": mark_safe(participants_html),  # noqa: S308
            "counts": counts,
            # The event's questions, answered beside a member's answer.
            "questions": list(meeting.questions.all()),
        }

    # A visitor's copy links back to the address asked for, so it is kept per address
    # (and, as every shared fragment, per language).
    return shared_fragment(
        "meeting-page",
        meeting.pk,
        members_see,
        "" if members_see else login_next,
        build=build,
    )


@public_page
def meeting_list(request: HttpRequest) -> HttpResponse:
    def context() -> dict:
        meetings = (
            Meeting.objects.visible_to(request.user)
            .upcoming()
            .select_related("working_group", "host_region")
        )
        filterset = MeetingFilter(request.GET or None, queryset=meetings)
        # Bounded: however many events are planned, a page renders at most this many.
        page = Paginator(filterset.qs, UPCOMING_PER_PAGE).get_page(request.GET.get("page"))
        quarters = [(label, list(group)) for label, group in groupby(page, key=quarter_label)]
        return {
            "filter": filterset,
            "quarters": quarters,
            "page": page,
            "query": request.GET,
            "filtered": any(key != "page" for key in request.GET),
        }

    content = shared_html(
        "meetings/_meeting_list_content.html",
        request.get_full_path(),
        user=request.user,
        context=context,
    )
    return render(request, "meetings/meeting_list.html", {"content": content})


@public_page
def meeting_past(request: HttpRequest) -> HttpResponse:
    meetings = (
        Meeting.objects.visible_to(request.user)
        .past()
        .select_related("working_group", "host_region")
    )
    page = Paginator(meetings, PAST_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "meetings/meeting_past.html", {"page": page})


@public_page
def meeting_detail(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = _meeting_or_404(request, slug)
    if not permissions.can_see_meeting(request.user, meeting):
        return permissions.deny(request)
    user = request.user
    can_answer = permissions.can_answer_meetings(user)
    members_see = permissions.can_see_members_only(user)
    shared = _meeting_shared(meeting, members_see=members_see, login_next=request.get_full_path())
    questions = shared["questions"]

    form = None
    if request.method == "POST":
        if not can_answer:
            return permissions.deny(request)
        form = AnswerForm(request.POST, meeting=meeting, questions=questions)
        if form.is_valid():
            try:
                attendance = attendance_answer(
                    meeting=meeting,
                    user=user,
                    answer=form.cleaned_data["answer"],
                    responses=form.responses(),
                )
            except ValidationError as refusal:
                messages.error(request, " ".join(refusal.messages))
            else:
                messages.success(
                    request,
                    gettext("Your answer has been saved: %(answer)s.")
                    % {"answer": attendance.label},
                )
            return redirect(meeting)
        # Shown again as typed, each error beside its field; nothing was recorded.

    own = None
    if can_answer:
        own = personal_fragment(
            "own-answer",
            user,
            meeting.pk,
            build=lambda: meeting.attendances.filter(user=user).first(),
        )
    answers_open = meeting.answers_open
    if not (can_answer and answers_open):
        form = None
    elif form is None:
        initial = {"answer": own.answer if own else None}
        if own:
            initial.update(initial_from(questions, own.responses))
        form = AnswerForm(meeting=meeting, questions=questions, initial=initial)
    # Past the deadline, someone coming (seated or waiting) may still say they cannot.
    can_decline = bool(
        can_answer and not answers_open and meeting.answers_offered(own.answer if own else None)
    )
    # An answer from an email link (or given before the questions were set) may lack
    # required answers: the page asks for them.
    missing = bool(
        own
        and answers_open
        and own.answer != Attendance.Answer.DECLINED
        and responses_missing(questions, own.responses)
    )
    response = render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "shared": shared,
            "members_see": members_see,
            "own": own,
            "form": form,
            "questions_missing": missing,
            "can_answer": can_answer,
            "answers_open": answers_open,
            "can_decline": can_decline,
            "declined": Attendance.Answer.DECLINED,
            # The secretariat's way from the page to its minutes, documents and message.
            "can_manage": permissions.can_publish(user),
        },
        status=400 if form is not None and form.is_bound else 200,
    )
    # Members see the online link and who takes part: no cache anywhere keeps that.
    return no_store(response) if members_see else response


def meeting_ics(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = _meeting_or_404(request, slug)
    if not permissions.can_see_meeting(request.user, meeting):
        return permissions.deny(request)
    members_see = permissions.can_see_members_only(request.user)
    body = ical.calendar_bytes([meeting], name=meeting.title, show_online_links=members_see)
    response = _ics_response(body, f"{meeting.slug}.ics")
    return no_store(response) if members_see else response


def agenda_document(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Agenda documents only through here: a members-only meeting's slides stay with
    members, and every file downloads rather than opening inline."""
    meeting = _meeting_or_404(request, slug)
    if not permissions.can_see_meeting(request.user, meeting):
        return permissions.deny(request)
    item = get_object_or_404(meeting.agenda_items.exclude(document=""), pk=pk)
    try:
        handle = item.document.open("rb")
    except FileNotFoundError as error:
        raise Http404(gettext("The file is missing.")) from error
    response = FileResponse(handle, as_attachment=True, filename=Path(item.document.name).name)
    response["X-Content-Type-Options"] = "nosniff"
    if meeting.visibility == Meeting.Visibility.PUBLIC and meeting.status != Meeting.Status.DRAFT:
        # Kept, but asked for again each time: a removed document is gone at once.
        response["Cache-Control"] = "public, no-cache"
        stored = hashlib.sha256(item.document.name.encode()).hexdigest()[:16]
        response["ETag"] = f'"{item.pk}-{stored}"'
    else:
        response["Cache-Control"] = "private, no-store"
    return response


# Exempt: Chrome refuses to show a PDF inline under the site's `object-src 'none'`, and a
# PDF runs nothing CSP would stop.
@csp_exempt()
def agenda_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The agenda, printable: the same facts and timetable as the page, drawn server-side
    (meetings/agenda_pdf.py). Who may see the meeting may see its agenda, no one else.

    Drawing a long agenda takes a second of CPU, so it is drawn once per meeting and
    language until the portal's data changes, whatever the query string (the page cache
    would keep a copy per address, and draw again for each new one) and whoever asks: it
    holds nothing personal."""
    meeting = _meeting_or_404(request, slug)
    if not permissions.can_see_meeting(request.user, meeting):
        return permissions.deny(request)

    def draw() -> bytes:
        items = meeting.agenda_items.select_related("presenting_region", "showcased_practice")
        return agenda_pdf_bytes(meeting, agenda_schedule(meeting, items))

    response = HttpResponse(
        shared_fragment("agenda-pdf", meeting.pk, build=draw), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{meeting.slug}-agenda.pdf"'
    # In the reader's language: a shared cache keeps a copy per language and person.
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# -- Feeds: calendar clients poll them, so they answer 304 when nothing changed ----------


def _with_agenda(meetings):
    return meetings.select_related("working_group", "host_region").prefetch_related(
        Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("presenting_region"))
    )


def _public_feed_meetings():
    return Meeting.objects.announced().filter(visibility=Meeting.Visibility.PUBLIC).upcoming()


def _personal_feed_meetings(request: HttpRequest, token: str):
    if not hasattr(request, "_feed_owner"):
        request._feed_owner = User.objects.filter(calendar_token=token, is_active=True).first()
    user = request._feed_owner
    if user is None:
        raise Http404(gettext("No such calendar."))
    # Calendar clients fetch the feed without a session or a language of their own: it
    # speaks its owner's.
    request._feed_language = user.language
    since = timezone.now() - FEED_KEEPS_PAST
    return Meeting.objects.for_feed_of(user).filter(end__gte=since).order_by("start", "pk")


def _fingerprint(request: HttpRequest, meetings) -> tuple[str, dt.datetime | None]:
    """ETag and Last-Modified of a feed from one small query (which events, which
    revision; an agenda change touches updated_at too), once per request. The language is
    part of the ETag: the feed's words are in it."""
    if not hasattr(request, "_feed_fingerprint"):
        rows = list(meetings.order_by("pk").values_list("pk", "updated_at", "sequence"))
        language = getattr(request, "_feed_language", None) or get_language()
        digest = hashlib.sha256(repr((rows, language)).encode()).hexdigest()[:32]
        last = max((row[1] for row in rows), default=None)
        request._feed_fingerprint = (f'"{digest}"', last)
    return request._feed_fingerprint


@condition(
    etag_func=lambda request: _fingerprint(request, _public_feed_meetings())[0],
    last_modified_func=lambda request: _fingerprint(request, _public_feed_meetings())[1],
)
@public_page
def calendar_feed(request: HttpRequest) -> HttpResponse:
    body = ical.calendar_bytes(
        _with_agenda(_public_feed_meetings()),
        name=gettext("ASA events"),
        show_online_links=False,
    )
    return _ics_response(body, "asa-events.ics")


@condition(
    etag_func=lambda request, token: _fingerprint(
        request, _personal_feed_meetings(request, token)
    )[0],
    last_modified_func=lambda request, token: _fingerprint(
        request, _personal_feed_meetings(request, token)
    )[1],
)
def calendar_personal(request: HttpRequest, token: str) -> HttpResponse:
    """A member's own feed, opened by calendar clients without a session: the secret
    token in the address is the credential, so it carries the online links too."""
    meetings = _personal_feed_meetings(request, token)
    with translation.override(request._feed_language):
        body = ical.calendar_bytes(
            _with_agenda(meetings), name=gettext("My ASA meetings"), show_online_links=True
        )
    response = _ics_response(body, "my-asa-meetings.ics")
    # It carries online links: no shared cache keeps it. The calendar client itself may,
    # asking again with If-None-Match (that is what the ETag is for).
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_POST
def calendar_reset(request: HttpRequest) -> HttpResponse:
    request.user.reset_calendar_token()
    messages.success(
        request,
        gettext(
            "Your calendar address has been replaced. The old one no longer works; "
            "subscribe to the new one."
        ),
    )
    return redirect("profile")


# -- Working groups ---------------------------------------------------------------------


@public_page
def group_list(request: HttpRequest) -> HttpResponse:
    groups = WorkingGroup.objects.annotate(member_count=Count("members"))
    return render(request, "meetings/group_list.html", {"groups": groups})


@public_page
def group_detail(request: HttpRequest, code: str) -> HttpResponse:
    group = get_object_or_404(WorkingGroup, code__iexact=code)
    if group.code != code:
        return redirect(group, permanent=True)
    meetings = (
        Meeting.objects.visible_to(request.user)
        .filter(working_group=group)
        .select_related("working_group", "host_region")
    )
    members_see = permissions.can_see_members_only(request.user)
    response = render(
        request,
        "meetings/group_detail.html",
        {
            "group": group,
            "members": group.members.order_by("last_name", "first_name") if members_see else None,
            "upcoming": meetings.upcoming(),
            "past": meetings.past()[:10],
        },
    )
    # Members see who belongs to the group: no cache anywhere keeps that.
    return no_store(response) if members_see else response
