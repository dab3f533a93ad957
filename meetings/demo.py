"""Working groups and meetings of the demo world (DESIGN.md). Runs after accounts, regions
and practices; every object is found by its code or slug, so a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import timezone

from accounts.models import User
from meetings.models import AgendaItem, Attendance, Meeting, Question, WorkingGroup
from meetings.registrations import registration_confirm, registration_start
from meetings.services import attendance_answer, meeting_publish, meeting_update
from notifications.models import Notification
from practices.models import Practice
from regions.models import Partner, Region

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")

GROUPS = [
    (
        "WG1",
        "Horizontal Issues",
        "Questions that cut across the alliance: governance, funding, quality of training "
        "and the recognition of skills across borders.",
    ),
    (
        "WG2",
        "Communication and Dissemination",
        "Makes the alliance's results known: the website, newsletters, events and the "
        "stories of regions and training providers.",
    ),
    (
        "WG3",
        "Skills Intelligence",
        "Collects and analyses data on the skills the automotive ecosystem needs, so that "
        "training follows the green and digital transition.",
    ),
    (
        "WG4",
        "Regional Implementation",
        "Brings the automotive regions together to share best practices in up- and "
        "reskilling and to turn the alliance's pact into regional action.",
    ),
]
WG4_MEMBERS = ["member@example.org", "stuttgart@example.org", "kosice@example.org"]

# (title, minutes, kind, presenters, region slug, practice slug)
WG4_2024_AGENDA = [
    ("Welcome and introduction", 10, "welcome", "ASA secretariat", None, None),
    (
        "Best practice: reskilling for electromobility",
        20,
        "showcase",
        "",
        "goteborg",
        "goteborg-reskilling-for-electromobility",
    ),
    (
        "Best practice: dual education in automotive",
        20,
        "showcase",
        "",
        "kosice",
        "kosice-dual-education-automotive",
    ),
    (
        "Best practice: the transformation network",
        20,
        "showcase",
        "",
        "stuttgart",
        "stuttgart-transformation-network",
    ),
    (
        "Best practice: safety training for electric vehicles",
        20,
        "showcase",
        "",
        "educam",
        "educam-ev-safety-training",
    ),
    ("Coffee break", 15, "break", "", None, None),
    (
        "Cooperation of ASA with ARA and CORAI",
        25,
        "presentation",
        "ASA, ARA and CORAI",
        None,
        None,
    ),
    ("Upcoming events in the first and second quarter", 15, "presentation", "", None, None),
    ("Open discussion", 25, "discussion", "All participants", None, None),
]

CONFERENCE_AGENDA = [
    ("Registration and coffee", 30, "break", "", None, None),
    (
        "Opening: skills for the automotive transition",
        30,
        "welcome",
        "ASA, ARA, CORAI",
        None,
        None,
    ),
    ("Regions in transition: panel", 90, "discussion", "Member regions", None, None),
    ("Lunch", 60, "break", "", None, None),
    ("Skills intelligence: what the data says", 60, "presentation", "WG3", None, None),
    ("Best practices market place", 90, "showcase", "Member regions", None, None),
    ("Conclusions and next steps", 30, "other", "ASA secretariat", None, None),
]

NEXT_WG4_AGENDA = [
    ("Welcome", 10, "welcome", "ASA secretariat", None, None),
    ("News from the regions", 45, "discussion", "Member regions", None, None),
    (
        "Showcase: the transformation network one year on",
        30,
        "showcase",
        "",
        "stuttgart",
        "stuttgart-transformation-network",
    ),
    ("Planning the study visit", 20, "discussion", "", "stuttgart", None),
    ("Any other business", 15, "other", "", None, None),
]


# The record of the 27 March 2024 meeting, from what its agenda covered; the events it
# announced link to their pages (their slugs are those seeded below).
WG4_2024_MINUTES = """\
## Participants

Representatives of Göteborg, Košice, Stuttgart and the EDUCAM project in Brussels and
online, with ARA and CORAI; the ASA secretariat chaired.

