"""The confirmation of a registration for an event open to the public (kind "registered"):
registered or waiting, the event's time and place, the answers, the personal link, the
QR code for the door and the calendar REQUEST; and the emails that follow (updates,
cancellations, reminders, seats, messages) reaching those registered as they reach
members, once each, with a guest's footer leading to their registration's page."""

import datetime as dt
import email
import re
from email.policy import default
from io import BytesIO

import html5lib
import pytest
import segno
from django.test import Client
from icalendar import Calendar
from PIL import Image

from meetings import invitations, services
from meetings.models import Attendance, Meeting
from notifications.messages import Composer, NotApplicable
from notifications.models import Notification
from notifications.services import notifications_create
from tests.factories.accounts import UserFactory
from tests.factories.meetings import (
    BRUSSELS,
    AttendanceFactory,
    PublicConferenceFactory,
    QuestionFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db

SITE = "https://portal.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def conference():
    return PublicConferenceFactory(
        title="ASA conference",
        slug="asa-conference",
        start=dt.datetime(2030, 4, 10, 9, 0, tzinfo=BRUSSELS),
        end=dt.datetime(2030, 4, 10, 17, 0, tzinfo=BRUSSELS),
        capacity=1,
    )


@pytest.fixture
def dietary(conference):
    return QuestionFactory(meeting=conference, text="Dietary needs", position=1)


@pytest.fixture
def workshop(conference):
    return QuestionFactory(
        meeting=conference,
        text="Afternoon workshop",
        kind="choice",
        options="Batteries\nSoftware",
        position=2,
    )


@pytest.fixture
def guest():
    return UserFactory(is_guest=True, email="ana@example.org", first_name="Ana", last_name="Novak")


@pytest.fixture
def seated(conference, guest, workshop, dietary):
    return AttendanceFactory(
        meeting=conference,
        user=guest,
        answer="in_person",
        checkin_code="ABCDEFGHJK",
        responses={str(workshop.pk): "Software"},
    )


def registered_row(attendance, revision=17, status=Notification.Status.QUEUED):
    return Notification.objects.create(
        meeting=attendance.meeting,
        person=attendance.user,
        kind="registered",
        revision=revision,
        status=status,
    )


def built(row) -> email.message.EmailMessage:
    """The message as a mail program reads it."""
    message = Composer().build(row)
    return email.message_from_bytes(message.message().as_bytes(), policy=default)


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(("html",)).get_content()


def calendar_of(message) -> Calendar:
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    return Calendar.from_ical(part.get_content())


def personal_link(text: str) -> str:
    (link,) = re.findall(r"registration: (https://\S+)", text)
    return link


# -- the confirmation ------------------------------------------------------------------


def test_a_seated_registration_says_registered_in_its_subject_and_first_line(seated):
    message = built(registered_row(seated))
    assert message["Subject"] == "Registered: ASA conference, 10 April 2030"
    text = text_of(message)
    assert text.startswith(
        "Hello Ana,\n\nYou are registered for ASA conference, in person: your seat is booked."
    )
    assert "When: Wed 10 April 2030, 09:00–17:00 (Brussels time)" in text
    assert "Where: Maison des Régions, Rue Montoyer 10, Brussels" in text


def test_a_registration_on_the_waiting_list_says_so_in_its_subject_and_first_line(seated):
    Attendance.objects.filter(pk=seated.pk).update(waitlisted=True)
    message = built(registered_row(seated))
    assert message["Subject"] == "Waiting list: ASA conference, 10 April 2030"
    assert (
        "You are on the waiting list for ASA conference: all in-person seats are taken. "
        "We will email you as soon as a seat is free for you."
    ) in text_of(message)


def test_a_registration_on_the_waiting_list_has_no_qr_code_or_code_for_the_door(seated):
    Attendance.objects.filter(pk=seated.pk).update(waitlisted=True)
    message = built(registered_row(seated))
    assert "ABCDEFGHJK" not in message.as_string()
    assert "At the door" not in text_of(message)
    assert not [p for p in message.walk() if p.get_content_maintype() == "image"]


def test_a_registration_on_the_waiting_list_is_tentative_in_the_calendar(seated):
    Attendance.objects.filter(pk=seated.pk).update(waitlisted=True)
    (event,) = calendar_of(built(registered_row(seated))).walk("VEVENT")
    assert event["ATTENDEE"].params["PARTSTAT"] == "TENTATIVE"


def test_the_answers_to_the_questions_are_listed_in_their_order(seated):
    message = built(registered_row(seated))
    assert (
        "Your answers:\n- Dietary needs: not answered\n- Afternoon workshop: Software\n"
    ) in text_of(message)
    html = html_of(message)
    assert html.index("Dietary needs") < html.index("Afternoon workshop")


def test_the_personal_link_opens_the_registration_page_without_signing_in(seated):
    message = built(registered_row(seated))
    link = personal_link(text_of(message))
    assert link.startswith(f"{SITE}/meetings/asa-conference/registration/")
    assert f'href="{link}"' in html_of(message)
    response = Client().get(link.removeprefix(SITE))
    assert response.status_code == 200
    assert "ana@example.org" in response.text


def test_the_check_in_code_is_in_the_text_for_typing(seated):
    assert (
        "At the door: show the QR code in this email, or give your check-in code: ABCDEFGHJK"
    ) in text_of(built(registered_row(seated)))


def test_the_qr_code_is_an_inline_png_beside_the_html_that_shows_it_by_its_content_id(seated):
    message = built(registered_row(seated))
    (related,) = [p for p in message.walk() if p.get_content_type() == "multipart/related"]
    html_part, image = related.iter_parts()
    assert html_part.get_content_type() == "text/html"
    assert image.get_content_type() == "image/png"
    assert image["Content-ID"] == "<check-in-abcdefghjk@portal.example.org>"
    assert image.get_content_disposition() == "inline"
    assert '<img src="cid:check-in-abcdefghjk@portal.example.org"' in html_part.get_content()
    assert 'alt="QR code for the door, check-in code ABCDEFGHJK"' in html_part.get_content()


def modules_of_png(png: bytes, size: int) -> list[list[bool]]:
    """The dark modules of a QR code image with a quiet zone of 4, read at their centres."""
    image = Image.open(BytesIO(png)).convert("L")
    side = image.width / (size + 8)
    return [
        [
            image.getpixel((int((4 + x + 0.5) * side), int((4 + y + 0.5) * side))) < 128
            for x in range(size)
        ]
        for y in range(size)
    ]


def test_the_qr_code_holds_the_check_in_page_with_the_persons_code(seated):
    message = built(registered_row(seated))
    (image,) = [p for p in message.walk() if p.get_content_type() == "image/png"]
    expected = segno.make(
        "https://portal.example.org/meetings/asa-conference/check-in/?code=ABCDEFGHJK",
        error="m",
        micro=False,
    )
    matrix = [[bool(module) for module in row] for row in expected.matrix]
    assert modules_of_png(image.get_content(), len(matrix)) == matrix


def test_an_online_registration_has_no_qr_code_or_code_for_the_door(seated):
    Attendance.objects.filter(pk=seated.pk).update(answer="online")
    message = built(registered_row(seated))
    assert "You are registered for ASA conference, online." in text_of(message)
    assert "ABCDEFGHJK" not in message.as_string()
    assert not [p for p in message.walk() if p.get_content_maintype() == "image"]


def test_the_calendar_is_a_request_naming_the_person_as_attendee_with_the_events_uid(seated):
    calendar = calendar_of(built(registered_row(seated)))
    assert calendar["METHOD"] == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"meeting-{seated.meeting.pk}@portal.example.org"
    attendee = event["ATTENDEE"]
    assert str(attendee) == "mailto:ana@example.org"
    assert attendee.params["CN"] == "Ana Novak"
    assert attendee.params["PARTSTAT"] == "ACCEPTED"


def test_the_calendar_has_the_uid_of_the_events_updates_so_they_move_it(seated, conference):
    member = UserFactory(email="member@example.org")
    AttendanceFactory(meeting=conference, user=member, answer="online")
    update = Notification.objects.create(
        meeting=conference, person=member, kind="update", revision=1
    )
    (registered_event,) = calendar_of(built(registered_row(seated))).walk("VEVENT")
    (update_event,) = calendar_of(built(update)).walk("VEVENT")
    assert registered_event["UID"] == update_event["UID"]


def test_the_confirmation_is_in_the_persons_language(seated, guest):
    guest.language = "de"
    guest.save()
    message = built(registered_row(seated))
    assert message["Subject"].endswith("ASA conference, 10. April 2030")
    text = text_of(message)
    assert text.startswith("Guten Tag Ana,")
    assert "Wann: " in text


def test_a_hostile_name_and_title_are_text_in_the_html(seated, guest, conference):
    guest.first_name = '<script>alert("name")</script>'
    guest.save()
    conference.title = '<img src=x onerror="alert(1)">'
    conference.save()
    html = html_of(built(registered_row(seated)))
    document = html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)
    assert document.findall(".//script") == []
    images = document.findall(".//img")
    assert [image.get("src") for image in images] == ["cid:check-in-abcdefghjk@portal.example.org"]
    heading = document.find(".//h1")
    assert heading.text == 'Registered: <img src=x onerror="alert(1)">, 10 April 2030'
    greeting = document.find(".//body/p")
    assert greeting.text == 'Hello <script>alert("name")</script>,'


