"""Working groups, their meetings (any event: meeting, study visit, conference, webinar),
agendas and the answers people give.

Times are stored as aware datetimes (UTC in the database) together with the IANA zone
the event happens in, so that "10:00 Brussels time" survives daylight saving changes and
calendars can carry the right VTIMEZONE.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import secrets
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    FileExtensionValidator,
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from accounts.models import validate_time_zone
from asa_portal.validators import validate_single_line
from practices.models import Practice
from practices.text import render_markdown
from regions.models import Partner, Region

DEFAULT_REMINDER_HOURS = [7 * 24, 24]

# The years an event may fall in. A date outside them is a typing mistake, and year 1 or
# 9999 would overflow once moved into a time zone or by an agenda's durations.
FIRST_YEAR, LAST_YEAR = 2000, 2100
# The longest agenda item (a week, in minutes): durations add up without overflowing.
LONGEST_ITEM_MINUTES = 7 * 24 * 60
# The most items an agenda may have: what the meeting editor can send, at 12 fields an
# item within the 1,000 fields a form may send (DATA_UPLOAD_MAX_NUMBER_FIELDS); its PDF
# then draws in a fraction of a second (500 items took two).
AGENDA_MAX_ITEMS = 75
# Minutes of a day's meeting run to a few pages; the cap keeps rendering them at each save
# well under a second, however they are written (as practices' MAX_BODY_LENGTH does).
MAX_MINUTES_LENGTH = 30_000


def default_reminder_hours() -> list[int]:
    return list(DEFAULT_REMINDER_HOURS)


def validate_reminder_hours(value) -> None:
    if not isinstance(value, list) or not all(
        isinstance(hours, int) and not isinstance(hours, bool) and 0 < hours <= 24 * 90
        for hours in value
    ):
        raise ValidationError(
            _(
                "Give a list of whole hours before the start, each between 1 and 2160, "
                "for example [168, 24] for 7 days and 1 day."
            )
        )


class WorkingGroup(models.Model):
    """One of the ASA's working groups (WG1 … WG4), addressed by its code."""

    code = models.CharField(
        _("code"),
        max_length=10,
        unique=True,
        help_text=_("Short code used in addresses, for example WG4."),
        validators=[
            # Codes appear in URLs (/groups/WG4/): letters and digits only.
            RegexValidator(r"^[A-Za-z0-9]+$", _("Letters and digits only, for example WG4."))
        ],
    )
    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    mandate = models.TextField(_("mandate"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="working_groups",
        blank=True,
        verbose_name=_("members"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:group_detail", args=[self.code])


class MeetingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Meeting.Status.PUBLISHED)

    def announced(self):
        """Published or cancelled: what the public has been told about."""
        return self.exclude(status=Meeting.Status.DRAFT)

    def upcoming(self, now: dt.datetime | None = None):
        return self.filter(end__gte=now or timezone.now()).order_by("start", "pk")

    def past(self, now: dt.datetime | None = None):
        return self.filter(end__lt=now or timezone.now()).order_by("-start", "-pk")

    def visible_to(self, user):
        """Drafts for the secretariat only; members-only events for members only."""
        from accounts import permissions

        if permissions.is_secretariat(user):
            return self.all()
        queryset = self.announced()
        if not permissions.can_see_members_only(user):
            queryset = queryset.filter(visibility=Meeting.Visibility.PUBLIC)
        return queryset

    def showcasing(self, practice):
        """Meetings whose agenda showcased this practice, newest first."""
        return self._listed(self.filter(agenda_items__showcased_practice=practice))

    def presented_by(self, region):
        """Meetings where this region presented on the agenda, newest first."""
        return self._listed(self.filter(agenda_items__presenting_region=region))

    def _listed(self, queryset):
        return (
            queryset.distinct()
            .select_related("working_group", "host_region")
            .order_by("-start", "-pk")
        )

    def for_feed_of(self, user):
        """A person's own calendar: their groups' meetings and those they answered."""
        answered = Attendance.objects.filter(meeting=OuterRef("pk"), user=user)
        in_group = WorkingGroup.members.through.objects.filter(
            workinggroup_id=OuterRef("working_group_id"), user_id=user.pk
        )
        return self.announced().filter(Q(Exists(answered)) | Q(Exists(in_group)))

    def with_answer_counts(self):
        """Annotates in_person_count, online_count, declined_count, waitlist_count and
        no_answer_count (the group's members who have not answered).

        Subqueries rather than joins, so counts do not multiply each other and a list of
        any length costs one query.
        """

        def answers(condition: Q):
            return Coalesce(
                Subquery(
                    Attendance.objects.filter(condition, meeting=OuterRef("pk"))
                    .order_by()
                    .values("meeting")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            )

        answered = Attendance.objects.filter(
            meeting=OuterRef(OuterRef("pk")), user=OuterRef("user_id")
        )
        silent_members = (
            WorkingGroup.members.through.objects.filter(
                workinggroup_id=OuterRef("working_group_id")
            )
            .exclude(Exists(answered))
            .order_by()
            .values("workinggroup_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(
            **{
                f"{bucket}_count": answers(condition)
                for bucket, condition in Attendance.BUCKETS.items()
            },
            no_answer_count=Coalesce(Subquery(silent_members), 0),
        )


class Meeting(models.Model):
    """Any event of the alliance; `sequence` is the iCalendar revision."""

    class Kind(models.TextChoices):
        WORKING_GROUP = "wg_meeting", _("Working group meeting")
        STUDY_VISIT = "study_visit", _("Study visit")
        CONFERENCE = "conference", _("Conference")
        WEBINAR = "webinar", _("Webinar")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("meeting status", "Draft")
        PUBLISHED = "published", pgettext_lazy("meeting status", "Published")
        CANCELLED = "cancelled", pgettext_lazy("meeting status", "Cancelled")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        MEMBERS = "members", _("Members only")

    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.WORKING_GROUP
    )
    working_group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("working group"),
        help_text=_("Empty for events of the whole alliance, such as a conference."),
    )
    description = models.TextField(_("description"), blank=True)
    start = models.DateTimeField(_("start"), help_text=_("Local time in the event's time zone."))
    end = models.DateTimeField(_("end"), help_text=_("Local time in the event's time zone."))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Brussels",
        validators=[validate_time_zone],
        help_text=_("IANA name of the zone the event happens in, for example Europe/Brussels."),
    )
    format = models.CharField(
        _("format"), max_length=10, choices=Format.choices, default=Format.IN_PERSON
    )
    venue = models.CharField(
        _("venue"), max_length=200, blank=True, validators=[validate_single_line]
    )
    address = models.CharField(
        _("address"), max_length=300, blank=True, validators=[validate_single_line]
    )
    online_link = models.URLField(
        _("online link"),
        blank=True,
        validators=[validate_single_line],
        help_text=_(
            "Shown to signed-in members and sent to those invited or registered; never on "
            "the public pages."
        ),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("In-person seats; empty for no limit.")
    )
    registration_deadline = models.DateTimeField(
        _("registration deadline"),
        null=True,
        blank=True,
        help_text=_("Empty: answers are taken until the event ends."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    # People without an account may register (meetings.registrations): a conference,
    # webinar or study visit the secretariat opens to everyone. Only for public events.
    public_registration = models.BooleanField(
        _("open to the public"),
        default=False,
        help_text=_(
            "Anyone may register on the event's page without an account, answering the "
            "event's questions; members answer them beside their answer."
        ),
    )
    partners = models.ManyToManyField(
        Partner, related_name="meetings", blank=True, verbose_name=_("co-organisers")
    )
    host_region = models.ForeignKey(
        Region,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_meetings",
        verbose_name=_("host region"),
    )
    # Who is invited besides the working group's members. Anyone added after
    # publishing is invited when added.
    invitees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="invited_to",
        blank=True,
        verbose_name=_("invited people"),
        help_text=_("People invited besides the working group's members."),
    )
    invited_regions = models.ManyToManyField(
        Region,
        related_name="invited_to",
        blank=True,
        verbose_name=_("invited regions"),
        help_text=_("Everyone of these regions is invited."),
    )
    invited_groups = models.ManyToManyField(
        WorkingGroup,
        related_name="invited_to",
        blank=True,
        verbose_name=_("invited working groups"),
        help_text=_("Everyone of these working groups is invited."),
    )
    invite_all_members = models.BooleanField(
        _("invite all members"),
        default=False,
        help_text=_("Invite every member of the portal (for a conference)."),
    )
    reminder_hours = models.JSONField(
        _("reminder hours"),
        default=default_reminder_hours,
        blank=True,  # no reminders at all
        validators=[validate_reminder_hours],
        help_text=_("Reminders, in hours before the start: [168, 24] is 7 days and 1 day."),
    )
    sequence = models.PositiveIntegerField(
        _("sequence"),
        default=0,
        editable=False,
        help_text=_("Rises when the time or place changes."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    # Given when cancelling (the admin's confirmation page asks): the cancellation email
    # and the meeting's page show it.
    cancellation_reason = models.TextField(
        _("reason for cancelling"), blank=True, max_length=1000, editable=False
    )
    # The record of the meeting, written afterwards. Members read it on the
    # meeting page; the archive shows which meetings have it.
    minutes = models.TextField(
        _("minutes"),
        blank=True,
        max_length=MAX_MINUTES_LENGTH,
        # A TextField's max_length only reaches forms: the model checks it too.
        validators=[MaxLengthValidator(MAX_MINUTES_LENGTH)],
        help_text=_(
            "Markdown. Members read them on the meeting page, under Minutes and documents."
        ),
    )
    # The minutes rendered and sanitised at each save: pages show stored HTML and never run
    # the Markdown parser.
    minutes_html = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["minutes_html"])
    objects = MeetingQuerySet.as_manager()

    # A change to one of these is a change of time or place: calendars must update.
    SCHEDULE_FIELDS = ("start", "end", "time_zone", "venue", "address", "format", "online_link")

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="meeting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=0),
                name="meeting_capacity_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "cancelled"]),
                name="meeting_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="cancelled") | Q(cancellation_reason=""),
                name="meeting_reason_only_when_cancelled",
            ),
            models.CheckConstraint(
                condition=Q(format__in=["in_person", "online", "hybrid"]),
                name="meeting_format_valid",
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=["public", "members"]),
                name="meeting_visibility_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "end"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.minutes_html = render_markdown(self.minutes)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "minutes_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.slug])

    @property
    def has_minutes(self) -> bool:
        return bool(self.minutes.strip())

    # -- validation ---------------------------------------------------------------------

    LOCAL_TIME_FIELDS = ("start", "end", "registration_deadline")

    def clean(self) -> None:
        errors: dict[str, str] = {
            name: gettext("Give a date between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
            for name in self.LOCAL_TIME_FIELDS
            if not _in_range(getattr(self, name))
        }
        if errors:
            # Far dates cannot even be compared across time zones: stop here.
            raise ValidationError(errors)
        if self.start and self.end and self.end <= self.start:
            errors["end"] = gettext("The end must be after the start.")
        if self.registration_deadline and self.end and self.registration_deadline > self.end:
            errors["registration_deadline"] = gettext(
                "The registration deadline must not be after the end."
            )
        if self.public_registration and self.visibility != self.Visibility.PUBLIC:
            errors["public_registration"] = gettext(
                "Only a public event can be open to registration without an account."
            )
        if self.format == self.Format.ONLINE and self.capacity:
            errors["capacity"] = gettext("An online event has no in-person seats; leave it empty.")
        if self.capacity is not None and self.pk:
            seated = self.attendances.filter(
                answer=Attendance.Answer.IN_PERSON, waitlisted=False
            ).count()
            if self.capacity < seated:
                errors["capacity"] = ngettext(
                    "%(count)d person already has an in-person seat; the capacity cannot "
                    "be lower.",
                    "%(count)d people already have an in-person seat; the capacity cannot "
                    "be lower.",
                    seated,
                ) % {"count": seated}
        if errors:
            raise ValidationError(errors)

    # -- times --------------------------------------------------------------------------

    @property
    def times_in_range(self) -> bool:
        """False while a form holds a date that clean() refuses: nothing may compute with
        it (the admin still checks the agenda of a meeting whose form was refused)."""
        return all(_in_range(getattr(self, name)) for name in self.LOCAL_TIME_FIELDS)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        # A form may hold an unknown zone while it reports that error; do not crash on it.
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo(settings.TIME_ZONE)

    @property
    def local_start(self) -> dt.datetime:
        return timezone.localtime(self.start, self.zone)

    @property
    def local_end(self) -> dt.datetime:
        return timezone.localtime(self.end, self.zone)

    @property
    def zone_label(self) -> str:
        return zone_label(self.time_zone)

    def default_registration_deadline(self) -> dt.datetime | None:
        """A day before the start, at the same time of day in the event's zone, as the
        secretariat mostly wants it; None once that has passed (a meeting set up less
        than a day ahead takes answers until it starts)."""
        if self.start is None or not self.times_in_range:
            return None
        deadline = timezone.localtime(self.start, self.zone) - dt.timedelta(days=1)
        return deadline if deadline > timezone.now() else None

    @property
    def answers_close_at(self) -> dt.datetime:
        """The registration deadline, else the start: nobody answers a meeting that runs."""
        return self.registration_deadline or self.start

    @property
    def answers_open(self) -> bool:
        """Published and before the deadline: the page offers the form, the service
        accepts answers."""
        return self.status == self.Status.PUBLISHED and timezone.now() <= self.answers_close_at

    @property
    def answers_closed_reason(self) -> str:
        """Why answers are not taken now, in words that are true ("" while they are): the
        page shows it and attendance_answer refuses with it."""
        if self.status == self.Status.CANCELLED:
            return gettext("Answers are closed: the meeting has been cancelled.")
        if self.status != self.Status.PUBLISHED:
            return gettext("Answers open when the meeting is published.")
        now = timezone.now()
        if now > self.end:
            return gettext("Answers are closed: the meeting is over.")
        if now > self.answers_close_at:
            if self.registration_deadline is None:
                return gettext("Answers are closed: the meeting has started.")
            return gettext("Answers are closed: the registration deadline has passed.")
        return ""

    @property
    def declining_open(self) -> bool:
        """Whether someone may say they cannot come: while answers are open, and past the
        registration deadline until the start, so that a seat given up late goes to the
        first person waiting and the organisers stop counting on them. Only declining:
        every other answer (and every change to the answers to the questions) closes at
        the deadline (answers_open)."""
        if self.answers_open:
            return True
        return self.status == self.Status.PUBLISHED and timezone.now() <= self.start

    @property
    def declining_closed_reason(self) -> str:
        """Why declining is not taken now ("" while it is)."""
        if self.declining_open:
            return ""
        if self.status == self.Status.PUBLISHED and timezone.now() <= self.end:
            return gettext("Answers are closed: the meeting has started.")
        return self.answers_closed_reason

    def answers_offered(self, current: str | None) -> list[tuple[str, str]]:
        """The answers a person whose answer so far is `current` (None: none) is offered
        now: all the format allows while answers are open; past the deadline, declining
        alone, and only to someone coming (in person, seated or waiting, or online)."""
        if self.answers_open:
            return self.answer_choices()
        coming = current in (Attendance.Answer.IN_PERSON, Attendance.Answer.ONLINE)
        if coming and self.declining_open:
            return [c for c in self.answer_choices() if c[0] == Attendance.Answer.DECLINED]
        return []

    def answer_closed_reason(self, answer: str) -> str:
        """Why this answer is not taken now, "" if it is: the one rule attendance_answer
        and every way of answering (page, /me/, email links, calendar replies, a guest's
        own page) follow. Declining closes at the start, everything else at the deadline."""
        if answer == Attendance.Answer.DECLINED:
            return self.declining_closed_reason
        return self.answers_closed_reason

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_online(self) -> bool:
        return self.format in {self.Format.ONLINE, self.Format.HYBRID}

    @property
    def is_in_person(self) -> bool:
        return self.format in {self.Format.IN_PERSON, self.Format.HYBRID}

    @property
    def map_url(self) -> str:
        from urllib.parse import urlencode

        query = ", ".join(part for part in (self.venue, self.address) if part)
        if not query or not self.is_in_person:
            return ""
        return "https://www.openstreetmap.org/search?" + urlencode({"query": query})

    def answer_choices(self) -> list[tuple[str, str]]:
        """The answers this event's format allows."""
        choices = []
        if self.is_in_person:
            choices.append((Attendance.Answer.IN_PERSON, gettext("I will attend in person")))
        if self.is_online:
            choices.append((Attendance.Answer.ONLINE, gettext("I will attend online")))
        choices.append((Attendance.Answer.DECLINED, gettext("I cannot attend")))
        return choices


def kind_of_group(meeting: Meeting) -> str:
    """'Working group meeting of WG4 Regional Implementation', as the page says it."""
    if not meeting.working_group:
        return str(meeting.get_kind_display())
    # Translators: "Working group meeting of WG4 Regional Implementation".
    return gettext("%(kind)s of %(group)s") % {
        "kind": meeting.get_kind_display(),
        "group": f"{meeting.working_group.code} {meeting.working_group.name}",
    }


def _in_range(value: dt.datetime | None) -> bool:
    return value is None or FIRST_YEAR <= value.year <= LAST_YEAR


def zone_label(name: str) -> str:
    """'Europe/Brussels' -> 'Brussels time'; 'UTC' -> 'UTC'. In the active language, with
    the city as that language writes it (Babel's CLDR names): 'Ortszeit Brüssel',
    'heure locale à Bruxelles', 'lokale tijd in Brussel', 'lokal tid i Bryssel', 'čas v meste
    Brusel'. A city reads the same to everyone, where a zone's own name ("Central European
    Standard Time") changes with the season and is less known."""
    if "/" not in name:
        return name
    city = name.rsplit("/", 1)[1].replace("_", " ")
    language = (translation.get_language() or "en").split("-")[0]
    if language != "en":
        from babel.dates import get_timezone_location

        # A zone CLDR does not know keeps its IANA city, as in English.
        with contextlib.suppress(LookupError, ValueError):
            city = get_timezone_location(name, locale=language, return_city=True)
    # Translators: the time zone of an event, named by its city: "Brussels time".
    return gettext("%(city)s time") % {"city": city}


@dataclass(frozen=True)
class Slot:
    item: AgendaItem
    start: dt.datetime  # local, in the meeting's zone
    end: dt.datetime
    # The day this slot opens, in an agenda over several days; else None (the times say
    # all on a one-day agenda).
    new_day: dt.date | None = None

    @property
    def span(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


def meeting_days(meeting: Meeting) -> list[dt.date]:
    """The local dates the meeting spans, first to last: day 1, day 2, ... of its agenda.
    Empty while its times are missing or out of range (a refused form)."""
    if not meeting.start or not meeting.end or not meeting.times_in_range:
        return []
    first, last = meeting.local_start.date(), meeting.local_end.date()
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def agenda_schedule(meeting: Meeting, items) -> list[Slot]:
    """Each item's local start and end, in the order of the agenda: its own time on its
    own day if given, else where the previous item ended; an untimed first item of a
    later day starts at the meeting's starting time.
    Empty for a meeting whose dates are out of range (a refused form). Over several days,
    the first slot of each day says which day it opens (Slot.new_day).
    """
    slots = []
    if not meeting.start or not meeting.times_in_range:
        return slots
    local_start = meeting.local_start
    cursor = local_start
    for item in sorted(items, key=lambda item: (item.position, item.pk or 0)):
        date = local_start.date() + dt.timedelta(days=(item.day or 1) - 1)
        if item.start_time is not None:
            start = dt.datetime.combine(date, item.start_time, tzinfo=local_start.tzinfo)
        elif cursor.date() < date:
            start = dt.datetime.combine(date, local_start.timetz())
        else:
            start = cursor
        end = start + dt.timedelta(minutes=item.duration_minutes or 0)
        slots.append(Slot(item=item, start=start, end=end))
        cursor = end
    days = [slot.item.day or 1 for slot in slots]
    if len(set(days)) > 1:
        previous = None
        for number, slot in enumerate(slots):
            if days[number] != previous:
                date = local_start.date() + dt.timedelta(days=days[number] - 1)
                slots[number] = dataclasses.replace(slot, new_day=date)
            previous = days[number]
    return slots


def agenda_overruns(meeting: Meeting, items) -> list[Slot]:
    """The slots that end after the meeting does."""
    return [slot for slot in agenda_schedule(meeting, items) if slot.end > meeting.end]


def agenda_errors(meeting: Meeting, items) -> list[tuple[AgendaItem, str, str]]:
    """What is wrong with an agenda as a whole, as (item, field, message): a day outside
    the meeting's dates, a day before the previous item's, a start before the meeting's
    (a meeting moved later leaves its first item behind), a time before the previous
    item ends (on one day; the next day is chosen as a day), an end after the meeting's."""
    days = meeting_days(meeting)
    if not days or not meeting.end:
        return []
    errors = []
    previous, previous_day = None, 1
    for slot in agenda_schedule(meeting, items):
        item, day = slot.item, slot.item.day or 1
        if day > len(days):
            errors.append((item, "day", day_outside_message(len(days))))
        elif day < previous_day:
            errors.append((item, "day", day_goes_back_message(previous_day)))
        elif slot.start < meeting.local_start:
            errors.append((item, "start_time", early_start_message(slot, meeting)))
        elif previous is not None and slot.start < previous.end:
            errors.append((item, "start_time", overlap_message(slot, previous)))
        elif slot.end > meeting.end:
            errors.append((item, "duration_minutes", overrun_message(slot, meeting)))
        previous, previous_day = slot, max(day, previous_day)
    return errors


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        WELCOME = "welcome", _("Welcome")
        PRESENTATION = "presentation", _("Presentation")
        SHOWCASE = "showcase", _("Best-practice showcase")
        DISCUSSION = "discussion", _("Discussion")
        BREAK = "break", pgettext_lazy("agenda item", "Break")
        OTHER = "other", _("Other")

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="agenda_items",
        verbose_name=_("meeting"),
    )
    # blank: the sortable admin fills a new row's position in after validation.
    position = models.PositiveIntegerField(_("position"), default=0, blank=True)
    # Day 1 is the meeting's first local date: a number, so that an agenda stays right
    # when the meeting moves to other dates or is cloned.
    day = models.PositiveSmallIntegerField(
        _("day"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("Day 1 is the meeting's first day."),
    )
    start_time = models.TimeField(
        _("start time"),
        null=True,
        blank=True,
        help_text=_(
            "Only to fix a time (local). Empty: when the previous item ends, or on a new "
            "day at the meeting's starting time."
        ),
    )
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(LONGEST_ITEM_MINUTES)],
    )
    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.PRESENTATION
    )
    presenters = models.CharField(
        _("presenters"), max_length=300, blank=True, validators=[validate_single_line]
    )
    presenting_region = models.ForeignKey(
        Region,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("presenting region"),
    )
    showcased_practice = models.ForeignKey(
        Practice,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="showcases",
        verbose_name=_("showcased practice"),
    )
    document = models.FileField(
        _("document"),
        upload_to="meetings/documents/%Y/",
        blank=True,
        validators=[
            FileExtensionValidator(["pdf", "pptx", "ppt", "docx", "doc", "xlsx", "odp", "odt"])
        ],
        help_text=_("Slides or a paper (PDF or office document)."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]  # the sortable admin takes its field from here
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            # Not deferrable: SQLite cannot defer it, so agenda_reorder moves rows out of
            # the way first instead, which works on both databases.
            models.UniqueConstraint(
                fields=["meeting", "position"], name="agenda_item_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="agenda_item_duration_positive"
            ),
            models.CheckConstraint(condition=Q(day__gte=1), name="agenda_item_day_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        """The item fits the agenda saved so far (see agenda_errors); an agenda has at
        most AGENDA_MAX_ITEMS items."""
        if getattr(self, "_schedule_checked_by_formset", False):
            return  # the admin's formset checks the whole agenda as submitted
        meeting = getattr(self, "meeting", None)
        if (
            self._state.adding
            and meeting is not None
            and meeting.pk
            and meeting.agenda_items.count() >= AGENDA_MAX_ITEMS
        ):
            raise ValidationError(agenda_too_long_message())
        if meeting is None or not meeting.start or not meeting.end or not self.duration_minutes:
            return
        saved = meeting.agenda_items.all() if meeting.pk else []
        others = [item for item in saved if item.pk != self.pk]
        for item, field, message in agenda_errors(meeting, [*others, self]):
            if item is self:
                raise ValidationError({field: message})


def agenda_too_long_message() -> str:
    return gettext("An agenda has at most %(limit)d items.") % {"limit": AGENDA_MAX_ITEMS}


def day_outside_message(count: int) -> str:
    return ngettext(
        "The meeting has %(count)d day: choose day 1.",
        "The meeting has %(count)d days: choose a day from 1 to %(count)d.",
        count,
    ) % {"count": count}


def day_goes_back_message(previous: int) -> str:
    return gettext(
        "The item above is on day %(day)d: move this item up, or choose day %(day)d or later."
    ) % {"day": previous}


def overlap_message(slot: Slot, previous: Slot) -> str:
    return gettext(
        "This item would start at %(start)s, before the item above ends (%(end)s): "
        "choose a later time, or the next day."
    ) % {"start": f"{slot.start:%H:%M}", "end": f"{previous.end:%H:%M}"}


def early_start_message(slot: Slot, meeting: Meeting) -> str:
    return gettext(
        "This item would start at %(item_start)s, before the meeting starts (%(meeting_start)s)."
    ) % {"item_start": f"{slot.start:%H:%M}", "meeting_start": f"{meeting.local_start:%H:%M}"}


def overrun_message(slot: Slot, meeting: Meeting) -> str:
    return gettext(
        "This item would end at %(item_end)s, after the meeting ends (%(meeting_end)s)."
    ) % {"item_end": f"{slot.end:%H:%M}", "meeting_end": f"{meeting.local_end:%H:%M}"}


# Letters and digits no one misreads when typing a code from a badge or a phone's screen.
CHECKIN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_checkin_code() -> str:
    """Ten characters (50 bits): no one guesses a code that checks somebody in."""
    return "".join(secrets.choice(CHECKIN_ALPHABET) for _ in range(10))


class AttendanceQuerySet(models.QuerySet):
    def counts(self) -> dict[str, int]:
        """How many answers fall in each of Attendance.BUCKETS, in one query."""
        return self.aggregate(
            **{
                bucket: Count("pk", filter=condition)
                for bucket, condition in Attendance.BUCKETS.items()
            }
        )

    def seated(self) -> AttendanceQuerySet:
        """Those with a place: in person (not waiting) and online; not those who declined."""
        return self.filter(
            answer__in=[Attendance.Answer.IN_PERSON, Attendance.Answer.ONLINE], waitlisted=False
        )


def tally(attendances) -> dict[str, int]:
    """The same counts as AttendanceQuerySet.counts, of answers already loaded."""
    counts = dict.fromkeys(Attendance.BUCKETS, 0)
    for attendance in attendances:
        counts[attendance.bucket] += 1
    return counts


class Attendance(models.Model):
    """A person's answer to an invitation; in-person answers beyond capacity wait."""

    class Answer(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        DECLINED = "declined", _("Declined")

    # How answers are counted everywhere: seats taken, the waiting list, online, declined.
    # Only in-person answers wait (a check constraint), so waitlisted alone marks that bucket.
    BUCKETS = {
        "in_person": Q(answer=Answer.IN_PERSON, waitlisted=False),
        "waitlist": Q(waitlisted=True),
        "online": Q(answer=Answer.ONLINE),
        "declined": Q(answer=Answer.DECLINED),
    }

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("meeting")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("person"),
    )
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices)
    waitlisted = models.BooleanField(_("on the waiting list"), default=False)
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now)
    # The event's questions answered ({str(question id): answer}), by members beside their
    # answer and by guests on the registration form: the exports show them.
    responses = models.JSONField(_("answers to the questions"), default=dict, blank=True)
    # The code of the QR code for the door (check-in by phone); made at the first save.
    checkin_code = models.CharField(
        _("check-in code"), max_length=16, unique=True, editable=False, default=new_checkin_code
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["answered_at", "pk"]
        # The admin's list of them: those who answered an invitation or registered.
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="attendance_unique"),
            models.CheckConstraint(
                condition=Q(answer__in=["in_person", "online", "declined"]),
                name="attendance_answer_valid",
            ),
            models.CheckConstraint(
                condition=Q(waitlisted=False) | Q(answer="in_person"),
                name="attendance_only_in_person_waits",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.meeting}: {self.get_answer_display()}"

    def validate_unique(self, exclude=None) -> None:
        # The check-in code is 50 random bits: asking the database whether it is taken
        # would cost a query on every answer for a collision that does not happen, and
        # the unique constraint still guards it.
        super().validate_unique(exclude={*(exclude or ()), "checkin_code"})

    @property
    def bucket(self) -> str:
        """Which of BUCKETS this answer counts in (Python's side of the same rule)."""
        return "waitlist" if self.waitlisted else self.answer

    @property
    def label(self) -> str:
        if self.waitlisted:
            return gettext("In person (waiting list)")
        return self.get_answer_display()