## Best practices

- **Göteborg**: reskilling for electromobility. Workers of the combustion-engine supply
  chain retrain for battery and electric drivetrain jobs in short modules with employers.
  [The write-up](/practices/goteborg-reskilling-for-electromobility/)
- **Košice**: dual education in automotive. Schools and plants share the training of
  apprentices; the region funds the instructors' time.
  [The write-up](/practices/kosice-dual-education-automotive/)
- **Stuttgart**: the transformation network. Suppliers, chambers and unions plan the
  skills that the transition needs, company by company.
  [The write-up](/practices/stuttgart-transformation-network/)
- **EDUCAM**: safety training for electric vehicles. A common curriculum and certificate
  for work on high-voltage systems in Belgian garages.
  [The write-up](/practices/educam-ev-safety-training/)

The group agreed that the four write-ups serve as examples for the regions' next
submissions, with the number of people trained and the funding named in each.

## Cooperation of ASA with ARA and CORAI

The Automotive Regions Alliance (ARA) and the Committee of the Regions' Automotive
Intergroup (CORAI) presented their work plans. The three will share a calendar of
events, invite each other's regions to their meetings and prepare a joint statement on
skills for the conference of 10 April.

## Upcoming events

- [ASA conference, 10 April 2024, Brussels](/meetings/asa-conference-2024-04-10/): the
  regions present their best practices at the market place.
- [The next WG4 meeting](/meetings/wg4-next-meeting/): news from the regions and the
  Stuttgart transformation network one year on.
- [Study visit to the Stuttgart Region](/meetings/study-visit-stuttgart/): training
  centres and a supplier in transformation; places are limited.

## Open discussion and actions

