import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from meetings import tokens
from meetings.models import Attendance, Meeting
from meetings.registrations import registration_start
from tests.access.table import LOGIN, Row, everyone, secretariat_only, signed_in
from tests.factories.accounts import UserFactory
from tests.factories.meetings import (
    AgendaItemFactory,
    AttendanceFactory,
    DraftMeetingFactory,
    MeetingFactory,
    PublicConferenceFactory,
    QuestionFactory,
    WorkingGroupFactory,
)


def build(world) -> None:
    world.group = WorkingGroupFactory(code="WG4", name="Regional Implementation")
    world.public = MeetingFactory(slug="public", working_group=world.group)
    world.members_only = MeetingFactory(
        slug="members-only", visibility=Meeting.Visibility.MEMBERS, working_group=world.group
    )
    # Named apart from the other apps' objects in the same world (a draft practice).
    world.draft_meeting = DraftMeetingFactory(slug="draft", working_group=world.group)
    for meeting in (world.public, world.members_only, world.draft_meeting):
        AgendaItemFactory(
            meeting=meeting, document=ContentFile(b"%PDF-1.4 slides", name="slides.pdf")
        )
    world.cancelled = MeetingFactory(
        slug="cancelled", status=Meeting.Status.CANCELLED, working_group=world.group
    )
    # Open to the public: a registration form, and a link waiting to be confirmed.
    world.open_event = PublicConferenceFactory(slug="open-event")
    QuestionFactory(meeting=world.open_event, text="Dietary needs")
    world.registration = registration_start(
        meeting=world.open_event,
        data={
            "email": "visitor@example.com",
            "first_name": "Claire",
            "last_name": "Dubois",
            "country": "BE",
            "answer": "in_person",
        },
        language="en",
    )
    # Someone to find at the public meeting's door, and someone with another event's code.
    world.at_the_door = AttendanceFactory(
        meeting=world.public,
        user=UserFactory(first_name="Jana", last_name="Nováková", organisation="Košice IT"),
        answer=Attendance.Answer.IN_PERSON,
    )
    world.at_another_door = AttendanceFactory(
        meeting=world.members_only, answer=Attendance.Answer.ONLINE
    )
    _build_registrations(world)


def _build_registrations(world) -> None:
    """A guest registered for a conference open to the public, and for a cancelled and a
    past event (meetings:registration: the personal link's token is the credential)."""
    guest = UserFactory(is_guest=True, email="access-guest@example.org")
    world.guest_conference = PublicConferenceFactory(slug="open-conference", capacity=50)
    QuestionFactory(meeting=world.guest_conference, text="Dietary needs")
    world.guest_registration = AttendanceFactory(
        meeting=world.guest_conference, user=guest, answer="in_person"
    )
    world.guest_registration_cancelled = AttendanceFactory(meeting=world.cancelled, user=guest)
    start = timezone.now() - dt.timedelta(days=3)
    past = PublicConferenceFactory(
        slug="past-conference", start=start, end=start + dt.timedelta(hours=3)
    )
    world.guest_registration_past = AttendanceFactory(meeting=past, user=guest)


def registration_page(attendance_of, query: str = ""):
    def path(world) -> str:
        attendance = attendance_of(world)
        token = tokens.registration(attendance)
        return f"/meetings/{attendance.meeting.slug}/registration/{token}/{query}"

    return path


def secretariat_preview(status: int = 200) -> dict[str, int | str]:
    """Drafts: 404 to everyone but the secretariat."""
    return {**everyone(404), "secretariat": status}


def token_of(world) -> str:
    return world.people["member"].calendar_token


def document_of(meeting) -> str:
    item = meeting.agenda_items.exclude(document="").get()
    return f"/meetings/{meeting.slug}/documents/{item.pk}/"


