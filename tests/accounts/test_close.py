"""Closing an account: the person signs in no more, gets nothing, and stays only as
"former member" where the record must stay; another member's data is untouched."""

import csv
import datetime as dt
import io
from importlib import import_module

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user
from django.core import mail
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import User
from meetings import tokens
from meetings.invitations import meeting_message_send
from meetings.models import Attendance, Registration
from notifications.models import Notification
from notifications.services import notifications_deliver
from regions.models import RegionMembership
from tests.factories.accounts import (
    PASSWORD,
    AppDeviceFactory,
    SecretariatFactory,
    UserFactory,
    recovery_codes_for,
)
from tests.factories.meetings import AttendanceFactory, MeetingFactory, WorkingGroupFactory
from tests.factories.practices import PracticeFactory
from tests.factories.regions import MembershipFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna(db):
    return UserFactory(
        email="anna@example.org", first_name="Anna", last_name="Berg", organisation="Volvo"
    )


@pytest.fixture
def bert(db):
    return UserFactory(
        email="bert@example.org", first_name="Bert", last_name="Kovac", organisation="TUKE"
    )


@pytest.fixture
def meeting(anna, bert):
    group = WorkingGroupFactory(code="WG4", members=[anna, bert])
    meeting = MeetingFactory(title="WG4 spring meeting", slug="wg4-spring", working_group=group)
    AttendanceFactory(meeting=meeting, user=anna, answer=Attendance.Answer.IN_PERSON)
    AttendanceFactory(meeting=meeting, user=bert, answer=Attendance.Answer.ONLINE)
    return meeting


def close(client) -> object:
    return client.post(
        "/accounts/profile/close/", {"password": PASSWORD, "confirm": "on"}, follow=True
    )


def test_closing_removes_the_name_organisation_and_address_from_the_account(anna, bert):
    services.account_close(user=anna)
    anna.refresh_from_db()
    assert (anna.first_name, anna.last_name, anna.organisation) == ("", "", "")
    assert anna.email.startswith(f"closed-{anna.pk}-")
    assert anna.email.endswith("@closed.invalid")
    assert not anna.is_active
    assert not anna.has_usable_password()
    assert anna.closed_at is not None
    bert.refresh_from_db()
    assert (bert.email, bert.first_name, bert.is_active) == ("bert@example.org", "Bert", True)


def test_a_closed_account_cannot_sign_in_with_its_old_address_or_the_new_one(client, anna):
    services.account_close(user=anna)
    anna.refresh_from_db()
    for address in ("anna@example.org", anna.email):
        client.post("/accounts/login/", {"username": address, "password": PASSWORD})
        assert not get_user(client).is_authenticated


def test_the_person_closes_their_account_with_their_password_and_is_signed_out(
    client_for, anna, bert
):
    client = client_for(anna)
    response = close(client)
    assert response.redirect_chain == [("/accounts/closed/", 302)]
    assert "Your account is closed" in response.content.decode()
    assert not User.objects.get(pk=anna.pk).is_active
    assert not get_user(client).is_authenticated
    assert client.get("/me/").status_code == 302
    assert User.objects.get(pk=bert.pk).is_active


def test_closing_ends_the_session_on_the_server_too(client_for, anna):
    client = client_for(anna)
    signed_in = client.session.session_key
    close(client)
    engine = import_module(settings.SESSION_ENGINE)
    assert not engine.SessionStore().exists(signed_in)


def test_a_wrong_password_closes_nothing_and_says_so(client_for, anna):
    client = client_for(anna)
    response = client.post("/accounts/profile/close/", {"password": "not it", "confirm": "on"})
    assert response.status_code == 200
    assert "That is not your password." in response.content.decode()
    assert "checked" in response.content.decode()  # the tick is kept
    anna.refresh_from_db()
    assert anna.is_active and anna.closed_at is None
    assert get_user(client).is_authenticated


def test_without_the_tick_nothing_is_closed(client_for, anna):
    response = client_for(anna).post("/accounts/profile/close/", {"password": PASSWORD})
    assert response.status_code == 200
    assert User.objects.get(pk=anna.pk).closed_at is None


def test_the_page_after_closing_is_only_shown_right_after_closing(client):
    assert client.get("/accounts/closed/").url == "/"


