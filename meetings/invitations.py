"""Who gets which email about a meeting, through the outbox (notifications.services):
invitations at publishing and to whoever joins the audience later, updates when the time
or place changes, cancellations, seats freed on the waiting list, the secretariat's
messages to participants, and the reminders, whose times are planned at publishing and
whose rows are made by the outbox's sweep when each falls due. The emails themselves are
built in meetings.emails."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from meetings.models import Attendance, Meeting, WorkingGroup
from notifications.models import Notification, ReminderTime
from notifications.services import notifications_create
from regions.models import Region

Status = Notification.Status
# Who has been told of a meeting: those invited, and those registered for an event open to
# the public (a guest has no invitation, only their registration's confirmation). Updates,
# cancellations and reminders reach both alike, and a person with both once.
TOLD_KINDS = (Notification.Kind.INVITATION, Notification.Kind.REGISTERED)
# Each makes one row per person to remind: a sweep's work stays bounded.
REMINDER_TIMES_PER_SWEEP = 20


def _invited_ids(meeting) -> set[int]:
    return set(
        Notification.objects.filter(
            meeting=meeting, kind=Notification.Kind.INVITATION
        ).values_list("person_id", flat=True)
    )


def _declined_ids(meeting) -> set[int]:
    return set(
        Attendance.objects.filter(meeting=meeting, answer=Attendance.Answer.DECLINED).values_list(
            "user_id", flat=True
        )
    )


def audience_sources(*, meeting) -> list[tuple[str, Q]]:
    """Where a meeting's audience comes from (meeting_audience is their union), in the
    order that decides under which source a person in several is counted: the meeting's
    own working group first, then the working groups invited, the regions invited, the
    people named one by one, and last (for a conference) every other member. A person
    named who is also in the group counts as the group's: the names show who was added
    beyond the groups."""
    sources = []
    if meeting.working_group_id:
        sources.append(("group", Q(working_groups=meeting.working_group_id)))
    sources += [
        ("groups", Q(working_groups__invited_to=meeting)),
        ("regions", Q(regions__invited_to=meeting)),
        ("people", Q(invited_to=meeting)),
    ]
    if meeting.invite_all_members:
        sources.append(("everyone", Q()))
    return sources


@dataclass(frozen=True)
class Source:
    """Some of a meeting's people, all from one source, as the admin's confirmation
    pages show them: "WG4 members (38)"."""

    label: str
    people: list[User]


def audience_breakdown(*, meeting, only: Iterable[int] | None = None) -> list[Source]:
    """The meeting's audience (or those of `only` among its people) by source, each
    person counted once, under the first of audience_sources that holds them; people of
    `only` that no source holds come last: those registered on the event's page, then
    those removed from the group since their invitation. Sources without anyone are
    left out. One query a source and
    one for the names of the groups and regions invited, however many people."""
    wanted = None if only is None else set(only)
    placed: set[int] = set()
    found: dict[str, list[User]] = {}
    # Guests (registered without an account) are in no audience.
    active = User.objects.filter(is_active=True, is_guest=False).distinct()
    for key, condition in audience_sources(meeting=meeting):
        people = [
            person
            for person in active.filter(condition).only(
                "email", "first_name", "last_name", "closed_at"
            )
            if person.pk not in placed and (wanted is None or person.pk in wanted)
        ]
        placed.update(person.pk for person in people)
        if people:
            found[key] = people
    if wanted is not None and wanted - placed:
        rest = list(User.objects.filter(pk__in=wanted - placed))
        # Registered on the event's page (guests, mostly), not invited by any source.
        registered = set(
            Notification.objects.filter(
                meeting=meeting, kind=Notification.Kind.REGISTERED, person_id__in=wanted - placed
            ).values_list("person_id", flat=True)
        )
        for key, people in (
            ("registered", [person for person in rest if person.pk in registered]),
            ("others", [person for person in rest if person.pk not in registered]),
        ):
            if people:
                found[key] = people
    labels = _source_labels(meeting, found)
    return [Source(labels[key], sorted(people, key=str)) for key, people in found.items()]


def _source_labels(meeting, found: dict[str, list[User]]) -> dict[str, str]:
    def names(items) -> str:
        return get_text_list([str(item) for item in items], gettext("and"))

    labels = {
        "people": gettext("people named one by one"),
        "others": gettext("invited earlier, no longer among those invited"),
        "registered": gettext("registered on the event's page"),
    }
    if "group" in found:
        labels["group"] = gettext("%(groups)s members") % {"groups": meeting.working_group.code}
    if "groups" in found:
        codes = WorkingGroup.objects.filter(invited_to=meeting).values_list("code", flat=True)
        labels["groups"] = gettext("%(groups)s members") % {"groups": names(codes)}
    if "regions" in found:
        regions = Region.objects.filter(invited_to=meeting).values_list("name", flat=True)
        labels["regions"] = gettext("people of %(regions)s") % {"regions": names(regions)}
    if "everyone" in found:
        alone = len(found) == 1
        labels["everyone"] = (
            gettext("all members of the portal")
            if alone
            else gettext("the portal's other members")
        )
    return labels


def invitations_breakdown(*, meeting) -> list[Source]:
    """Who publishing the meeting now invites, by source (audience_breakdown): its
    audience less anyone invited already, and nobody once it is over, as
    invitations_queue decides."""
    if meeting.end <= timezone.now():
        return []
    invited = _invited_ids(meeting)
    sources = [
        Source(source.label, [person for person in source.people if person.pk not in invited])
        for source in audience_breakdown(meeting=meeting)
    ]
    return [source for source in sources if source.people]


def outbox_last_id() -> int:
    """The newest outbox row's id: the rows after it are what a change makes."""
    return Notification.objects.aggregate(last=Max("pk"))["last"] or 0


