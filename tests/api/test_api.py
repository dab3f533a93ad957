"""The read-only API: fields, filters and search as on the site, bounds, conditional GET,
CORS, the OpenAPI description and its docs page."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from meetings.models import Meeting
from practices.models import Attachment
from tests.factories.meetings import AgendaItemFactory, MeetingFactory, in_days
from tests.factories.practices import PublishedPracticeFactory
from tests.factories.regions import IndicatorFactory, RegionFactory

API = "/api/v1/"


# -- Fields -----------------------------------------------------------------------------


def test_upcoming_meetings_come_soonest_first_with_their_agendas(world, client):
    results = client.get(API + "meetings/").json()["results"]
    assert [m["slug"] for m in results] == ["wg4-stuttgart", "cancelled-webinar"]
    agenda = results[0]["agenda"]
    assert [item["title"] for item in agenda] == [
        "Welcome",
        "Best practice from Košice",
        "A draft on the agenda",
    ]
    assert agenda[1]["presenting_region"] == {"slug": "kosice", "name": "Košice", "country": "SK"}
    assert agenda[1]["document"].endswith(
        f"/meetings/wg4-stuttgart/documents/{world.public.agenda_items.get(position=2).pk}/"
    )


def test_a_meeting_gives_its_times_in_its_own_zone_with_the_offset(world, client):
    meeting = client.get(API + "meetings/wg4-stuttgart/").json()
    start = dt.datetime.fromisoformat(meeting["start"])
    assert meeting["time_zone"] == "Europe/Brussels"
    assert start == world.public.start
    assert start.hour == 10
    assert meeting["agenda"][1]["start"] == (start + dt.timedelta(minutes=15)).isoformat()


def test_a_cancelled_public_meeting_is_listed_as_cancelled(world, client):
    meeting = client.get(API + "meetings/cancelled-webinar/").json()
    assert meeting["status"] == "cancelled"


def test_past_meetings_come_newest_first(world, client):
    older = MeetingFactory(slug="older", start=in_days(-90), end=in_days(-90, hour=12))
    results = client.get(API + "meetings/past/").json()["results"]
    assert [m["slug"] for m in results] == ["asa-conference-2024", older.slug]


def test_a_region_has_its_figures_and_its_published_practices_counted(world, client):
    region = client.get(API + "regions/stuttgart/").json()
    assert region["figures"] == [
        {
            "kind": "employment",
            "label": "Automotive employment",
            "year": 2023,
            "value": 12345.0,
            "unit": "people",
            "source": "Regional statistics office",
        }
    ]
    # The draft does not count; the practice with edits in review does (it is online).
    assert region["practices"]["total"] == 1


def test_a_working_group_links_to_its_meetings_in_the_api(world, client):
    group = client.get(API + "groups/WG4/").json()
    assert group["meetings"] == "http://testserver/api/v1/meetings/?working_group=WG4"
    assert "members" not in group


def test_a_practice_lists_its_published_files_only(world, client):
    attachment = Attachment(
        practice=world.published,
        original_name="handbook.pdf",
        content_type="application/pdf",
        extension="pdf",
        size=20,
    )
    attachment.file.save("handbook.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    practice = client.get(API + "practices/electromobility-academy/").json()
    assert practice["attachments"] == [
        {
            "name": "handbook.pdf",
            "content_type": "application/pdf",
            "size": 20,
            "url": "http://testserver"
            + f"/practices/electromobility-academy/attachments/{attachment.pk}/",
        }
    ]
    assert practice["themes"] == ["skills"]
    assert practice["transitions"] == ["green"]
    assert "<h3>Approach</h3>" in practice["description_html"]


# -- Filters and search as on the site --------------------------------------------------


def test_meetings_filter_by_working_group_kind_format_and_region_as_on_the_site(world, client):
    def slugs(query):
        return [m["slug"] for m in client.get(API + "meetings/?" + query).json()["results"]]

    assert slugs("working_group=WG4") == ["wg4-stuttgart"]
    assert slugs("kind=webinar") == ["cancelled-webinar"]
    assert slugs("region=stuttgart") == ["wg4-stuttgart"]
    assert slugs("format=online") == []


def test_the_practice_search_finds_what_the_site_finds(world, client):
    PublishedPracticeFactory(title="Göteborg battery school", slug="goteborg-battery")
    for query in ("kosice", "KOŠICE drivetrains", "goteborg", "battery school", "nothing-such"):
        api = [p["slug"] for p in client.get(API + "practices/", {"q": query}).json()["results"]]
        site = re.findall(
            r'href="/practices/([a-z0-9-]+)/"',
            client.get("/practices/", {"q": query}).content.decode(),
        )
        assert api == list(dict.fromkeys(s for s in site if s != "new")), query


def test_practices_filter_by_theme_transition_and_country(world, client):
    def slugs(query):
        return {p["slug"] for p in client.get(API + "practices/?" + query).json()["results"]}

    assert slugs("country=SK") == {"electromobility-academy"}
    assert slugs("theme=education") == set()
    assert slugs("transition=green") == {"electromobility-academy", "dual-training"}


def test_an_unknown_filter_value_is_refused_with_a_message_naming_it(world, client):
    response = client.get(API + "meetings/?working_group=WG99")
    assert response.status_code == 400
    assert "working_group" in response.json()


def test_a_search_longer_than_200_characters_is_refused(world, client):
    response = client.get(API + "practices/", {"q": "a" * 201})
    assert response.status_code == 400
    assert "at most 200 characters" in response.json()["q"][0]


# -- Bounds -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_page_holds_20_by_default_and_never_more_than_100(client):
    for n in range(105):
        RegionFactory(slug=f"region-{n:03}", name=f"Region {n:03}")
    assert len(client.get(API + "regions/").json()["results"]) == 20
    assert len(client.get(API + "regions/?page_size=50").json()["results"]) == 50
    assert len(client.get(API + "regions/?page_size=100000").json()["results"]) == 100
    assert len(client.get(API + "regions/?page_size=-3").json()["results"]) == 20


def test_a_page_beyond_the_last_is_404_with_a_message(world, client):
    for page in ("2", "0", "abc", "99999999999999999999999"):
        response = client.get(API + "meetings/", {"page": page})
        assert response.status_code == 404, page
        assert response.json()["detail"] == "Invalid page."


def _queries(client, url) -> int:
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def _meetings(n: int, region) -> None:
    for i in range(n):
        meeting = MeetingFactory(host_region=region, start=in_days(5 + i), end=in_days(5 + i, 12))
        AgendaItemFactory(meeting=meeting, presenting_region=region)
        AgendaItemFactory(meeting=meeting)


@pytest.mark.parametrize(
    "url",
    [
        API + "meetings/",
        API + "meetings/?working_group=WG4&region=stuttgart",
        API + "meetings/past/",
        API + "regions/",
        API + "practices/?q=practice&country=DE&year=" + str(dt.date.today().year),
        API + "groups/",
    ],
)
def test_a_page_costs_the_same_queries_for_1_and_50_of_everything(url, world, client, region):
    def more(n):
        _meetings(n, region)
        for i in range(n):
            MeetingFactory(start=in_days(-5 - i), end=in_days(-5 - i, 12))
            other = RegionFactory()
            IndicatorFactory(region=other)
            PublishedPracticeFactory(region=region)

    more(1)
    few = _queries(client, url)
    more(49)
    assert _queries(client, url) == few


# -- Conditional GET --------------------------------------------------------------------


def test_asking_again_with_the_etag_gets_304_without_a_body(world, client):
    first = client.get(API + "meetings/")
    again = client.get(API + "meetings/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_asking_again_with_last_modified_gets_304(world, client):
    first = client.get(API + "practices/")
    again = client.get(API + "practices/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304


def test_after_a_change_both_validators_get_the_new_answer(world, client):
    first = client.get(API + "meetings/")
    meeting = Meeting.objects.get(slug="wg4-stuttgart")
    meeting.title = "WG4 meeting in Stuttgart, new room"
    meeting.save()
    by_etag = client.get(API + "meetings/", HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = client.get(API + "meetings/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_etag.status_code == by_date.status_code == 200
    assert "new room" in by_date.content.decode()
    assert by_date["ETag"] != first["ETag"]
    # HTTP dates count seconds: a change within the same second still moves it on.
    assert by_date["Last-Modified"] != first["Last-Modified"]


def test_last_modified_stays_while_the_answer_does(world, client):
    first = client.get(API + "groups/")
    # Something the answer does not show changes: the cache is emptied, the body is not.
    world.members_only.save()
    again = client.get(API + "groups/")
    assert again["ETag"] == first["ETag"]
    assert again["Last-Modified"] == first["Last-Modified"]


def test_last_modified_is_never_later_than_the_moment_of_the_answer(world, client):
    # HTTP forbids a Last-Modified after the response's Date (RFC 9110, 8.8.2.1).
    moment = dt.datetime(2030, 5, 6, 7, 8, 9, 600_000, tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=False):
        response = client.get(API + "groups/")
    assert response["Last-Modified"] == "Mon, 06 May 2030 07:08:09 GMT"


def test_a_last_modified_in_the_future_of_the_answer_is_honoured(world, client):
    client.get(API + "regions/")
    later = http_date(dt.datetime.now(dt.UTC).timestamp() + 3600)
    assert client.get(API + "regions/", HTTP_IF_MODIFIED_SINCE=later).status_code == 304


# -- CORS: any site may read, nobody may write ------------------------------------------


def test_another_website_may_read_the_api_without_credentials(world, client):
    response = client.get(
        API + "meetings/", HTTP_ORIGIN="https://www.automotive-skills-alliance.eu"
    )
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response["Access-Control-Expose-Headers"]


def test_a_304_carries_the_cors_header_too(world, client):
    first = client.get(API + "meetings/")
    again = client.get(
        API + "meetings/", HTTP_ORIGIN="https://example.org", HTTP_IF_NONE_MATCH=first["ETag"]
    )
    assert again.status_code == 304
    assert again["Access-Control-Allow-Origin"] == "*"


def test_a_preflight_allows_get_only(world, client):
    response = client.options(
        API + "meetings/",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    allowed = {m.strip() for m in response["Access-Control-Allow-Methods"].split(",")}
    assert allowed == {"GET", "HEAD", "OPTIONS"}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writing_is_refused(method, world, client):
    response = getattr(client, method)(API + "meetings/wg4-stuttgart/")
    assert response.status_code == 405


def test_the_site_pages_get_no_cors_header(world, client):
    response = client.get("/meetings/", HTTP_ORIGIN="https://example.org")
    assert "Access-Control-Allow-Origin" not in response


# -- OpenAPI and its docs ---------------------------------------------------------------


def test_the_openapi_description_names_every_endpoint(world, client):
    schema = client.get(API + "schema/?format=json").json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/meetings/",
        "/api/v1/meetings/past/",
        "/api/v1/meetings/{slug}/",
        "/api/v1/groups/",
        "/api/v1/groups/{code}/",
        "/api/v1/regions/",
        "/api/v1/regions/{slug}/",
        "/api/v1/practices/",
        "/api/v1/practices/{slug}/",
    }
    parameters = {p["name"] for p in schema["paths"]["/api/v1/practices/"]["get"]["parameters"]}
    assert {
        "q",
        "region",
        "country",
        "theme",
        "transition",
        "year",
        "page",
        "page_size",
    } <= parameters
    assert all(set(path) == {"get"} for path in schema["paths"].values())


def test_the_docs_page_loads_swagger_from_static_with_no_inline_script_or_style(world, client):
    html = client.get(API + "docs/").content.decode()
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all('src="/static/' in attributes for attributes in scripts)
    assert "swagger-ui-bundle.js" in html
    assert "<style" not in html and "style=" not in html
    assert "https://" not in "".join(re.findall(r'(?:src|href)="([^"]*)"', html))
