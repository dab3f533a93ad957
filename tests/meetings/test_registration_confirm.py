"""Following the confirmation link: a guest (or the member with that address) gets one
answer, a seat or a place on the waiting list; twice is once; an old link or a closed
event gets a clear page."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from meetings import registrations
from meetings.models import Attendance, Meeting, Registration
from meetings.services import attendance_answer
from notifications.models import Notification
from tests.factories.accounts import UserFactory
from tests.factories.meetings import AttendanceFactory
from tests.meetings.registration_helpers import open_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return open_event(slug="brussels", title="ASA conference")


def start(meeting, *, email="claire@example.com", answer="in_person", language="fr", **details):
    data = {
        "first_name": "Claire",
        "last_name": "Dubois",
        "email": email,
        "organisation": "Institut de formation",
        "country": "BE",
        "answer": answer,
        "responses": {str(meeting.workshop.pk): "Software"},
        **details,
    }
    return registrations.registration_start(meeting=meeting, data=data, language=language)


def confirm_path(registration) -> str:
    return f"/meetings/{registration.meeting.slug}/register/confirm/{registration.token}/"


def registered_rows():
    return Notification.objects.filter(kind=Notification.Kind.REGISTERED)


def test_confirming_a_new_address_makes_a_guest_with_the_registrations_details(meeting):
    registration = start(meeting)
    attendance = registrations.registration_confirm(token=registration.token)
    guest = attendance.user
    assert guest.email == "claire@example.com"
    assert guest.is_guest
    assert not guest.has_usable_password()
    assert (guest.first_name, guest.last_name) == ("Claire", "Dubois")
    assert (guest.organisation, guest.country.code, guest.language) == (
        "Institut de formation",
        "BE",
        "fr",
    )


def test_confirming_gives_the_answer_and_the_answers_to_the_questions(meeting):
    registration = start(meeting)
    attendance = registrations.registration_confirm(token=registration.token)
    assert (attendance.meeting, attendance.answer, attendance.waitlisted) == (
        meeting,
        "in_person",
        False,
    )
    assert attendance.responses == {str(meeting.workshop.pk): "Software"}


def test_confirming_empties_the_registrations_personal_details(meeting):
    registration = start(meeting)
    attendance = registrations.registration_confirm(token=registration.token)
    registration.refresh_from_db()
    assert registration.confirmed_at is not None
    assert registration.attendance == attendance
    assert (registration.email, registration.first_name, registration.last_name) == ("", "", "")
    assert (registration.organisation, registration.country, registration.responses) == (
        "",
        "",
        {},
    )


def test_confirming_queues_one_registered_email_to_the_person(meeting):
    registration = start(meeting)
    attendance = registrations.registration_confirm(token=registration.token)
    (row,) = registered_rows()
    assert (row.person, row.meeting, row.revision) == (attendance.user, meeting, registration.pk)


def test_a_members_address_is_that_member_whose_details_stay_as_they_were(meeting):
    member = UserFactory(
        email="member@example.org", first_name="Mia", last_name="Berg", organisation="Region"
    )
    registration = start(
        meeting, email="Member@Example.org", first_name="Mallory", organisation="Evil Corp"
    )
    attendance = registrations.registration_confirm(token=registration.token)
    assert attendance.user == member
    member.refresh_from_db()
    assert (member.first_name, member.last_name, member.organisation) == ("Mia", "Berg", "Region")
    assert not member.is_guest
    assert member.has_usable_password()
    assert User.objects.count() == 1


def test_a_guest_registering_for_a_second_event_stays_one_person(meeting):
    webinar = open_event(slug="webinar")
    first = registrations.registration_confirm(token=start(meeting).token).user
    second = registrations.registration_confirm(
        token=start(webinar, first_name="Clara").token
    ).user
    assert first == second
    assert second.first_name == "Claire"


def test_confirming_an_address_registered_already_keeps_one_answer(meeting):
    first = registrations.registration_confirm(token=start(meeting).token)
    again = registrations.registration_confirm(token=start(meeting, answer="online").token)
    assert again.pk == first.pk
    assert Attendance.objects.filter(meeting=meeting).count() == 1
    assert again.answer == "online"


def test_following_the_link_twice_confirms_once(meeting):
    registration = start(meeting)
    first = registrations.registration_confirm(token=registration.token)
    again = registrations.registration_confirm(token=registration.token)
    assert again.pk == first.pk
    assert Attendance.objects.count() == 1
    assert User.objects.count() == 1
    assert registered_rows().count() == 1


def test_the_page_after_a_second_post_is_the_same_confirmed_page(client, meeting):
    registration = start(meeting)
    first = client.post(confirm_path(registration))
    again = client.post(confirm_path(registration))
    assert (first.status_code, again.status_code) == (200, 200)
    assert first.content == again.content
    assert "Your registration is confirmed." in again.content.decode()
    assert Attendance.objects.count() == 1


def test_opening_the_link_confirms_nothing_until_the_button(client, meeting):
    registration = start(meeting)
    response = client.get(confirm_path(registration))
    assert response.status_code == 200
    assert "Confirm my registration" in response.content.decode()
    assert not Attendance.objects.exists()
    assert Registration.objects.get().confirmed_at is None


def test_the_confirm_page_speaks_the_language_of_the_browser_that_opens_it(client, meeting):
    registration = start(meeting, language="de")
    response = client.get(confirm_path(registration), HTTP_ACCEPT_LANGUAGE="sv")
    assert '<html lang="sv"' in response.content.decode()


# -- seats -------------------------------------------------------------------------------


def test_the_last_seat_goes_to_whoever_confirms_first_a_member_or_a_guest(meeting):
    meeting.capacity = 2
    meeting.save()
    AttendanceFactory(meeting=meeting, answer="in_person")
    registration = start(meeting)
    member = UserFactory()
    attendance_answer(meeting=meeting, user=member, answer="in_person")
    guest = registrations.registration_confirm(token=registration.token)
    assert Attendance.objects.get(user=member).waitlisted is False
    assert guest.waitlisted is True


def test_a_guest_confirming_first_takes_the_last_seat_and_the_member_waits(meeting):
    meeting.capacity = 2
    meeting.save()
    AttendanceFactory(meeting=meeting, answer="in_person")
    guest = registrations.registration_confirm(token=start(meeting).token)
    member = attendance_answer(meeting=meeting, user=UserFactory(), answer="in_person")
    assert (guest.waitlisted, member.waitlisted) == (False, True)


def test_the_confirmed_page_says_a_seat_or_the_waiting_list(client, meeting):
    meeting.capacity = 1
    meeting.save()
    seated = client.post(confirm_path(start(meeting))).content.decode()
    waiting = client.post(confirm_path(start(meeting, email="jan@example.sk"))).content.decode()
    assert "You have a seat." in seated
    assert "You are on the waiting list" in waiting


# -- links that cannot confirm ---------------------------------------------------------


def test_a_link_older_than_a_day_is_refused_with_a_clear_page(client, meeting):
    registration = start(meeting)
    Registration.objects.update(created_at=timezone.now() - dt.timedelta(hours=24, minutes=1))
    response = client.post(confirm_path(registration))
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_link_younger_than_a_day_still_confirms(client, meeting):
    registration = start(meeting)
    Registration.objects.update(created_at=timezone.now() - dt.timedelta(hours=23, minutes=59))
    assert client.post(confirm_path(registration)).status_code == 200
    assert Attendance.objects.exists()


def test_the_hours_a_link_works_are_a_setting(client, meeting, settings):
    settings.REGISTRATION_CONFIRM_HOURS = 2
    registration = start(meeting)
    Registration.objects.update(created_at=timezone.now() - dt.timedelta(hours=3))
    assert client.post(confirm_path(registration)).status_code == 410


def test_a_link_of_a_cancelled_event_gets_a_clear_page(client, meeting):
    registration = start(meeting)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    response = client.get(confirm_path(registration))
    assert response.status_code == 410
    assert "Registration is closed" in response.content.decode()
    assert client.post(confirm_path(registration)).status_code == 410
    assert not Attendance.objects.exists()


def test_a_link_after_the_deadline_gets_a_clear_page(client, meeting):
    registration = start(meeting)
    Meeting.objects.filter(pk=meeting.pk).update(
        registration_deadline=timezone.now() - dt.timedelta(minutes=1)
    )
    assert client.post(confirm_path(registration)).status_code == 410
    assert not Attendance.objects.exists()


def test_an_unknown_or_cut_off_link_gets_a_clear_page(client, meeting):
    registration = start(meeting)
    assert client.get(confirm_path(registration)[:-10] + "/").status_code == 404
    assert client.post("/meetings/brussels/register/confirm/nothing/").status_code == 404


def test_a_link_under_another_events_address_is_not_valid(client, meeting):
    registration = start(meeting)
    open_event(slug="webinar")
    path = f"/meetings/webinar/register/confirm/{registration.token}/"
    assert client.post(path).status_code == 404
    assert not Attendance.objects.exists()


def test_a_confirmed_link_whose_answer_was_removed_is_not_valid(client, meeting):
    registration = start(meeting)
    registrations.registration_confirm(token=registration.token)
    Attendance.objects.all().delete()
    assert client.get(confirm_path(registration)).status_code == 404


def test_starting_a_registration_for_an_event_not_open_is_refused(meeting):
    Meeting.objects.filter(pk=meeting.pk).update(public_registration=False)
    meeting.refresh_from_db()
    with pytest.raises(ValidationError):
        start(meeting)
    assert not Registration.objects.exists()
