import csv
import io

import pytest

from practices.models import Practice
from regions.models import Indicator
from tests.factories.practices import PracticeFactory, PublishedPracticeFactory
from tests.factories.regions import IndicatorFactory, RegionFactory


def test_the_region_list_groups_regions_by_country(region, other_region, client):
    html = client.get("/regions/").content.decode()
    assert "Germany" in html and "Slovakia" in html
    assert "🇩🇪" in html


def test_a_region_page_shows_representatives_to_members_only(
    representative, member, region, client_for
):
    assert representative.email in client_for(member).get("/regions/stuttgart/").content.decode()
    assert representative.email not in client_for(None).get("/regions/stuttgart/").content.decode()


def test_a_region_page_lists_published_practices_only(region, client):
    PublishedPracticeFactory(region=region, title="Public one")
    PracticeFactory(region=region, title="Secret draft")
    html = client.get("/regions/stuttgart/").content.decode()
    assert "Public one" in html and "Secret draft" not in html


@pytest.mark.parametrize("count", [1, 500])
def test_a_region_page_takes_the_same_queries_for_1_and_500_practices(
    count, region, client, django_assert_num_queries
):
    PublishedPracticeFactory.create_batch(count, region=region)
    IndicatorFactory(region=region)
    with django_assert_num_queries(5):
        client.get("/regions/stuttgart/")


def _edit_data(**profile):
    return {
        "profile-description": "Germany's automotive heartland.",
        "profile-website": "https://www.region-stuttgart.de/",
        "indicators-TOTAL_FORMS": "1",
        "indicators-INITIAL_FORMS": "0",
        "indicators-0-kind": "upskilled",
        "indicators-0-year": "2023",
        "indicators-0-value": "1200",
        "indicators-0-unit": "people",
        "indicators-0-source": "Employment agency",
        **profile,
    }


def test_a_representative_edits_the_profile_and_adds_a_figure(representative, region, client_for):
    response = client_for(representative).post("/regions/stuttgart/edit/", _edit_data())
    region.refresh_from_db()
    assert response.status_code == 302
    assert region.website == "https://www.region-stuttgart.de/"
    assert Indicator.objects.get().value == 1200
    assert Indicator.history.get().history_user == representative


def test_a_second_figure_for_the_same_kind_and_year_is_refused(representative, region, client_for):
    IndicatorFactory(region=region, kind="upskilled", year=2023)
    response = client_for(representative).post("/regions/stuttgart/edit/", _edit_data())
    assert response.status_code == 200
    assert Indicator.objects.count() == 1


def test_another_representative_cannot_edit_the_region(other_representative, region, client_for):
    response = client_for(other_representative).post("/regions/stuttgart/edit/", _edit_data())
    region.refresh_from_db()
    assert response.status_code == 403
    assert region.website == ""
    assert not Indicator.objects.exists()


@pytest.fixture
def compared(region, other_region):
    PublishedPracticeFactory(region=region, theme_skills=True, transition_green=True)
    PublishedPracticeFactory(region=region, theme_skills=True, theme_education=True)
    PracticeFactory(region=region, theme_skills=True)  # a draft: not counted
    PublishedPracticeFactory(region=other_region, theme_skills=False, theme_employment=True)
    IndicatorFactory(region=region, kind="employment", year=2023, value=200000)
    IndicatorFactory(region=region, kind="upskilled", year=2023, value=12000)
    IndicatorFactory(region=other_region, kind="employment", year=2023, value=20000)
    IndicatorFactory(region=other_region, kind="upskilled", year=2023, value=500)


def test_the_matrix_counts_published_practices_per_theme(compared, client):
    cells = dict(client.get("/regions/compare/").context["cells"])
    stuttgart = next(row for region, row in cells.items() if region.slug == "stuttgart")
    assert stuttgart[0] == (2, "?region=stuttgart&theme=skills")
    assert stuttgart[1][0] == 1  # education


def test_a_matrix_cell_leads_to_the_practices_it_counts(compared, client):
    response = client.get("/practices/?region=stuttgart&theme=skills")
    assert response.context["page_obj"].paginator.count == 2


def test_the_share_upskilled_is_compared_with_the_target(compared, client):
    shares = {s["region"].slug: s for s in client.get("/regions/compare/").context["shares"]}
    assert str(shares["stuttgart"]["share"]) == "6.0" and shares["stuttgart"]["meets_target"]
    assert str(shares["kosice"]["share"]) == "2.5" and not shares["kosice"]["meets_target"]


def test_the_charts_are_accessible_svg(compared, client):
    html = client.get("/regions/compare/").content.decode()
    assert html.count('<svg class="chart" role="img"') == 2
    assert '<title id="chart-upskilled-title">' in html
    assert "<script" not in html.split("<main", 1)[1]


def test_the_compare_view_exports_csv(compared, client):
    for url in ("/regions/compare.csv", "/regions/compare/?format=csv"):
        response = client.get(url)
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        assert {
            "region": "Stuttgart",
            "country": "DE",
            "measure": "Published practices: Skills",
            "year": "",
            "value": "2",
            "unit": "practices",
            "source": "ASA Portal",
        } in rows
        assert any(
            r["measure"] == "Automotive employment" and r["value"] == "200000" for r in rows
        )


def test_csv_cells_that_a_spreadsheet_would_run_are_made_text(region, client):
    IndicatorFactory(region=region, source='=HYPERLINK("http://evil")')
    body = client.get("/regions/compare.csv").content.decode()
    assert "'=HYPERLINK" in body


@pytest.mark.parametrize("count", [1, 500])
def test_the_compare_view_takes_the_same_queries_for_1_and_500_practices(
    count, region, client, django_assert_num_queries
):
    RegionFactory.create_batch(3)
    PublishedPracticeFactory.create_batch(count, region=region)
    IndicatorFactory(region=region)
    with django_assert_num_queries(2):
        client.get("/regions/compare/")


def test_archived_practices_are_not_counted(region, client):
    PublishedPracticeFactory(region=region, status=Practice.Status.ARCHIVED)
    regions = client.get("/regions/compare/").context["regions"]
    assert regions[0].total == 0
