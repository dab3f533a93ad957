"""Sending the public form: one registration waiting for confirmation and one email to
the address typed, the same page whatever the address, and limits per client and per
address."""

import re

import pytest

from meetings.models import Attendance, Registration
from notifications.messages import Composer
from notifications.models import Notification
from tests.factories.accounts import UserFactory
from tests.factories.meetings import AttendanceFactory
from tests.meetings.registration_helpers import form_data, open_event, register_url

pytestmark = pytest.mark.django_db

CSRF_INPUT = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]*">')


@pytest.fixture
def meeting():
    return open_event(slug="brussels", title="ASA conference")


def confirm_rows():
    return Notification.objects.filter(kind=Notification.Kind.REGISTRATION_CONFIRM)


def test_sending_the_form_keeps_the_registration_waiting_for_confirmation(client, meeting):
    response = client.post(register_url(meeting), form_data(meeting, email=" Claire@Example.COM"))
    assert response.status_code == 200
    registration = Registration.objects.get()
    assert (registration.meeting, registration.email) == (meeting, "claire@example.com")
    assert (registration.first_name, registration.last_name) == ("Claire", "Dubois")
    assert (registration.organisation, registration.country.code) == (
        "Institut de formation",
        "BE",
    )
    assert registration.answer == "in_person"
    assert registration.responses == {
        str(meeting.diet.pk): "Vegetarian",
        str(meeting.workshop.pk): "Software",
    }
    assert registration.consent_at is not None
    assert registration.confirmed_at is None
    # Nothing counts yet: no person, no answer.
    assert not Attendance.objects.exists()


def test_sending_the_form_makes_one_confirmation_email_to_the_address_typed(client, meeting):
    client.post(register_url(meeting), form_data(meeting))
    registration = Registration.objects.get()
    (row,) = confirm_rows()
    assert (row.address, row.person, row.meeting) == ("claire@example.com", None, meeting)
    assert row.revision == registration.pk


def test_the_token_is_in_no_row_only_its_hash(client, meeting):
    client.post(register_url(meeting), form_data(meeting))
    registration = Registration.objects.get()
    message = Composer().build(confirm_rows().get())
    (link,) = re.findall(r"http://\S+/register/confirm/(\S+)/", message.body)
    assert len(registration.token_hash) == 64
    assert link not in str(Notification.objects.values().get())
    assert link not in str(Registration.objects.values().get())


def test_the_confirmation_email_says_what_to_do_and_its_link_confirms(client, meeting):
    client.post(register_url(meeting), form_data(meeting))
    message = Composer().build(confirm_rows().get())
    assert message.to == ["claire@example.com"]
    assert message.subject.startswith("Confirm your registration: ASA conference, ")
    assert "Hello Claire," in message.body
    (url,) = re.findall(r"(http://\S+/register/confirm/\S+/)", message.body)
    path = url.removeprefix("http://127.0.0.1:8000")
    assert path.startswith("/meetings/brussels/register/confirm/")
    assert client.post(path).status_code == 200
    assert Attendance.objects.get(meeting=meeting).user.email == "claire@example.com"


def test_the_confirmation_email_is_in_the_language_of_the_page_it_was_sent_from(client, meeting):
    client.post(register_url(meeting), form_data(meeting), HTTP_ACCEPT_LANGUAGE="fr")
    assert Registration.objects.get().language == "fr"
    message = Composer().build(confirm_rows().get())
    html = next(content for content, kind in message.alternatives if kind == "text/html")
    assert '<html lang="fr">' in html


def test_the_page_says_check_your_email(client, meeting):
    response = client.post(register_url(meeting), form_data(meeting))
    assert "Check your email" in response.content.decode()


def answer_for(client, meeting, email: str):
    response = client.post(register_url(meeting), form_data(meeting, email=email))
    return response.status_code, CSRF_INPUT.sub("", response.content.decode())


