"""Whose language a page is in: a signed-in person's profile, else the language menu's
cookie, else the browser's Accept-Language, else English."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from tests.factories.accounts import UserFactory

COOKIE = settings.LANGUAGE_COOKIE_NAME
PASSWORD = "a-long-enough-password"


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]*)"', response.content.decode()).group(1)


@pytest.mark.django_db
def test_a_visitor_with_no_preference_reads_english(client):
    response = client.get("/")
    assert html_lang(response) == "en"
    assert "Next meetings" in response.text


@pytest.mark.django_db
def test_a_visitor_reads_the_language_their_browser_asks_for(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9,en;q=0.5")
    assert html_lang(response) == "de"
    assert "Nächste Sitzungen" in response.text
    assert "Next meetings" not in response.text


@pytest.mark.django_db
def test_a_browser_language_the_portal_lacks_falls_back_to_english(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="pt-PT,pt;q=0.9")
    assert html_lang(response) == "en"


@pytest.mark.django_db
def test_the_language_cookie_wins_over_the_browser(client):
    client.cookies[COOKIE] = "fr"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="de")
    assert html_lang(response) == "fr"
    assert "Prochaines réunions" in response.text


@pytest.mark.django_db
def test_a_signed_in_persons_profile_wins_over_cookie_and_browser(client_for):
    client = client_for(UserFactory(language="sk"))
    client.cookies[COOKIE] = "fr"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="de")
    assert html_lang(response) == "sk"
    assert "Najbližšie stretnutia" in response.text
    assert response["Content-Language"] == "sk"


@pytest.mark.django_db
def test_a_profile_language_the_portal_no_longer_offers_leaves_the_visitors_choice(client_for):
    client = client_for(UserFactory(language="pt"))
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="nl")
    assert html_lang(response) == "nl"


@pytest.mark.django_db
def test_the_language_menu_names_each_language_in_itself_on_every_page(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="de")
    page = response.text
    assert 'action="/i18n/setlang/"' in page
    assert '<label class="visually-hidden" for="language-menu">Sprache</label>' in page
    for code, name in [("en", "English"), ("de", "Deutsch"), ("fr", "Français")]:
        assert f'<option value="{code}" lang="{code}"' in page
        assert f">{name}</option>" in page
    assert re.search(r'<option value="de" lang="de" selected>', page)
    assert 'name="next" value="/"' in page
    assert "Englisch" not in page


@pytest.mark.django_db
def test_a_visitor_chooses_a_language_in_the_menu_and_keeps_it(client):
    response = client.post("/i18n/setlang/", {"language": "sv", "next": "/practices/"})
    assert response.status_code == 302
    assert response["Location"] == "/practices/"
    assert response.cookies[COOKIE].value == "sv"
    assert html_lang(client.get("/")) == "sv"


@pytest.mark.django_db
def test_a_visitors_menu_works_without_a_csrf_token_since_cached_pages_cannot_carry_one():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "nl"


@pytest.mark.django_db
def test_a_visitors_page_carries_no_csrf_token_in_the_menu(client):
    assert "csrfmiddlewaretoken" not in client.get("/").text


@pytest.mark.django_db
def test_a_signed_in_persons_choice_in_the_menu_is_saved_on_the_profile(client_for):
    person = UserFactory(language="en")
    client = client_for(person)
    response = client.post("/i18n/setlang/", {"language": "de", "next": "/me/"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.language == "de"
    assert html_lang(client.get("/")) == "de"


@pytest.mark.django_db
def test_a_forged_post_cannot_change_a_signed_in_persons_language(db):
    person = UserFactory(language="en")
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    response = client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.language == "en"


@pytest.mark.django_db
def test_a_signed_in_persons_menu_post_with_its_token_is_accepted(db):
    person = UserFactory(language="en")
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    page = client.get("/").text
    assert "csrfmiddlewaretoken" in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        "/i18n/setlang/", {"language": "fr", "next": "/", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.language == "fr"


@pytest.mark.django_db
def test_an_unknown_language_in_the_menu_changes_nothing(client_for):
    person = UserFactory(language="en")
    response = client_for(person).post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert response.status_code == 302
    assert COOKIE not in response.cookies
    person.refresh_from_db()
    assert person.language == "en"


@pytest.mark.django_db
def test_the_menu_sends_a_visitor_back_only_to_the_portals_own_pages(client):
    response = client.post(
        "/i18n/setlang/", {"language": "de", "next": "https://elsewhere.example/"}
    )
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_the_profile_offers_each_language_named_in_itself(client_for):
    page = client_for(UserFactory(language="de")).get("/accounts/profile/").text
    assert '<select name="language"' in page
    assert '<option value="sk" lang="sk">Slovenčina</option>' in page
    assert '<option value="de" lang="de" selected>Deutsch</option>' in page
    assert ">Sprache" in page


@pytest.mark.django_db
def test_saving_a_language_on_the_profile_switches_the_portal_at_once(client_for):
    person = UserFactory(language="en", first_name="Marta")
    client = client_for(person)
    response = client.post(
        "/accounts/profile/",
        {"first_name": "Marta", "last_name": "", "organisation": "", "language": "de"},
        follow=True,
    )
    person.refresh_from_db()
    assert person.language == "de"
    assert html_lang(response) == "de"
    assert "Ihr Profil wurde gespeichert." in response.text
    # Signed out later in this browser, the portal stays in German.
    assert client.cookies[COOKIE].value == "de"


@pytest.mark.django_db
def test_a_profile_form_without_the_language_field_keeps_the_profiles_language(client_for):
    person = UserFactory(language="sv")
    client_for(person).post(
        "/accounts/profile/", {"first_name": "A", "last_name": "B", "organisation": ""}
    )
    person.refresh_from_db()
    assert person.language == "sv"


@pytest.mark.django_db
def test_the_password_reset_email_is_in_the_account_holders_language(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="marta@example.org", language="sk")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/password_reset/",
            {"email": "marta@example.org"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    (message,) = mail.outbox
    assert message.subject == "Vaše heslo na portáli ASA"
    assert "Nové heslo si zvoľte tu:" in message.body
    assert "Choose a new password" not in message.body


@pytest.mark.django_db
def test_the_admin_speaks_the_secretariats_language(client_for, secretariat):
    secretariat.language = "fr"
    secretariat.save()
    page = client_for(secretariat).get("/admin/").text
    assert '<html lang="fr"' in page
    assert "Portail ASA\u00a0: secrétariat" in page
    assert "Personnes et rôles" in page