def emails_made_since(*, meeting, last_id: int) -> dict[str, int]:
    """How many emails of each kind were made for the meeting after row `last_id`."""
    return dict(
        Notification.objects.filter(meeting=meeting, pk__gt=last_id)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
    )


def meeting_invitations_queue(*, meeting) -> int:
    """Invites everyone of the published meeting's audience who has no invitation yet, and
    brings the reminders in line with the meeting. Called at publishing and on each save
    of a published meeting; nobody is invited twice. Returns how many were invited."""
    from meetings.services import meeting_audience  # meetings.services calls this module

    people = meeting_audience(meeting=meeting).values_list("pk", flat=True)
    count = invitations_queue(meetings=[meeting], people_ids=people)
    meeting_reminders_plan(meeting=meeting)
    return count


def invitations_queue(*, meetings, people_ids: Iterable[int]) -> int:
    """Invites these people to these meetings, those published and not over, unless they
    were invited before (their reminders are made when each falls due). The few queries
    do not depend on how many meetings or people there are."""
    now = timezone.now()
    Kind = Notification.Kind
    meetings = [m for m in meetings if m.status == Meeting.Status.PUBLISHED and m.end > now]
    people_ids = list(people_ids)
    if not meetings or not people_ids:
        return 0
    # Guests are never invited: they registered for one event, not for the portal's.
    active = sorted(
        User.objects.filter(pk__in=people_ids, is_active=True, is_guest=False).values_list(
            "pk", flat=True
        )
    )
    invited = set(
        Notification.objects.filter(
            meeting__in=meetings, person_id__in=active, kind=Kind.INVITATION
        ).values_list("meeting_id", "person_id")
    )
    rows = [
        Notification(meeting=meeting, person_id=pk, kind=Kind.INVITATION)
        for meeting in meetings
        for pk in active
        if (meeting.pk, pk) not in invited
    ]
    return len(notifications_create(rows=rows))


def reminder_hours_ahead(meeting, now: dt.datetime) -> set[int]:
    """The meeting's reminder hours whose time is still ahead: a time already past when
    the meeting is published (or moved) never fires."""
    if meeting.status != Meeting.Status.PUBLISHED:
        return set()
    return {hours for hours in meeting.reminder_hours if reminder_due(meeting, hours) > now}


def reminder_due(meeting, hours: int) -> dt.datetime:
    """Real hours before the start, also across a daylight saving change (arithmetic on
    a local datetime would count wall-clock hours)."""
    return meeting.start.astimezone(dt.UTC) - dt.timedelta(hours=hours)


def meeting_reminders_plan(*, meeting, now: dt.datetime | None = None) -> None:
    """Brings the meeting's reminder times in line with its start, state and reminder
    hours: one ReminderTime per reminder time still ahead; a time already past
    (publishing a meeting for tomorrow, moving it earlier) is never fired. Times that no
    longer apply are dropped, and their rows still waiting are skipped. A time that moves
    ahead again is opened again: those it reminded already are not reminded twice.
    """
    now = now or timezone.now()
    hours_wanted = reminder_hours_ahead(meeting, now)
    waiting = Notification.objects.filter(
        meeting=meeting, kind=Notification.Kind.REMINDER, status=Status.QUEUED
    ).filter(claimed_until__isnull=True)
    waiting.exclude(revision__in=hours_wanted).update(
        status=Status.SKIPPED, last_error="No longer applies: the time or hours changed."
    )
    times = ReminderTime.objects.filter(meeting=meeting)
    times.filter(done_at__isnull=True).exclude(hours__in=hours_wanted).delete()
    planned = dict(times.values_list("hours", "due_at"))
    for hours in sorted(hours_wanted):
        due = reminder_due(meeting, hours)
        if hours not in planned:
            ReminderTime.objects.create(meeting=meeting, hours=hours, due_at=due)
        elif planned[hours] != due:
            times.filter(hours=hours).update(due_at=due, done_at=None)
            waiting.filter(revision=hours).update(due_at=due, queued_at=None)