def test_a_members_address_and_a_new_one_get_the_same_answer(client, meeting):
    UserFactory(email="member@example.org", first_name="Mia")
    new = answer_for(client, meeting, "someone-new@example.com")
    members = answer_for(client, meeting, "member@example.org")
    assert new == members
    assert new[0] == 200


def test_an_address_registered_already_gets_the_same_answer_as_a_new_one(client, meeting):
    AttendanceFactory(meeting=meeting, user__email="already@example.org", answer="in_person")
    new = answer_for(client, meeting, "someone-new@example.com")
    registered = answer_for(client, meeting, "already@example.org")
    assert new == registered


def test_a_members_address_gets_its_confirmation_email_as_any_other(client, meeting):
    UserFactory(email="member@example.org")
    client.post(register_url(meeting), form_data(meeting, email="member@example.org"))
    (row,) = confirm_rows()
    assert (row.address, row.person) == ("member@example.org", None)


# -- limits ----------------------------------------------------------------------------


def test_over_the_limit_for_one_address_the_form_is_refused_with_when_to_try_again(
    client, meeting, settings
):
    settings.REGISTRATION_LIMITS = {"email": (2, 3600), "client": (100, 3600)}
    for _ in range(2):
        assert client.post(register_url(meeting), form_data(meeting)).status_code == 200
    response = client.post(register_url(meeting), form_data(meeting))
    assert response.status_code == 429
    assert "Too many registrations from your connection or for this address." in (
        response.content.decode()
    )
    assert "Try again after" in response.content.decode()
    assert 'value="Claire"' in response.content.decode()
    assert Registration.objects.count() == 2
    assert confirm_rows().count() == 2


def test_the_address_limit_leaves_other_addresses_and_other_events_alone(
    client, meeting, settings
):
    settings.REGISTRATION_LIMITS = {"email": (1, 3600), "client": (100, 3600)}
    other_event = open_event(slug="webinar")
    client.post(register_url(meeting), form_data(meeting))
    other_address = client.post(register_url(meeting), form_data(meeting, email="jan@example.sk"))
    same_address_other_event = client.post(register_url(other_event), form_data(other_event))
    assert (other_address.status_code, same_address_other_event.status_code) == (200, 200)


def test_the_address_limit_counts_an_address_in_any_case(client, meeting, settings):
    settings.REGISTRATION_LIMITS = {"email": (1, 3600), "client": (100, 3600)}
    client.post(register_url(meeting), form_data(meeting, email="claire@example.com"))
    response = client.post(register_url(meeting), form_data(meeting, email="CLAIRE@example.com"))
    assert response.status_code == 429


def test_over_the_limit_for_one_client_the_form_is_refused_whatever_the_address(
    client, meeting, settings
):
    settings.REGISTRATION_LIMITS = {"email": (100, 3600), "client": (2, 3600)}
    for n in range(2):
        data = form_data(meeting, email=f"person{n}@example.com")
        assert client.post(register_url(meeting), data).status_code == 200
    response = client.post(register_url(meeting), form_data(meeting, email="fresh@example.com"))
    assert response.status_code == 429
    assert Registration.objects.count() == 2


def test_the_client_limit_leaves_another_client_alone(client, meeting, settings):
    settings.REGISTRATION_LIMITS = {"email": (100, 3600), "client": (1, 3600)}
    client.post(register_url(meeting), form_data(meeting), REMOTE_ADDR="10.0.0.1")
    other = client.post(
        register_url(meeting), form_data(meeting, email="jan@example.sk"), REMOTE_ADDR="10.0.0.2"
    )
    assert other.status_code == 200


def test_a_refused_form_does_not_count_against_the_limits(client, meeting, settings):
    settings.REGISTRATION_LIMITS = {"email": (1, 3600), "client": (1, 3600)}
    client.post(register_url(meeting), form_data(meeting, consent=None))
    assert client.post(register_url(meeting), form_data(meeting)).status_code == 200