- Regions send their indicator figures for the benchmarking to the secretariat.
- The secretariat circulates the slides and these minutes to the participants.
"""


def seed(log) -> None:
    groups = _groups(log)
    people = {user.email: user for user in User.objects.filter(email__in=WG4_MEMBERS)}
    groups["WG4"].members.add(*people.values())  # add() skips existing members
    partners = {partner.acronym: partner for partner in Partner.objects.all()}
    regions = {region.slug: region for region in Region.objects.all()}

    # The two meetings of 2024 are history: they are stored as published, without going
    # through meeting_publish, which would invite people to past events.
    wg4_2024 = _meeting(
        log,
        slug="wg4-meeting-2024-03-27",
        title="WG4 Regional Implementation meeting",
        kind=Meeting.Kind.WORKING_GROUP,
        working_group=groups["WG4"],
        start=dt.datetime(2024, 3, 27, 10, 0, tzinfo=BRUSSELS),
        end=dt.datetime(2024, 3, 27, 13, 0, tzinfo=BRUSSELS),
        format=Meeting.Format.HYBRID,
        venue="Maison des Régions",
        address="Rue Montoyer 10, 1000 Brussels",
        online_link="https://meet.example.org/asa-wg4-2024-03",
        status=Meeting.Status.PUBLISHED,
        published_at=dt.datetime(2024, 3, 1, 9, 0, tzinfo=BRUSSELS),
        description="Best practices from four regions and the cooperation with ARA and CORAI.",
        partners=[partners.get("ARA"), partners.get("CORAI")],
        agenda=WG4_2024_AGENDA,
        regions=regions,
    )
    if wg4_2024 is not None and not wg4_2024.minutes:
        meeting_update(meeting=wg4_2024, data={"minutes": WG4_2024_MINUTES})
        log("Added the minutes of wg4-meeting-2024-03-27")
    if wg4_2024 is not None:
        for email, answer in [
            ("member@example.org", Attendance.Answer.ONLINE),
            ("stuttgart@example.org", Attendance.Answer.IN_PERSON),
            ("kosice@example.org", Attendance.Answer.IN_PERSON),
        ]:
            if email in people:
                Attendance.objects.get_or_create(
                    meeting=wg4_2024,
                    user=people[email],
                    defaults={
                        "answer": answer,
                        "answered_at": dt.datetime(2024, 3, 20, 12, tzinfo=BRUSSELS),
                    },
                )
    _meeting(
        log,
        slug="asa-conference-2024-04-10",
        title="ASA conference 2024",
        kind=Meeting.Kind.CONFERENCE,
        working_group=None,
        start=dt.datetime(2024, 4, 10, 9, 30, tzinfo=BRUSSELS),
        end=dt.datetime(2024, 4, 10, 17, 0, tzinfo=BRUSSELS),
        format=Meeting.Format.IN_PERSON,
        venue="Committee of the Regions",
        address="Rue Belliard 99-101, 1040 Brussels",
        capacity=250,
        status=Meeting.Status.PUBLISHED,
        published_at=dt.datetime(2024, 2, 1, 9, 0, tzinfo=BRUSSELS),
        description="The alliance's yearly conference with its partners ARA and CORAI.",
        partners=[partners.get("ASA"), partners.get("ARA"), partners.get("CORAI")],
        agenda=CONFERENCE_AGENDA,
        regions=regions,
    )

    # Upcoming events, dated from the day the demo is first seeded, on working days.
    today = timezone.localdate()

    def working_day(days: int) -> dt.date:
        """`days` from today, moved on past weekends and the year's end holidays."""
        date = today + dt.timedelta(days=days)
        while _day_off(date):
            date += dt.timedelta(days=1)
        return date

    def day(days: int, hour: int, minute: int = 0, zone=BRUSSELS) -> dt.datetime:
        return dt.datetime.combine(working_day(days), dt.time(hour, minute), zone)

    def deadline(start: dt.datetime, days_before: int) -> dt.datetime:
        """17:00 on the working day `days_before` the start, or the working day before."""
        date = start.date() - dt.timedelta(days=days_before)
        while _day_off(date):
            date -= dt.timedelta(days=1)
        return dt.datetime.combine(date, dt.time(17), start.tzinfo)

    # The check-in is the next working day at 10 o'clock and the minute that makes its
    # reminder fall due four minutes after seeding (a reminder is a whole number of hours
    # before the start).
    due = (timezone.now() + dt.timedelta(minutes=4)).replace(second=0, microsecond=0)
    soon = day(1, 10, due.astimezone(BRUSSELS).minute)
    soon_reminder = round((soon - due) / dt.timedelta(hours=1))
    upcoming = [
        _meeting(
            log,
            slug="wg4-check-in",
            title="WG4 online check-in",
            kind=Meeting.Kind.WORKING_GROUP,
            working_group=groups["WG4"],
            start=soon,
            end=soon + dt.timedelta(hours=1),
            reminder_hours=[soon_reminder],
            format=Meeting.Format.ONLINE,
            online_link="https://meet.example.org/asa-wg4-check-in",
            visibility=Meeting.Visibility.MEMBERS,
            description="A short online call to prepare the next WG4 meeting.",
            agenda=[
                ("Round of the regions", 40, "discussion", "", None, None),
                ("Preparing the next meeting", 20, "other", "", None, None),
            ],
            regions=regions,
        ),
        _meeting(
            log,
            slug="wg4-next-meeting",
            title="WG4 Regional Implementation meeting",
            kind=Meeting.Kind.WORKING_GROUP,
            working_group=groups["WG4"],
            start=day(21, 10),
            end=day(21, 12, 30),
            format=Meeting.Format.HYBRID,
            venue="Maison des Régions",
            address="Rue Montoyer 10, 1000 Brussels",
            online_link="https://meet.example.org/asa-wg4-next",
            capacity=30,
            registration_deadline=deadline(day(21, 10), 3),
            partners=[partners.get("ARA")],
            agenda=NEXT_WG4_AGENDA,
            regions=regions,
        ),
        _meeting(
            log,
            slug="study-visit-stuttgart",
            title="Study visit: automotive transformation in the Stuttgart Region",
            kind=Meeting.Kind.STUDY_VISIT,
            working_group=groups["WG4"],
            start=day(42, 9, zone=BERLIN),
            end=day(42, 17, zone=BERLIN),
            time_zone="Europe/Berlin",
            format=Meeting.Format.IN_PERSON,
            venue="Wirtschaftsförderung Region Stuttgart",
            address="Friedrichstraße 10, 70174 Stuttgart",
            capacity=25,
            registration_deadline=deadline(day(42, 9, zone=BERLIN), 7),
            host_region=regions.get("stuttgart"),
            description="Visits to training centres and a supplier in transformation.",
            agenda=[
                ("Welcome by the Stuttgart Region", 30, "welcome", "", "stuttgart", None),
                ("Visit of a training centre", 180, "showcase", "", "stuttgart", None),
                ("Lunch", 60, "break", "", None, None),
                ("Visit of a supplier in transformation", 150, "showcase", "", "stuttgart", None),
                ("What we take home", 45, "discussion", "All participants", None, None),
            ],
            regions=regions,
        ),
        _meeting(
            log,
            slug="asa-conference-brussels",
            title="ASA conference",
            kind=Meeting.Kind.CONFERENCE,
            working_group=None,
            start=day(75, 9, 30),
            end=day(75, 17),
            format=Meeting.Format.HYBRID,
            venue="Committee of the Regions",
            address="Rue Belliard 99-101, 1040 Brussels",
            online_link="https://meet.example.org/asa-conference",
            capacity=250,
            invite_all_members=True,
            public_registration=True,
            partners=[partners.get("ASA"), partners.get("ARA"), partners.get("CORAI")],
            description="The alliance's yearly conference with its partners ARA and CORAI.",
            agenda=CONFERENCE_AGENDA,
            regions=regions,
        ),
    ]
    for meeting in upcoming:
        if meeting is not None and meeting.status == Meeting.Status.DRAFT:
            meeting_publish(meeting=meeting)
            log(f"Published {meeting.slug}")

    answers = [
        ("wg4-next-meeting", "member@example.org", Attendance.Answer.ONLINE),
        ("wg4-next-meeting", "kosice@example.org", Attendance.Answer.IN_PERSON),
        ("study-visit-stuttgart", "stuttgart@example.org", Attendance.Answer.IN_PERSON),
        ("study-visit-stuttgart", "kosice@example.org", Attendance.Answer.IN_PERSON),
        ("wg4-check-in", "stuttgart@example.org", Attendance.Answer.ONLINE),
    ]
    for slug, email, answer in answers:
        meeting = Meeting.objects.filter(slug=slug).first()
        if meeting is None or email not in people:
            continue
        if not Attendance.objects.filter(meeting=meeting, user=people[email]).exists():
            attendance_answer(meeting=meeting, user=people[email], answer=answer)

    conference = Meeting.objects.filter(slug="asa-conference-brussels").first()
    if conference is not None and conference.status == Meeting.Status.PUBLISHED:
        _open_to_the_public(log, conference)


