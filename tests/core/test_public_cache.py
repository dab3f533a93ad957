"""Anonymous visitors get public pages from the cache until what they show changes."""

import pytest

from tests.factories.practices import PublishedPracticeFactory

pytestmark = pytest.mark.django_db


def test_a_second_anonymous_visit_of_the_home_page_runs_no_query(
    client, django_assert_num_queries
):
    client.get("/")
    with django_assert_num_queries(0):
        response = client.get("/")
    assert response.status_code == 200


def test_a_change_to_the_data_invalidates_the_cached_page(client, region):
    assert "Electric buses" not in client.get("/").text
    PublishedPracticeFactory(title="Electric buses", region=region)
    assert "Electric buses" in client.get("/").text


def test_signed_in_people_are_never_served_from_the_cache(client, client_for, member):
    client.get("/")
    assert "Sign out" in client_for(member).get("/").text


def test_cached_pages_vary_on_the_cookie(client):
    assert "Cookie" in client.get("/")["Vary"]


@pytest.mark.parametrize("path", ["/practices/", "/regions/", "/regions/compare/"])
def test_public_lists_are_served_from_the_cache_on_a_second_visit(
    client, region, path, django_assert_num_queries
):
    PublishedPracticeFactory(region=region)
    client.get(path)
    with django_assert_num_queries(0):
        assert client.get(path).status_code == 200


def test_a_practice_published_after_a_visit_appears_in_the_cached_list(client, region):
    client.get("/practices/")
    PublishedPracticeFactory(title="Hydrogen skills lab", region=region)
    assert "Hydrogen skills lab" in client.get("/practices/").text