ROWS = [
    Row("meetings:document", lambda w: document_of(w.public), everyone(), note="(public)"),
    Row(
        "meetings:document",
        lambda w: document_of(w.members_only),
        signed_in(),
        note="(members only)",
    ),
    Row(
        "meetings:document",
        lambda w: document_of(w.draft_meeting),
        secretariat_preview(),
        note="(draft)",
    ),
    Row("meetings:list", lambda w: "/meetings/", everyone()),
    Row("meetings:past", lambda w: "/meetings/past/", everyone()),
    Row("meetings:detail", lambda w: "/meetings/public/", everyone(), note="(public)"),
    Row(
        "meetings:detail",
        lambda w: "/meetings/members-only/",
        signed_in(),
        note="(members only)",
    ),
    Row("meetings:detail", lambda w: "/meetings/draft/", secretariat_preview(), note="(draft)"),
    Row("meetings:detail", lambda w: "/meetings/cancelled/", everyone(), note="(cancelled)"),
    Row("meetings:detail", lambda w: "/meetings/nothing/", everyone(404), note="(unknown)"),
    Row(
        "meetings:detail",
        lambda w: "/meetings/public/",
        {**everyone(400), "anonymous": LOGIN},
        method="post",
        note="(answer, no data: the page again, with the error)",
    ),
    # Members are told to answer on the event's page (200, no form).
    Row("meetings:register", lambda w: "/meetings/open-event/register/", everyone()),
    Row(
        "meetings:register",
        lambda w: "/meetings/open-event/register/",
        {**everyone(200), "anonymous": 400},
        method="post",
        note="(empty form: refused, on its fields)",
    ),
    Row(
        "meetings:register",
        lambda w: "/meetings/public/register/",
        everyone(404),
        note="(not open to the public)",
    ),
    Row(
        "meetings:register",
        lambda w: "/meetings/cancelled/register/",
        everyone(404),
        note="(cancelled, never open)",
    ),
    Row(
        "meetings:register_confirm",
        lambda w: f"/meetings/open-event/register/confirm/{w.registration.token}/",
        everyone(),
        note="(the token is the credential)",
    ),
    Row(
        "meetings:register_confirm",
        lambda w: f"/meetings/open-event/register/confirm/{w.registration.token}/",
        everyone(),
        method="post",
        note="(confirms; again: the same page)",
    ),
    Row(
        "meetings:register_confirm",
        lambda w: "/meetings/open-event/register/confirm/not-a-token/",
        everyone(404),
        note="(unknown token)",
    ),
    Row("meetings:ics", lambda w: "/meetings/public/calendar.ics", everyone(), note="(public)"),
    Row(
        "meetings:ics",
        lambda w: "/meetings/members-only/calendar.ics",
        signed_in(),
        note="(members only)",
    ),
    Row(
        "meetings:ics",
        lambda w: "/meetings/draft/calendar.ics",
        secretariat_preview(),
        note="(draft)",
    ),
    Row("meetings:calendar_feed", lambda w: "/calendar.ics", everyone()),
    Row(
        "meetings:calendar_personal",
        lambda w: f"/calendar/{token_of(w)}.ics",
        everyone(),
        note="(the token is the credential)",
    ),
    Row(
        "meetings:calendar_personal",
        lambda w: "/calendar/not-a-token.ics",
        everyone(404),
        note="(unknown token)",
    ),
    Row("meetings:calendar_reset", lambda w: "/calendar/reset/", signed_in(405), note="(GET)"),
    Row(
        "meetings:calendar_reset",
        lambda w: "/calendar/reset/",
        signed_in(302),
        method="post",
        note="(POST)",
    ),
    Row(
        "meetings:registration",
        registration_page(lambda w: w.guest_registration),
        everyone(),
        note="(shows, GET)",
    ),
    Row(
        "meetings:registration",
        registration_page(lambda w: w.guest_registration),
        everyone(400),
        method="post",
        note="(changes, no data: the form's errors)",
    ),
    Row(
        "meetings:registration",
        registration_page(lambda w: w.guest_registration, "?cancel"),
        everyone(),
        note="(asks before cancelling, GET)",
    ),
    Row(
        "meetings:registration",
        registration_page(lambda w: w.guest_registration, "?cancel"),
        everyone(302),
        method="post",
        note="(cancels, POST)",
    ),
    Row(
        "meetings:registration",
        lambda w: "/meetings/open-conference/registration/forged:token/",
        everyone(404),
        note="(forged)",
    ),
    Row(
        "meetings:registration",
        registration_page(lambda w: w.guest_registration_cancelled),
        everyone(410),
        note="(cancelled event)",
    ),
    Row(
        "meetings:registration",
        registration_page(lambda w: w.guest_registration_past),
        everyone(410),
        note="(past event)",
    ),
    Row("meetings:checkin", lambda w: "/meetings/public/check-in/", secretariat_only()),
    Row(
        "meetings:checkin",
        lambda w: f"/meetings/public/check-in/?code={w.at_the_door.checkin_code}",
        secretariat_only(),
        note="(a participant's code)",
    ),
    Row(
        "meetings:checkin",
        lambda w: f"/meetings/public/check-in/?code={w.at_another_door.checkin_code}",
        secretariat_only(),
        note="(another event's code)",
    ),
    Row(
        "meetings:checkin",
        lambda w: "/meetings/public/check-in/?q=jana",
        secretariat_only(),
        note="(search by name)",
    ),
    Row(
        "meetings:checkin",
        lambda w: "/meetings/draft/check-in/",
        secretariat_only(),
        note="(draft)",
    ),
    Row(
        "meetings:checkin",
        lambda w: "/meetings/nothing/check-in/",
        secretariat_only(404),
        note="(unknown)",
    ),
    Row(
        "meetings:checkin",
        lambda w: "/meetings/public/check-in/",
        secretariat_only(302),
        method="post",
        note="(mark, no data: sent back)",
    ),
    Row("meetings:group_list", lambda w: "/groups/", everyone()),
    Row("meetings:group_detail", lambda w: "/groups/WG4/", everyone()),
    Row("meetings:group_detail", lambda w: "/groups/WG99/", everyone(404), note="(unknown)"),
]
