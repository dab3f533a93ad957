"""The visitors' page cache and the shared fragments keep one copy per language."""

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from asa_portal.cache import shared_fragment, shared_html

COOKIE = settings.LANGUAGE_COOKIE_NAME


@pytest.mark.django_db
def test_a_german_visitor_after_an_english_one_gets_the_german_page(client):
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Next meetings" in english.text
    german = client.get("/", HTTP_ACCEPT_LANGUAGE="de")
    assert "Nächste Sitzungen" in german.text
    assert "Next meetings" not in german.text


@pytest.mark.django_db
def test_a_visitor_who_chose_a_language_in_the_menu_gets_that_page_from_the_cache(client):
    client.get("/")
    client.cookies[COOKIE] = "sk"
    assert "Najbližšie stretnutia" in client.get("/").text


@pytest.mark.django_db
def test_each_language_is_served_from_its_own_cache_entry(client, django_assert_num_queries):
    client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    with django_assert_num_queries(0):
        page = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    assert "Prochaines réunions" in page.text


@pytest.mark.django_db
def test_cached_pages_vary_on_the_browsers_language_and_the_cookie(client):
    vary = client.get("/")["Vary"]
    assert "Accept-Language" in vary
    assert "Cookie" in vary


def test_a_shared_fragment_built_in_english_is_not_served_in_german():
    def build():
        return gettext("Next meetings")

    with translation.override("en"):
        assert shared_fragment("heading", build=build) == "Next meetings"
    with translation.override("de"):
        assert shared_fragment("heading", build=build) == "Nächste Sitzungen"
    with translation.override("en"):
        assert shared_fragment("heading", build=build) == "Next meetings"


def test_shared_html_is_kept_per_language():
    def render(language):
        with translation.override(language):
            return shared_html("404.html", user=None, context=dict)

    assert "Page not found" in render("en")
    assert "Seite nicht gefunden" in render("de")
    assert "Stránka sa nenašla" in render("sk")
