"""Region pages and the benchmarking view in the reader's language and number
conventions; the CSV download stays one file for everyone."""

from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from regions.models import Indicator
from tests.factories.practices import PublishedPracticeFactory
from tests.factories.regions import IndicatorFactory


@contextmanager
def reading_in(client: Client, language: str):
    """Requests in `language`, however the portal picks it up: the active language (no
    language middleware yet), the language cookie and the browser's Accept-Language."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    with translation.override(language):
        yield client


@pytest.fixture
def figures(region):
    """Stuttgart: 20,000 people in automotive jobs, 1,750 of them reskilled in 2023."""
    IndicatorFactory(region=region, kind=Indicator.Kind.EMPLOYMENT, value=Decimal("20000"))
    IndicatorFactory(region=region, kind=Indicator.Kind.UPSKILLED, value=Decimal("1750"))
    PublishedPracticeFactory(region=region)


@pytest.mark.parametrize(
    ("language", "thousands", "heading"),
    [
        ("en", "1,750", "Figures"),
        ("de", "1.750", "Zahlen"),
        ("fr", "1\xa0750", "Chiffres"),
    ],
)
def test_a_region_page_gives_its_figures_in_the_readers_conventions(
    language, thousands, heading, figures, client
):
    with reading_in(client, language):
        html = client.get("/regions/stuttgart/").content.decode()
    assert f'<td class="text-end">{thousands}</td>' in html
    assert f'<h2 id="indicators-heading" class="h4">{heading}</h2>' in html


def test_a_region_page_is_in_the_readers_language_but_its_name_and_text_are_not(region, client):
    region.description = "The heart of the automotive industry in Baden-Württemberg."
    region.save()
    with reading_in(client, "sk"):
        html = client.get("/regions/stuttgart/").content.decode()
    assert "Osvedčené postupy" in html
    assert "The heart of the automotive industry in Baden-Württemberg." in html
    assert "Stuttgart zatiaľ nezverejnil žiadny postup." in html


@pytest.mark.parametrize(
    ("language", "share", "employed", "target"),
    [
        ("en", "8.8%", "20,000", "5%"),
        ("de", "8,8\xa0%", "20.000", "5\xa0%"),
        ("fr", "8,8\xa0%", "20\xa0000", "5\xa0%"),
    ],
)
def test_the_compare_view_gives_shares_and_figures_in_the_readers_conventions(
    language, share, employed, target, figures, client
):
    with reading_in(client, language):
        html = client.get("/regions/compare/").content.decode()
    assert f'<td class="text-end">{share}</td>' in html
    assert f'<td class="text-end">{employed}</td>' in html
    # The chart draws the same share and the target, in the same conventions.
    assert f">{share}</text>" in html
    assert f"{target}</text>" in html


def test_the_compare_view_is_in_the_readers_language(figures, client):
    with reading_in(client, "de"):
        html = client.get("/regions/compare/").content.decode()
    assert "<h1>Regionen vergleichen</h1>" in html
    assert "Beschäftigte in der Automobilbranche" in html
    assert "Compare regions" not in html
    assert "Automotive employment" not in html


def test_the_csv_download_is_the_same_in_every_language(figures, client):
    with reading_in(client, "de"):
        german = client.get("/regions/compare/", {"format": "csv"}).content.decode()
    with reading_in(client, "en"):
        english = client.get("/regions/compare/", {"format": "csv"}).content.decode()
    assert german == english
    assert "Automotive employment,2023,20000" in german
    assert "Share of automotive workforce up- or reskilled,2023,8.8,%" in german


def test_the_region_list_is_in_the_readers_language(region, client):
    with reading_in(client, "nl"):
        html = client.get("/regions/").content.decode()
    assert "<h1>Lidregio’s</h1>" in html
    assert "Member regions" not in html


def test_a_figure_given_twice_is_refused_in_the_readers_language(
    representative, region, client_for
):
    IndicatorFactory(region=region, kind=Indicator.Kind.EMPLOYMENT, year=2023)
    data = {
        "profile-description": "",
        "profile-website": "",
        "indicators-TOTAL_FORMS": "2",
        "indicators-INITIAL_FORMS": "1",
        "indicators-MIN_NUM_FORMS": "0",
        "indicators-MAX_NUM_FORMS": "100",
        "indicators-0-id": str(region.indicators.get().pk),
        "indicators-0-kind": "employment",
        "indicators-0-year": "2023",
        "indicators-0-value": "10000",
        "indicators-0-unit": "people",
        "indicators-0-source": "Statistics office",
        "indicators-1-kind": "employment",
        "indicators-1-year": "2023",
        "indicators-1-value": "12000",
        "indicators-1-unit": "people",
        "indicators-1-source": "Statistics office",
    }
    representative.language = "sv"
    representative.save(update_fields=["language"])
    with reading_in(client_for(representative), "sv") as client:
        html = client.post("/regions/stuttgart/edit/", data).content.decode()
    assert "Regionen har redan en siffra för den här typen och det här året" in html