def meeting_updates_queue(*, meeting, changes: list[list[str]]) -> int:
    """Tells everyone invited or registered (TOLD_KINDS) who has not declined that the
    time or place changed (the meeting's new SEQUENCE is the row's revision). People
    whose invitation or registration's confirmation is still waiting get nothing more:
    that email will carry the new time."""
    if meeting.status != Meeting.Status.PUBLISHED:
        return 0
    told = set(
        Notification.objects.filter(meeting=meeting, kind__in=TOLD_KINDS)
        .exclude(status=Status.QUEUED, claimed_until__isnull=True)
        .values_list("person_id", flat=True)
    )
    already = set(
        Notification.objects.filter(
            meeting=meeting, kind=Notification.Kind.UPDATE, revision=meeting.sequence
        ).values_list("person_id", flat=True)
    )
    people = sorted(told - _declined_ids(meeting) - already)
    notifications_create(
        rows=(
            Notification(
                meeting=meeting,
                person_id=pk,
                kind=Notification.Kind.UPDATE,
                revision=meeting.sequence,
                details={"changes": changes},
            )
            for pk in people
        )
    )
    meeting_reminders_plan(meeting=meeting)
    return len(people)


def cancellation_audience(*, meeting) -> list[int]:
    """Who a cancellation tells (ids): everyone whose invitation or registration's
    confirmation (TOLD_KINDS) went out (or is going out now) and who has not declined or
    been told already. One still waiting in the queue is skipped instead: they never
    heard of the meeting. The admin's confirmation page shows these people before the
    cancel."""
    told = set(
        Notification.objects.filter(meeting=meeting, kind__in=TOLD_KINDS)
        .exclude(status=Status.SKIPPED)
        .exclude(status=Status.QUEUED, claimed_until__isnull=True)
        .values_list("person_id", flat=True)
    )
    already = set(
        Notification.objects.filter(
            meeting=meeting, kind=Notification.Kind.CANCELLATION
        ).values_list("person_id", flat=True)
    )
    return sorted(told - _declined_ids(meeting) - already)


def meeting_cancellations_queue(*, meeting) -> int:
    """Tells everyone invited who has not declined that the meeting is cancelled (with
    METHOD:CANCEL, so calendars drop it); waiting invitations and reminders are skipped."""
    people = cancellation_audience(meeting=meeting)
    Notification.objects.filter(
        meeting=meeting, status=Status.QUEUED, claimed_until__isnull=True
    ).exclude(kind=Notification.Kind.CANCELLATION).update(
        status=Status.SKIPPED, last_error="No longer applies: the meeting was cancelled."
    )
    meeting_reminders_plan(meeting=meeting)
    notifications_create(
        rows=(
            Notification(
                meeting=meeting,
                person_id=pk,
                kind=Notification.Kind.CANCELLATION,
                revision=meeting.sequence,
            )
            for pk in people
        )
    )
    return len(people)


def attendance_seat_queue(*, attendance) -> Notification | None:
    """Tells a person moved from the waiting list that they now have a seat. The revision
    is their answer's time: one email per time they waited. None for a closed account."""
    created = notifications_create(
        rows=[
            Notification(
                meeting_id=attendance.meeting_id,
                person_id=attendance.user_id,
                kind=Notification.Kind.SEAT,
                revision=int(attendance.answered_at.timestamp()),
            )
        ]
    )
    return created[0] if created else None


def registered_queue(*, attendance, revision: int) -> Notification | None:
    """The one email confirming a registration from the public form (meetings.
    registrations.registration_confirm) to its person, guest or member: revision is the
    Registration's id, so a registration confirmed again makes no second row. None for a
    closed or switched-off account."""
    kind = Notification.Kind.REGISTERED
    exists = Notification.objects.filter(
        meeting_id=attendance.meeting_id,
        person_id=attendance.user_id,
        kind=kind,
        revision=revision,
    ).exists()
    if exists:
        return None
    created = notifications_create(
        rows=[
            Notification(
                meeting_id=attendance.meeting_id,
                person_id=attendance.user_id,
                kind=kind,
                revision=revision,
            )
        ]
    )
    return created[0] if created else None