# The conference's questions: (text, kind, options, required).
CONFERENCE_QUESTIONS = [
    ("Dietary needs", Question.Kind.TEXT, "", False),
    (
        "Which afternoon workshop?",
        Question.Kind.CHOICE,
        "Battery production skills\nDigital tools in the garage\nGreen skills for suppliers",
        True,
    ),
]

# People from outside the portal who registered on the public form, through the same
# services as a visitor: (email, first name, last name, organisation, country, language,
# answer, dietary needs, workshop, checked in at the door).
CONFERENCE_GUESTS = [
    (
        "claire.dubois@example.com",
        "Claire",
        "Dubois",
        "Institut de formation automobile",
        "BE",
        "fr",
        Attendance.Answer.IN_PERSON,
        "Vegetarian",
        "Battery production skills",
        True,
    ),
    (
        "jan.novak@example.com",
        "Ján",
        "Novák",
        "Slovak Automotive Training Centre",
        "SK",
        "sk",
        Attendance.Answer.ONLINE,
        "",
        "Digital tools in the garage",
        False,
    ),
    (
        "eva.lindqvist@example.com",
        "Eva",
        "Lindqvist",
        "Västra Götaland vocational school",
        "SE",
        "sv",
        Attendance.Answer.IN_PERSON,
        "No nuts, please",
        "Green skills for suppliers",
        False,
    ),
]