def test_queued_emails_of_a_closed_account_are_skipped_and_anothers_are_sent(meeting, anna, bert):
    rows = [
        Notification.objects.create(meeting=meeting, person=person, kind="invitation")
        for person in (anna, bert)
    ]
    services.account_close(user=anna)
    notifications_deliver(ids=[row.pk for row in rows])
    assert [email.to for email in mail.outbox] == [["bert@example.org"]]
    assert dict(Notification.objects.values_list("person_id", "status")) == {
        anna.pk: "skipped",
        bert.pk: "sent",
    }


def test_no_new_email_is_made_for_a_closed_account(meeting, anna, bert):
    services.account_close(user=anna)
    meeting_message_send(meeting=meeting, subject="Slides", body="Online.", audience="answered")
    assert list(Notification.objects.values_list("person__email", flat=True)) == [
        "bert@example.org"
    ]


def test_a_closed_account_is_a_former_member_in_the_participant_list(
    client_for, meeting, anna, bert
):
    services.account_close(user=anna)
    page = client_for(bert).get("/meetings/wg4-spring/").content.decode()
    assert "former member" in page
    assert "Anna" not in page and "Berg" not in page and "Volvo" not in page
    assert "Bert Kovac, TUKE" in page


def test_a_closed_account_is_a_former_member_in_the_participants_csv(admin_client, meeting, anna):
    services.account_close(user=anna)
    response = admin_client.post(
        "/admin/meetings/meeting/",
        {"action": "export_participants", "_selected_action": [meeting.pk]},
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert sorted((r["email"], r["name"], r["organisation"], r["answer"]) for r in rows) == [
        ("", "former member", "", "In person"),
        ("bert@example.org", "Bert Kovac", "TUKE", "Online"),
    ]


def test_closing_ends_memberships_and_waiting_places_and_keeps_answers_and_practices(
    meeting, anna, bert
):
    region = RegionFactory(name="Stuttgart", slug="stuttgart")
    MembershipFactory(user=anna, region=region, role=RegionMembership.Role.MEMBER)
    MembershipFactory(user=bert, region=region, role=RegionMembership.Role.MEMBER)
    full = MeetingFactory(title="Full", capacity=1)
    AttendanceFactory(meeting=full, user=bert, answer=Attendance.Answer.IN_PERSON)
    AttendanceFactory(meeting=full, user=anna, answer="in_person", waitlisted=True)
    practice = PracticeFactory(region=region, created_by=anna)
    services.account_close(user=anna)
    assert list(anna.working_groups.all()) == []
    assert list(RegionMembership.objects.values_list("user_id", flat=True)) == [bert.pk]
    assert list(bert.working_groups.values_list("code", flat=True)) == ["WG4"]
    assert list(Attendance.objects.filter(user=anna).values_list("meeting__title", "answer")) == [
        ("WG4 spring meeting", "in_person")
    ]
    assert Attendance.objects.filter(user=bert).count() == 2
    practice.refresh_from_db()
    assert str(practice.created_by) == "former member"


def test_the_address_of_a_closed_account_can_make_a_new_account(anna):
    services.account_close(user=anna)
    newcomer, created = services.user_ensure(email="Anna@example.org", password="new one")
    assert created
    assert newcomer.pk != anna.pk
    assert newcomer.email == "anna@example.org"


def test_a_password_reset_for_a_closed_address_shows_the_same_page_and_sends_nothing(
    client, anna, bert
):
    services.account_close(user=anna)
    closed = client.post("/accounts/password_reset/", {"email": "anna@example.org"})
    unknown = client.post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert (closed.status_code, closed.url) == (unknown.status_code, unknown.url)
    assert not Notification.objects.exists()


def test_an_answer_link_of_a_closed_account_gives_a_clear_page(client, meeting, anna):
    services.account_close(user=anna)
    path = f"/rsvp/{tokens.rsvp(meeting, anna, 'online')}/"
    response = client.post(path)
    assert response.status_code == 404
    assert "This answer link is not valid" in response.content.decode()
    assert Attendance.objects.get(user=anna).answer == "in_person"


def test_an_unsubscribe_link_of_a_closed_account_gives_a_clear_page(client, anna):
    from accounts import tokens as account_tokens

    token = account_tokens.reminders_off(anna)
    services.account_close(user=anna)
    response = client.get(f"/reminders/off/{token}/")
    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()


def test_failed_sign_ins_under_the_old_address_go_and_anothers_stay(anna, bert):
    for username in ("anna@example.org", "bert@example.org"):
        AccessAttempt.objects.create(
            username=username, ip_address="10.0.0.1", user_agent="x", failures_since_start=2
        )
    services.account_close(user=anna)
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["bert@example.org"]


def test_the_only_representative_is_told_that_the_region_will_have_none(client_for, bert):
    stuttgart = RegionFactory(name="Stuttgart", slug="stuttgart")
    kosice = RegionFactory(name="Košice", slug="kosice")
    MembershipFactory(user=bert, region=stuttgart, role=RegionMembership.Role.REPRESENTATIVE)
    MembershipFactory(user=bert, region=kosice, role=RegionMembership.Role.REPRESENTATIVE)
    MembershipFactory(region=kosice, role=RegionMembership.Role.REPRESENTATIVE)
    page = client_for(bert).get("/accounts/profile/close/").content.decode()
    assert "You are the only representative of Stuttgart:" in page
    assert "Košice" not in page


def test_closing_twice_changes_nothing(anna):
    assert services.account_close(user=anna).closed
    address = User.objects.get(pk=anna.pk).email
    assert not services.account_close(user=anna).closed
    assert User.objects.get(pk=anna.pk).email == address


def test_closing_a_secretariat_account_removes_its_second_factor_and_not_anothers(db):
    closing, staying = SecretariatFactory(), SecretariatFactory()
    for person in (closing, staying):
        AppDeviceFactory(user=person)
        recovery_codes_for(person, ["a1b2c3d4", "e5f6g7h8"])
    services.account_close(user=closing)
    assert not TOTPDevice.objects.filter(user=closing).exists()
    assert not StaticDevice.objects.filter(user=closing).exists()
    assert TOTPDevice.objects.filter(user=staying).count() == 1
    assert StaticToken.objects.filter(device__user=staying).count() == 2


# -- what meetings hold: answers to events' questions, registrations, country -------------


@pytest.fixture
def asked(anna, bert):
    """A conference whose question Anna and Bert answered, each with a registration."""
    from tests.factories.meetings import PublicConferenceFactory, QuestionFactory

    conference = PublicConferenceFactory(title="ASA conference", slug="asa-conference")
    diet = QuestionFactory(meeting=conference, text="Dietary needs")
    for person, need in ((anna, "Coeliac"), (bert, "Vegan")):
        attendance = AttendanceFactory(
            meeting=conference, user=person, answer="in_person", responses={str(diet.pk): need}
        )
        Registration.objects.create(
            meeting=conference,
            email=person.email,
            consent_at=timezone.now(),
            token_hash=f"{person.pk:064d}",
            confirmed_at=timezone.now(),
            attendance=attendance,
        )
    return conference, diet


def test_closing_empties_the_persons_answers_to_questions_and_not_anothers(anna, bert, asked):
    conference, diet = asked
    services.account_close(user=anna)
    assert dict(
        Attendance.objects.filter(meeting=conference).values_list("user", "responses")
    ) == {
        anna.pk: {},
        bert.pk: {str(diet.pk): "Vegan"},
    }


def test_closing_deletes_the_persons_registrations_and_not_anothers(anna, bert, asked):
    conference, _diet = asked
    Registration.objects.create(
        meeting=MeetingFactory(),
        email="ANNA@example.org",
        consent_at=timezone.now(),
        token_hash="a" * 64,
    )
    services.account_close(user=anna)
    assert list(Registration.objects.values_list("email", flat=True)) == ["bert@example.org"]
    assert Attendance.objects.filter(meeting=conference).count() == 2


def test_closing_empties_the_country(anna):
    User.objects.filter(pk=anna.pk).update(country="SE")
    services.account_close(user=anna)
    anna.refresh_from_db()
    assert anna.country == ""


def test_closing_keeps_a_place_on_a_past_events_waiting_list_as_its_record(anna, bert):
    past = MeetingFactory(title="Past", start=timezone.now() - dt.timedelta(days=30), capacity=1)
    AttendanceFactory(meeting=past, user=bert, answer="in_person")
    AttendanceFactory(meeting=past, user=anna, answer="in_person", waitlisted=True)
    services.account_close(user=anna)
    assert Attendance.objects.filter(meeting=past, user=anna, waitlisted=True).exists()


def test_a_closed_guest_is_a_former_guest_and_a_closed_member_a_former_member(anna, bert):
    User.objects.filter(pk=anna.pk).update(is_guest=True)
    for person in (anna, bert):
        services.account_close(user=person)
    names = {person.pk: person.get_full_name() for person in User.objects.all()}
    assert names == {anna.pk: "former guest", bert.pk: "former member"}