def registration_cancelled_queue(*, attendance) -> Notification | None:
    """The email telling a person who cancelled on their registration's page (meetings.
    own_registration.registration_cancel) that it is cancelled, with the calendar CANCEL
    that takes out the event their REGISTERED email put in their calendar: only for a
    registration whose REGISTERED email was sent or is on its way (nothing else put it
    there). One per cancellation: a person may register and cancel again, so the
    revision follows their last one (the highest, not a count: the log's old rows go).
    None when nothing is due or the account is closed."""
    Kind = Notification.Kind
    rows = Notification.objects.filter(
        meeting_id=attendance.meeting_id, person_id=attendance.user_id
    )
    told = rows.filter(kind=Kind.REGISTERED, status__in=[Status.QUEUED, Status.SENT])
    if not told.exists():
        return None
    last = rows.filter(kind=Kind.REGISTRATION_CANCELLED).aggregate(last=Max("revision"))["last"]
    created = notifications_create(
        rows=[
            Notification(
                meeting_id=attendance.meeting_id,
                person_id=attendance.user_id,
                kind=Kind.REGISTRATION_CANCELLED,
                revision=(last or 0) + 1,
            )
        ]
    )
    return created[0] if created else None


MESSAGE_AUDIENCES = {
    "answered": _("Everyone who answered yes (in person, online or waiting)"),
    "in_person": _("Those coming in person (not those waiting)"),
    "no_answer": _("Those invited who have not answered yet"),
}


@transaction.atomic
def meeting_message_send(*, meeting, subject: str, body: str, audience: str) -> int:
    """The secretariat's message about a meeting ("the slides are online") to one of
    MESSAGE_AUDIENCES, through the outbox; each message is a new revision. Returns how
    many people it goes to."""
    subject, body = subject.strip(), body.strip()
    if not subject or not body:
        raise ValidationError(_("A message needs a subject and a text."), code="empty")
    if audience not in MESSAGE_AUDIENCES:
        raise ValidationError(_("Choose who receives the message."), code="audience")
    answers = Attendance.objects.filter(meeting=meeting)
    if audience == "answered":
        people = answers.exclude(answer=Attendance.Answer.DECLINED).values_list("user_id")
    elif audience == "in_person":
        people = answers.filter(answer=Attendance.Answer.IN_PERSON, waitlisted=False)
        people = people.values_list("user_id")
    else:
        answered = set(answers.values_list("user_id", flat=True))
        people = [(pk,) for pk in _invited_ids(meeting) if pk not in answered]
    ids = sorted({pk for (pk,) in people})
    last = (
        Notification.objects.filter(meeting=meeting, kind=Notification.Kind.MESSAGE)
        .order_by("-revision")
        .values_list("revision", flat=True)
        .first()
    )
    revision = 1 if last is None else last + 1
    notifications_create(
        rows=(
            Notification(
                meeting=meeting,
                person_id=pk,
                kind=Notification.Kind.MESSAGE,
                revision=revision,
                details={"subject": subject, "body": body},
            )
            for pk in ids
        )
    )
    return len(ids)


# -- reminders that fall due (the outbox's sweep calls this) -------------------------


def reminders_make_due(now: dt.datetime) -> list[Notification]:
    """Makes (and hands on) one reminder row per person to remind, for each reminder time
    that has come: those invited or registered, except who declined or turned reminders off and who
    has this reminder already. Nothing for a meeting no longer published or started.
    Runs in the sweep's transaction."""
    times = list(
        ReminderTime.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(done_at__isnull=True, due_at__lte=now)
        .select_related("meeting")
        .order_by("due_at", "pk")[:REMINDER_TIMES_PER_SWEEP]
    )
    rows = []
    for time in times:
        meeting = time.meeting
        if meeting.status == Meeting.Status.PUBLISHED and meeting.start > now:
            rows += _reminder_rows(meeting, time.hours, time.due_at)
    ReminderTime.objects.filter(pk__in=[time.pk for time in times]).update(done_at=now)
    return rows


def _reminder_rows(meeting, hours: int, due: dt.datetime) -> list[Notification]:
    Kind = Notification.Kind
    invited = Notification.objects.filter(meeting=meeting, kind__in=TOLD_KINDS).exclude(
        status=Status.SKIPPED
    )
    reminded = Notification.objects.filter(meeting=meeting, kind=Kind.REMINDER, revision=hours)
    declined = meeting.attendances.filter(answer=Attendance.Answer.DECLINED)
    people = (
        invited.filter(person__is_active=True, person__meeting_reminders=True)
        .exclude(person__in=declined.values("user_id"))
        .exclude(person__in=reminded.values("person_id"))
        .order_by()
        .values_list("person_id", flat=True)
        .distinct()  # invited and registered: one reminder
    )
    return [
        Notification(meeting=meeting, person_id=pk, kind=Kind.REMINDER, revision=hours, due_at=due)
        for pk in people
    ]
