"""Signing in with an email address, signing out, changing and resetting a password."""

import re

import pytest
from django.core import mail

from tests.factories.accounts import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def sign_in(client, email, password):
    return client.post("/accounts/login/", {"username": email, "password": password})


def test_a_member_signs_in_with_email_and_password(client, member):
    response = sign_in(client, "member@example.org", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/me/"  # their own page
    assert client.get("/accounts/profile/").status_code == 200


def test_the_email_address_is_matched_without_regard_to_case(client, member):
    response = sign_in(client, "Member@Example.ORG", PASSWORD)
    assert response.status_code == 302


def test_a_wrong_password_is_refused_with_a_clear_message_and_keeps_the_email(client, member):
    response = sign_in(client, "member@example.org", "wrong password")
    assert response.status_code == 200
    assert "That email address and password do not match" in response.text
    assert 'value="member@example.org"' in response.text
    assert "_auth_user_id" not in client.session


def test_an_inactive_person_cannot_sign_in(client):
    UserFactory(email="gone@example.org", is_active=False)
    response = sign_in(client, "gone@example.org", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_signing_in_returns_to_the_page_asked_for(client, member):
    response = client.post(
        "/accounts/login/?next=/accounts/profile/",
        {"username": "member@example.org", "password": PASSWORD, "next": "/accounts/profile/"},
    )
    assert response["Location"] == "/accounts/profile/"


def test_sign_out_is_a_post_that_ends_the_session(client_for, member):
    client = client_for(member)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_member_changes_their_password(client_for, member):
    client = client_for(member)
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "a brand new passphrase",
            "new_password2": "a brand new passphrase",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("a brand new passphrase")


def test_password_reset_sends_an_email_whose_link_sets_a_new_password(
    client, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password_reset/", {"email": "member@example.org"})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["member@example.org"]
    assert message.subject == "Your ASA Portal password"
    link = re.search(r"http://127.0.0.1:8000(/accounts/reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.text
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "another long passphrase", "new_password2": "another long passphrase"},
    )
    member.refresh_from_db()
    assert member.check_password("another long passphrase")


def test_password_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_a_member_updates_their_profile_and_time_zone(client_for, member):
    client = client_for(member)
    response = client.post(
        "/accounts/profile/",
        {
            "first_name": "Marta",
            "last_name": "Nováková",
            "organisation": "",
            "time_zone": "Europe/Bratislava",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.time_zone == "Europe/Bratislava"


def test_an_unknown_time_zone_is_refused_and_the_form_keeps_what_was_typed(client_for, member):
    client = client_for(member)
    response = client.post(
        "/accounts/profile/",
        {
            "first_name": "Marta",
            "last_name": "Typed",
            "organisation": "",
            "time_zone": "Mars/Olympus",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert 'value="Typed"' in response.text
    member.refresh_from_db()
    assert member.time_zone == ""


def test_email_addresses_are_unique_whatever_their_case(db):
    from django.db import IntegrityError, transaction

    UserFactory(email="same@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(email="SAME@example.org")