def test_a_guests_confirmation_has_no_profile_link_nor_unsubscribe(seated):
    message = built(registered_row(seated))
    assert message["List-Unsubscribe"] is None
    text = text_of(message)
    assert "/accounts/profile/" not in message.as_string()
    assert text.endswith(
        "You get this email because you registered for “ASA conference”.\n"
        "What the portal keeps about you, and for how long: "
        "https://portal.example.org/privacy/\n\n"
    )


def test_a_members_confirmation_keeps_the_profile_link(conference, dietary):
    member = UserFactory(email="member@example.org", first_name="Jan")
    attendance = AttendanceFactory(meeting=conference, user=member, answer="online")
    text = text_of(built(registered_row(attendance)))
    assert (
        "Your language, time zone and the emails you get are on your profile: "
        "https://portal.example.org/accounts/profile/"
    ) in text


def test_a_cancelled_registration_gets_no_confirmation(seated):
    Attendance.objects.filter(pk=seated.pk).update(answer="declined")
    with pytest.raises(NotApplicable, match="cancelled the registration"):
        built(registered_row(seated))


def test_a_cancelled_event_sends_no_confirmation(seated, conference):
    conference.status = Meeting.Status.CANCELLED
    conference.save()
    with pytest.raises(NotApplicable, match="cancelled"):
        built(registered_row(seated))


