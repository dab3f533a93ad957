"""Cancelling a registration on its personal page (?cancel, then confirm) tells the person
by email, "Registration cancelled: <event>", in their language, with a calendar CANCEL
that takes out of their calendar the event their confirmation (REGISTERED) put there:
the same UID, a SEQUENCE at least the event's, the person as ATTENDEE. Once per
cancellation; only after a confirmation that was sent or is on its way; a member who
declines on the event's page gets nothing, as before."""

import datetime as dt
import email
import re
from email.policy import default

import pytest
from django.core import mail
from icalendar import Calendar

from meetings import registrations, tokens
from meetings.models import Attendance, Meeting
from meetings.own_registration import registration_cancel
from meetings.services import attendance_answer
from notifications.messages import Composer, NotApplicable
from notifications.models import Notification
from tests.factories.accounts import UserFactory
from tests.meetings.registration_helpers import open_event

pytestmark = pytest.mark.django_db

SITE = "https://portal.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def meeting():
    event = open_event(slug="brussels", title="ASA conference")
    # Moved twice since it was published: the calendar knows it at SEQUENCE 2.
    Meeting.objects.filter(pk=event.pk).update(sequence=2)
    event.refresh_from_db()
    event.diet, event.workshop = event.questions.order_by("position")
    return event


def register(meeting, *, email="claire@example.com", language="en", first_name="Claire"):
    """Registers on the public form and follows the confirmation link: one REGISTERED
    row, queued."""
    data = {
        "first_name": first_name,
        "last_name": "Dubois",
        "email": email,
        "organisation": "Institut de formation",
        "country": "BE",
        "answer": "in_person",
        "responses": {str(meeting.workshop.pk): "Software"},
    }
    registration = registrations.registration_start(meeting=meeting, data=data, language=language)
    return registrations.registration_confirm(token=registration.token)


def page_of(attendance) -> str:
    token = tokens.registration(attendance)
    return f"/meetings/{attendance.meeting.slug}/registration/{token}/"


def cancel_on_the_page(client, attendance, capture):
    assert client.get(page_of(attendance) + "?cancel").status_code == 200
    with capture(execute=True):
        response = client.post(page_of(attendance) + "?cancel")
    assert response.status_code == 302


def parsed(message) -> email.message.EmailMessage:
    return email.message_from_bytes(message.message().as_bytes(), policy=default)


def calendar_of(message: email.message.EmailMessage) -> tuple[Calendar, object]:
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    return Calendar.from_ical(part.get_content()), part


def registered_uid(attendance) -> str:
    row = Notification.objects.get(kind="registered", person=attendance.user)
    calendar, _part = calendar_of(parsed(Composer().build(row)))
    (event,) = calendar.walk("VEVENT")
    return str(event["UID"])


def cancelled_rows():
    return Notification.objects.filter(kind="registration_off")


# -- the email -------------------------------------------------------------------------


def test_cancelling_on_the_page_sends_one_email_whose_calendar_file_cancels_the_event(
    client, meeting, django_capture_on_commit_callbacks
):
    attendance = register(meeting)
    uid = registered_uid(attendance)
    cancel_on_the_page(client, attendance, django_capture_on_commit_callbacks)
    (sent,) = mail.outbox
    message = parsed(sent)
    assert message["To"] == "claire@example.com"
    assert message["Subject"] == "Registration cancelled: ASA conference"
    calendar, part = calendar_of(message)
    assert part.get_param("method") == "CANCEL"
    assert str(calendar["METHOD"]) == "CANCEL"
    (event,) = calendar.walk("VEVENT")
    assert uid == f"meeting-{meeting.pk}@portal.example.org"
    assert str(event["UID"]) == uid
    assert int(event["SEQUENCE"]) == 2
    assert str(event["ATTENDEE"]) == "mailto:claire@example.com"
    # Uninvited, not the event cancelled for everyone (RFC 5546 3.2.5).
    assert "STATUS" not in event


def test_the_email_says_they_may_register_again_on_the_events_page(
    client, meeting, django_capture_on_commit_callbacks
):
    attendance = register(meeting)
    cancel_on_the_page(client, attendance, django_capture_on_commit_callbacks)
    message = parsed(mail.outbox[0])
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert text.startswith("Hello Claire,\n")
    assert "Your registration for “ASA conference” is cancelled, as you asked." in text
    assert (
        "You can register again on the event's page while registration is open: "
        f"{SITE}/meetings/brussels/" in text
    )
    assert f'href="{SITE}/meetings/brussels/"' in html
    assert "the event's page</a> while registration is open." in html
    assert "The ASA secretariat" in text


def test_a_guests_footer_leads_to_their_registrations_page_not_to_a_profile(
    client, meeting, django_capture_on_commit_callbacks
):
    attendance = register(meeting)
    cancel_on_the_page(client, attendance, django_capture_on_commit_callbacks)
    text = parsed(mail.outbox[0]).get_body(("plain",)).get_content()
    (token,) = re.findall(
        rf"To see, change or cancel your registration, open {SITE}/meetings/brussels/"
        r"registration/(\S+)/\n",
        text,
    )
    link = tokens.registration_read(token)
    assert (link.meeting_id, link.person_id) == (meeting.pk, attendance.user_id)
    assert "your profile" not in text