class Question(models.Model):
    """A question the secretariat asks those who register for an event (dietary needs,
    a workshop's choice …), answered on the public form and beside a member's answer."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Short text")
        CHOICE = "choice", _("One choice")
        CHOICES = "choices", _("Several choices")
        YES_NO = "yes_no", _("Yes or no")

    MAX_OPTIONS = 20

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="questions", verbose_name=_("meeting")
    )
    position = models.PositiveIntegerField(_("position"), default=0, blank=True)
    text = models.CharField(_("question"), max_length=200, validators=[validate_single_line])
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    options = models.TextField(
        _("options"),
        blank=True,
        max_length=2000,
        validators=[MaxLengthValidator(2000)],
        help_text=_("One option a line, for a question with choices."),
    )
    required = models.BooleanField(_("required"), default=False)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["text", "choice", "choices", "yes_no"]),
                name="question_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def option_list(self) -> list[str]:
        return [line.strip() for line in self.options.splitlines() if line.strip()]

    def clean(self) -> None:
        options = self.option_list
        if self.kind in (self.Kind.CHOICE, self.Kind.CHOICES):
            if len(options) < 2:
                raise ValidationError(
                    {"options": gettext("Give at least two options, one a line.")}
                )
            if len(options) > self.MAX_OPTIONS:
                raise ValidationError(
                    {
                        "options": gettext("Give at most %(count)d options.")
                        % {"count": self.MAX_OPTIONS}
                    }
                )
            if len(set(options)) != len(options):
                raise ValidationError(
                    {"options": gettext("Each option must differ from the others.")}
                )
        elif options:
            raise ValidationError(
                {"options": gettext("Only a question with choices has options.")}
            )


class Registration(models.Model):
    """A registration from the public form, waiting for its address to be confirmed.

    Nothing counts until the link in the confirmation email is followed: then the person
    (a member with that address, else a guest) gets an Attendance with these answers, and
    the details here are emptied. Unconfirmed rows go after a day."""

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("meeting"),
    )
    email = models.EmailField(_("email address"))
    first_name = models.CharField(
        _("first name"), max_length=150, blank=True, validators=[validate_single_line]
    )
    last_name = models.CharField(
        _("last name"), max_length=150, blank=True, validators=[validate_single_line]
    )
    organisation = models.CharField(
        _("organisation"), max_length=200, blank=True, validators=[validate_single_line]
    )
    country = CountryField(_("country"), blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    answer = models.CharField(
        _("answer"), max_length=10, choices=Attendance.Answer.choices, default="in_person"
    )
    responses = models.JSONField(_("answers to the questions"), default=dict, blank=True)
    consent_at = models.DateTimeField(_("agreed to the privacy notice at"))
    # The confirmation link carries a random token; only its SHA-256 is kept.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    attendance = models.ForeignKey(
        Attendance,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("answer"),
    )

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("registration awaiting confirmation")
        verbose_name_plural = _("registrations awaiting confirmation")
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.email} – {self.meeting}"
