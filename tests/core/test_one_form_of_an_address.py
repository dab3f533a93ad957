"""One form of an address (accounts.models.normalise_email) finds the account, names it
for the sign-in pauses and counts its reset requests: a spelling the database would fold
onto another address (the long s "ſ" on PostgreSQL) reaches no account, on PostgreSQL
and SQLite alike."""

import pytest
from django.core import mail

from accounts.models import User, normalise_email
from notifications.models import Notification
from tests.factories.accounts import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LONG_S = "\u017ftuttgart@example.org"  # ſtuttgart@example.org
KELVIN = "\u212aosice@example.org"  # the Kelvin sign, which lower() makes a plain k


@pytest.fixture
def stuttgart(db):
    return UserFactory(email="stuttgart@example.org")


@pytest.fixture
def kosice(db):
    return UserFactory(email="kosice@example.org")


def sign_in(client, email, password, *, address="10.0.0.1"):
    return client.post(
        "/accounts/login/", {"username": email, "password": password}, REMOTE_ADDR=address
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_one_form_is_stripped_and_in_lower_case_and_folds_nothing_else():
    assert normalise_email("  Stuttgart@Example.ORG ") == "stuttgart@example.org"
    assert normalise_email(LONG_S) == "\u017ftuttgart@example.org"
    assert normalise_email("Straße@example.de") == "straße@example.de"


def test_an_address_with_a_long_s_signs_in_to_no_account(client, stuttgart, kosice):
    response = sign_in(client, LONG_S, PASSWORD)
    assert response.status_code == 200
    assert not signed_in(client)


def test_while_an_account_is_paused_a_long_s_spelling_does_not_sign_in(client, stuttgart, kosice):
    for _ in range(5):
        sign_in(client, "stuttgart@example.org", "wrong password")
    assert sign_in(client, "stuttgart@example.org", PASSWORD).status_code == 429
    sign_in(client, LONG_S, PASSWORD, address="10.0.0.2")
    assert not signed_in(client)


def test_a_spelling_that_finds_the_account_counts_against_its_pause(client, stuttgart, kosice):
    for _ in range(5):
        sign_in(client, "kosice@example.org", "wrong password", address="10.0.0.1")
    assert sign_in(client, KELVIN, PASSWORD, address="10.0.0.2").status_code == 429
    assert not signed_in(client)
    other = sign_in(client, "stuttgart@example.org", PASSWORD, address="10.0.0.3")
    assert other.status_code == 302


def test_a_spelling_that_finds_the_account_signs_in_when_it_is_not_paused(client, kosice):
    assert sign_in(client, KELVIN, PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(kosice.pk)


def test_reset_requests_with_a_long_s_send_nothing_to_the_account(
    client, stuttgart, kosice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for number, email in enumerate(["stuttgart@example.org"] * 4 + [LONG_S] * 4):
            client.post(
                "/accounts/password_reset/", {"email": email}, REMOTE_ADDR=f"10.0.1.{number}"
            )
    assert [message.to for message in mail.outbox] == [["stuttgart@example.org"]] * 3
    assert Notification.objects.filter(person=stuttgart).count() == 3


def test_an_address_is_stored_in_the_form_that_finds_it(client, db):
    person = User(email="  Mixed.Case@Example.org ")
    person.set_password(PASSWORD)
    person.save()
    person.refresh_from_db()
    assert person.email == "mixed.case@example.org"
    assert sign_in(client, "MIXED.case@example.org", PASSWORD).status_code == 302


def test_the_migration_puts_addresses_saved_around_the_model_in_the_one_form(client, kosice):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("accounts.migrations.0007_emails_in_one_form")
    User.objects.filter(pk=kosice.pk).update(email=" Kosice@Example.ORG")
    migration.normalise(apps, None)
    kosice.refresh_from_db()
    assert kosice.email == "kosice@example.org"
    assert sign_in(client, "kosice@example.org", PASSWORD).status_code == 302