def test_a_member_who_cancels_on_the_page_is_told_with_their_profile_in_the_footer(
    client, meeting, django_capture_on_commit_callbacks
):
    member = UserFactory(email="marc@example.org", first_name="Marc")
    attendance = register(meeting, email="marc@example.org")
    assert attendance.user == member
    cancel_on_the_page(client, attendance, django_capture_on_commit_callbacks)
    (sent,) = mail.outbox
    text = parsed(sent).get_body(("plain",)).get_content()
    assert text.startswith("Hello Marc,\n")
    assert "You get this email because you registered for “ASA conference”." in text
    assert f"the emails you get are on your profile: {SITE}/accounts/profile/" in text


def test_a_french_guest_gets_it_in_french(client, meeting, django_capture_on_commit_callbacks):
    attendance = register(meeting, language="fr")
    assert attendance.user.language == "fr"
    cancel_on_the_page(client, attendance, django_capture_on_commit_callbacks)
    message = parsed(mail.outbox[0])
    text = message.get_body(("plain",)).get_content()
    assert text.startswith("Bonjour Claire,\n")
    assert "\n-- \nLe secrétariat de l’ASA\n" in text
    assert (
        "Vous recevez cet e-mail parce que vous vous êtes inscrit(e) à «\xa0ASA conference\xa0». "
        "Pour voir, modifier ou annuler votre inscription, ouvrez "
        f"{SITE}/meetings/brussels/registration/" in text
    )
    assert '<html lang="fr">' in message.get_body(("html",)).get_content()


# -- once per cancellation, only after a confirmation ----------------------------------


def test_cancel_register_again_cancel_sends_two_emails(
    client, meeting, django_capture_on_commit_callbacks
):
    attendance = register(meeting)
    cancel_on_the_page(client, attendance, django_capture_on_commit_callbacks)
    again = register(meeting)
    assert again.pk == attendance.pk
    assert again.answer == "in_person"
    cancel_on_the_page(client, again, django_capture_on_commit_callbacks)
    assert [m.subject for m in mail.outbox] == ["Registration cancelled: ASA conference"] * 2
    assert sorted(cancelled_rows().values_list("revision", flat=True)) == [1, 2]


def test_cancelling_what_is_cancelled_already_sends_nothing_more(meeting):
    attendance = register(meeting)
    registration_cancel(attendance=attendance)
    registration_cancel(attendance=attendance)
    assert cancelled_rows().count() == 1


def test_a_registration_whose_confirmation_was_never_sent_gets_no_email(
    client, meeting, django_capture_on_commit_callbacks
):
    attendance = register(meeting)
    Notification.objects.filter(kind="registered").update(status="skipped")
    cancel_on_the_page(client, attendance, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert not cancelled_rows().exists()


def test_a_sent_confirmation_counts_as_much_as_a_queued_one(meeting):
    attendance = register(meeting)
    Notification.objects.filter(kind="registered").update(status="sent")
    registration_cancel(attendance=attendance)
    assert cancelled_rows().get().person == attendance.user


def test_a_member_declining_on_the_events_page_gets_no_email(
    client, meeting, django_capture_on_commit_callbacks
):
    member = UserFactory(email="marc@example.org")
    attendance = register(meeting, email="marc@example.org")
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/meetings/brussels/", {"answer": "declined"})
    assert response.status_code == 302
    attendance.refresh_from_db()
    assert attendance.answer == "declined"
    assert mail.outbox == []
    assert not cancelled_rows().exists()


def test_another_guests_registration_is_untouched(
    client, meeting, django_capture_on_commit_callbacks
):
    Meeting.objects.filter(pk=meeting.pk).update(capacity=None)
    claire = register(meeting)
    other = register(meeting, email="jan@example.org", first_name="Jan")
    cancel_on_the_page(client, claire, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["claire@example.com"]]
    assert cancelled_rows().get().person == claire.user
    other.refresh_from_db()
    assert other.answer == "in_person"
    assert not other.waitlisted


def test_the_email_is_not_sent_once_the_person_registered_again(meeting):
    attendance = register(meeting)
    registration_cancel(attendance=attendance)
    attendance_answer(
        meeting=meeting,
        user=attendance.user,
        answer="online",
        responses={str(meeting.workshop.pk): "Batteries"},
    )
    with pytest.raises(NotApplicable, match="registered again"):
        Composer().build(cancelled_rows().get())


def test_the_email_is_not_sent_once_the_event_is_cancelled(meeting):
    attendance = register(meeting)
    registration_cancel(attendance=attendance)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    with pytest.raises(NotApplicable, match="cancelled"):
        Composer().build(cancelled_rows().get())
    assert Attendance.objects.get(pk=attendance.pk).answer == "declined"


def test_the_email_is_not_sent_once_the_event_is_over(meeting):
    attendance = register(meeting)
    registration_cancel(attendance=attendance)
    Meeting.objects.filter(pk=meeting.pk).update(
        start=dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC),
        end=dt.datetime(2026, 3, 1, 17, tzinfo=dt.UTC),
    )
    with pytest.raises(NotApplicable, match="The meeting is over."):
        Composer().build(cancelled_rows().get())
