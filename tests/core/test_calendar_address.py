"""A member's personal calendar address is a credential: it dies with the password it was
issued under, and with the account."""

import re

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail

from tests.factories.accounts import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW = "a brand new passphrase"


def feed(client, token) -> int:
    return client.get(f"/calendar/{token}.ics").status_code


def test_changing_the_password_gives_a_new_calendar_address_and_kills_the_old(client_for, member):
    old = member.calendar_token
    client = client_for(member)
    client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    member.refresh_from_db()
    assert member.calendar_token != old
    assert feed(client_for(None), old) == 404
    assert feed(client_for(None), member.calendar_token) == 200


def test_the_profile_shows_the_new_address_after_a_password_change(client_for, member):
    client = client_for(member)
    client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    member.refresh_from_db()
    assert f"/calendar/{member.calendar_token}.ics" in client.get("/accounts/profile/").text


def test_the_password_changed_page_says_the_calendar_address_changed_too(client_for, member):
    page = client_for(member).get("/accounts/password_change/done/")
    assert "calendar address has changed" in page.text


def test_a_password_reset_by_email_kills_the_old_calendar_address(
    client, member, django_capture_on_commit_callbacks
):
    old = member.calendar_token
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password_reset/", {"email": member.email})
    link = re.search(r"http://127.0.0.1:8000(/accounts/reset/\S+/)", mail.outbox[0].body)[1]
    form_page = client.get(link, follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    member.refresh_from_db()
    assert member.check_password(NEW)
    assert feed(client, old) == 404


def test_a_password_set_by_the_secretariat_kills_the_old_calendar_address(
    client_for, secretariat, member
):
    old = member.calendar_token
    response = client_for(secretariat).post(
        f"/admin/accounts/user/{member.pk}/password/",
        {"password1": NEW, "password2": NEW, "usable_password": "true"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(NEW)
    assert feed(client_for(None), old) == 404


def test_a_password_saved_with_update_fields_also_replaces_the_address(member):
    old = member.calendar_token
    member.set_password(NEW)
    member.save(update_fields=["password"])
    member.refresh_from_db()
    assert member.calendar_token != old


def test_saving_the_profile_keeps_the_calendar_address(client_for, member):
    old = member.calendar_token
    client_for(member).post(
        "/accounts/profile/", {"first_name": "Marta", "last_name": "N", "organisation": ""}
    )
    member.refresh_from_db()
    assert (member.first_name, member.calendar_token) == ("Marta", old)


def test_a_password_hash_upgraded_at_sign_in_keeps_the_calendar_address(client, settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    person = UserFactory(email="old-hash@example.org")
    person.__class__.objects.filter(pk=person.pk).update(
        password=make_password(PASSWORD, hasher="pbkdf2_sha256")
    )
    old = person.calendar_token
    client.post("/accounts/login/", {"username": person.email, "password": PASSWORD})
    person.refresh_from_db()
    assert person.password.startswith("md5$")  # upgraded to the preferred hasher
    assert person.calendar_token == old


def test_a_deactivated_members_feed_stops_answering(client, member):
    assert feed(client, member.calendar_token) == 200
    member.is_active = False
    member.save()
    assert feed(client, member.calendar_token) == 404
