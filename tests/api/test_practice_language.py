"""The API shows the language a practice is written in, and filters by it."""

from tests.factories.practices import PublishedPracticeFactory

API = "/api/v1/"


def test_a_practice_gives_the_language_of_its_write_up_and_of_its_summary(region, client):
    PublishedPracticeFactory(region=region, slug="dual", language="sk", summary_language="en")
    practice = client.get(API + "practices/dual/").json()
    assert (practice["language"], practice["summary_language"]) == ("sk", "en")


def test_practices_filter_by_language(region, client):
    PublishedPracticeFactory(region=region, slug="dual", language="sk")
    PublishedPracticeFactory(region=region, slug="netzwerk", language="de")
    results = client.get(API + "practices/", {"language": "sk"}).json()["results"]
    assert [p["slug"] for p in results] == ["dual"]


def test_an_unknown_language_is_refused(region, client):
    response = client.get(API + "practices/", {"language": "xx"})
    assert response.status_code == 400
    assert "language" in response.json()


def test_the_openapi_description_names_the_language_filter(client):
    schema = client.get(API + "schema/?format=json").json()
    parameters = schema["paths"]["/api/v1/practices/"]["get"]["parameters"]
    language = next(p for p in parameters if p["name"] == "language")
    assert language["schema"]["enum"] == ["de", "en", "fr", "nl", "sk", "sv"]