def test_a_confirmation_still_queued_when_the_event_is_over_is_not_sent(seated, conference):
    conference.start = dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)
    conference.end = dt.datetime(2026, 3, 1, 17, tzinfo=dt.UTC)
    conference.save(update_fields=["start", "end"])
    with pytest.raises(NotApplicable, match="The meeting is over."):
        built(registered_row(seated))


def test_the_confirmation_goes_through_the_outbox_to_the_person(
    smtp, seated, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notifications_create(
            rows=[
                Notification(
                    meeting=seated.meeting, person=seated.user, kind="registered", revision=17
                )
            ]
        )
    (received,) = smtp.received
    assert received.envelope_to == ["ana@example.org"]
    assert received.subject == "Registered: ASA conference, 10 April 2030"
    assert received.calendar_filename == "registration.ics"
    assert Notification.objects.get(kind="registered").status == "sent"


# -- who is told of changes ------------------------------------------------------------


@pytest.fixture
def people(conference):
    """A guest told of the event (their confirmation sent), a guest whose confirmation
    still waits, a guest who cancelled, and a member both invited and registered."""
    told = UserFactory(is_guest=True, email="told@example.org")
    waiting = UserFactory(is_guest=True, email="waiting@example.org")
    cancelled = UserFactory(is_guest=True, email="cancelled@example.org")
    member = UserFactory(email="member@example.org")
    sent = Notification.Status.SENT
    for person, answer, status in [
        (told, "online", sent),
        (waiting, "online", Notification.Status.QUEUED),
        (cancelled, "declined", sent),
        (member, "online", sent),
    ]:
        attendance = AttendanceFactory(meeting=conference, user=person, answer=answer)
        registered_row(attendance, status=status)
    Notification.objects.create(meeting=conference, person=member, kind="invitation", status=sent)
    return {"told": told, "waiting": waiting, "cancelled": cancelled, "member": member}


def recipients(meeting, kind) -> list[str]:
    return sorted(
        Notification.objects.filter(meeting=meeting, kind=kind).values_list(
            "person__email", flat=True
        )
    )


def test_an_update_reaches_those_registered_once_but_not_who_cancelled_or_still_waits(
    conference, people
):
    services.meeting_update(
        meeting=conference, data={"start": conference.start + dt.timedelta(hours=1)}
    )
    assert recipients(conference, "update") == ["member@example.org", "told@example.org"]


def test_a_cancellation_reaches_those_registered_once_but_not_who_cancelled(conference, people):
    assert sorted(invitations.cancellation_audience(meeting=conference)) == sorted(
        [people["told"].pk, people["member"].pk]
    )
    invitations.meeting_cancellations_queue(
        meeting=Meeting.objects.filter(pk=conference.pk).first()
    )
    assert recipients(conference, "cancellation") == ["member@example.org", "told@example.org"]


def test_the_cancel_page_names_guests_as_registered_on_the_events_page(conference, people):
    sources = invitations.audience_breakdown(
        meeting=conference, only=invitations.cancellation_audience(meeting=conference)
    )
    assert [(source.label, sorted(p.email for p in source.people)) for source in sources] == [
        ("registered on the event's page", ["member@example.org", "told@example.org"])
    ]


def test_a_reminder_reaches_those_registered_once_but_not_who_cancelled(conference, people):
    Notification.objects.filter(kind="registered", person=people["waiting"]).update(
        status=Notification.Status.SENT
    )
    rows = invitations._reminder_rows(conference, 24, conference.start - dt.timedelta(days=1))
    emails = sorted(UserFactory._meta.model.objects.get(pk=row.person_id).email for row in rows)
    assert emails == ["member@example.org", "told@example.org", "waiting@example.org"]


def test_a_declined_guest_is_not_reminded_even_when_the_row_exists(conference, people):
    reminder = Notification.objects.create(
        meeting=conference, person=people["cancelled"], kind="reminder", revision=24
    )
    with pytest.raises(NotApplicable, match="declined"):
        built(reminder)


# -- the emails that follow, for a guest -----------------------------------------------


@pytest.fixture
def guest_online(conference, guest):
    attendance = AttendanceFactory(meeting=conference, user=guest, answer="online")
    registered_row(attendance, status=Notification.Status.SENT)
    return attendance


@pytest.mark.parametrize("kind", ["update", "reminder"])
def test_a_guests_update_and_reminder_lead_to_their_page_without_unsubscribe(guest_online, kind):
    row = Notification.objects.create(
        meeting=guest_online.meeting, person=guest_online.user, kind=kind, revision=1
    )
    message = built(row)
    assert message["List-Unsubscribe"] is None
    assert "/accounts/profile/" not in message.as_string()
    text = text_of(message)
    link = re.search(r"To see, change or cancel your registration, open (\S+)", text)[1]
    assert link.startswith(f"{SITE}/meetings/asa-conference/registration/")
    assert Client().get(link.removeprefix(SITE)).status_code == 200
    assert f'<a href="{link}"' in html_of(message)


def test_a_members_reminder_keeps_its_unsubscribe_link(conference):
    member = UserFactory(email="member@example.org")
    AttendanceFactory(meeting=conference, user=member, answer="online")
    row = Notification.objects.create(
        meeting=conference, person=member, kind="reminder", revision=24
    )
    message = built(row)
    assert message["List-Unsubscribe"].strip().startswith(f"<{SITE}/reminders/off/")
    assert "/registration/" not in message.as_string()


def test_a_guests_answer_link_in_a_reminder_cancels_their_registration(guest_online):
    row = Notification.objects.create(
        meeting=guest_online.meeting, person=guest_online.user, kind="reminder", revision=24
    )
    text = text_of(built(row))
    declined_link = re.search(r"- I cannot attend: (\S+)", text)[1]
    response = Client().post(declined_link.removeprefix(SITE))
    assert response.status_code == 200
    guest_online.refresh_from_db()
    assert guest_online.answer == "declined"


def test_a_guest_seated_from_the_waiting_list_is_told_with_their_page(
    conference, guest, django_capture_on_commit_callbacks
):
    first = UserFactory(is_guest=True, email="first@example.org")
    services.attendance_answer(meeting=conference, user=first, answer="in_person")
    services.attendance_answer(meeting=conference, user=guest, answer="in_person")
    assert Attendance.objects.get(user=guest).waitlisted
    with django_capture_on_commit_callbacks(execute=True):
        services.attendance_answer(meeting=conference, user=first, answer="declined")
    (seat,) = Notification.objects.filter(kind="seat")
    assert seat.person == guest
    message = built(seat)
    assert message["Subject"] == "Seat confirmed: ASA conference, 10 April 2030"
    assert "To see, change or cancel your registration, open " in text_of(message)


def seat_given_to(conference, guest, capture):
    """The guest waits behind the one seat's holder, who then declines."""
    first = UserFactory(is_guest=True, email="first@example.org")
    services.attendance_answer(meeting=conference, user=first, answer="in_person")
    services.attendance_answer(meeting=conference, user=guest, answer="in_person")
    Attendance.objects.filter(user=guest).update(checkin_code="KMNPQRSTUV")
    with capture(execute=True):
        services.attendance_answer(meeting=conference, user=first, answer="declined")
    (seat,) = Notification.objects.filter(kind="seat")
    assert seat.person == guest
    return built(seat)


def test_a_seat_from_the_waiting_list_brings_the_door_code_the_confirmation_did_not(
    conference, guest, django_capture_on_commit_callbacks
):
    message = seat_given_to(conference, guest, django_capture_on_commit_callbacks)
    # One blank line between the paragraphs, as in every other email.
    assert (
        "The meeting's page: https://portal.example.org/meetings/asa-conference/\n\n"
        "At the door: show the QR code in this email, or give your check-in code: KMNPQRSTUV"
        "\n\nYour answer so far: In person. To change it:\n"
    ) in text_of(message).replace("\r\n", "\n")
    (related,) = [p for p in message.walk() if p.get_content_type() == "multipart/related"]
    html_part, image = related.iter_parts()
    assert image["Content-ID"] == "<check-in-kmnpqrstuv@portal.example.org>"
    document = html5lib.parse(html_part.get_content(), namespaceHTMLElements=False)
    (img,) = document.iter("img")
    assert img.get("src") == "cid:check-in-kmnpqrstuv@portal.example.org"
    assert img.get("alt") == "QR code for the door, check-in code KMNPQRSTUV"
    assert img.get("width") == img.get("height") != ""
    expected = segno.make(
        "https://portal.example.org/meetings/asa-conference/check-in/?code=KMNPQRSTUV",
        error="m",
        micro=False,
    )
    matrix = [[bool(module) for module in row] for row in expected.matrix]
    assert modules_of_png(image.get_content(), len(matrix)) == matrix


def test_a_seat_at_a_meeting_not_open_to_the_public_brings_no_door_code(
    conference, guest, django_capture_on_commit_callbacks
):
    Meeting.objects.filter(pk=conference.pk).update(public_registration=False)
    conference.refresh_from_db()
    message = seat_given_to(conference, guest, django_capture_on_commit_callbacks)
    assert "check-in code" not in text_of(message)
    assert (
        "The meeting's page: https://portal.example.org/meetings/asa-conference/\n\n"
        "Your answer so far: In person. To change it:\n"
    ) in text_of(message).replace("\r\n", "\n")
    assert [p for p in message.walk() if p.get_content_type() == "image/png"] == []
    assert "<img" not in html_of(message)


def test_a_message_to_participants_reaches_a_guest_with_their_page(guest_online):
    invitations.meeting_message_send(
        meeting=guest_online.meeting,
        subject="Slides",
        body="The slides are online.",
        audience="answered",
    )
    (row,) = Notification.objects.filter(kind="message")
    message = built(row)
    assert message["List-Unsubscribe"] is None
    assert "/accounts/profile/" not in message.as_string()
    assert "To see, change or cancel your registration, open " in text_of(message)


def test_a_members_message_keeps_its_stop_link_beside_a_guests(conference, guest_online):
    member = UserFactory(email="member@example.org")
    AttendanceFactory(meeting=conference, user=member, answer="online")
    invitations.meeting_message_send(
        meeting=conference, subject="Slides", body="Online.", audience="answered"
    )
    composer = Composer()
    by_email = {
        row.person.email: composer.build(row)
        for row in Notification.objects.filter(kind="message").select_related("person")
    }
    assert (
        by_email["member@example.org"]
        .extra_headers["List-Unsubscribe"]
        .startswith(f"<{SITE}/emails/off/")
    )
    assert "List-Unsubscribe" not in by_email["ana@example.org"].extra_headers


def test_a_group_member_invited_and_registered_gets_one_update(conference):
    group = WorkingGroupFactory(code="WG4")
    member = UserFactory(email="member@example.org")
    group.members.add(member)
    attendance = AttendanceFactory(meeting=conference, user=member, answer="online")
    registered_row(attendance, status=Notification.Status.SENT)
    registered_row(attendance, revision=18, status=Notification.Status.SENT)
    Notification.objects.create(
        meeting=conference, person=member, kind="invitation", status=Notification.Status.SENT
    )
    services.meeting_update(
        meeting=conference, data={"start": conference.start + dt.timedelta(hours=1)}
    )
    assert recipients(conference, "update") == ["member@example.org"]
    rows = invitations._reminder_rows(conference, 24, conference.start)
    assert [row.person_id for row in rows] == [member.pk]