def _open_to_the_public(log, conference: Meeting) -> None:
    """The conference takes registrations without an account, asks two questions, and
    three guests registered (one of them already checked in at the door, as on the day).
    A demo seeded before keeps what it has; nothing is registered or sent twice."""
    if not conference.public_registration:
        meeting_update(meeting=conference, data={"public_registration": True})
        log(f"Opened {conference.slug} to the public")
    if not conference.questions.exists():
        for position, (text, kind, options, required) in enumerate(CONFERENCE_QUESTIONS, 1):
            question = Question(
                meeting=conference,
                position=position,
                text=text,
                kind=kind,
                options=options,
                required=required,
            )
            question.full_clean()
            question.save()
        log(f"Added the questions of {conference.slug}")
    diet, workshop = conference.questions.order_by("position")[:2]
    for guest in CONFERENCE_GUESTS:
        email, first, last, organisation, country, language, answer, needs, choice, came = guest
        if User.objects.filter(email=email).exists():
            continue
        responses = {str(workshop.pk): choice}
        if needs:
            responses[str(diet.pk)] = needs
        registration = registration_start(
            meeting=conference,
            data={
                "email": email,
                "first_name": first,
                "last_name": last,
                "organisation": organisation,
                "country": country,
                "answer": answer,
                "responses": responses,
            },
            language=language,
        )
        # The guest confirmed at once: the email asking to confirm would only confuse.
        Notification.objects.filter(
            kind=Notification.Kind.REGISTRATION_CONFIRM, revision=registration.pk
        ).update(
            status=Notification.Status.SKIPPED,
            last_error="Demo: the guest confirmed when the demo was seeded.",
            queued_at=None,
        )
        attendance = registration_confirm(token=registration.token)
        if came:
            Attendance.objects.filter(pk=attendance.pk).update(checked_in_at=timezone.now())
        log(f"Registered the guest {email} for {conference.slug}")


def _day_off(date: dt.date) -> bool:
    """Weekends, and 24 December to 1 January, when nobody holds or answers meetings."""
    holidays = (date.month == 12 and date.day >= 24) or (date.month == 1 and date.day == 1)
    return date.weekday() >= 5 or holidays


def _groups(log) -> dict[str, WorkingGroup]:
    groups = {}
    for code, name, mandate in GROUPS:
        group, created = WorkingGroup.objects.get_or_create(
            code=code, defaults={"name": name, "mandate": mandate}
        )
        if created:
            log(f"Created working group {code}")
        groups[code] = group
    return groups


def _meeting(log, *, slug: str, partners=(), agenda=(), regions, **fields) -> Meeting | None:
    """The meeting with this slug, created with its agenda if it does not exist yet."""
    meeting = Meeting.objects.filter(slug=slug).first()
    if meeting is not None:
        return meeting
    meeting = Meeting(slug=slug, **fields)
    meeting.full_clean()
    meeting.save()
    meeting.partners.set([partner for partner in partners if partner is not None])
    for position, (title, minutes, kind, presenters, region, practice) in enumerate(
        agenda, start=1
    ):
        item = AgendaItem(
            meeting=meeting,
            position=position,
            title=title,
            duration_minutes=minutes,
            kind=kind,
            presenters=presenters,
            presenting_region=regions.get(region) if region else None,
            showcased_practice=Practice.objects.filter(slug=practice).first()
            if practice
            else None,
        )
        item.full_clean()
        item.save()
    log(f"Created meeting {slug}")
    return meeting
