"""The site's frame and home page in each language, with no English left in their
interface strings; dates and numbers in the reader's conventions."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import formats, translation

COOKIE = settings.LANGUAGE_COOKIE_NAME

# Strings of base.html, the navigation and home.html, as they appear between tags.
ENGLISH = [
    "Skip to main content",
    "Meetings",
    "Working groups",
    "Practices",
    "Sign in",
    "Change language",
    "Automotive Skills Alliance portal",
    "Next meetings",
    "Newest best practices",
    "No practice has been published yet.",
]
TRANSLATED = {
    "de": ["Zum Hauptinhalt springen", "Sitzungen", "Arbeitsgruppen", "Praxisbeispiele",
           "Anmelden", "Sprache wechseln", "Portal der Automotive Skills Alliance",
           "Nächste Sitzungen", "Neueste bewährte Praktiken",
           "Es wurde noch kein Praxisbeispiel veröffentlicht."],
    "fr": ["Aller au contenu principal", "Réunions", "Groupes de travail", "Pratiques",
           "Se connecter", "Changer de langue", "Portail de l’Automotive Skills Alliance",
           "Prochaines réunions", "Dernières bonnes pratiques",
           "Aucune pratique n’a encore été publiée."],
    "nl": ["Naar de hoofdinhoud", "Vergaderingen", "Werkgroepen", "Praktijkvoorbeelden",
           "Inloggen", "Taal wijzigen", "Portaal van de Automotive Skills Alliance",
           "Volgende vergaderingen", "Nieuwste goede praktijken",
           "Er is nog geen praktijkvoorbeeld gepubliceerd."],
    "sv": ["Hoppa till huvudinnehållet", "Möten", "Arbetsgrupper", "Praxisexempel",
           "Logga in", "Byt språk", "Automotive Skills Alliance-portalen",
           "Nästa möten", "Senaste goda exempel", "Inget praxisexempel har publicerats ännu."],
    "sk": ["Preskočiť na hlavný obsah", "Stretnutia", "Pracovné skupiny", "Postupy",
           "Prihlásiť sa", "Zmeniť jazyk", "Portál Automotive Skills Alliance",
           "Najbližšie stretnutia", "Najnovšie osvedčené postupy",
           "Zatiaľ nebol zverejnený žiadny postup."],
}  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("language", sorted(TRANSLATED))
def test_the_home_page_has_no_english_left_in_its_interface(client, language):
    client.cookies[COOKIE] = language
    page = client.get("/").text
    for english, translated in zip(ENGLISH, TRANSLATED[language], strict=True):
        assert f">{translated}<" in page, translated
        assert f">{english}<" not in page, english
    assert f'<html lang="{language}">' in page


@pytest.mark.django_db
@pytest.mark.parametrize("language", sorted(TRANSLATED))
def test_the_not_found_page_is_in_the_readers_language(client, language):
    client.cookies[COOKIE] = language
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" not in response.text
    assert f'<html lang="{language}">' in response.text


@pytest.mark.parametrize(
    "language, expected",
    [
        ("de", "27. März 2024"),
        ("fr", "27 mars 2024"),
        ("nl", "27 maart 2024"),
        ("sv", "27 mars 2024"),
    ],
)
def test_dates_follow_the_readers_language(language, expected):
    with translation.override(language):
        assert formats.date_format(dt.date(2024, 3, 27), "DATE_FORMAT") == expected
        assert formats.time_format(dt.time(14, 30), "TIME_FORMAT") == "14:30"


def test_english_keeps_the_british_formats_it_had_before():
    moment = dt.datetime(2024, 3, 27, 14, 30)
    with translation.override("en"):
        assert formats.date_format(moment, "DATE_FORMAT") == "27 Mar 2024"
        assert formats.date_format(moment, "SHORT_DATE_FORMAT") == "27/03/2024"
    with translation.override("en-gb"):
        assert formats.date_format(moment, "DATE_FORMAT") == "27 Mar 2024"


@pytest.mark.parametrize(
    "language, expected",
    [("en", "1,750"), ("de", "1.750"), ("nl", "1.750"), ("sk", "1\xa0750"), ("sv", "1\xa0750")],
)
def test_figures_are_grouped_in_the_readers_convention(language, expected):
    with translation.override(language):
        assert intcomma(1750) == expected
