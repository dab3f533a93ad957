"""The figures form and request bodies have limits that refuse hostile input cheaply,
with a clear message and nothing saved."""

import pytest

from regions.forms import MAX_FIGURES, IndicatorFormSet
from regions.models import Indicator
from tests.factories.regions import IndicatorFactory

URL = "/regions/stuttgart/edit/"


def _figures(rows: int, total: int | None = None, initial: int = 0) -> dict:
    data = {
        "profile-description": "Typed by the representative.",
        "profile-website": "",
        "indicators-TOTAL_FORMS": str(rows if total is None else total),
        "indicators-INITIAL_FORMS": str(initial),
    }
    for i in range(rows):
        data |= {
            f"indicators-{i}-kind": "upskilled",
            f"indicators-{i}-year": str(2000 + i % 100),
            f"indicators-{i}-value": "10",
            f"indicators-{i}-source": "Survey",
        }
    return data


def test_a_hundred_thousand_claimed_figures_are_refused_without_building_a_form(
    representative, region, client_for
):
    response = client_for(representative).post(URL, _figures(1, total=100_000))
    assert response.status_code == 200
    assert f"A region has at most {MAX_FIGURES} figures" in response.content.decode()
    assert len(response.context["formset"].forms) == 0
    assert "Typed by the representative." in response.content.decode()
    region.refresh_from_db()
    assert region.description != "Typed by the representative."
    assert not Indicator.objects.exists()


def test_claimed_existing_rows_build_no_more_than_the_limit(region):
    data = _figures(0, total=100_000, initial=100_000)
    formset = IndicatorFormSet(data, instance=region, prefix="indicators")
    assert not formset.is_valid()
    assert len(formset.forms) <= MAX_FIGURES


def test_one_figure_more_than_the_limit_is_refused(representative, region, client_for):
    response = client_for(representative).post(URL, _figures(MAX_FIGURES + 1))
    assert f"A region has at most {MAX_FIGURES} figures" in response.content.decode()
    assert not Indicator.objects.exists()


def test_a_region_with_figures_sees_them_again_after_a_refused_request(
    representative, region, client_for
):
    figure = IndicatorFactory(region=region)
    data = _figures(0, total=100_000, initial=1) | {
        "indicators-0-id": str(figure.pk),
        "indicators-0-region": str(region.pk),
        "indicators-0-kind": figure.kind,
        "indicators-0-year": str(figure.year),
        "indicators-0-value": "1",
        "indicators-0-source": "Changed",
    }
    response = client_for(representative).post(URL, data)
    assert len(response.context["formset"].forms) == 1
    figure.refresh_from_db()
    assert figure.source != "Changed"


def test_the_limit_of_figures_can_be_reached(representative, region, client_for):
    response = client_for(representative).post(URL, _figures(MAX_FIGURES))
    assert response.status_code == 302
    assert Indicator.objects.count() == MAX_FIGURES


@pytest.mark.parametrize(
    "data",
    [
        {f"field-{i}": "x" for i in range(1001)},
        {"profile-description": "x" * (1024 * 1024 + 1)},
    ],
    ids=["too many fields", "too much text"],
)
def test_an_oversized_form_gets_a_400_page_that_says_why(
    representative, region, client_for, settings, data
):
    settings.DEBUG = False
    response = client_for(representative).post(URL, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "The request could not be accepted" in html
    assert "at most 1 MB of text" in html
    assert "Nothing was saved." in html
    region.refresh_from_db()
    assert region.description != "x" * (1024 * 1024 + 1)
