"""Nothing members-only, no online link, no participant and no draft ever leaves the API.

A visitor walks the API from its root, following every link it gives (pages included),
and the walk must reach every endpoint; then what it found is compared with what the
site's pages show visitors and members.
"""

import json
import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import resolve

from tests.access.test_access import site_url_names

API = "http://testserver/api/v1/"
# The walk stops well before this; a loop in the links would fail instead of hanging.
MAX_REQUESTS = 200


def links_in(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from links_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from links_in(item)
    elif isinstance(value, str) and value.startswith(API):
        yield value


def walk(client: Client) -> dict[str, bytes]:
    """Every API address reachable from the root, with its body."""
    seen: dict[str, bytes] = {}
    queue = [API, API + "schema/", API + "schema/?format=json", API + "docs/"]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        assert len(seen) < MAX_REQUESTS, "the walk does not end"
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        seen[url] = response.content
        if response["Content-Type"] == "application/json":
            queue.extend(link for link in links_in(response.json()) if link not in seen)
    return seen


def api_url_names() -> set[str]:
    return {name for name in site_url_names() if name.startswith("api:")}


def meeting_slugs(html: bytes) -> set[str]:
    return set(re.findall(r'href="/meetings/([a-z0-9-]+)/"', html.decode())) - {"past"}


@pytest.fixture
def walked(world, client):
    return walk(client)


def test_a_visitor_walking_the_api_from_its_root_reaches_every_endpoint(walked):
    reached = {resolve(urlsplit(url).path).view_name for url in walked}
    assert reached == api_url_names()


@pytest.mark.django_db
def test_nothing_private_appears_in_any_answer_of_the_api(world, walked):
    for url, body in walked.items():
        text = body.decode()
        # JSON escapes non-ASCII letters: compare with what it decodes to.
        if url.endswith("/") and not url.endswith("docs/") and "schema" not in url:
            text = json.dumps(json.loads(body), ensure_ascii=False)
        for secret in world.secrets:
            assert secret not in text, f"{secret!r} in {url}"


def test_the_api_lists_exactly_the_meetings_a_visitor_sees_on_the_site(world, walked, client):
    in_api = {
        meeting["slug"]
        for url, body in walked.items()
        if urlsplit(url).path in {"/api/v1/meetings/", "/api/v1/meetings/past/"}
        for meeting in json.loads(body)["results"]
    }
    on_site = meeting_slugs(client.get("/meetings/").content) | meeting_slugs(
        client.get("/meetings/past/").content
    )
    assert in_api == on_site == {"wg4-stuttgart", "cancelled-webinar", "asa-conference-2024"}


def test_members_see_more_on_the_site_and_none_of_it_in_the_api(world, walked, client_for):
    member = client_for(world.group.members.get())
    on_member_pages = meeting_slugs(member.get("/meetings/").content) | meeting_slugs(
        member.get("/meetings/past/").content
    )
    only_members = {"closed-retreat", "members-dinner"}
    assert only_members <= on_member_pages
    listed = "".join(body.decode() for body in walked.values())
    for slug in only_members:
        assert f"/meetings/{slug}/" not in listed


def test_a_signed_in_member_gets_the_same_public_answers(world, walked, client_for):
    member = client_for(world.group.members.get())
    for url in (API + "meetings/", API + "meetings/past/", API + "meetings/wg4-stuttgart/"):
        assert member.get(url).content == walked[url]
    assert member.get(API + "meetings/closed-retreat/").status_code == 404


def test_the_secretariat_gets_no_drafts_either(world, client_for, secretariat):
    client = client_for(secretariat)
    assert client.get(API + "meetings/unannounced/").status_code == 404
    assert client.get(API + "practices/hydrogen/").status_code == 404
    body = client.get(API + "meetings/").content.decode()
    assert "Unannounced study visit" not in body


def test_a_practice_shows_its_published_version_not_the_edits_in_review(world, client):
    practice = client.get(API + "practices/dual-training/").json()
    assert practice["title"] == "Dual training"
    assert "pending" not in practice
    assert "status" not in practice


def test_a_draft_showcased_on_a_public_agenda_is_left_out(world, client):
    agenda = client.get(API + "meetings/wg4-stuttgart/").json()["agenda"]
    assert [
        item["showcased_practice"] and item["showcased_practice"]["slug"] for item in agenda
    ] == [
        None,
        "electromobility-academy",
        None,
    ]
