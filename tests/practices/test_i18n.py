"""Practices in the reader's language, and each practice in its own.

The interface follows the reader; the write-up keeps the language it was written in,
which the practice records: marked with lang for screen readers, filtered by, and
searched by its own language's rules on PostgreSQL.
"""

import datetime as dt
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from practices.models import MAX_BODY_LENGTH, Practice
from tests.factories.practices import PracticeFactory, PublishedPracticeFactory
from tests.services import require_postgresql


@contextmanager
def reading_in(client: Client, language: str):
    """Requests in `language`, however the portal picks it up: the active language (no
    language middleware yet), the language cookie and the browser's Accept-Language."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    with translation.override(language):
        yield client


# The start of the "description too long" error in each language, with the limit
# (20,000) in that language's digits.
TOO_LONG = {
    "de": "Die Beschreibung darf höchstens 20.000 Zeichen lang sein",
    "fr": "La description peut compter au plus 20\xa0000 caractères",
    "nl": "De beschrijving mag hoogstens 20.000 tekens lang zijn",
    "sv": "Beskrivningen får vara högst 20\xa0000 tecken lång",
    "sk": "Opis môže mať najviac 20\xa0000 znakov",
}


@pytest.mark.parametrize("language", sorted(TOO_LONG))
def test_the_practice_form_shows_its_error_in_the_readers_language_and_keeps_the_text(
    language, representative, region, client_for
):
    representative.language = language
    representative.save(update_fields=["language"])
    with reading_in(client_for(representative), language) as client:
        response = client.post(
            "/practices/new/",
            {
                "region": region.pk,
                "title": "Duálne vzdelávanie v Košiciach",
                "language": "sk",
                "summary": "Školy a firmy spolu.",
                "body": "x" * (MAX_BODY_LENGTH + 1),
                "action": "save",
            },
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert TOO_LONG[language] in html
    assert "The description may be at most" not in html
    assert 'value="Duálne vzdelávanie v Košiciach"' in html
    assert "Školy a firmy spolu." in html
    assert '<option value="sk" selected lang="sk">Slovenčina</option>' in html
    assert not Practice.objects.exists()


def test_the_practice_form_is_in_the_readers_language(representative, client_for):
    representative.language = "de"
    representative.save(update_fields=["language"])
    with reading_in(client_for(representative), "de") as client:
        html = client.get("/practices/new/").content.decode()
    assert "Speichern und zur Prüfung einreichen" in html
    assert '<option value="" selected>Wie der Text</option>' in html
    assert "Save and submit for review" not in html


def test_a_representative_records_the_language_of_the_write_up(representative, region, client_for):
    response = client_for(representative).post(
        "/practices/new/",
        {
            "region": region.pk,
            "title": "Duálne vzdelávanie",
            "language": "sk",
            "summary": "Dual education with the region's suppliers.",
            "summary_language": "en",
            "body": "Školy a firmy spolu.",
            "action": "save",
        },
    )
    practice = Practice.objects.get()
    assert response.status_code == 302
    assert (practice.language, practice.summary_language) == ("sk", "en")


def test_a_practice_is_in_english_unless_told_otherwise(region):
    assert PracticeFactory(region=region).language == "en"


def test_the_write_up_is_marked_with_its_language_and_the_summary_with_its_own(region, client):
    practice = PublishedPracticeFactory(
        region=region,
        title="Duálne vzdelávanie",
        language="sk",
        summary="Dual education with the region's suppliers.",
        summary_language="en",
        body="Školy a **firmy** spolu.",
        results="600 študentov.",
    )
    html = client.get(practice.get_absolute_url()).content.decode()
    assert '<h1 lang="sk">Duálne vzdelávanie</h1>' in html
    assert '<p class="lead" lang="en">' in html
    assert '<div class="practice-body" lang="sk"><p>Školy a <strong>firmy</strong>' in html
    assert '<p lang="sk">600 študentov.</p>' in html
    assert 'written in <span class="practice-language">Slovenčina</span>' in html


def test_the_page_around_the_write_up_follows_the_reader(region, client):
    practice = PublishedPracticeFactory(region=region, language="sk", results="600.")
    with reading_in(client, "fr"):
        html = client.get(practice.get_absolute_url()).content.decode()
    assert "Résultats" in html
    assert "langue de la fiche\xa0: <span" in html
    assert ">Results<" not in html


def _titles(response) -> set[str]:
    return {p.title for p in response.context["page_obj"]} if response.context else set()


def test_the_practice_list_can_be_filtered_by_language(region, client):
    PublishedPracticeFactory(region=region, title="Duálne vzdelávanie", language="sk")
    PublishedPracticeFactory(region=region, title="Ausbildung", language="de")
    PublishedPracticeFactory(region=region, title="Dual training")
    response = client.get("/practices/", {"language": "sk"})
    assert "Duálne vzdelávanie" in response.content.decode()
    assert "Ausbildung" not in response.content.decode()
    assert "Dual training" not in response.content.decode()


def test_the_language_filter_names_each_language_in_itself(region, client):
    PublishedPracticeFactory(region=region)
    with reading_in(client, "de"):
        html = client.get("/practices/").content.decode()
    assert "Sprache des Textes" in html
    for code, name in settings.LANGUAGES:
        assert f'<option value="{code}" lang="{code}">{name}</option>' in html
    assert "Praxisbeispiele anzeigen" in html
    assert "Show practices" not in html


def test_the_list_counts_practices_in_the_readers_language(region, client):
    PublishedPracticeFactory.create_batch(3, region=region)
    with reading_in(client, "sk"):
        html = client.get("/practices/").content.decode()
    assert "3 postupy" in html


def test_a_card_names_the_language_of_a_write_up_in_another_one(region, client):
    PublishedPracticeFactory(region=region, title="Duálne vzdelávanie", language="sk")
    html = client.get("/practices/").content.decode()
    assert '<span class="practice-language">Slovenčina</span>' in html
    assert 'lang="sk">Duálne vzdelávanie</a>' in html


def test_search_finds_a_slovak_word_in_a_slovak_practice_accents_aside(region, client):
    PublishedPracticeFactory(
        region=region, title="Duálne vzdelávanie", language="sk", body="Školy a firmy."
    )
    PublishedPracticeFactory(region=region, title="Dual training")
    for query in ["vzdelávanie", "vzdelavanie", "ŠKOLY"]:
        assert "Duálne vzdelávanie" in client.get("/practices/", {"q": query}).content.decode()


def test_search_on_postgresql_finds_a_slovak_word_in_a_slovak_practice(region, client):
    require_postgresql()
    PublishedPracticeFactory(
        region=region,
        title="Duálne vzdelávanie",
        language="sk",
        summary="Stredné odborné školy a automobiloví dodávatelia.",
        body="Študenti sú tri dni v týždni vo firme.",
    )
    PublishedPracticeFactory(region=region, title="Dual training", body="Students.")
    assert _search(client, "vzdelávanie") == {"Duálne vzdelávanie"}
    assert _search(client, "dodavatelia tyzdni") == {"Duálne vzdelávanie"}


def test_search_on_postgresql_stems_a_german_practice_by_german_rules(region, client):
    require_postgresql()
    PublishedPracticeFactory(
        region=region,
        title="Transformationsnetzwerk",
        language="de",
        body="Die Ausbildung der Beschäftigten kleiner Zulieferer.",
    )
    PublishedPracticeFactory(region=region, title="Dual training", body="Apprentices.")
    assert _search(client, "Ausbildungen") == {"Transformationsnetzwerk"}
    assert _search(client, "Zulieferern Beschäftigte") == {"Transformationsnetzwerk"}


def test_search_on_postgresql_still_finds_words_as_typed_and_as_prefixes(region, client):
    require_postgresql()
    PublishedPracticeFactory(
        region=region,
        title="Duálne vzdelávanie",
        language="sk",
        summary="Dual education with the region's suppliers.",
        summary_language="en",
    )
    # The English summary of a Slovak write-up, and the start of a word.
    assert _search(client, "suppliers") == {"Duálne vzdelávanie"}
    assert _search(client, "vzdel") == {"Duálne vzdelávanie"}


def test_search_on_postgresql_finds_the_start_of_a_word_that_stemming_shortens(region, client):
    require_postgresql()
    # English rules store "electromobility" as "electromobl": "electromobil" is found
    # through the text indexed word for word.
    PublishedPracticeFactory(region=region, title="Reskilling for electromobility")
    assert _search(client, "electromobil") == {"Reskilling for electromobility"}


def test_search_on_postgresql_finds_a_word_begun_like_a_stop_word(region, client):
    require_postgresql()
    # English rules drop "on" from a query; typed as the start of a word, it is kept.
    PublishedPracticeFactory(region=region, title="Online courses for mechanics")
    PublishedPracticeFactory(region=region, title="Dual training")
    assert _search(client, "on") == {"Online courses for mechanics"}


def test_search_on_postgresql_follows_a_practice_whose_language_changed(region, client):
    require_postgresql()
    practice = PublishedPracticeFactory(
        region=region, title="Netzwerk", body="Die Ausbildung der Beschäftigten."
    )
    assert _search(client, "Ausbildungen") == set()  # English rules: no German stem
    practice.language = "de"
    practice.save()
    assert _search(client, "Ausbildungen") == {"Netzwerk"}


def _search(client, query: str) -> set[str]:
    return _titles(client.get("/practices/", {"q": query}))


def test_the_admin_edits_the_language_of_a_practice(secretariat, region, client_for):
    practice = PracticeFactory(region=region, language="sk")
    html = (
        client_for(secretariat)
        .get(f"/admin/practices/practice/{practice.pk}/change/")
        .content.decode()
    )
    assert '<option value="sk" selected>Slovenčina</option>' in html
    assert 'name="summary_language"' in html


def test_the_admin_review_page_marks_the_write_up_with_its_language(
    secretariat, region, client_for
):
    practice = PracticeFactory(
        region=region, language="de", body="Die Ausbildung.", status=Practice.Status.SUBMITTED
    )
    html = (
        client_for(secretariat)
        .get(f"/admin/practices/practicereview/{practice.pk}/change/")
        .content.decode()
    )
    assert '<div class="write-up-body" lang="de">' in html


def test_the_review_page_names_a_pending_change_of_language(secretariat, region, client_for):
    practice = PublishedPracticeFactory(
        region=region,
        language="en",
        status=Practice.Status.SUBMITTED,
        pending={"title": "Netzwerk", "language": "de"},
    )
    html = (
        client_for(secretariat)
        .get(f"/admin/practices/practicereview/{practice.pk}/change/")
        .content.decode()
    )
    assert "<dt>language</dt><dd>Deutsch</dd>" in html


@pytest.mark.django_db
def test_a_practice_page_dates_its_publication_as_german_readers_write_dates(client):
    practice = PublishedPracticeFactory(published_at=dt.datetime(2024, 3, 27, 12, tzinfo=dt.UTC))
    with translation.override("de"):
        page = client.get(practice.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de")
    assert "27. März 2024" in page.content.decode()
