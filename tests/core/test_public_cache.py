"""Anonymous visitors get public pages from the cache until what they show changes."""

import pytest
from django.db import transaction
from django.test import Client, RequestFactory

from asa_portal.cache import generation, invalidate_public_pages
from meetings.models import Meeting
from tests.factories.accounts import UserFactory
from tests.factories.meetings import (
    AgendaItemFactory,
    AttendanceFactory,
    MeetingFactory,
    WorkingGroupFactory,
)
from tests.factories.practices import PublishedPracticeFactory

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.org/secret-room"


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


# -- what invalidates ---------------------------------------------------------------------


def test_deleting_a_practice_takes_it_off_the_cached_list(client, region):
    practice = PublishedPracticeFactory(title="Electric buses", region=region)
    assert "Electric buses" in client.get("/practices/").text
    practice.delete()
    assert "Electric buses" not in client.get("/practices/").text


def test_deleting_a_meeting_takes_it_off_the_cached_list(client):
    meeting = MeetingFactory(title="Battery day")
    assert "Battery day" in client.get("/meetings/").text
    Meeting.objects.filter(pk=meeting.pk).delete()
    assert "Battery day" not in client.get("/meetings/").text


def test_deleting_an_agenda_item_takes_it_off_the_members_cached_page(client_for, member):
    meeting = MeetingFactory()
    item = AgendaItemFactory(meeting=meeting, title="Hydrogen session")
    signed_in = client_for(member)
    assert "Hydrogen session" in signed_in.get(meeting.get_absolute_url()).text
    item.delete()
    assert "Hydrogen session" not in signed_in.get(meeting.get_absolute_url()).text


def test_deleting_an_answer_updates_the_cached_counts(client):
    # Attendance keeps no history, so only its own delete signal can tell the cache.
    meeting = MeetingFactory(format="in_person")
    answer = AttendanceFactory(meeting=meeting, answer="in_person")
    assert "1 in person" in client.get(meeting.get_absolute_url()).text
    answer.delete()
    assert "0 in person" in client.get(meeting.get_absolute_url()).text


def test_deleting_a_working_group_takes_it_off_the_cached_list(client):
    group = WorkingGroupFactory(code="WG9", name="Short-lived group")
    assert "Short-lived group" in client.get("/groups/").text
    group.delete()
    assert "Short-lived group" not in client.get("/groups/").text


def test_the_generation_moves_again_once_the_change_is_committed(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            meeting = MeetingFactory()
            during = generation()
        assert generation() == during
    # A page rendered from the old rows in between stays behind under `during`.
    assert generation() != during
    assert meeting.pk


def test_a_transaction_moves_the_generation_once_on_commit_however_many_rows_it_saves(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for _ in range(5):
            MeetingFactory()
    assert callbacks.count(invalidate_public_pages) == 1


def test_signing_in_keeps_the_visitors_pages(client, member, django_assert_num_queries):
    member.set_password("pw")
    member.save()
    client.get("/")
    assert Client().login(
        request=RequestFactory().get("/"), email=member.email, password="pw"
    )  # saves last_login
    with django_assert_num_queries(0):
        assert client.get("/").status_code == 200


# -- signed-in requests and the visitors' cache, in either order -------------------------


def _public_pages(region) -> list[str]:
    meeting = MeetingFactory(online_link=LINK, working_group=WorkingGroupFactory(code="WG4"))
    PublishedPracticeFactory(region=region)
    return [
        "/",
        "/meetings/",
        meeting.get_absolute_url(),
        "/groups/",
        "/groups/WG4/",
        "/practices/",
        "/regions/",
        f"/regions/{region.slug}/",
        "/regions/compare/",
    ]


def test_a_member_is_never_served_a_page_visitors_warmed_after_the_sign_in(client, region):
    pages = _public_pages(region)
    member = UserFactory(email="member@example.org")
    member.set_password("pw")
    member.save()
    signed_in = Client()
    assert signed_in.login(request=RequestFactory().get("/"), email=member.email, password="pw")
    for path in pages:
        client.get(path)  # the visitors' cache is warm now, after the sign-in
    for path in pages:
        page = signed_in.get(path)
        assert "Sign out" in page.text, path
        assert "Sign in</a>" not in page.text, path
    assert LINK in signed_in.get(pages[2]).text


def test_a_members_page_is_never_kept_for_visitors(client, client_for, member, region):
    pages = _public_pages(region)
    signed_in = client_for(member)
    for path in pages:
        signed_in.get(path)
    for path in pages:
        page = client.get(path)
        assert "Sign out" not in page.text, path
        assert member.email not in page.text, path
    assert LINK not in client.get(pages[2]).text


def test_a_visitor_with_a_stale_session_cookie_gets_the_visitors_page(client, client_for, member):
    meeting = MeetingFactory(online_link=LINK)
    signed_in = client_for(member)
    signed_in.get(meeting.get_absolute_url())
    signed_in.post("/accounts/logout/")
    assert LINK not in signed_in.get(meeting.get_absolute_url()).text
